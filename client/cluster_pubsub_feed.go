package client

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actoredis/actoredis/actors"
	"github.com/actoredis/actoredis/messages"
)

// clusterFeed is a ClusterClient's Subscribe/PSubscribe: its channels and
// patterns live on one node (PUBLISH reaches every node of a cluster),
// and when that node is gone they move to another healthy node:
//
//	ClusterClient ── clusterFeed ── follow goroutine (moves)
//	                      │
//	                      └─ node Subscription (pubsub actor of one node)
//	                              └─ forward goroutine ──> out
//
// The node is gone when it left the slot table (failed over, removed),
// when its subscription ended by itself, or when it has had no usable
// connection for nodeGoneAfter. A short outage is left to the node's
// pubsub actor, which resubscribes and gives its own Reconnected event;
// after a move the feed gives exactly one Reconnected event before the
// first message from the new node. It is the feed of the Subscription
// that Subscribe returns.
type clusterFeed struct {
	cc   *ClusterClient
	opts SubscribeOptions // BufferSize, Policy, MaxPending of each node's subscription
	out  chan Message
	wake chan struct{} // a node's subscription ended by itself
	done chan struct{}
	wg   sync.WaitGroup
	once sync.Once

	// cur is the node subscription whose messages are delivered; the
	// forwarders read it without mu (move holds mu while it waits for the
	// old forwarder to end).
	cur atomic.Pointer[Subscription]

	mu       sync.Mutex
	channels map[string]struct{}
	patterns map[string]struct{}
	node     *actors.Node
	sub      *Subscription
	fwdDone  chan struct{} // closed when sub's forwarder has ended
	downFrom time.Time     // when node was first seen with no usable connection
	base     SubscriptionStats
	err      error
}

// nodeGoneAfter is how long a feed's node may have no usable connection
// before the feed moves to another node.
const nodeGoneAfter = time.Second

// subscribeFeed opens a clusterFeed on the owner of slot 0.
func (cc *ClusterClient) subscribeFeed(ctx context.Context, opts SubscribeOptions) (*Subscription, error) {
	t, err := cc.table(ctx)
	if err != nil {
		return nil, err
	}
	sh := t.Shard(0)
	if sh == nil {
		return nil, errSlotUncovered(0)
	}
	buf := opts.BufferSize
	if buf <= 0 {
		buf = 1024
	}
	f := &clusterFeed{
		cc: cc, opts: SubscribeOptions{BufferSize: opts.BufferSize, Policy: opts.Policy, MaxPending: opts.MaxPending},
		out:      make(chan Message, min(buf, 256)),
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
		channels: map[string]struct{}{},
		patterns: map[string]struct{}{},
	}
	for _, ch := range opts.Channels {
		f.channels[ch] = struct{}{}
	}
	for _, p := range opts.Patterns {
		f.patterns[p] = struct{}{}
	}
	sub, err := f.subscribeOn(ctx, sh.Primary)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.start(sh.Primary, sub)
	f.mu.Unlock()
	f.wg.Add(1)
	go f.follow()
	return &Subscription{feed: f}, nil
}

// subscribeOn subscribes every channel and pattern of the feed on n.
func (f *clusterFeed) subscribeOn(ctx context.Context, n *actors.Node) (*Subscription, error) {
	select {
	case <-n.Ready():
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	opts := f.opts
	opts.Channels = slices.Sorted(maps.Keys(f.channels))
	opts.Patterns = slices.Sorted(maps.Keys(f.patterns))
	return nodeClient(n).SubscribeWith(ctx, opts)
}

// start makes sub on n the feed's subscription and starts its forwarder;
// the caller holds mu.
func (f *clusterFeed) start(n *actors.Node, sub *Subscription) {
	f.node, f.sub, f.fwdDone = n, sub, make(chan struct{})
	f.downFrom = time.Time{}
	f.cur.Store(sub)
	f.wg.Add(1)
	go f.forward(sub, f.fwdDone)
}

// forward copies one node subscription's messages into the feed until it
// ends. Once the feed has moved on, that subscription's own Reconnected
// events are dropped (the move gives the feed's one).
func (f *clusterFeed) forward(sub *Subscription, fwdDone chan struct{}) {
	defer f.wg.Done()
	defer close(fwdDone)
	for m := range sub.Messages() {
		if m.Kind == messages.KindReconnected && f.cur.Load() != sub {
			continue
		}
		select {
		case f.out <- m:
		case <-f.done:
			for range sub.Messages() {
			}
			return
		}
	}
	if f.cur.Load() != sub {
		return
	}
	if err := sub.Err(); errors.Is(err, ErrSlowConsumer) {
		f.mu.Lock()
		f.err = err
		f.mu.Unlock()
		go func() { _ = f.Close() }()
		return
	}
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// follow moves the feed when its node is gone.
func (f *clusterFeed) follow() {
	defer f.wg.Done()
	tick := time.NewTicker(followInterval)
	defer tick.Stop()
	for {
		t := f.cc.cl.Table()
		select {
		case <-f.done:
			return
		case <-f.cc.cl.Closed():
			// The client is closing: its node subscriptions end with it.
			f.mu.Lock()
			f.err = ErrClosed
			f.mu.Unlock()
			go func() { _ = f.Close() }()
			return
		case <-t.Changed():
		case <-f.wake:
		case <-tick.C:
		}
		if f.gone() {
			f.move()
		}
	}
}

// gone reports whether the feed's node is gone: ended, out of the table,
// or without a usable connection for nodeGoneAfter.
func (f *clusterFeed) gone() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	select {
	case <-f.fwdDone:
		return true
	default:
	}
	if !inTable(f.cc.cl.Table(), f.node) {
		return true
	}
	if f.node.Pool.Usable() > 0 {
		f.downFrom = time.Time{}
		return false
	}
	if f.downFrom.IsZero() {
		f.downFrom = time.Now()
		f.cc.cl.Refresh() // a failover shows in the table sooner
		return false
	}
	return time.Since(f.downFrom) >= nodeGoneAfter
}

// inTable reports whether n is a primary or replica of t.
func inTable(t *actors.Table, n *actors.Node) bool {
	for _, sh := range t.Shards {
		if sh.Primary == n || slices.Contains(sh.Replicas, n) {
			return true
		}
	}
	return false
}

// move subscribes everything on another healthy node, ends the old node's
// subscription, gives the one Reconnected event and then starts the new
// node's messages. With no healthy node it does nothing: the next tick
// tries again.
func (f *clusterFeed) move() {
	ctx, cancel := context.WithTimeout(context.Background(), f.cc.cl.Config().Node.PoolTimeout)
	defer cancel()
	f.mu.Lock()
	defer f.mu.Unlock()
	var (
		next *actors.Node
		sub  *Subscription
	)
	for _, n := range candidates(f.cc.cl.Table(), f.node) {
		select {
		case <-f.done:
			return
		default:
		}
		s, err := f.subscribeOn(ctx, n)
		if err == nil {
			next, sub = n, s
			break
		}
	}
	if sub == nil {
		return
	}
	old, oldDone := f.sub, f.fwdDone
	f.cur.Store(sub) // from here the old forwarder drops its Reconnected
	st := old.Stats()
	f.base.Delivered += st.Delivered
	f.base.Dropped += st.Dropped
	_ = old.Close()
	select {
	case <-oldDone:
	case <-f.done:
	}
	select {
	case f.out <- Message{Kind: messages.KindReconnected}:
	case <-f.done:
	}
	f.start(next, sub)
}

// candidates lists the nodes of t a feed may move to, primaries first,
// leaving out old and nodes with no usable connection.
func candidates(t *actors.Table, old *actors.Node) []*actors.Node {
	var primaries, replicas []*actors.Node
	for _, sh := range t.Shards {
		if sh.Primary != old && sh.Primary.Pool.Usable() > 0 {
			primaries = append(primaries, sh.Primary)
		}
		for _, r := range sh.Replicas {
			if r != old && r.Pool.Usable() > 0 {
				replicas = append(replicas, r)
			}
		}
	}
	return append(primaries, replicas...)
}

// Add subscribes more names on the current node; they are in the feed
// (and so on any node it moves to) even when that fails.
func (f *clusterFeed) Add(ctx context.Context, kind int, names ...string) error {
	if kind == actors.ShardChannels {
		return errShardOnFeed
	}
	f.mu.Lock()
	set := f.channels
	if kind == actors.Patterns {
		set = f.patterns
	}
	for _, n := range names {
		set[n] = struct{}{}
	}
	sub := f.sub
	f.mu.Unlock()
	select {
	case <-f.done:
		return ErrClosed
	default:
	}
	err := sub.feed.Add(ctx, kind, names...)
	if err != nil && f.cur.Load() != sub {
		return nil // moved meanwhile: the new node has them
	}
	return err
}

// Remove drops names from the feed and its current node.
func (f *clusterFeed) Remove(kind int, names ...string) {
	if kind == actors.ShardChannels {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	set := f.channels
	if kind == actors.Patterns {
		set = f.patterns
	}
	for _, n := range names {
		delete(set, n)
	}
	f.sub.feed.Remove(kind, names...)
}

// Messages returns the feed's channel.
func (f *clusterFeed) Messages() <-chan Message { return f.out }

// Stats adds the counters of the nodes the feed has left to those of the
// current one.
func (f *clusterFeed) Stats() SubscriptionStats {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.sub.Stats()
	st.Delivered += f.base.Delivered
	st.Dropped += f.base.Dropped
	return st
}

// Err returns why the feed ended by itself, or nil.
func (f *clusterFeed) Err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

// Close ends the node subscription and both goroutines, then closes the
// feed's channel, exactly once.
func (f *clusterFeed) Close() error {
	f.once.Do(func() {
		close(f.done)
		f.mu.Lock()
		_ = f.sub.Close()
		f.mu.Unlock()
		f.wg.Wait()
		close(f.out)
	})
	return nil
}

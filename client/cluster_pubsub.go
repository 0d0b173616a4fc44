package client

import (
	"context"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actoredis/actoredis/actors"
	"github.com/actoredis/actoredis/messages"
)

// ClusterSubscription is a feed of shard channel messages (SSUBSCRIBE)
// that follows the slots: each shard channel is subscribed on its slot's
// primary, and when that slot moves (a resharding, or a failover that
// promoted a replica) the channel is subscribed on the new owner and
// unsubscribed from the old, and the feed gets one Reconnected event
// (messages published during the move may be missing). It learns of a
// move from the node itself (Redis unsubscribes shard channels whose slot
// left it), from a lost node (its connections down: the topology is read
// again) and from every new slot table. A ClusterSubscription is safe for
// concurrent use.
type ClusterSubscription struct {
	cc   *ClusterClient
	opts SubscribeOptions
	out  chan Message
	wake chan struct{} // a node unsubscribed a shard channel by itself
	done chan struct{}
	wg   sync.WaitGroup
	once sync.Once

	mu   sync.Mutex
	want map[string]struct{}
	// wanted is a copy of want for the reader goroutines (no lock there:
	// reconcile holds mu while it waits for their confirmations).
	wanted atomic.Pointer[map[string]struct{}]
	where  map[string]*nodeSub
	nodes  map[*actors.Node]*nodeSub
}

// nodeSub is the subscription of one node and the shard channels on it.
type nodeSub struct {
	node  *actors.Node
	sub   *Subscription
	names map[string]struct{}
}

// followInterval is how often a ClusterSubscription looks at the health of
// its nodes and, after a node unsubscribed one of its channels, asks for
// the topology again until the move shows.
const followInterval = 200 * time.Millisecond

// Subscribe subscribes to channels on one node (PUBLISH reaches every node
// of a cluster) and returns once the server confirmed every one. When that
// node is gone (out of the slot table, failed over, or with no usable
// connection for a second) the subscription moves to another healthy node
// with all its channels and patterns, and gives one Reconnected event
// before the first message from there (messages published during the
// move may be missing). A short outage is handled as on a Client.
func (cc *ClusterClient) Subscribe(ctx context.Context, channels ...string) (*Subscription, error) {
	return cc.SubscribeWith(ctx, SubscribeOptions{Channels: channels})
}

// PSubscribe subscribes to patterns on one node, moving as Subscribe does.
func (cc *ClusterClient) PSubscribe(ctx context.Context, patterns ...string) (*Subscription, error) {
	return cc.SubscribeWith(ctx, SubscribeOptions{Patterns: patterns})
}

// SubscribeWith subscribes on one node. Channels and patterns alone
// start on the owner of slot 0 and move as Subscribe does. With shard
// channels (which must then share one slot: ErrCrossSlot otherwise) it
// stays on that slot's owner; ClusterClient.SSubscribe follows the slot.
func (cc *ClusterClient) SubscribeWith(ctx context.Context, opts SubscribeOptions) (*Subscription, error) {
	if len(opts.ShardChannels) == 0 {
		return cc.subscribeFeed(ctx, opts)
	}
	slot, err := slotsOf(opts.ShardChannels...)
	if err != nil {
		return nil, err
	}
	t, err := cc.table(ctx)
	if err != nil {
		return nil, err
	}
	s := t.Shard(max(slot, 0))
	if s == nil {
		return nil, errSlotUncovered(max(slot, 0))
	}
	select {
	case <-s.Primary.Ready():
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return nodeClient(s.Primary).SubscribeWith(ctx, opts)
}

// SSubscribe subscribes to shard channels, each on the primary of its
// slot, and returns once every one is confirmed; the subscription follows
// the slots as they move (see ClusterSubscription).
func (cc *ClusterClient) SSubscribe(ctx context.Context, shardChannels ...string) (*ClusterSubscription, error) {
	return cc.SSubscribeWith(ctx, SubscribeOptions{ShardChannels: shardChannels})
}

// SSubscribeWith is SSubscribe with options (BufferSize, Policy and
// MaxPending apply to each node's subscription); Channels and Patterns
// are refused: use Subscribe for those.
func (cc *ClusterClient) SSubscribeWith(ctx context.Context, opts SubscribeOptions) (*ClusterSubscription, error) {
	if len(opts.Channels) > 0 || len(opts.Patterns) > 0 {
		return nil, &argError{msg: "SSubscribeWith takes shard channels only; use Subscribe for channels and patterns"}
	}
	buf := opts.BufferSize
	if buf <= 0 {
		buf = 1024
	}
	s := &ClusterSubscription{
		cc: cc, opts: opts,
		out:   make(chan Message, min(buf, 256)),
		wake:  make(chan struct{}, 1),
		done:  make(chan struct{}),
		want:  map[string]struct{}{},
		where: map[string]*nodeSub{},
		nodes: map[*actors.Node]*nodeSub{},
	}
	for _, ch := range opts.ShardChannels {
		s.want[ch] = struct{}{}
	}
	s.publishWant()
	if err := s.reconcile(ctx, false); err != nil {
		_ = s.Close()
		return nil, err
	}
	cc.addShardSub(s)
	s.wg.Add(1)
	go s.follow()
	return s, nil
}

// Messages returns the channel of messages and events; it is closed once,
// when the subscription is closed.
func (s *ClusterSubscription) Messages() <-chan Message { return s.out }

// Close unsubscribes everything and closes the Messages channel.
func (s *ClusterSubscription) Close() error {
	s.once.Do(func() {
		close(s.done)
		s.cc.removeShardSub(s)
		s.mu.Lock()
		for _, ns := range s.nodes {
			_ = ns.sub.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
		close(s.out)
	})
	return nil
}

// SSubscribe adds shard channels, returning once they are confirmed.
func (s *ClusterSubscription) SSubscribe(ctx context.Context, shardChannels ...string) error {
	s.mu.Lock()
	for _, ch := range shardChannels {
		s.want[ch] = struct{}{}
	}
	s.publishWant()
	s.mu.Unlock()
	return s.reconcile(ctx, false)
}

// SUnsubscribe drops shard channels.
func (s *ClusterSubscription) SUnsubscribe(shardChannels ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.publishWant()
	for _, ch := range shardChannels {
		delete(s.want, ch)
		if ns := s.where[ch]; ns != nil {
			ns.sub.SUnsubscribe(ch)
			delete(ns.names, ch)
			delete(s.where, ch)
		}
	}
}

// publishWant copies want for shardUnsubscribed; the caller holds mu.
func (s *ClusterSubscription) publishWant() {
	w := maps.Clone(s.want)
	s.wanted.Store(&w)
}

// reconcile subscribes every wanted channel on its slot's primary in the
// current table, moving those on another node; after a move (announce)
// the feed gets one Reconnected event.
func (s *ClusterSubscription) reconcile(ctx context.Context, announce bool) error {
	t, err := s.cc.table(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	moves := map[*actors.Node][]string{}
	for ch := range s.want {
		sh := t.Shard(int(Slot(ch)))
		if sh == nil {
			continue // no owner now: the next table
		}
		if cur := s.where[ch]; cur == nil || cur.node != sh.Primary {
			moves[sh.Primary] = append(moves[sh.Primary], ch)
		}
	}
	moved := false
	var firstErr error
	for n, chans := range moves {
		ns := s.nodes[n]
		if ns == nil {
			select {
			case <-n.Ready():
			case <-ctx.Done():
				return ctx.Err()
			}
			opts := s.opts
			opts.ShardChannels = chans
			sub, err := nodeClient(n).SubscribeWith(ctx, opts)
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			ns = &nodeSub{node: n, sub: sub, names: map[string]struct{}{}}
			s.nodes[n] = ns
			s.wg.Add(1)
			go s.forward(ns)
		} else if err := ns.sub.SSubscribe(ctx, chans...); err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		for _, ch := range chans {
			if old := s.where[ch]; old != nil {
				old.sub.SUnsubscribe(ch)
				delete(old.names, ch)
				moved = true
			}
			s.where[ch] = ns
			ns.names[ch] = struct{}{}
		}
	}
	for n, ns := range s.nodes {
		if len(ns.names) == 0 {
			_ = ns.sub.Close()
			delete(s.nodes, n)
		}
	}
	if moved && announce {
		select {
		case s.out <- Message{Kind: messages.KindReconnected}:
		case <-s.done:
		}
	}
	return firstErr
}

// forward copies one node's messages into the feed until that node's
// subscription ends.
func (s *ClusterSubscription) forward(ns *nodeSub) {
	defer s.wg.Done()
	for m := range ns.sub.Messages() {
		select {
		case s.out <- m:
		case <-s.done:
			for range ns.sub.Messages() {
			}
			return
		}
	}
}

// follow moves channels as the topology changes.
func (s *ClusterSubscription) follow() {
	defer s.wg.Done()
	tick := time.NewTicker(followInterval)
	defer tick.Stop()
	chase := 0 // refreshes still to ask for after a node dropped a channel
	for {
		t := s.cc.cl.Table()
		select {
		case <-s.done:
			return
		case <-s.cc.cl.Closed():
			// The client is closing: its node subscriptions end with it.
			go func() { _ = s.Close() }()
			return
		case <-t.Changed():
		case <-s.wake:
			chase = 10
			s.cc.cl.Refresh()
			continue
		case <-tick.C:
			if chase > 0 {
				chase--
				s.cc.cl.Refresh()
			}
			if s.nodeLost() {
				s.cc.cl.Refresh()
			}
			if !s.misplaced() {
				continue
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), s.cc.cl.Config().Node.PoolTimeout)
		if err := s.reconcile(ctx, true); err == nil && !s.misplaced() {
			chase = 0
		}
		cancel()
	}
}

// nodeLost reports whether a node holding channels has no usable
// connection (it may have failed over).
func (s *ClusterSubscription) nodeLost() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for n := range s.nodes {
		if n.Pool.Usable() == 0 {
			return true
		}
	}
	return false
}

// misplaced reports whether a wanted channel is not on its owner in the
// current table.
func (s *ClusterSubscription) misplaced() bool {
	t := s.cc.cl.Table()
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.want {
		sh := t.Shard(int(Slot(ch)))
		if sh != nil && (s.where[ch] == nil || s.where[ch].node != sh.Primary) {
			return true
		}
	}
	return false
}

// addShardSub and removeShardSub keep the subscriptions that a node's
// SUNSUBSCRIBE wakes.
func (cc *ClusterClient) addShardSub(s *ClusterSubscription) {
	cc.shardMu.Lock()
	defer cc.shardMu.Unlock()
	if cc.shardSubs == nil {
		cc.shardSubs = map[*ClusterSubscription]struct{}{}
	}
	cc.shardSubs[s] = struct{}{}
}

func (cc *ClusterClient) removeShardSub(s *ClusterSubscription) {
	cc.shardMu.Lock()
	defer cc.shardMu.Unlock()
	delete(cc.shardSubs, s)
}

// shardUnsubscribed runs on a subscribed connection's reader goroutine for
// every SUNSUBSCRIBE reply; the subscriptions that still want the channel
// go and look for its new owner.
func (cc *ClusterClient) shardUnsubscribed(channel string) {
	cc.shardMu.Lock()
	defer cc.shardMu.Unlock()
	for s := range cc.shardSubs {
		if _, wanted := (*s.wanted.Load())[channel]; wanted {
			select {
			case s.wake <- struct{}{}:
			default:
			}
		}
	}
}

package actors

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// PubSub is the client's handle on its pubsub actor:
//
//	pool actor (supervisor: restarts it with the connections' backoff)
//	└── pubsub actor (this)      owns the subscribed connection and the table
//	      ├── writer, reader     the reader routes each message to the
//	      │                      subscriptions' queues, never blocking, and
//	      │                      moves them to the consumers' channels once
//	      │                      per read from the socket
//	      └── one delivery goroutine per Subscription, for what does not fit
//	                             in its channel (a consumer behind)
//
// The table (which subscription listens to which channel, pattern and
// shard channel, with reference counts) lives in PubSub, so it survives the
// actor's restarts: a new incarnation dials, resubscribes everything, and
// hands each subscription one Reconnected event.
type PubSub struct {
	pool *Pool
	pid  *actor.PID

	routes atomic.Pointer[routes] // read by the reader goroutine

	// Owned by the pubsub actor.
	subs     map[*Subscription]struct{}
	refs     [3]map[string]int  // per kind: how many subscriptions listen
	onServer [3]map[string]bool // per kind: confirmed on the current connection
	waiting  []*subscribeReq
	lostSubs map[*Subscription]struct{} // to tell Reconnected after the next resubscription
	failures int

	// shardGone, when set, hears of every SUNSUBSCRIBE reply, including
	// the ones a cluster node sends by itself when a shard channel's slot
	// moved away (see Pool.OnShardUnsubscribed).
	shardGone atomic.Pointer[func(channel string)]
}

// The three kinds of subscription, as indexes.
const (
	kindChannel = iota
	kindPattern
	kindShard
)

var (
	subscribeCmd   = [3]string{"SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE"}
	unsubscribeCmd = [3]string{"UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE"}
)

// routes is the immutable routing table the reader reads; names holds
// every subscribed name, for intern, and lengths the lengths among them
// (bit n-1 for n bytes, up to resp.MaxInternLen).
type routes struct {
	byKind  [3]map[string][]*Subscription
	names   map[string]string
	lengths [(resp.MaxInternLen + 63) / 64]uint64
}

// intern lets the reader reuse the strings every message carries (its kind
// and the subscribed channel or pattern) instead of allocating them.
func (ps *PubSub) intern(b []byte) (string, bool) {
	switch string(b) {
	case "message":
		return "message", true
	case "pmessage":
		return "pmessage", true
	case "smessage":
		return "smessage", true
	}
	r := ps.routes.Load()
	if n := len(b) - 1; n < 0 || n >= resp.MaxInternLen || r.lengths[n/64]&(1<<(n%64)) == 0 {
		// No name is that long (a payload, mostly): spare the lookup.
		return "", false
	}
	s, ok := r.names[string(b)]
	return s, ok
}

// Requests to the pubsub actor.
type (
	subscribeReq struct {
		sub   *Subscription
		kind  int
		names []string
		left  map[string]bool // names not yet confirmed
		reply chan error
	}
	unsubscribeReq struct {
		sub   *Subscription
		kind  int
		names []string
	}
	unsubscribeAll struct{ sub *Subscription }
	confirmed      struct {
		kind int
		name string
	}
	pubsubErr struct{ err error }
)

func newPubSub(p *Pool) *PubSub {
	ps := &PubSub{pool: p, subs: map[*Subscription]struct{}{}, lostSubs: map[*Subscription]struct{}{}}
	for k := range ps.refs {
		ps.refs[k] = map[string]int{}
		ps.onServer[k] = map[string]bool{}
	}
	ps.routes.Store(&routes{})
	return ps
}

func (ps *PubSub) send(msg any) { ps.pool.root.Send(ps.pid, msg) }

// NewSubscription opens an empty subscription with the given buffer (the
// messages queued before the policy applies), policy and Block's cap;
// Add subscribes it to names.
func (p *Pool) NewSubscription(buffer int, policy Policy, maxPending int) *Subscription {
	return newSubscription(p.pubsub, buffer, policy, maxPending)
}

// OnShardUnsubscribed sets fn to hear, on the subscribed connection's
// reader goroutine (fn must not block), of every SUNSUBSCRIBE reply: a
// cluster node sends one by itself when the slot of a shard channel moved
// away, and the cluster client then moves the subscription.
func (p *Pool) OnShardUnsubscribed(fn func(channel string)) { p.pubsub.shardGone.Store(&fn) }

// Kinds of names for Subscription.Add and Remove.
const (
	Channels      = kindChannel
	Patterns      = kindPattern
	ShardChannels = kindShard
)

// Add subscribes s to names of the given kind (0 channels, 1 patterns,
// 2 shard channels) and waits for the server's confirmation of each.
func (s *Subscription) Add(ctx context.Context, kind int, names ...string) error {
	if len(names) == 0 {
		return nil
	}
	select {
	case <-s.ps.pool.closed:
		return ErrClosed
	default:
	}
	req := &subscribeReq{sub: s, kind: kind, names: names, reply: make(chan error, 1)}
	s.ps.send(req)
	if ctx == nil {
		ctx = context.Background()
	}
	select {
	case err := <-req.reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-s.ps.pool.closed:
		return ErrClosed
	}
}

// Remove unsubscribes s from names of the given kind; the server is told
// when no other subscription listens to them.
func (s *Subscription) Remove(kind int, names ...string) {
	s.ps.send(&unsubscribeReq{sub: s, kind: kind, names: names})
}

// Close ends the subscription: its names are dropped (unsubscribed on the
// server when no other subscription listens) and its channel is closed
// exactly once. It waits for the delivery goroutine to end.
func (s *Subscription) Close() error {
	s.end(nil)
	s.ps.send(&unsubscribeAll{sub: s})
	<-s.stopped
	return nil
}

// pubsubActor runs the subscribed connection.
type pubsubActor struct {
	ps       *PubSub
	wire     *wire
	dialing  bool
	cancel   context.CancelFunc
	tick     *time.Timer
	seen     atomic.Uint64 // values read on the subscribed connections, counted by their routers
	tickSeen uint64        // seen at the previous tick
	pingAt   time.Time     // when the last unanswered PING was sent
	pingSeen uint64        // seen when that PING was sent
	closed   bool
	redial   bool // recycled while dialing: the dial's result is dropped
}

func (a *pubsubActor) Receive(c actor.Context) {
	ps := a.ps
	switch msg := c.Message().(type) {
	case *actor.Started:
		if a.hasNames() {
			a.dial(c)
		}
	case *subscribeReq:
		a.onSubscribe(c, msg)
	case *unsubscribeReq:
		a.onUnsubscribe(msg.sub, msg.kind, msg.names)
	case *unsubscribeAll:
		n := msg.sub.names
		a.onUnsubscribe(msg.sub, kindChannel, keys(n.channels))
		a.onUnsubscribe(msg.sub, kindPattern, keys(n.patterns))
		a.onUnsubscribe(msg.sub, kindShard, keys(n.shards))
		delete(ps.subs, msg.sub)
		delete(ps.lostSubs, msg.sub)
	case *confirmed:
		a.onConfirmed(msg.kind, msg.name)
	case *pubsubErr:
		// A refused (P|S)SUBSCRIBE: fail the oldest waiting request.
		if len(ps.waiting) > 0 {
			req := ps.waiting[0]
			ps.waiting = ps.waiting[1:]
			req.reply <- msg.err
		}
	case *dialed:
		a.onDialed(c, msg)
	case *wireLost:
		if msg.wire == a.wire {
			a.fail(c, msg.err)
		}
	case ticked:
		a.onTick(c)
	case *recycle:
		a.onRecycle(c)
	case shutDown:
		a.shutDown()
	case *actor.Stopping:
		// Also reached while suspended (failed, awaiting its restart), when
		// the shutDown message never gets processed.
		a.shutDown()
	case *actor.Restarting:
		a.cleanup()
	}
}

// shutDown ends the pubsub side for good: the client is closing.
func (a *pubsubActor) shutDown() {
	ps := a.ps
	a.closed = true
	a.cleanup()
	for s := range ps.subs {
		s.end(ErrClosed)
	}
	for _, req := range ps.waiting {
		req.reply <- ErrClosed
	}
	ps.waiting = nil
}

func keys(m map[string]struct{}) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func (a *pubsubActor) hasNames() bool {
	for k := range a.ps.refs {
		if len(a.ps.refs[k]) > 0 {
			return true
		}
	}
	return false
}

func (a *pubsubActor) onSubscribe(c actor.Context, req *subscribeReq) {
	ps := a.ps
	if a.closed {
		req.reply <- ErrClosed
		return
	}
	if req.sub.isClosed() {
		req.reply <- ErrClosed
		return
	}
	ps.subs[req.sub] = struct{}{}
	set := req.sub.nameSet(req.kind)
	req.left = map[string]bool{}
	var toServer []string
	for _, n := range req.names {
		if _, dup := set[n]; !dup {
			set[n] = struct{}{}
			ps.refs[req.kind][n]++
			if ps.refs[req.kind][n] == 1 {
				toServer = append(toServer, n)
			}
		}
		if !ps.onServer[req.kind][n] {
			req.left[n] = true
		}
	}
	a.publishRoutes()
	if len(req.left) == 0 {
		req.reply <- nil
		return
	}
	ps.waiting = append(ps.waiting, req)
	switch {
	case a.wire != nil:
		a.write(req.kind, subscribeCmd[req.kind], toServer)
	case !a.dialing:
		a.dial(c)
	}
}

func (s *Subscription) nameSet(kind int) map[string]struct{} {
	switch kind {
	case kindPattern:
		return s.names.patterns
	case kindShard:
		return s.names.shards
	}
	return s.names.channels
}

func (a *pubsubActor) onUnsubscribe(sub *Subscription, kind int, names []string) {
	ps := a.ps
	set := sub.nameSet(kind)
	var toServer []string
	for _, n := range names {
		if _, ok := set[n]; !ok {
			continue
		}
		delete(set, n)
		ps.refs[kind][n]--
		if ps.refs[kind][n] <= 0 {
			delete(ps.refs[kind], n)
			delete(ps.onServer[kind], n)
			toServer = append(toServer, n)
		}
	}
	a.publishRoutes()
	if a.wire != nil && len(toServer) > 0 {
		a.write(kind, unsubscribeCmd[kind], toServer)
	}
}

// publishRoutes rebuilds the reader's routing table from the
// subscriptions' names.
func (a *pubsubActor) publishRoutes() {
	r := &routes{names: map[string]string{}}
	for k := range r.byKind {
		r.byKind[k] = map[string][]*Subscription{}
	}
	for s := range a.ps.subs {
		for k := range r.byKind {
			for n := range s.nameSet(k) {
				r.byKind[k][n] = append(r.byKind[k][n], s)
				r.names[n] = n
				if l := len(n) - 1; l >= 0 && l < resp.MaxInternLen {
					r.lengths[l/64] |= 1 << (l % 64)
				}
			}
		}
	}
	a.ps.routes.Store(r)
}

// write sends one (un)subscribe command per name for shard channels (they
// may live in different slots) and one for all names otherwise.
func (a *pubsubActor) write(kind int, cmd string, names []string) {
	if len(names) == 0 {
		return
	}
	groups := [][]string{names}
	if kind == kindShard {
		groups = groups[:0]
		for _, n := range names {
			groups = append(groups, []string{n})
		}
	}
	for _, g := range groups {
		b := resp.AppendArrayHeader(nil, len(g)+1)
		b = resp.AppendBulkString(b, cmd)
		for _, n := range g {
			b = resp.AppendBulkString(b, n)
		}
		a.wire.enqueue(&messages.Command{Name: cmd, Args: b, Flags: messages.NoReply})
	}
	a.wire.flush()
}

func (a *pubsubActor) onConfirmed(kind int, name string) {
	ps := a.ps
	if ps.refs[kind][name] > 0 {
		ps.onServer[kind][name] = true
	}
	kept := ps.waiting[:0]
	for _, req := range ps.waiting {
		if req.kind == kind {
			delete(req.left, name)
		}
		if len(req.left) == 0 {
			req.reply <- nil
			continue
		}
		kept = append(kept, req)
	}
	ps.waiting = kept
	if len(ps.lostSubs) > 0 && a.allConfirmed() {
		for s := range ps.lostSubs {
			if s.reconnectPending.CompareAndSwap(true, false) {
				s.event(messages.Message{Kind: messages.KindReconnected})
			}
		}
		clear(ps.lostSubs)
		ps.pool.events.emit(Event{Kind: EventResubscribed, Addr: ps.pool.cfg.Addr, Slot: -1})
	}
}

func (a *pubsubActor) allConfirmed() bool {
	for k := range a.ps.refs {
		for n := range a.ps.refs[k] {
			if !a.ps.onServer[k][n] {
				return false
			}
		}
	}
	return true
}

func (a *pubsubActor) dial(c actor.Context) {
	a.dialing = true
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	self, root, cfg := c.Self(), c.ActorSystem().Root, &a.ps.pool.cfg
	a.ps.pool.goTracked(func() {
		w, _, err := dialWire(ctx, cfg, false)
		root.Send(self, &dialed{wire: w, err: err})
	})
}

func (a *pubsubActor) onDialed(c actor.Context, msg *dialed) {
	if !a.dialing && !a.closed {
		// The result of a dial this incarnation did not start (a failed
		// one's, cancelled): never a second subscribed connection.
		if msg.wire != nil {
			msg.wire.close(ErrConnClosed, nil)
		}
		return
	}
	a.dialing, a.cancel = false, nil
	if a.redial && !a.closed {
		a.redial = false
		if msg.wire != nil {
			msg.wire.close(ErrConnClosed, nil)
		}
		a.dial(c)
		return
	}
	if a.closed {
		if msg.wire != nil {
			msg.wire.close(ErrClosed, nil)
		}
		return
	}
	if msg.err != nil {
		a.fail(c, msg.err)
		return
	}
	w := msg.wire
	self, root := c.Self(), c.ActorSystem().Root
	w.onLost = func(w *wire, err error) { root.Send(self, &wireLost{wire: w, err: err}) }
	w.streaming, w.blocking = true, 1 // every value goes to the router; no read deadline
	rt := newRouter(a.ps, &a.seen)
	w.onPush = func(v resp.Value) { a.route(root, self, rt, v) }
	w.recyclePush = true // route copies strings out, never Elems
	w.rd.Intern = a.ps.intern
	w.rd.BeforeRead = rt.flush
	a.tickSeen, a.pingAt = a.seen.Load(), time.Time{}
	for s := range a.ps.lostSubs {
		s.reconnectPending.Store(true)
	}
	w.start(a.ps.pool)
	a.wire = w
	for k := range a.ps.refs {
		clear(a.ps.onServer[k])
		a.write(k, subscribeCmd[k], mapKeys(a.ps.refs[k]))
	}
	c.Send(c.Parent(), &pubsubUp{})
	a.scheduleTick(c)
}

func mapKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// route runs on the reader goroutine: messages go straight to the
// subscriptions' queues (rt hands them on before the reader next waits
// for the network); confirmations and errors go to the actor.
func (a *pubsubActor) route(root *actor.RootContext, self *actor.PID, rt *router, v resp.Value) {
	rt.values++
	if v.IsError() {
		root.Send(self, &pubsubErr{err: v.Err()})
		return
	}
	if v.Kind != resp.KindArray && v.Kind != resp.KindPush || len(v.Elems) < 2 {
		return // +PONG under RESP3, or other replies
	}
	kind, _ := v.Elems[0].AsString()
	r := a.ps.routes.Load()
	switch kind {
	case "message", "smessage":
		if len(v.Elems) < 3 {
			return
		}
		ch, _ := v.Elems[1].AsString()
		payload, _ := v.Elems[2].AsString()
		k, mk := kindChannel, messages.KindMessage
		if kind == "smessage" {
			k, mk = kindShard, messages.KindSMessage
		}
		rt.add(r.byKind[k][ch], messages.Message{Kind: mk, Channel: ch, Payload: payload})
	case "pmessage":
		if len(v.Elems) < 4 {
			return
		}
		pat, _ := v.Elems[1].AsString()
		ch, _ := v.Elems[2].AsString()
		payload, _ := v.Elems[3].AsString()
		rt.add(r.byKind[kindPattern][pat], messages.Message{Kind: messages.KindPMessage, Channel: ch, Pattern: pat, Payload: payload})
	case "subscribe", "psubscribe", "ssubscribe":
		name, _ := v.Elems[1].AsString()
		k := kindChannel
		if kind == "psubscribe" {
			k = kindPattern
		} else if kind == "ssubscribe" {
			k = kindShard
		}
		root.Send(self, &confirmed{kind: k, name: name})
	case "sunsubscribe":
		if f := a.ps.shardGone.Load(); f != nil {
			name, _ := v.Elems[1].AsString()
			(*f)(name)
		}
	}
}

// fail ends this incarnation: every subscription will get a Reconnected
// event once the next connection has renewed them.
func (a *pubsubActor) fail(c actor.Context, err error) {
	for s := range a.ps.subs {
		a.ps.lostSubs[s] = struct{}{}
	}
	a.cleanup()
	c.Send(c.Parent(), &pubsubDown{err: err})
	panic(&connFailure{err: err})
}

func (a *pubsubActor) cleanup() {
	if a.cancel != nil {
		a.cancel()
		a.cancel = nil
	}
	if a.tick != nil {
		a.tick.Stop()
		a.tick = nil
	}
	if a.wire != nil {
		a.wire.close(ErrConnClosed, nil)
		a.wire = nil
	}
	for k := range a.ps.onServer {
		clear(a.ps.onServer[k])
	}
}

func (a *pubsubActor) scheduleTick(c actor.Context) {
	self, root := c.Self(), c.ActorSystem().Root
	every := a.pingEvery()
	a.tick = time.AfterFunc(every, func() { root.Send(self, ticked{}) })
}

func (a *pubsubActor) pingEvery() time.Duration {
	cfg := &a.ps.pool.cfg
	return min(cfg.PubSubPingInterval, cfg.ReadTimeout)
}

// onTick checks the subscribed connection: a PING when it has been quiet,
// and a failure when the PING got no answer within ReadTimeout.
func (a *pubsubActor) onTick(c actor.Context) {
	if a.tick == nil || a.wire == nil {
		return
	}
	// Ticks come pingEvery apart: nothing read since the previous one is
	// a connection quiet for that long.
	now, seen := time.Now(), a.seen.Load()
	quiet := seen == a.tickSeen
	a.tickSeen = seen
	switch {
	case a.pingAt.IsZero():
	case seen == a.pingSeen && now.Sub(a.pingAt) >= a.ps.pool.cfg.ReadTimeout:
		a.fail(c, &resp.ProtocolError{Reason: "subscribed connection did not answer PING within ReadTimeout"})
		return
	case seen != a.pingSeen:
		a.pingAt = time.Time{}
	}
	if a.pingAt.IsZero() && quiet {
		a.pingAt, a.pingSeen = now, seen
		a.wire.enqueue(&messages.Command{Name: "PING", Args: pingArgs, Flags: messages.NoReply})
		a.wire.flush()
	}
	a.scheduleTick(c)
}

// onRecycle renews the subscribed connection (the primary moved): every
// subscription is subscribed again on a new connection and gets a
// Reconnected event, as after a lost connection but without a backoff.
func (a *pubsubActor) onRecycle(c actor.Context) {
	switch {
	case a.closed:
	case a.dialing:
		if a.cancel != nil {
			a.cancel()
		}
		a.redial = true
	case a.wire != nil:
		for s := range a.ps.subs {
			a.ps.lostSubs[s] = struct{}{}
		}
		a.cleanup()
		if a.hasNames() {
			a.dial(c)
		}
	}
}

// Events of the pubsub actor for the pool.
type (
	pubsubUp   struct{}
	pubsubDown struct{ err error }
)

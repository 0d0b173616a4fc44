package actors

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

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
	self, root, pool := c.Self(), c.ActorSystem().Root, a.ps.pool
	pool.goTracked(func() {
		w, err := pool.dial(ctx, false)
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
	rt := newRouter(a.ps, &a.seen, root, self)
	w.onPush = rt.route
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

package actors

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// recycle asks the pool actor, and from it every child, to reconnect.
type recycle struct{ cause error }

// adopt makes props a child of the pool actor (the sentinel watcher): it
// is told shutDown when the pool closes and stopped with the pool.
type adopt struct {
	props *actor.Props
	reply chan *actor.PID
}

// poolActor supervises the connection actors and publishes the snapshot.
// It implements actor.SupervisorStrategy itself, so its restart decisions
// see its own state (consecutive failures per connection).
type poolActor struct {
	pool     *Pool
	slots    []*connSlot
	failures map[*connSlot]int // consecutive failures, reset on connUp
	restarts map[*connSlot][]time.Time
	dialAt   map[*connSlot]time.Time   // when a connection backing off restarts
	restart  map[*connSlot]*time.Timer // ... and the timer that restarts it
	snap     *snapshot
	ready    chan struct{}
	closing  bool

	pubsubRestart *time.Timer // restarts the pubsub actor after its backoff
}

type closing struct{ done chan struct{} }

type leaseRequest struct {
	lease *dedicated
	reply chan *connSlot
}

func (pa *poolActor) Receive(c actor.Context) {
	switch msg := c.Message().(type) {
	case *actor.Started:
		for _, s := range pa.slots {
			s.pid = c.Spawn(pa.connProps(s))
		}
		ps := pa.pool.pubsub
		ps.pid = c.Spawn(actor.PropsFromProducer(func() actor.Actor { return &pubsubActor{ps: ps} }))
		pa.publish(func(n *snapshot) {
			for i, s := range pa.slots {
				n.pids[i] = s.pid
				n.usable[i] = i >= pa.pool.cfg.MinIdle // parked: dials on demand
			}
		})
		close(pa.ready)
	case *connUp:
		delete(pa.failures, msg.slot)
		delete(pa.dialAt, msg.slot)
		delete(pa.restart, msg.slot)
		// The server answers again: connections backing off need not wait
		// out their delay (up to the backoff's cap) any more.
		for s, t := range pa.restart {
			pa.pool.fireNow(t)
			delete(pa.restart, s)
		}
		if msg.slot.index >= 0 {
			pa.publish(func(n *snapshot) { n.usable[msg.slot.index] = true })
			pa.pool.events.emit(Event{Kind: EventConnUp, Addr: pa.pool.cfg.Addr, Slot: msg.slot.index})
		}
	case *connDown:
		pa.failures[msg.slot]++
		if msg.slot.index >= 0 {
			pa.publish(func(n *snapshot) {
				n.usable[msg.slot.index] = false
				n.lastErr = msg.err
			})
		}
	case *pubsubUp:
		pa.pool.pubsub.failures = 0
	case *pubsubDown:
		pa.pool.pubsub.failures++
		pa.pool.events.emit(Event{Kind: EventPubSubDown, Addr: pa.pool.cfg.Addr, Slot: -1, Err: msg.err})
	case *leaseRequest:
		if pa.closing {
			msg.reply <- nil
			return
		}
		s := &connSlot{index: -1, lease: msg.lease}
		msg.lease.slot = s
		s.pid = c.Spawn(pa.connProps(s))
		msg.reply <- s
	case *closing:
		pa.closing = true
		pa.publish(func(n *snapshot) { n.closed = true })
		for _, pid := range c.Children() {
			c.Send(pid, shutDown{})
		}
		close(msg.done)
	case *recycle:
		for _, pid := range c.Children() {
			c.Send(pid, msg)
		}
		// Restarts waiting out a backoff run now: the new server is up.
		for s, t := range pa.restart {
			pa.pool.fireNow(t)
			delete(pa.restart, s)
		}
		if pa.pubsubRestart != nil {
			pa.pool.fireNow(pa.pubsubRestart)
			pa.pubsubRestart = nil
		}
	case *adopt:
		msg.reply <- c.Spawn(msg.props)
	case *actor.Terminated:
		// a dedicated connection was stopped after its lease ended
	}
}

func (pa *poolActor) connProps(s *connSlot) *actor.Props {
	return actor.PropsFromProducer(
		func() actor.Actor { return &connActor{pool: pa.pool, slot: s} },
		actor.WithMailbox(func() actor.Mailbox {
			m := newMailbox(flushOnEmpty(&s.current))().(*mailbox)
			s.mailbox = m
			return m
		}),
	)
}

// publish copies the current snapshot, applies edit, recounts and makes the
// copy current, waking everybody who waited on the old one.
func (pa *poolActor) publish(edit func(*snapshot)) {
	old := pa.snap
	n := &snapshot{
		pids:    append([]*actor.PID(nil), old.pids...),
		usable:  append([]bool(nil), old.usable...),
		closed:  old.closed,
		lastErr: old.lastErr,
		changed: make(chan struct{}),
	}
	var nextDial time.Time
	edit(n)
	n.nUsable = 0
	for _, u := range n.usable {
		if u {
			n.nUsable++
		}
	}
	n.dialing, n.backoff = 0, 0
	for i, s := range pa.slots {
		if !n.usable[i] {
			if pa.failures[s] > 0 {
				n.backoff++
				if at, ok := pa.dialAt[s]; ok && (nextDial.IsZero() || at.Before(nextDial)) {
					nextDial = at
				}
			} else {
				n.dialing++
			}
		}
	}
	n.nextDial = nextDial
	pa.snap = n
	pa.pool.snap.Store(n)
	close(old.changed)
}

// HandleFailure is the pool's supervisor strategy: a failed multiplexed
// connection restarts after the backoff for its number of consecutive
// failures (exponential with full jitter, capped); past RestartBudget
// restarts within RestartWindow it waits until the window frees one. A
// failed dedicated connection is stopped: its lease is broken.
func (pa *poolActor) HandleFailure(_ *actor.ActorSystem, sup actor.Supervisor, child *actor.PID, _ *actor.RestartStatistics, reason any, _ any) {
	var slot *connSlot
	for _, s := range pa.slots {
		if s.pid.Equal(child) {
			slot = s
			break
		}
	}
	cfg := &pa.pool.cfg
	if ps := pa.pool.pubsub; !pa.closing && ps.pid.Equal(child) {
		// This failure's pubsubDown (or connDown) comes after it: system
		// messages go first, so the count so far misses this one.
		delay := cfg.Backoff.Next(ps.failures + 1)
		pa.pool.stats.restarts.Add(1)
		pa.pool.events.emit(Event{Kind: EventRestart, Addr: cfg.Addr, Slot: -1, Delay: delay, Err: failureCause(reason)})
		pa.pubsubRestart = pa.pool.afterFuncOr(delay, func() { sup.RestartChildren(child) }, nil)
		return
	}
	if slot == nil || pa.closing {
		sup.StopChildren(child)
		return
	}
	attempt := pa.failures[slot] + 1 // this failure's connDown is still queued
	delay := cfg.Backoff.Next(attempt)
	if pa.restarts == nil {
		pa.restarts = map[*connSlot][]time.Time{}
	}
	now := time.Now()
	recent := pa.restarts[slot][:0]
	for _, t := range pa.restarts[slot] {
		if now.Sub(t) < cfg.RestartWindow {
			recent = append(recent, t)
		}
	}
	if len(recent) >= cfg.RestartBudget {
		if wait := cfg.RestartWindow - now.Sub(recent[0]); wait > delay {
			delay = wait
		}
	}
	pa.restarts[slot] = append(recent, now.Add(delay))
	pa.pool.stats.restarts.Add(1)
	if slot.index >= 0 {
		pa.dialAt[slot] = now.Add(delay)
		pa.publish(func(*snapshot) {})
	}
	// The failure reaches the supervisor before the connDown message the
	// actor sent first (system messages go first), so both events are
	// told here, in the order they happened.
	cause := failureCause(reason)
	pa.pool.events.emit(Event{Kind: EventConnDown, Addr: cfg.Addr, Slot: slot.index, Err: cause})
	pa.pool.events.emit(Event{Kind: EventRestart, Addr: cfg.Addr, Slot: slot.index, Delay: delay, Err: cause})
	t := pa.pool.afterFuncOr(delay, func() { sup.RestartChildren(child) }, nil)
	if t != nil {
		if pa.restart == nil {
			pa.restart = map[*connSlot]*time.Timer{}
		}
		pa.restart[slot] = t
	}
}

// failureCause returns the error behind a supervised actor's failure.
func failureCause(reason any) error {
	switch r := reason.(type) {
	case *connFailure:
		return r.err
	case error:
		return r
	}
	return nil
}

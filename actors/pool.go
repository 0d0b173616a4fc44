package actors

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actoredis/actoredis/messages"
)

// Pool is the client's handle on its actor tree:
//
//	actor system (silent logger unless the user gives one)
//	└── pool actor (supervisor of every connection, publisher of the snapshot)
//	      ├── connection actor × PoolSize   multiplexed, chosen by hash slot
//	      └── connection actor × n          dedicated, leased one at a time
//
// Send is the hot path: it reads the published snapshot without a lock and
// hands the command straight to a connection actor; the pool actor is not
// on the per-command path. Pool is safe for concurrent use.
type Pool struct {
	cfg     Config
	system  *actor.ActorSystem
	root    *actor.RootContext
	pid     *actor.PID
	snap    atomic.Pointer[snapshot]
	pubsub  *PubSub
	wg      sync.WaitGroup  // reader, writer, dial and delivery goroutines
	goMu    sync.Mutex      // orders goroutine starts before Close's wait
	noGo    bool            // set by Close: no goroutine may start any more
	closed  <-chan struct{} // closing.done()
	closing *closeSignal
	// ownsSystem: the pool made its actor system (Start) and shuts it
	// down on Close; a node pool of a cluster (startChild) does not.
	ownsSystem bool

	leaseSem chan struct{} // one token per dedicated connection in use
	idleMu   sync.Mutex
	idle     []*connSlot // released dedicated connections, ready to lease again

	timersMu sync.Mutex
	timers   map[*time.Timer]func() // pending restarts and retries; Close stops them and runs the func

	slots  []*connSlot // the multiplexed connections, by index
	retry  *retrier
	events *events
	stats  counters
}

// counters are the pool's running totals, reported by Stats.
type counters struct {
	restarts  atomic.Uint64
	timeouts  atomic.Uint64
	retries   atomic.Uint64
	queueFull atomic.Uint64
}

// snapshot is the immutable view of the multiplexed connections that Send
// reads. A new one is published whenever a connection comes up or goes down;
// changed is closed then, so waiters can look again.
type snapshot struct {
	pids    []*actor.PID
	usable  []bool
	nUsable int
	closed  bool
	dialing int
	backoff int
	lastErr error
	// nextDial is when the first connection backing off dials again.
	nextDial time.Time
	changed  chan struct{}
}

// pick returns the index of the connection for a hash slot, or -1 while
// that connection is not usable. A key always travels on its own
// connection, never on a stand-in: a command sent to a stand-in could
// overtake one still queued on the key's connection. A keyless command
// (slot < 0) takes any usable connection, starting at a random one.
func (s *snapshot) pick(slot int) int {
	n := len(s.pids)
	if slot >= 0 {
		if i := slot % n; s.usable[i] {
			return i
		}
		return -1
	}
	if s.nUsable == 0 {
		return -1
	}
	start := int(fastrand() % uint32(n))
	for k := 0; k < n; k++ {
		if j := (start + k) % n; s.usable[j] {
			return j
		}
	}
	return -1
}

// Start builds the actor system, the pool actor and its connection actors.
// It does not wait for connections: commands wait up to PoolTimeout for the
// first usable one.
func Start(cfg Config) *Pool {
	cfg = cfg.withDefaults()
	system := newSystem(cfg.Logger)
	p, props, ready := newPool(cfg, system)
	p.ownsSystem = true
	watchDeadLetters(system, p.closed)
	p.pid = system.Root.Spawn(props)
	<-ready
	return p
}

// startChild starts a pool whose actor is a child of parent, in parent's
// actor system (the cluster actor's node pools). It does not wait for the
// pool actor to start: until it has published its connections, commands
// wait as they do for a connection; subscriptions must wait for ready to
// be closed. Close leaves the system running.
func startChild(parent actor.Context, cfg Config) (*Pool, <-chan struct{}) {
	if cfg.Retry.Transient == nil {
		// TRYAGAIN and CLUSTERDOWN are the cluster client's to handle (it
		// refreshes its slot table and may go to another node).
		cfg.Retry.Transient = []string{"LOADING", "BUSY", "MASTERDOWN"}
	}
	cfg = cfg.withDefaults()
	p, props, ready := newPool(cfg, parent.ActorSystem())
	p.pid = parent.Spawn(props)
	return p, ready
}

func newSystem(logger *slog.Logger) *actor.ActorSystem {
	return actor.NewActorSystem(
		actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return logger }),
		actor.WithDeadLetterThrottleInterval(10*time.Millisecond),
	)
}

// watchDeadLetters makes a message that reaches a stopped actor still
// complete its promise: ErrClosed once closed is, else a ConnError (not
// sent).
func watchDeadLetters(system *actor.ActorSystem, closed <-chan struct{}) {
	system.EventStream.Subscribe(func(evt any) {
		if dl, ok := evt.(*actor.DeadLetterEvent); ok {
			switch m := dl.Message.(type) {
			case *messages.Command, *messages.Batch:
				select {
				case <-closed:
					failMessage(asCommand(m), asBatch(m), ErrClosed)
				default:
					rejectMessage(m)
				}
			case *dialed:
				if m.wire != nil {
					_ = m.wire.conn.Close()
				}
			}
		}
	})
}

func newPool(cfg Config, system *actor.ActorSystem) (*Pool, *actor.Props, chan struct{}) {
	closing := newCloseSignal()
	p := &Pool{
		cfg:      cfg,
		system:   system,
		root:     system.Root,
		closed:   closing.done(),
		closing:  closing,
		leaseSem: make(chan struct{}, cfg.MaxDedicated),
		timers:   make(map[*time.Timer]func()),
	}
	p.retry = &retrier{pool: p, policy: cfg.Retry}
	p.events = newEvents(p)
	slots := make([]*connSlot, cfg.PoolSize)
	for i := range slots {
		slots[i] = &connSlot{index: i}
	}
	p.slots = slots
	initial := &snapshot{
		pids:    make([]*actor.PID, cfg.PoolSize),
		usable:  make([]bool, cfg.PoolSize),
		dialing: cfg.PoolSize,
		changed: make(chan struct{}),
	}
	p.pubsub = newPubSub(p)
	pa := &poolActor{pool: p, slots: slots, failures: map[*connSlot]int{}, dialAt: map[*connSlot]time.Time{}, snap: initial}
	ready := make(chan struct{})
	props := actor.PropsFromProducer(func() actor.Actor { return pa },
		actor.WithOnInit(func(actor.Context) {}))
	pa.ready = ready
	p.snap.Store(initial)
	return p, props, ready
}

func asCommand(m any) *messages.Command { c, _ := m.(*messages.Command); return c }
func asBatch(m any) *messages.Batch     { b, _ := m.(*messages.Batch); return b }

// Config returns the pool's configuration with defaults applied.
func (p *Pool) Config() Config { return p.cfg }

// Send hands cmd to the connection of hash slot slot (any connection for a
// negative slot). While no connection is usable it waits up to PoolTimeout,
// or until ctx is done, and then fails cmd. It never blocks once a
// connection is usable; a connection that already holds MaxPending
// commands fails cmd at once with ErrQueueFull. The deadline of ctx goes
// with cmd: it is never retried past it.
func (p *Pool) Send(ctx context.Context, cmd *messages.Command, slot int) {
	if ctx != nil {
		if dl, ok := ctx.Deadline(); ok {
			cmd.Deadline = dl.UnixNano()
		}
	}
	if pid, err := p.route(ctx, slot); err == nil {
		p.root.Send(pid, cmd)
	} else {
		cmd.Fail(err)
	}
}

// SendBatch hands every command of b, in order and with nothing between
// them, to one connection (admitted as one message).
func (p *Pool) SendBatch(ctx context.Context, b *messages.Batch, slot int) {
	if ctx != nil && len(b.Commands) > 0 {
		if dl, ok := ctx.Deadline(); ok {
			b.Commands[0].Deadline = dl.UnixNano()
		}
	}
	if pid, err := p.route(ctx, slot); err == nil {
		p.root.Send(pid, b)
	} else {
		failMessage(nil, b, err)
	}
}

// route returns the PID for slot, waiting for a usable connection when
// there is none, or why there is none to be had.
func (p *Pool) route(ctx context.Context, slot int) (*actor.PID, error) {
	s := p.snap.Load()
	i := -1
	if !s.closed {
		i = s.pick(slot)
	}
	if i < 0 {
		if s, i = p.waitRoute(ctx, slot); i < 0 {
			return nil, p.routeErr(ctx)
		}
	}
	if p.slots[i].pending() >= int64(p.cfg.MaxPending) {
		p.stats.queueFull.Add(1)
		return nil, ErrQueueFull
	}
	return s.pids[i], nil
}

func (p *Pool) waitRoute(ctx context.Context, slot int) (*snapshot, int) {
	deadline := time.NewTimer(p.cfg.PoolTimeout)
	defer deadline.Stop()
	var done <-chan struct{}
	if ctx != nil {
		done = ctx.Done()
	}
	for {
		s := p.snap.Load()
		if s.closed {
			return s, -1
		}
		if i := s.pick(slot); i >= 0 {
			return s, i
		}
		select {
		case <-s.changed:
		case <-deadline.C:
			return s, -1
		case <-done:
			return s, -1
		case <-p.closed:
			return s, -1
		}
	}
}

func (p *Pool) routeErr(ctx context.Context) error {
	s := p.snap.Load()
	if s.closed {
		return ErrClosed
	}
	if ctx != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	p.stats.timeouts.Add(1)
	return &PoolTimeoutError{Waited: p.cfg.PoolTimeout, Dialing: s.dialing, BackingOff: s.backoff, NextDial: s.nextDial, LastDialErr: s.lastErr}
}

// goTracked runs f on a new goroutine counted in wg, unless Close is
// already waiting for them (then it reports false and runs nothing): a
// restart or a dial racing with Close never adds to a WaitGroup that is
// being waited on.
func (p *Pool) goTracked(f func()) bool {
	p.goMu.Lock()
	if p.noGo {
		p.goMu.Unlock()
		return false
	}
	p.wg.Add(1)
	p.goMu.Unlock()
	go func() {
		defer p.wg.Done()
		f()
	}()
	return true
}

// Closed returns a channel closed once Close has begun.
func (p *Pool) Closed() <-chan struct{} { return p.closed }

// ClosedSpread is Closed for a caller that parks on it while waiting for
// a reply: one of several channels closed together with Closed's, so that
// thousands of waiting goroutines do not queue on one channel's lock.
func (p *Pool) ClosedSpread() <-chan struct{} { return p.closing.spread() }

// Close stops every actor, fails whatever is still pending with ErrClosed,
// and waits for every goroutine the pool started. Later calls return
// ErrClosed.
func (p *Pool) Close() error {
	if !p.closing.fire() {
		return ErrClosed
	}
	done := make(chan struct{})
	p.root.Send(p.pid, &closing{done: done})
	<-done
	_ = p.root.StopFuture(p.pid).Wait()
	p.timersMu.Lock()
	var stopped []func()
	for t, onStop := range p.timers {
		if t.Stop() && onStop != nil {
			stopped = append(stopped, onStop)
		}
	}
	p.timers = nil
	p.timersMu.Unlock()
	for _, onStop := range stopped {
		onStop()
	}
	p.goMu.Lock()
	p.noGo = true
	p.goMu.Unlock()
	p.wg.Wait()
	if p.ownsSystem {
		p.system.Shutdown()
	}
	return nil
}

// afterFunc runs f after d, unless Close comes first.
func (p *Pool) afterFunc(d time.Duration, f func()) { _ = p.afterFuncOr(d, f, nil) }

// afterFuncOr runs f after d, unless Close comes first: then it runs
// onStop (if set) instead.
func (p *Pool) afterFuncOr(d time.Duration, f, onStop func()) *time.Timer {
	p.timersMu.Lock()
	if p.timers == nil { // closed
		p.timersMu.Unlock()
		if onStop != nil {
			onStop()
		}
		return nil
	}
	defer p.timersMu.Unlock()
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		p.timersMu.Lock()
		if p.timers == nil {
			p.timersMu.Unlock()
			return
		}
		delete(p.timers, t)
		p.timersMu.Unlock()
		f()
	})
	p.timers[t] = onStop
	return t
}

// fireNow runs the pending f of a timer from afterFuncOr at once; the Stop
// first keeps a timer that is firing now from firing twice.
func (p *Pool) fireNow(t *time.Timer) {
	p.timersMu.Lock()
	defer p.timersMu.Unlock()
	if _, pending := p.timers[t]; pending && t.Stop() {
		t.Reset(0)
	}
}

// Recycle closes every connection of the pool so that each dials again,
// through Config.Resolve: multiplexed connections redial at once (commands
// they carried go out again on the new connection when the retry policy
// allows, else fail with a *ConnError wrapping cause; new ones wait for the
// new connection), connections waiting for a restart restart now, the
// subscribed connection renews every subscription on a new one (each
// subscription gets a Reconnected event), and dedicated connections break
// (their lessees get ErrLeaseBroken). Used when a Sentinel failover moves
// the primary.
func (p *Pool) Recycle(cause error) {
	select {
	case <-p.closed:
		return
	default:
	}
	p.root.Send(p.pid, &recycle{cause: cause})
}

// recycle asks the pool actor, and from it every child, to reconnect.
type recycle struct{ cause error }

// adopt makes props a child of the pool actor (the sentinel watcher): it
// is told shutDown when the pool closes and stopped with the pool.
type adopt struct {
	props *actor.Props
	reply chan *actor.PID
}

// Stats is a snapshot of the pool: its multiplexed connections by state,
// the commands they carry, and running totals since the pool started.
type Stats struct {
	Connections int // multiplexed connections configured
	Usable      int // ready or parked (dial on demand)
	Connected   int // with an open socket
	Dialing     int
	BackingOff  int // failed, waiting for their restart delay
	Leased      int // dedicated connections in use

	InFlight int // commands written or being written, awaiting replies
	Queued   int // commands in mailboxes, or held while a connection dials

	Restarts      uint64 // connection and pubsub actor restarts
	Timeouts      uint64 // commands failed with ErrPoolTimeout
	Retries       uint64 // commands sent again (RetryPolicy)
	QueueFull     uint64 // commands refused with ErrQueueFull
	EventsDropped uint64 // events OnEvent was too slow to take
}

// Stats returns the current state of the pool.
func (p *Pool) Stats() Stats {
	s := p.snap.Load()
	st := Stats{
		Connections: len(s.pids), Usable: s.nUsable, Dialing: s.dialing, BackingOff: s.backoff, Leased: len(p.leaseSem),
		Restarts: p.stats.restarts.Load(), Timeouts: p.stats.timeouts.Load(), Retries: p.stats.retries.Load(),
		QueueFull: p.stats.queueFull.Load(), EventsDropped: p.events.dropped.Load(),
	}
	for i, sl := range p.slots {
		if s.pids[i] == nil {
			continue // not spawned yet (a pool started as a child)
		}
		if sl.current.Load() != nil {
			st.Connected++
		}
		st.InFlight += int(sl.inflight.Load())
		st.Queued += int(sl.pending() - sl.inflight.Load())
	}
	return st
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

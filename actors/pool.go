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
	cfg    Config
	system *actor.ActorSystem
	root   *actor.RootContext
	pid    *actor.PID
	snap   atomic.Pointer[snapshot]
	pubsub *PubSub
	wg     sync.WaitGroup // reader, writer, dial and delivery goroutines
	goMu   sync.Mutex     // orders goroutine starts before Close's wait
	noGo   bool           // set by Close: no goroutine may start any more
	closed chan struct{}
	// ownsSystem: the pool made its actor system (Start) and shuts it
	// down on Close; a node pool of a cluster (startChild) does not.
	ownsSystem bool

	leaseSem chan struct{} // one token per dedicated connection in use
	idleMu   sync.Mutex
	idle     []*connSlot // released dedicated connections, ready to lease again

	timersMu sync.Mutex
	timers   map[*time.Timer]struct{} // pending restarts, stopped by Close
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
	changed chan struct{}
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
// wait as they do for a connection. Close leaves the system running.
func startChild(parent actor.Context, cfg Config) *Pool {
	cfg = cfg.withDefaults()
	p, props, _ := newPool(cfg, parent.ActorSystem())
	p.pid = parent.Spawn(props)
	return p
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
	p := &Pool{
		cfg:      cfg,
		system:   system,
		root:     system.Root,
		closed:   make(chan struct{}),
		leaseSem: make(chan struct{}, cfg.MaxDedicated),
		timers:   make(map[*time.Timer]struct{}),
	}
	slots := make([]*connSlot, cfg.PoolSize)
	for i := range slots {
		slots[i] = &connSlot{index: i}
	}
	initial := &snapshot{
		pids:    make([]*actor.PID, cfg.PoolSize),
		usable:  make([]bool, cfg.PoolSize),
		dialing: cfg.PoolSize,
		changed: make(chan struct{}),
	}
	p.pubsub = newPubSub(p)
	pa := &poolActor{pool: p, slots: slots, failures: map[*connSlot]int{}, snap: initial}
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
// connection is usable.
func (p *Pool) Send(ctx context.Context, cmd *messages.Command, slot int) {
	if pid := p.route(ctx, slot, cmd.Name); pid != nil {
		p.root.Send(pid, cmd)
		return
	} else if err := p.routeErr(ctx); err != nil {
		cmd.Fail(err)
	}
}

// SendBatch hands every command of b, in order and with nothing between
// them, to one connection.
func (p *Pool) SendBatch(ctx context.Context, b *messages.Batch, slot int) {
	if pid := p.route(ctx, slot, "batch"); pid != nil {
		p.root.Send(pid, b)
		return
	} else if err := p.routeErr(ctx); err != nil {
		failMessage(nil, b, err)
	}
}

// route returns the PID for slot, waiting for a usable connection when
// there is none; nil when the wait failed (routeErr tells why).
func (p *Pool) route(ctx context.Context, slot int, _ string) *actor.PID {
	s := p.snap.Load()
	if !s.closed {
		if i := s.pick(slot); i >= 0 {
			return s.pids[i]
		}
	}
	return p.waitRoute(ctx, slot)
}

func (p *Pool) waitRoute(ctx context.Context, slot int) *actor.PID {
	deadline := time.NewTimer(p.cfg.PoolTimeout)
	defer deadline.Stop()
	var done <-chan struct{}
	if ctx != nil {
		done = ctx.Done()
	}
	for {
		s := p.snap.Load()
		if s.closed {
			return nil
		}
		if i := s.pick(slot); i >= 0 {
			return s.pids[i]
		}
		select {
		case <-s.changed:
		case <-deadline.C:
			return nil
		case <-done:
			return nil
		case <-p.closed:
			return nil
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
	return &PoolTimeoutError{Waited: p.cfg.PoolTimeout, Dialing: s.dialing, BackingOff: s.backoff, LastDialErr: s.lastErr}
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

// Close stops every actor, fails whatever is still pending with ErrClosed,
// and waits for every goroutine the pool started. Later calls return
// ErrClosed.
func (p *Pool) Close() error {
	select {
	case <-p.closed:
		return ErrClosed
	default:
	}
	close(p.closed)
	done := make(chan struct{})
	p.root.Send(p.pid, &closing{done: done})
	<-done
	_ = p.root.StopFuture(p.pid).Wait()
	p.timersMu.Lock()
	for t := range p.timers {
		t.Stop()
	}
	p.timers = nil
	p.timersMu.Unlock()
	p.goMu.Lock()
	p.noGo = true
	p.goMu.Unlock()
	p.wg.Wait()
	if p.ownsSystem {
		p.system.Shutdown()
	}
	return nil
}

func (p *Pool) afterFunc(d time.Duration, f func()) {
	p.timersMu.Lock()
	defer p.timersMu.Unlock()
	if p.timers == nil {
		return // closed
	}
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
	p.timers[t] = struct{}{}
}

// Recycle closes every connection of the pool so that each dials again,
// through Config.Resolve: multiplexed connections redial at once (commands
// they carried fail with a *ConnError wrapping cause; new ones wait for the
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

// restartNow fires every pending restart at once; the Stop first keeps a
// timer that is firing now from firing twice.
func (p *Pool) restartNow() {
	p.timersMu.Lock()
	defer p.timersMu.Unlock()
	for t := range p.timers {
		if t.Stop() {
			t.Reset(0)
		}
	}
}

// adopt makes props a child of the pool actor (the sentinel watcher): it
// is told shutDown when the pool closes and stopped with the pool.
type adopt struct {
	props *actor.Props
	reply chan *actor.PID
}

// Stats is a snapshot of the pool's multiplexed connections.
type Stats struct {
	Connections int // multiplexed connections configured
	Usable      int // ready or parked (dial on demand)
	Dialing     int
	BackingOff  int
	Leased      int // dedicated connections in use
}

// Stats returns the current state of the pool.
func (p *Pool) Stats() Stats {
	s := p.snap.Load()
	return Stats{Connections: len(s.pids), Usable: s.nUsable, Dialing: s.dialing, BackingOff: s.backoff, Leased: len(p.leaseSem)}
}

// poolActor supervises the connection actors and publishes the snapshot.
// It implements actor.SupervisorStrategy itself, so its restart decisions
// see its own state (consecutive failures per connection).
type poolActor struct {
	pool     *Pool
	slots    []*connSlot
	failures map[*connSlot]int // consecutive failures, reset on connUp
	restarts map[*connSlot][]time.Time
	snap     *snapshot
	ready    chan struct{}
	closing  bool
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
		if msg.slot.index >= 0 {
			pa.publish(func(n *snapshot) { n.usable[msg.slot.index] = true })
		}
	case *connDown:
		pa.failures[msg.slot]++
		if msg.slot.index >= 0 {
			pa.publish(func(n *snapshot) {
				n.usable[msg.slot.index] = false
				n.lastErr = msg.err
			})
		}
		pa.pool.cfg.Logger.Debug("actoredis: connection down", "addr", pa.pool.cfg.Addr, "slot", msg.slot.index, "err", msg.err)
	case *pubsubUp:
		pa.pool.pubsub.failures = 0
	case *pubsubDown:
		pa.pool.pubsub.failures++
		pa.pool.cfg.Logger.Debug("actoredis: subscribed connection down", "addr", pa.pool.cfg.Addr, "err", msg.err)
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
		pa.pool.restartNow()
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
			m := newMailbox(s.flush)().(*mailbox)
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
			} else {
				n.dialing++
			}
		}
	}
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
		delay := cfg.Backoff.Next(max(1, ps.failures))
		cfg.Logger.Debug("actoredis: restarting the pubsub actor", "addr", cfg.Addr, "delay", delay, "reason", reason)
		pa.pool.afterFunc(delay, func() { sup.RestartChildren(child) })
		return
	}
	if slot == nil || pa.closing {
		sup.StopChildren(child)
		return
	}
	attempt := max(1, pa.failures[slot])
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
	cfg.Logger.Debug("actoredis: restarting connection", "addr", cfg.Addr, "slot", slot.index, "delay", delay, "reason", reason)
	pa.pool.afterFunc(delay, func() { sup.RestartChildren(child) })
}

package actors

import (
	"context"
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
	hello   atomic.Pointer[Hello] // the latest handshake's, nil before the first
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
		failRequest(b, err)
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

// TrySend hands cmd to the connection of slot (any, for a negative slot)
// when that connection is usable now, and reports whether it did. It never
// waits, so a reader goroutine may resend a redirected command with it
// (in the order the replies arrived) without blocking.
func (p *Pool) TrySend(cmd *messages.Command, slot int) bool {
	if pid := p.tryRoute(slot); pid != nil {
		p.root.Send(pid, cmd)
		return true
	}
	return false
}

// TrySendBatch is TrySend for a batch.
func (p *Pool) TrySendBatch(b *messages.Batch, slot int) bool {
	if pid := p.tryRoute(slot); pid != nil {
		p.root.Send(pid, b)
		return true
	}
	return false
}

// Hello returns what the latest handshake of any of the pool's
// connections learned of the server, nil before the first. The value
// is shared: never modify it.
func (p *Pool) Hello() *Hello { return p.hello.Load() }

// dial opens a connection of the pool (see dialWire) and remembers what
// its handshake learned of the server, for Hello.
func (p *Pool) dial(ctx context.Context, wantID bool) (*wire, error) {
	w, h, err := dialWire(ctx, &p.cfg, wantID)
	if err == nil {
		p.hello.Store(h)
	}
	return w, err
}

// Usable returns how many multiplexed connections are usable now, from
// the published snapshot alone (safe before the pool actor has started).
func (p *Pool) Usable() int { return p.snap.Load().nUsable }

func (p *Pool) tryRoute(slot int) *actor.PID {
	s := p.snap.Load()
	if s.closed {
		return nil
	}
	if i := s.pick(slot); i >= 0 {
		return s.pids[i]
	}
	return nil
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

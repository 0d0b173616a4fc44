package actors

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// connActor owns one Redis connection: a child of the pool actor, one per
// multiplexed slot or per lease, with the writer and reader goroutines of
// its wire (the package doc draws the tree).
//
// A Command is appended to the wire's buffer and FIFO in Receive; the
// mailbox wakes the writer when the mailbox runs empty, so every
// command that arrived while the actor was busy leaves in one write. A lost
// connection fails the commands it carried and then fails the actor (a
// panic in Receive, protoactor's failure path); the pool restarts it after
// a backoff, and the new incarnation dials again.
type connActor struct {
	pool      *Pool
	slot      *connSlot
	state     connState
	wire      *wire
	held      []messages.Request // arrived while dialing or draining
	cancel    context.CancelFunc
	tick      *time.Timer
	born      time.Time // when the current wire connected
	used      uint64    // messages handled, for idleness
	usedAtTik uint64
	idleSince time.Time
	lastPing  time.Time
	redial    bool // recycled while dialing: the dial's result is dropped
}

type connState uint8

const (
	stateDialing  connState = iota // a dial is running; commands are held
	stateReady                     // commands go straight to the wire
	stateParked                    // idle and closed; the next command dials
	stateDraining                  // recycling: wait for the FIFO to empty, then redial
	stateClosed                    // the client closed: commands fail
)

func (s connState) String() string {
	return [...]string{"dialing", "ready", "parked", "draining", "closed"}[s]
}

// connSlot is what survives the restarts of one connection actor: its
// identity in the pool, the wire its mailbox flushes, and, for a
// dedicated connection, the lease bound to it.
type connSlot struct {
	index   int // multiplexed slot index, or -1 for a dedicated connection
	current atomic.Pointer[wire]
	mailbox *mailbox
	lease   *dedicated // dedicated connections only
	pid     *actor.PID
	// carry holds the commands (and unsent batches) a failed incarnation
	// hands to the next one to send again, oldest first.
	carry []messages.Request
	// downSince is when the slot lost its connection (zero while up):
	// commands are carried to the next connection for at most PoolTimeout
	// from then, as a new command waits at most that long for one.
	downSince time.Time
	// inflight counts the commands on the current wire; held the ones the
	// actor holds while dialing. With the mailbox's count they are what
	// MaxPending bounds.
	inflight atomic.Int64
	held     atomic.Int64
}

// pending returns the commands queued for or in flight on the slot.
func (s *connSlot) pending() int64 {
	n := s.inflight.Load() + s.held.Load()
	if s.mailbox != nil {
		n += int64(s.mailbox.UserMessageCount())
	}
	return n
}

// Messages the connection actor sends itself (events, past tense).
type (
	dialed struct {
		wire *wire
		err  error
	}
	wireLost struct {
		wire *wire
		err  error
	}
	ticked   struct{}
	shutDown struct{} // the client is closing: fail what comes next
)

// connFailure is the reason a connection actor fails with.
type connFailure struct{ err error }

func (f *connFailure) Error() string { return "connection failed: " + f.err.Error() }

// Events the connection actor sends its parent.
type (
	connUp struct {
		slot *connSlot
	}
	connDown struct {
		slot *connSlot
		err  error
		dial bool // the failure was a dial or handshake
	}
)

func (a *connActor) Receive(c actor.Context) {
	switch msg := c.Message().(type) {
	case *messages.Command:
		a.used++
		a.onRequest(c, msg)
	case *messages.Batch:
		a.used++
		a.onRequest(c, msg)
	case *actor.Started:
		a.onStarted(c)
	case *dialed:
		a.onDialed(c, msg)
	case *wireLost:
		if msg.wire == a.wire {
			a.fail(c, msg.err, false)
		}
	case ticked:
		a.onTick(c)
	case *recycle:
		a.onRecycle(c, msg.cause)
	case shutDown:
		a.state = stateClosed
		a.cleanup(ErrClosed)
	case *actor.Stopping:
		a.state = stateClosed
		a.cleanup(ErrClosed)
	case *actor.Stopped:
		a.slot.mailbox.stopped.Store(true)
	case *actor.Restarting:
		a.cleanup(ErrConnClosed)
	}
}

func (a *connActor) onStarted(c actor.Context) {
	if len(a.slot.carry) > 0 { // what the previous incarnation left to retry
		a.held, a.slot.carry = a.slot.carry, nil
		a.slot.held.Store(int64(len(a.held)))
		a.startDial(c)
	} else if a.slot.index >= a.pool.cfg.MinIdle {
		a.state = stateParked
	} else {
		a.startDial(c)
	}
	a.scheduleTick(c)
}

// onRequest queues r on the wire when the connection is ready, holds it
// while a dial or a drain is under way (a parked connection dials for
// it), and fails it once the client has closed.
func (a *connActor) onRequest(c actor.Context, r messages.Request) {
	switch a.state {
	case stateReady:
		ok := false
		switch r := r.(type) {
		case *messages.Command:
			ok = a.wire.enqueue(r)
		case *messages.Batch:
			ok = a.wire.enqueueBatch(r.Commands, r.Sync)
		}
		if !ok { // the wire was lost a moment ago; its wireLost is queued
			a.hold(r)
		}
	case stateClosed:
		failRequest(r, ErrClosed)
	case stateParked:
		a.hold(r)
		a.startDial(c)
	default:
		a.hold(r)
	}
}

func (a *connActor) hold(r messages.Request) {
	a.held = append(a.held, r)
	a.slot.held.Store(int64(len(a.held)))
}

// failRequest fails every command of r with err.
func failRequest(r messages.Request, err error) {
	switch r := r.(type) {
	case *messages.Command:
		r.Fail(err)
	case *messages.Batch:
		for _, cmd := range r.Commands {
			cmd.Fail(err)
		}
	}
}

func (a *connActor) startDial(c actor.Context) {
	a.state = stateDialing
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	self, root, cfg, pool := c.Self(), c.ActorSystem().Root, &a.pool.cfg, a.pool
	lease := a.slot.lease != nil
	a.pool.goTracked(func() {
		var w *wire
		err := error(&connPanic{where: "dial"})
		defer func() { // a panic in the dial or handshake fails this dial only
			if r := recover(); r != nil {
				cfg.Logger.Error("actoredis: connection dial panicked", "addr", cfg.Addr, "panic", r)
			}
			root.Send(self, &dialed{wire: w, err: err})
		}()
		w, err = pool.dial(ctx, lease)
	})
}

func (a *connActor) onDialed(c actor.Context, msg *dialed) {
	if a.state != stateDialing && a.state != stateClosed {
		// The result of a dial this incarnation did not start (a failed
		// one's, cancelled): never a second wire.
		if msg.wire != nil {
			msg.wire.close(ErrConnClosed, nil)
		}
		return
	}
	a.cancel = nil
	if a.redial && a.state == stateDialing {
		a.redial = false
		if msg.wire != nil {
			msg.wire.close(ErrConnClosed, nil)
		}
		a.startDial(c)
		return
	}
	if a.state == stateClosed {
		if msg.wire != nil {
			msg.wire.close(ErrClosed, nil)
		}
		return
	}
	if msg.err != nil {
		a.fail(c, msg.err, true)
		return
	}
	w := msg.wire
	self, root := c.Self(), c.ActorSystem().Root
	w.onLost = func(w *wire, err error) { root.Send(self, &wireLost{wire: w, err: err}) }
	// Transient server errors become *TransientError on every connection;
	// only multiplexed ones (with a slot to resend to) retry them.
	w.retry = a.pool.retry
	if a.slot.lease != nil {
		w.onPush = a.slot.lease.push
	} else {
		w.slot = a.slot
	}
	w.inflight = &a.slot.inflight
	w.start(a.pool)
	a.wire = w
	a.slot.current.Store(w)
	a.slot.downSince = time.Time{}
	a.state = stateReady
	a.born = time.Now()
	a.lastPing = a.born
	a.idleSince = time.Time{}
	held := a.held
	a.held = nil
	a.slot.held.Store(0)
	now := time.Now().UnixNano()
	for _, m := range held {
		switch m := m.(type) {
		case *messages.Command:
			if d := m.Deadline; d != 0 && now >= d {
				m.Fail(context.DeadlineExceeded) // its caller has gone
				continue
			}
			a.onRequest(c, m)
		case *messages.Batch:
			a.onRequest(c, m)
		}
	}
	w.flush()
	c.Send(c.Parent(), &connUp{slot: a.slot})
}

// fail ends this incarnation: everything in flight or held fails, the pool
// hears of it, and the actor fails so the supervisor restarts it.
func (a *connActor) fail(c actor.Context, err error, dial bool) {
	a.cleanup(err)
	c.Send(c.Parent(), &connDown{slot: a.slot, err: err, dial: dial})
	panic(&connFailure{err: err})
}

// cleanup closes the wire and fails what it and the held list carry.
func (a *connActor) cleanup(cause error) {
	if a.slot.lease != nil && a.state != stateParked {
		// Broken before anything fails: a lessee who sees a failure and
		// releases must find the lease broken, so it is not reused.
		a.slot.lease.broken(cause)
	}
	if a.cancel != nil {
		a.cancel()
		a.cancel = nil
	}
	if a.tick != nil {
		a.tick.Stop()
		a.tick = nil
	}
	// A multiplexed connection lost for a transient cause hands what may
	// be retried to its next incarnation (slot.carry), oldest first.
	var carry []messages.Request
	keep := a.keepForRetry(cause, &carry)
	if a.wire != nil {
		a.slot.current.CompareAndSwap(a.wire, nil)
		a.wire.close(cause, keep)
		a.wire = nil
	}
	failErr := cause
	if !errors.Is(cause, ErrClosed) {
		failErr = &ConnError{Addr: a.pool.cfg.Addr, Sent: false, Err: cause}
	}
	held := a.held
	if keep == nil { // a carry not yet taken fails too: the pool is closing
		held = append(a.slot.carry, held...)
		a.slot.carry = nil
	}
	a.held = nil
	a.slot.held.Store(0)
	for _, m := range held {
		switch m := m.(type) {
		case *messages.Command:
			if keep != nil && keep(m, false) {
				continue
			}
			err := namedErr(failErr, m.Name)
			if ce, ok := err.(*ConnError); ok && m.Retry.Sent {
				ce.Sent = true // an earlier try may have reached the server
			}
			m.Fail(err)
		case *messages.Batch:
			if keep != nil && a.pool.retry.afterLossBatch(m, cause, time.Now().UnixNano()) {
				carry = append(carry, m)
				continue
			}
			for _, cmd := range m.Commands {
				cmd.Fail(namedErr(failErr, cmd.Name))
			}
		}
	}
	a.slot.carry = append(a.slot.carry, carry...)
}

// keepForRetry returns the function wire.close offers its commands to
// when the connection is lost for cause: those the retry policy takes are
// appended to *into, oldest first. It is nil when nothing of this
// connection may be retried (a dedicated connection, a closing pool, a
// cause that is not transient).
func (a *connActor) keepForRetry(cause error, into *[]messages.Request) func(cmd *messages.Command, sent bool) bool {
	if a.slot.index < 0 || a.state == stateClosed || !transientLoss(cause) {
		return nil
	}
	t := time.Now()
	if a.slot.downSince.IsZero() {
		a.slot.downSince = t
	} else if t.Sub(a.slot.downSince) >= a.pool.cfg.PoolTimeout {
		return nil
	}
	now := t.UnixNano()
	return func(cmd *messages.Command, sent bool) bool {
		if a.pool.retry.afterLoss(cmd, sent, cause, now) {
			*into = append(*into, cmd)
			return true
		}
		return false
	}
}

func namedErr(err error, name string) error {
	if ce, ok := err.(*ConnError); ok {
		cp := *ce
		cp.Command = name
		return &cp
	}
	return err
}

func (a *connActor) scheduleTick(c actor.Context) {
	self, root := c.Self(), c.ActorSystem().Root
	every := min(time.Second, a.pool.cfg.HealthCheckInterval)
	a.tick = time.AfterFunc(every, func() { root.Send(self, ticked{}) })
}

// onTick runs the connection's housekeeping: health pings while idle,
// closing idle connections beyond MinIdle, and recycling after MaxLifetime.
func (a *connActor) onTick(c actor.Context) {
	if a.tick == nil {
		return // cleaned up: a tick that was already on its way
	}
	now := time.Now()
	cfg := &a.pool.cfg
	idle := a.used == a.usedAtTik
	a.usedAtTik = a.used
	switch a.state {
	case stateReady:
		pending := a.wire.pending()
		if !idle || pending > 0 {
			a.idleSince = time.Time{}
		} else if a.idleSince.IsZero() {
			a.idleSince = now
		}
		leased := a.slot.lease != nil && a.slot.lease.isLeased()
		switch {
		case cfg.IdleTimeout > 0 && !leased && !a.idleSince.IsZero() && now.Sub(a.idleSince) >= cfg.IdleTimeout &&
			(a.slot.index < 0 || a.slot.index >= cfg.MinIdle):
			a.park()
		case cfg.MaxLifetime > 0 && !leased && now.Sub(a.born) >= cfg.MaxLifetime:
			a.state = stateDraining
			a.onTickDraining(c)
		case pending == 0 && now.Sub(a.lastPing) >= cfg.HealthCheckInterval && !leased:
			a.lastPing = now
			ping := &messages.Command{Name: "PING", Args: pingArgs, Flags: messages.ReadOnly}
			a.wire.enqueue(ping)
			a.wire.flush()
		}
	case stateDraining:
		a.onTickDraining(c)
	}
	a.scheduleTick(c)
}

var pingArgs = resp.AppendBulkString(resp.AppendArrayHeader(nil, 1), "PING")

func (a *connActor) onTickDraining(c actor.Context) {
	if a.wire.pending() > 0 {
		return
	}
	a.slot.current.CompareAndSwap(a.wire, nil)
	a.wire.close(ErrConnClosed, nil)
	a.wire = nil
	a.startDial(c) // the held commands go out on the new wire
}

// park closes an idle connection; the next command dials again.
func (a *connActor) park() {
	a.slot.current.CompareAndSwap(a.wire, nil)
	a.wire.close(ErrConnClosed, nil)
	a.wire = nil
	a.state = stateParked
}

// onRecycle reconnects through Config.Resolve (the primary moved): a
// dedicated connection breaks; a multiplexed one closes its wire, keeping
// what the retry policy may send again and failing the rest with cause,
// and dials again at once, holding new commands meanwhile; a dial in
// progress is abandoned for a new one.
func (a *connActor) onRecycle(c actor.Context, cause error) {
	switch {
	case a.state == stateParked || a.state == stateClosed:
	case a.slot.lease != nil:
		a.fail(c, cause, false)
	case a.state == stateDialing:
		if a.cancel != nil {
			a.cancel()
		}
		a.redial = true
	case a.wire != nil:
		// What may be retried goes out first on the new connection.
		a.slot.current.CompareAndSwap(a.wire, nil)
		a.wire.close(cause, a.keepForRetry(cause, &a.held))
		a.slot.held.Store(int64(len(a.held)))
		a.wire = nil
		a.startDial(c)
	}
}

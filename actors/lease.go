package actors

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// dedicated is the state of one dedicated connection that outlives its
// leases: whether it is leased now, whether it broke, whether a lessee left
// per-connection state behind.
type dedicated struct {
	slot   *connSlot
	leased atomic.Bool
	dirty  atomic.Bool
	mu     sync.Mutex
	err    error
	onPush atomic.Pointer[func(resp.Value)]
	// onBroken hears, once, why the leased connection broke.
	onBroken atomic.Pointer[func(error)]
}

func (d *dedicated) isLeased() bool { return d.leased.Load() }

func (d *dedicated) broken(err error) {
	d.mu.Lock()
	first := d.err == nil
	if first {
		d.err = err
	}
	d.mu.Unlock()
	if f := d.onBroken.Load(); first && f != nil {
		(*f)(err)
	}
}

func (d *dedicated) brokenErr() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err
}

func (d *dedicated) push(v resp.Value) {
	if f := d.onPush.Load(); f != nil {
		(*f)(v)
	}
}

// Lease is one dedicated connection, held by one user until Release: for
// blocking commands (BLPOP, XREAD BLOCK, WAIT) and per-connection state
// (WATCH, CLIENT REPLY, MONITOR). At most Config.MaxDedicated are leased at
// once. A Lease is safe for concurrent use, but commands sent through it
// share one connection and execute in the order they were sent.
type Lease struct {
	pool     *Pool
	d        *dedicated
	released atomic.Bool
}

// Lease takes a dedicated connection, waiting up to PoolTimeout (or until
// ctx is done) while all MaxDedicated are in use.
func (p *Pool) Lease(ctx context.Context) (*Lease, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	select {
	case <-p.closed:
		return nil, ErrClosed
	default:
	}
	timer := time.NewTimer(p.cfg.PoolTimeout)
	defer timer.Stop()
	select {
	case p.leaseSem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-timer.C:
		return nil, &PoolTimeoutError{Waited: p.cfg.PoolTimeout}
	case <-p.closed:
		return nil, ErrClosed
	}
	var d *dedicated
	p.idleMu.Lock()
	for len(p.idle) > 0 && d == nil {
		s := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if s.lease.brokenErr() != nil {
			p.root.Stop(s.pid)
			continue
		}
		d = s.lease
	}
	p.idleMu.Unlock()
	if d == nil {
		d = &dedicated{}
		reply := make(chan *connSlot, 1)
		p.root.Send(p.pid, &leaseRequest{lease: d, reply: reply})
		s := <-reply
		if s == nil {
			<-p.leaseSem
			return nil, ErrClosed
		}
		d.slot = s
	}
	d.leased.Store(true)
	return &Lease{pool: p, d: d}, nil
}

// Send writes cmd on the leased connection.
func (l *Lease) Send(cmd *messages.Command) {
	if err := l.check(); err != nil {
		cmd.Fail(err)
		return
	}
	if cmd.Flags.Has(messages.Stateful) {
		l.d.dirty.Store(true)
	}
	l.pool.root.Send(l.d.slot.pid, cmd)
}

// SendBatch writes every command of b on the leased connection, together.
func (l *Lease) SendBatch(b *messages.Batch) {
	if err := l.check(); err != nil {
		failRequest(b, err)
		return
	}
	for _, cmd := range b.Commands {
		if cmd.Flags.Has(messages.Stateful) {
			l.d.dirty.Store(true)
		}
	}
	l.pool.root.Send(l.d.slot.pid, b)
}

func (l *Lease) check() error {
	if l.released.Load() {
		return ErrLeaseReleased
	}
	if err := l.d.brokenErr(); err != nil {
		return &leaseError{err}
	}
	return nil
}

type leaseError struct{ cause error }

func (e *leaseError) Error() string {
	return ErrLeaseBroken.Error() + ": " + e.cause.Error()
}
func (e *leaseError) Unwrap() []error { return []error{ErrLeaseBroken, e.cause} }

// ClientID returns the server's id (CLIENT ID) of the leased connection,
// or 0 while it is not connected.
func (l *Lease) ClientID() int64 {
	if w := l.d.slot.current.Load(); w != nil {
		return w.clientID
	}
	return 0
}

// Err returns why the leased connection broke, or nil.
func (l *Lease) Err() error { return l.check() }

// MarkDirty records that the lessee changed per-connection state, so the
// connection is closed instead of reused at Release.
func (l *Lease) MarkDirty() { l.d.dirty.Store(true) }

// OnPush sets the function that receives RESP3 push frames (pub/sub
// messages, MONITOR lines, invalidations) arriving on this connection; it
// runs on the reader goroutine and must not block.
func (l *Lease) OnPush(fn func(resp.Value)) {
	if fn == nil {
		l.d.onPush.Store(nil)
		return
	}
	l.d.onPush.Store(&fn)
}

// OnBroken sets the function told, once, why the leased connection broke
// (Discard included); it runs on the connection actor's goroutine and must
// not block. Set it before sending: a connection that broke earlier is
// reported by Err, not by fn.
func (l *Lease) OnBroken(fn func(error)) {
	if fn == nil {
		l.d.onBroken.Store(nil)
		return
	}
	l.d.onBroken.Store(&fn)
}

// Discard closes the leased connection at once (a cancelled blocking
// command: the server must not hand data to a caller that has gone) and
// ends the lease. Commands still in flight fail.
func (l *Lease) Discard() {
	l.d.broken(ErrConnClosed)
	l.Release()
}

// Release ends the lease. A clean connection returns to the idle list; one
// that broke, holds per-connection state or still has replies pending is
// closed.
func (l *Lease) Release() {
	if !l.released.CompareAndSwap(false, true) {
		return
	}
	p, d := l.pool, l.d
	d.onPush.Store(nil)
	d.onBroken.Store(nil)
	d.leased.Store(false)
	reuse := d.brokenErr() == nil && !d.dirty.Load()
	if w := d.slot.current.Load(); w != nil && w.pending() > 0 {
		reuse = false
	}
	select {
	case <-p.closed:
		reuse = false
	default:
	}
	if reuse {
		p.idleMu.Lock()
		p.idle = append(p.idle, d.slot)
		p.idleMu.Unlock()
	} else {
		p.root.Stop(d.slot.pid)
	}
	<-p.leaseSem
}

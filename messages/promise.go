package messages

import (
	"context"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/actoredis/actoredis/resp"
)

// Promise is a one-shot completion handle: the actor side completes it once
// with a reply or an error, the caller waits on it with a context. It costs
// no goroutine and no timer; the channel behind Done is made only when
// somebody asks for it before the reply has arrived. The zero Promise is
// ready to use; a Promise must not be copied after first use.
//
// The common case, one caller waiting and one reader completing, takes no
// lock: the first waiter installs a borrowed wake-up channel with one CAS
// and completion takes it back with one swap. Further concurrent waiters
// and Done's users share Done's channel, which completion closes.
type Promise struct {
	state  atomic.Uint32 // completing, completed, slowWake, aborted
	waiter atomic.Pointer[waiter]
	// done holds the channel closed on completion, made by Done on demand
	// (one pointer, not a mutex and a channel: every command has a
	// Promise, and Done's users are few).
	done  atomic.Pointer[doneChan]
	value resp.Value
	err   error
	then  func()
}

// The bits of Promise.state.
const (
	// completing: a Complete call has won the right to write the result.
	completing uint32 = 1 << iota
	// completed: the result is written and may be read (IsDone).
	completed
	// slowWake: Done's channel exists, so completion must close it.
	slowWake
	// aborted: the command's Abort mark (see Command.Abort), kept here
	// where it costs no field of its own.
	aborted
)

// waiter is the wake-up channel of WaitOr's first waiter, lent by waiters.
// Whoever takes the waiter out of Promise.waiter (completion, or WakeClosed
// on the waiter's behalf) sends it one token; a waiter that takes itself
// out first gets none. Either way the channel goes back empty, so waiting
// allocates nothing.
type waiter struct {
	wake chan struct{}
	// promise is the promise the waiter is parked on (nil in the pool), for
	// WakeClosed.
	promise atomic.Pointer[Promise]
}

var waiters = sync.Pool{New: func() any { return newWaiter() }}

// allWaiters lists every waiter made, for WakeClosed to find the parked
// ones; waiters the pool has dropped fall out of it as they are collected.
var allWaiters struct {
	mu   sync.Mutex
	list []weak.Pointer[waiter]
	live int // len(list) after the last sweep of collected ones
}

func newWaiter() *waiter {
	w := &waiter{wake: make(chan struct{}, 1)}
	allWaiters.mu.Lock()
	defer allWaiters.mu.Unlock()
	if len(allWaiters.list) >= 2*allWaiters.live+64 {
		kept := allWaiters.list[:0]
		for _, wp := range allWaiters.list {
			if wp.Value() != nil {
				kept = append(kept, wp)
			}
		}
		clear(allWaiters.list[len(kept):])
		allWaiters.list, allWaiters.live = kept, len(kept)
	}
	allWaiters.list = append(allWaiters.list, weak.Make(w))
	return w
}

// WakeClosed wakes every waiter parked in WaitOr with no a to watch, so
// that those whose b is closed return (the others park again). Whoever
// closes a channel that WaitOr may have been given as b must call it
// afterwards: such a waiter parks on its wake-up channel alone, which
// costs less than a select over it and b.
func WakeClosed() {
	allWaiters.mu.Lock()
	defer allWaiters.mu.Unlock()
	for _, wp := range allWaiters.list {
		w := wp.Value()
		if w == nil {
			continue
		}
		if p := w.promise.Load(); p != nil && p.waiter.CompareAndSwap(w, nil) {
			w.wake <- struct{}{}
		}
	}
}

// taken is what Promise.waiter holds once completion has looked at it: no
// waiter can install itself after that (and none needs to).
var taken waiter

// OnComplete sets fn to run once, right after completion, on the
// completing goroutine (a reader goroutine: fn must not block). Set it
// before the promise can complete.
func (p *Promise) OnComplete(fn func()) { p.then = fn }

// Then returns the function set by OnComplete, if any (to chain another).
func (p *Promise) Then() func() { return p.then }

// closedChan is returned by Done for promises completed before anybody
// asked for a channel.
var closedChan = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

// Complete records the reply (or err) and wakes the waiters. Only the first
// call has an effect; it reports whether it was the first.
func (p *Promise) Complete(v resp.Value, err error) bool {
	if p.state.Or(completing)&completing != 0 {
		return false
	}
	p.store(v, err)
	state := p.state.Or(completed)
	if w := p.waiter.Swap(&taken); w != nil {
		w.wake <- struct{}{} // buffered and empty: nobody else sends on it
	}
	if state&slowWake != 0 {
		close(p.done.Load().ch) // set before slowWake
	}
	if then := p.then; then != nil {
		p.then = nil // a pointer write only when there is one: a write barrier while the GC marks
		then()
	}
	return true
}

// store writes the result into the zero value and err (a promise
// completes once, and none is reset), skipping the pointer fields that
// stay nil: while the GC marks, every pointer write costs a write barrier,
// and a pipeline completes one promise per reply.
func (p *Promise) store(v resp.Value, err error) {
	p.value.Kind, p.value.Int = v.Kind, v.Int
	if v.Str != "" {
		p.value.Str = v.Str
	}
	if v.Elems != nil {
		p.value.Elems = v.Elems
	}
	if v.Attrs != nil {
		p.value.Attrs = v.Attrs
	}
	if err != nil {
		p.err = err
	}
}

// Fail completes the promise with err.
func (p *Promise) Fail(err error) bool { return p.Complete(resp.Value{}, err) }

// IsDone reports whether the promise has been completed.
func (p *Promise) IsDone() bool { return p.state.Load()&completed != 0 }

// Done returns a channel closed once the promise is complete.
func (p *Promise) Done() <-chan struct{} {
	if p.IsDone() {
		return closedChan
	}
	d := p.done.Load()
	if d == nil {
		d = &doneChan{ch: make(chan struct{})}
		if !p.done.CompareAndSwap(nil, d) {
			d = p.done.Load() // another caller's, shared
		}
	}
	// The channel is installed before slowWake is set: a completion that
	// sees slowWake closes it. One that came first never will, and then
	// the promise is already complete.
	if p.state.Or(slowWake)&completed != 0 {
		return closedChan
	}
	return d.ch
}

// doneChan boxes Done's channel for an atomic pointer.
type doneChan struct{ ch chan struct{} }

// Wait blocks until the promise is complete or ctx is done, and returns
// ctx.Err() in the latter case. A nil ctx waits without limit.
func (p *Promise) Wait(ctx context.Context) error {
	if p.IsDone() {
		return nil
	}
	if ctx == nil {
		p.WaitOr(nil, nil)
		return nil
	}
	if !p.WaitOr(ctx.Done(), nil) {
		return ctx.Err()
	}
	return nil
}

// WaitOr blocks until the promise is complete or a or b is closed (a nil
// channel never is), and reports whether the promise is complete. Whoever
// closes b must call WakeClosed afterwards. The first waiter parks on a
// channel borrowed for the wait, so waiting allocates nothing; a second
// concurrent waiter parks on Done's channel.
func (p *Promise) WaitOr(a, b <-chan struct{}) bool {
	if p.IsDone() {
		return true
	}
	w := waiters.Get().(*waiter)
	if a == nil {
		return p.waitAlone(w, b)
	}
	if !p.waiter.CompareAndSwap(nil, w) {
		waiters.Put(w)
		return p.waitShared(a, b)
	}
	select {
	case <-w.wake:
		waiters.Put(w)
		return true
	case <-a:
	case <-b:
	}
	if !p.waiter.CompareAndSwap(w, nil) {
		// Completion took w out before we could: its token is on the way.
		<-w.wake
		waiters.Put(w)
		return true
	}
	waiters.Put(w)
	return p.IsDone()
}

// waitAlone is WaitOr with no a: the waiter parks on w alone, and b's
// closing reaches it through WakeClosed, which takes w out of p.waiter
// and sends it a token as completion would. Having installed w, the
// waiter looks at b before it parks, and WakeClosed looks at p.waiter
// after b is closed: one of the two sees the other.
func (p *Promise) waitAlone(w *waiter, b <-chan struct{}) bool {
	w.promise.Store(p)
	defer func() {
		w.promise.Store(nil)
		waiters.Put(w)
	}()
	for {
		if !p.waiter.CompareAndSwap(nil, w) {
			return p.waitShared(nil, b)
		}
		select {
		case <-b:
			if p.waiter.CompareAndSwap(w, nil) {
				return p.IsDone()
			}
			<-w.wake // taken out by completion or WakeClosed: its token
			return p.IsDone()
		default:
		}
		<-w.wake
		if p.IsDone() {
			return true
		}
		// WakeClosed took w out: for b, or for another waiter's channel
		// (then park again).
		select {
		case <-b:
			return false
		default:
		}
	}
}

// waitShared is WaitOr for a waiter that found another one installed (or
// completion under way).
func (p *Promise) waitShared(a, b <-chan struct{}) bool {
	if p.waiter.Load() == &taken {
		return true // completed is set before taken
	}
	select {
	case <-p.Done():
		return true
	case <-a:
	case <-b:
	}
	return p.IsDone()
}

// Result returns the reply and error of a completed promise; before
// completion it returns the zero values.
func (p *Promise) Result() (resp.Value, error) {
	if !p.IsDone() {
		return resp.Value{}, nil
	}
	return p.value, p.err
}

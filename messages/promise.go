package messages

import (
	"context"
	"sync"
	"sync/atomic"

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
// and Done's users share Done's channel, which completion closes under mu.
type Promise struct {
	state  atomic.Uint32 // completing, completed, slowWake
	waiter atomic.Pointer[waiter]
	mu     sync.Mutex    // guards ch
	ch     chan struct{} // closed on completion; made by Done on demand
	value  resp.Value
	err    error
	then   func()
}

// The bits of Promise.state.
const (
	// completing: a Complete call has won the right to write the result.
	completing uint32 = 1 << iota
	// completed: the result is written and may be read (IsDone).
	completed
	// slowWake: ch exists, so completion must close it.
	slowWake
)

// waiter is the wake-up channel of WaitOr's first waiter, lent by waiters.
// Completion sends one token on it, and only if it took the waiter out of
// Promise.waiter; a waiter that takes itself out first gets none. Either
// way the channel goes back empty, so waiting allocates nothing.
type waiter struct{ wake chan struct{} }

var waiters = sync.Pool{New: func() any { return &waiter{wake: make(chan struct{}, 1)} }}

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
	p.value, p.err = v, err
	state := p.state.Or(completed)
	if w := p.waiter.Swap(&taken); w != nil {
		w.wake <- struct{}{} // buffered and empty: nobody else sends on it
	}
	if state&slowWake != 0 {
		p.mu.Lock()
		close(p.ch)
		p.mu.Unlock()
	}
	then := p.then
	p.then = nil
	if then != nil {
		then()
	}
	return true
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
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ch == nil {
		p.ch = make(chan struct{})
		if p.state.Or(slowWake)&completed == 0 {
			return p.ch // completion will see slowWake and close it
		}
	} else if !p.IsDone() {
		return p.ch // made before completion: slowWake is set
	}
	// Completed: ch is closed, or never will be if it was made too late.
	return closedChan
}

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
// channel never is), and reports whether the promise is complete. The
// first waiter parks on a channel borrowed for the wait, so waiting
// allocates nothing; a second concurrent waiter parks on Done's channel.
func (p *Promise) WaitOr(a, b <-chan struct{}) bool {
	if p.IsDone() {
		return true
	}
	w := waiters.Get().(*waiter)
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

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
// somebody waits before the reply has arrived, so a caller that looks after
// completion never parks and never allocates it. The zero Promise is ready
// to use; a Promise must not be copied after first use.
type Promise struct {
	done    atomic.Bool
	waiters uint32 // goroutines parked in WaitOr, guarded by mu
	mu      sync.Mutex
	ch      chan struct{} // closed on completion; made by Done on demand
	token   chan struct{} // lent by tokens to WaitOr's waiters, guarded by mu
	value   resp.Value
	err     error
	then    func()
}

// tokens lends the wake-up channels of WaitOr. A waiter parks on one
// receive; completion sends one token, and each waiter that takes it passes
// it on to the next, so the last waiter out finds the channel empty and
// gives it back. A command awaited before its reply arrives thus costs no
// channel allocation, unlike Done's channel, which is closed and never
// reused.
var tokens = sync.Pool{New: func() any { return make(chan struct{}, 1) }}

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
	p.mu.Lock()
	if p.done.Load() {
		p.mu.Unlock()
		return false
	}
	p.value, p.err = v, err
	p.done.Store(true)
	if p.ch != nil {
		close(p.ch)
	}
	if p.waiters > 0 {
		p.token <- struct{}{} // empty until now: nobody sends before completion
	}
	then := p.then
	p.then = nil
	p.mu.Unlock()
	if then != nil {
		then()
	}
	return true
}

// Fail completes the promise with err.
func (p *Promise) Fail(err error) bool { return p.Complete(resp.Value{}, err) }

// IsDone reports whether the promise has been completed.
func (p *Promise) IsDone() bool { return p.done.Load() }

// Done returns a channel closed once the promise is complete.
func (p *Promise) Done() <-chan struct{} {
	if p.done.Load() {
		return closedChan
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done.Load() {
		return closedChan
	}
	if p.ch == nil {
		p.ch = make(chan struct{})
	}
	return p.ch
}

// Wait blocks until the promise is complete or ctx is done, and returns
// ctx.Err() in the latter case. A nil ctx waits without limit.
func (p *Promise) Wait(ctx context.Context) error {
	if p.done.Load() {
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
// channel never is), and reports whether the promise is complete. It parks
// on a channel borrowed for the wait, so waiting allocates nothing.
func (p *Promise) WaitOr(a, b <-chan struct{}) bool {
	if p.done.Load() {
		return true
	}
	p.mu.Lock()
	if p.done.Load() {
		p.mu.Unlock()
		return true
	}
	if p.waiters == 0 {
		p.token = tokens.Get().(chan struct{})
	}
	p.waiters++
	token := p.token
	p.mu.Unlock()

	woken := false
	select {
	case <-token:
		woken = true
	case <-a:
	case <-b:
	}

	p.mu.Lock()
	p.waiters--
	switch {
	case woken && p.waiters > 0:
		token <- struct{}{} // wake the next waiter
	case p.waiters == 0:
		if !woken && p.done.Load() {
			<-token // completion's token, left for nobody
		}
		p.token = nil
		tokens.Put(token)
	}
	done := p.done.Load()
	p.mu.Unlock()
	return done
}

// Result returns the reply and error of a completed promise; before
// completion it returns the zero values.
func (p *Promise) Result() (resp.Value, error) {
	if !p.done.Load() {
		return resp.Value{}, nil
	}
	return p.value, p.err
}

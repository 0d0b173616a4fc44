package messages

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/resp"
)

func TestPromiseCompletesOnce(t *testing.T) {
	var p Promise
	calls := 0
	p.OnComplete(func() { calls++ })
	assert.True(t, p.Complete(resp.Value{Kind: resp.KindInteger, Int: 7}, nil))
	assert.False(t, p.Fail(errors.New("late")))
	v, err := p.Result()
	require.NoError(t, err)
	assert.Equal(t, int64(7), v.Int)
	assert.Equal(t, 1, calls)
	assert.True(t, p.WaitOr(nil, nil), "a complete promise never parks")
	assert.Equal(t, (<-chan struct{})(closedChan), p.Done())
}

// hangLimit bounds the tests that would otherwise hang on a lost wake-up:
// it is never reached unless a waiter is stuck for good.
const hangLimit = 2 * time.Minute

// waitAll waits for wg, failing the test (with every goroutine's stack) if
// that takes hangLimit: a waiter never woke.
func waitAll(t *testing.T, wg *sync.WaitGroup) {
	t.Helper()
	finished := make(chan struct{})
	go func() {
		wg.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-time.After(hangLimit):
		buf := make([]byte, 1<<20)
		t.Fatalf("a waiter never woke up:\n%s", buf[:runtime.Stack(buf, true)])
	}
}

// goAfter runs fn on a new goroutine counted by wg once start is closed,
// after letting others run first if yield: the two sides of a race.
func goAfter(wg *sync.WaitGroup, start <-chan struct{}, yield bool, fn func()) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-start
		if yield {
			runtime.Gosched()
		}
		fn()
	}()
}

// Every waiter parked before completion wakes, whatever their number, and
// the borrowed channel goes back empty (the next promise that borrows it
// must not wake at once).
func TestPromiseWaitOrWakesEveryWaiter(t *testing.T) {
	for _, n := range []int{1, 2, 8, 64} {
		var p Promise
		var parked, woke sync.WaitGroup
		parked.Add(n)
		woke.Add(n)
		for range n {
			go func() {
				defer woke.Done()
				parked.Done()
				assert.True(t, p.WaitOr(nil, nil))
			}()
		}
		parked.Wait()
		for !p.parked() {
			runtime.Gosched()
		}
		w := p.waiter.Load()
		p.Complete(resp.Value{Kind: resp.KindSimpleString, Str: "OK"}, nil)
		waitAll(t, &woke)
		assert.Same(t, &taken, p.waiter.Load())
		assert.Zero(t, len(w.wake), "the first waiter's channel kept a token")
	}
	assertFreshWaitersStayParked(t)
}

// assertFreshWaitersStayParked fails if a borrowed channel came back with a
// token in it: a fresh promise's waiter would then wake as if completed.
func assertFreshWaitersStayParked(t *testing.T) {
	t.Helper()
	stop := make(chan struct{})
	close(stop)
	for range 100 {
		var p Promise
		assert.False(t, p.WaitOr(stop, nil), "a borrowed channel came back with a token in it")
	}
}

// A waiter that gives up leaves the others parked; a waiter that leaves
// while completion takes its channel out receives that token before it
// gives the channel back.
func TestPromiseWaitOrGivingUp(t *testing.T) {
	var p Promise
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error)
	go func() { gaveUp <- p.Wait(ctx) }()
	for !p.parked() {
		runtime.Gosched()
	}
	other := make(chan bool)
	go func() { other <- p.WaitOr(nil, nil) }()
	cancel()
	require.ErrorIs(t, <-gaveUp, context.Canceled)
	p.Complete(resp.Value{}, nil)
	assert.True(t, <-other)

	// Completion while the only waiter is leaving through its other case.
	for range 1000 {
		var q Promise
		stop := make(chan struct{})
		res := make(chan bool)
		go func() { res <- q.WaitOr(stop, nil) }()
		go close(stop)
		q.Complete(resp.Value{}, nil)
		<-res // true or false: both are right, as long as nothing hangs
	}
	assertFreshWaitersStayParked(t)
}

// A waiter that left (its context ended) frees the slot for the next
// waiter, which is woken by completion as usual.
func TestPromiseWaitOrAfterAWaiterLeft(t *testing.T) {
	var p Promise
	stop := make(chan struct{})
	close(stop)
	assert.False(t, p.WaitOr(stop, nil))
	assert.Nil(t, p.waiter.Load())
	res := make(chan bool)
	go func() { res <- p.WaitOr(nil, nil) }()
	for !p.parked() {
		runtime.Gosched()
	}
	p.Fail(errors.New("boom"))
	assert.True(t, <-res)
	_, err := p.Result()
	assert.EqualError(t, err, "boom")
}

// A waiter starting just as completion runs is never left parked: run the
// race many times with both sides released together; a lost wake-up hangs
// and fails at hangLimit.
func TestPromiseNoLostWakeUp(t *testing.T) {
	rounds := 20000
	if testing.Short() {
		rounds = 2000
	}
	var wg sync.WaitGroup
	for i := range rounds {
		var p Promise
		start := make(chan struct{})
		goAfter(&wg, start, i%2 == 0, func() {
			if !p.WaitOr(nil, nil) {
				t.Error("WaitOr with no way out returned before completion")
			}
			if v, _ := p.Result(); v.Int != int64(i) {
				t.Errorf("woke with %d, want %d", v.Int, i)
			}
		})
		goAfter(&wg, start, i%3 == 0, func() {
			p.Complete(resp.Value{Kind: resp.KindInteger, Int: int64(i)}, nil)
		})
		close(start)
		if i%64 == 63 {
			waitAll(t, &wg)
		}
	}
	waitAll(t, &wg)
}

// Many goroutines wait on one promise in every way at once (WaitOr with
// no way out, WaitOr with a context that a third party cancels, Done, Wait)
// while it completes: every waiter returns, those that report completion
// see the reply, those with no way out always report completion, and the
// completion hook runs once.
func TestPromiseConcurrentWaitersRace(t *testing.T) {
	rounds := 500
	if testing.Short() {
		rounds = 50
	}
	for i := range rounds {
		var p Promise
		hooks := 0
		p.OnComplete(func() { hooks++ })
		ctx, cancel := context.WithCancel(context.Background())
		start := make(chan struct{})
		var wg sync.WaitGroup
		want := fmt.Sprint(i)
		check := func(ok bool, mustComplete bool) {
			if mustComplete && !ok {
				t.Error("a waiter with no way out returned before completion")
			}
			if ok {
				if v, err := p.Result(); err != nil || v.Str != want {
					t.Errorf("woke with %q, %v; want %q", v.Str, err, want)
				}
			}
		}
		for g := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				switch g % 4 {
				case 0:
					check(p.WaitOr(nil, nil), true)
				case 1:
					check(p.WaitOr(ctx.Done(), nil), false)
				case 2:
					<-p.Done()
					check(true, true)
				case 3:
					check(p.Wait(ctx) == nil, false)
				}
			}()
		}
		goAfter(&wg, start, false, func() {
			p.Complete(resp.Value{Kind: resp.KindSimpleString, Str: want}, nil)
		})
		goAfter(&wg, start, i%2 == 0, cancel)
		close(start)
		waitAll(t, &wg)
		assert.Equal(t, 1, hooks)
	}
	assertFreshWaitersStayParked(t)
}

// Concurrent Complete and Fail calls: exactly one wins, and every waiter
// sees the winner's result.
func TestPromiseConcurrentCompletions(t *testing.T) {
	for range 1000 {
		var p Promise
		start := make(chan struct{})
		var wg sync.WaitGroup
		wins := make(chan int, 4)
		for c := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if p.Complete(resp.Value{Kind: resp.KindInteger, Int: int64(c)}, nil) {
					wins <- c
				}
			}()
		}
		got := make(chan int64, 2)
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				p.WaitOr(nil, nil)
				v, _ := p.Result()
				got <- v.Int
			}()
		}
		close(start)
		waitAll(t, &wg)
		close(wins)
		winner := <-wins
		_, more := <-wins
		assert.False(t, more, "two completions won")
		assert.Equal(t, int64(winner), <-got)
		assert.Equal(t, int64(winner), <-got)
	}
}

// Done asked before, during and after completion: every channel handed
// out is closed.
func TestPromiseDoneRace(t *testing.T) {
	for range 2000 {
		var p Promise
		start := make(chan struct{})
		var wg sync.WaitGroup
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				<-p.Done()
				assert.True(t, p.IsDone())
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			p.Complete(resp.Value{}, nil)
		}()
		close(start)
		waitAll(t, &wg)
	}
}

func TestPromiseWaitAllocatesNothing(t *testing.T) {
	run := func(wait func(p *Promise)) float64 {
		return testing.AllocsPerRun(200, func() {
			p := new(Promise)
			go func() {
				for !p.parked() {
					runtime.Gosched()
				}
				p.Complete(resp.Value{}, nil)
			}()
			wait(p)
		})
	}
	withDone := run(func(p *Promise) { <-p.Done() })
	withWaitOr := run(func(p *Promise) { p.WaitOr(nil, nil) })
	// The promise and the goroutine are the test's own; Done's channel and
	// its box are two more, WaitOr's borrowed one is none.
	assert.Equal(t, withDone-2, withWaitOr)
}

// parked reports whether somebody waits on p (through Done or WaitOr).
func (p *Promise) parked() bool {
	if w := p.waiter.Load(); w != nil && w != &taken {
		return true
	}
	return p.done.Load() != nil
}

// The cost of one wait and one completion, the waiter parked first (the
// common case at high concurrency) or the reply there first.
func BenchmarkPromiseParkedWaiter(b *testing.B) {
	ps := make(chan *Promise, 1)
	go func() {
		for p := range ps {
			for !p.parked() {
				runtime.Gosched()
			}
			p.Complete(resp.Value{}, nil)
		}
	}()
	defer close(ps)
	closing := make(chan struct{})
	for b.Loop() {
		p := new(Promise)
		ps <- p
		p.WaitOr(nil, closing)
	}
}

func BenchmarkPromiseCompletedFirst(b *testing.B) {
	closing := make(chan struct{})
	for b.Loop() {
		p := new(Promise)
		p.Complete(resp.Value{}, nil)
		p.WaitOr(nil, closing)
	}
}

// A waiter with only b to watch (no context) parks on its wake-up channel
// alone; closing b and calling WakeClosed wakes it, and wakes waiters of
// other channels only to park them again.
func TestPromiseWakeClosed(t *testing.T) {
	var p, other Promise
	b, otherB := make(chan struct{}), make(chan struct{})
	res, otherRes := make(chan bool), make(chan bool)
	go func() { res <- p.WaitOr(nil, b) }()
	go func() { otherRes <- other.WaitOr(nil, otherB) }()
	for !p.parked() || !other.parked() {
		runtime.Gosched()
	}
	close(b)
	WakeClosed()
	assert.False(t, <-res)
	assert.False(t, p.IsDone())
	for !other.parked() { // woken for nothing, it parks again
		runtime.Gosched()
	}
	other.Complete(resp.Value{Int: 3}, nil)
	assert.True(t, <-otherRes)
	assertFreshWaitersStayParked(t)

	// A b closed before the wait: WaitOr returns at once.
	var q Promise
	assert.False(t, q.WaitOr(nil, b))
}

// Waiters with only b to watch, waiting as b closes and WakeClosed runs
// and as some of their promises complete: every one returns (a lost
// wake-up hangs and fails at hangLimit), never true for an incomplete
// promise, and no borrowed channel comes back with a token in it.
func TestPromiseWakeClosedRace(t *testing.T) {
	rounds := 300
	if testing.Short() {
		rounds = 30
	}
	for i := range rounds {
		b, never := make(chan struct{}), make(chan struct{})
		start := make(chan struct{})
		var wg sync.WaitGroup
		ps := make([]Promise, 16)
		for g := range ps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if g%4 == 3 {
					// Another client's waiter: only completion ends it.
					if !ps[g].WaitOr(nil, never) {
						t.Error("a waiter of an open channel gave up")
					}
					return
				}
				// A false answer may be overtaken by a completion right
				// after it (IsDone then says true); a true one never lies.
				if ps[g].WaitOr(nil, b) && !ps[g].IsDone() {
					t.Error("WaitOr reported an incomplete promise complete")
				}
			}()
		}
		goAfter(&wg, start, i%2 == 0, func() {
			close(b)
			WakeClosed()
		})
		goAfter(&wg, start, false, func() {
			for g := range ps {
				if g%2 == 1 {
					ps[g].Complete(resp.Value{Int: int64(g)}, nil)
				}
			}
		})
		close(start)
		// The waiters of never need their completion.
		for g := range ps {
			if g%4 == 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ps[g].Complete(resp.Value{}, nil)
				}()
			}
		}
		waitAll(t, &wg)
	}
	assertFreshWaitersStayParked(t)
}

// Waiters dropped by the pool leave WakeClosed's list as they are
// collected, so the list stays near the number in use.
func TestPromiseWaitersListShrinks(t *testing.T) {
	for range 5 {
		for range 1000 {
			newWaiter()
		}
		runtime.GC()
	}
	newWaiter()
	allWaiters.mu.Lock()
	defer allWaiters.mu.Unlock()
	assert.Less(t, len(allWaiters.list), 3000)
}

// Complete keeps every field of the reply (store copies them one by one,
// so a field added to resp.Value must be added there too).
func TestCompleteKeepsEveryFieldOfTheReply(t *testing.T) {
	v := resp.Value{Kind: resp.KindArray, Str: "s", Int: 7, Elems: []resp.Value{{Kind: resp.KindNull}}, Attrs: &resp.Value{Kind: resp.KindMap}}
	require.Equal(t, 5, reflect.TypeOf(v).NumField(), "store in promise.go copies resp.Value field by field")
	var p Promise
	p.Complete(v, errors.New("e"))
	got, err := p.Result()
	assert.Equal(t, v, got)
	assert.EqualError(t, err, "e")
}

package messages

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"

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
		p.Complete(resp.Value{Kind: resp.KindSimpleString, Str: "OK"}, nil)
		woke.Wait()
		p.mu.Lock()
		assert.Zero(t, p.waiters)
		assert.Nil(t, p.token)
		p.mu.Unlock()
	}
	// Borrowed channels come back empty: a fresh promise's waiter stays
	// parked until its own completion or its own cancellation.
	for range 100 {
		var p Promise
		stop := make(chan struct{})
		close(stop)
		assert.False(t, p.WaitOr(stop, nil))
	}
}

// A waiter that gives up leaves the others parked; after completion the
// token left for nobody is taken back before the channel is returned.
func TestPromiseWaitOrGivingUp(t *testing.T) {
	var p Promise
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error)
	go func() { gaveUp <- p.Wait(ctx) }()
	other := make(chan bool)
	go func() { other <- p.WaitOr(nil, nil) }()
	cancel()
	require.ErrorIs(t, <-gaveUp, context.Canceled)
	p.Complete(resp.Value{}, nil)
	assert.True(t, <-other)

	// Completion while the only waiter is leaving through its other case.
	for range 200 {
		var q Promise
		stop := make(chan struct{})
		res := make(chan bool)
		go func() { res <- q.WaitOr(stop, nil) }()
		go close(stop)
		q.Complete(resp.Value{}, nil)
		<-res // true or false: both are right, as long as nothing hangs
		q.mu.Lock()
		assert.Nil(t, q.token)
		q.mu.Unlock()
	}
	var fresh Promise
	stop := make(chan struct{})
	close(stop)
	assert.False(t, fresh.WaitOr(stop, nil), "a borrowed channel came back with a token in it")
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
	// The promise and the goroutine are the test's own; Done's channel is
	// one more, WaitOr's borrowed one is none.
	assert.Equal(t, withDone-1, withWaitOr)
}

// parked reports whether somebody waits on p (through Done or WaitOr).
func (p *Promise) parked() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ch != nil || p.waiters > 0
}

//go:build integration

package integration

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/faultproxy"
	"github.com/actoredis/actoredis/integration/redistest"
)

// R2, cancellation desync: with 2±2 ms of delay each way at the proxy, 16
// goroutines GET preloaded keys under deadlines uniform in [0.5, 8] ms, so
// that about half of them expire before, during and after the write and
// the read. Every reply that arrives must be the one asked for (gate:
// mismatches 0); the figures are the timeouts and the connections dialed
// per 1,000 timeouts (churn). Run with the default pool and with a pool of
// one. RELIABILITY.md's 3,000 GETs per goroutine are 600 here (the 1/5
// size of R16); RELIABILITY_SOAK=1 runs 6,000.
func TestR2CancellationDesync(t *testing.T) {
	for _, pool := range []int{0, 1} {
		name := "pool-default"
		if pool > 0 {
			name = "pool-" + strconv.Itoa(pool)
		}
		t.Run(name, func(t *testing.T) {
			srv := redistest.Start(t)
			s := newScenario(t, "R2/"+name, srv)
			p := s.proxy(srv.Addr())
			c := s.client(client.Options{Addr: p.Addr(), PoolSize: pool})
			w := newWorkload(t, c, "r2:", 1000)
			poolSize := c.Stats().Connections
			require.True(t, waitUntil(2*time.Second, func() bool { return p.Conns() >= poolSize }))
			dialsBefore := p.Dials()
			p.Delay(faultproxy.ClientToServer, 0, 4*time.Millisecond)
			p.Delay(faultproxy.ServerToClient, 0, 4*time.Millisecond)

			const goroutines = 16
			ops := scaled(600)
			w.tally.runWorkers(t, goroutines, func(g int) {
				k := w.worker(g)
				for range ops {
					limit := 500*time.Microsecond + time.Duration(k.rng.Int64N(int64(7500*time.Microsecond)))
					ctx, cancel := context.WithTimeout(context.Background(), limit)
					k.get(ctx)
					cancel()
				}
			})
			p.Delay(faultproxy.ClientToServer, 0, 0)
			p.Delay(faultproxy.ServerToClient, 0, 0)

			// After the storm the client still answers correctly.
			k := w.worker(goroutines)
			for range 100 {
				require.Equal(t, okCorrect, k.get(context.Background()))
			}
			timeouts := w.tally.get(errTimeout)
			newConns := p.Dials() - dialsBefore
			w.tally.figures(s.fig)
			s.fig["goroutines"], s.fig["ops_per_goroutine"], s.fig["pool_size"] = goroutines, ops, poolSize
			s.fig["timeouts"], s.fig["new_conns"] = timeouts, newConns
			if timeouts > 0 {
				s.fig["new_conns_per_1000_timeouts"] = float64(newConns) * 1000 / float64(timeouts)
			}
			s.fig["duplicate_executions"] = 0 // GETs only: nothing to execute twice
			w.tally.assertGates(t)
			assert.Positive(t, timeouts, "the deadlines should have expired some GETs")
			assert.Positive(t, w.tally.get(okCorrect), "some GETs should have been answered in time")
			assert.Zero(t, w.tally.get(errAmbiguous)+w.tally.get(errNotSent)+w.tally.get(errServer),
				"no transport or server errors: a timeout must not break the connection")
		})
	}
}

// R2b, the redis-py replica (CVE-2023-28858/28859): with 50 ms of delay on
// the replies, a GET foo is cancelled 10 ms after the proxy has forwarded
// it; then GET bar, PING and GET foo go out on the same client (pool of
// one), which must answer exactly bar, PONG, foo. The same with the
// cancelled GET inside a pipeline and inside a MULTI transaction, each
// variant on its own proxy and client, run side by side. RELIABILITY.md
// asks for 200 iterations; the short setting runs 40 per variant (120),
// RELIABILITY_SOAK=1 runs 400 per variant.
func TestR2bCancelAfterSend(t *testing.T) {
	if !alone(t) { // it measures the process: its heap, CPU or goroutines
		return
	}
	srv := redistest.Start(t)
	s := newScenario(t, "R2b", srv)
	iterations := scaled(40)
	variants := []string{"command", "pipeline", "multi"}
	var tl tally
	cancelledBeforeReply := make([]int, len(variants))
	var wg sync.WaitGroup
	for vi, variant := range variants {
		p := s.proxy(srv.Addr())
		c := s.client(client.Options{Addr: p.Addr(), PoolSize: 1})
		prefix := "r2b:" + variant + ":"
		foo, bar := prefix+"foo", prefix+"bar"
		require.NoError(t, c.MSet(context.Background(), foo, "foo-value", bar, "bar-value").Err())
		p.Delay(faultproxy.ServerToClient, 50*time.Millisecond, 0)
		sent := make(chan struct{}, 1)
		p.OnClientBytes(func(int) {
			select {
			case sent <- struct{}{}:
			default:
			}
		})
		wg.Add(1)
		go func() {
			defer wg.Done()
			tl.guard(t, func() {
				for range iterations {
					if cancelAfterSend(t, &tl, c, p, sent, variant, foo, bar) {
						cancelledBeforeReply[vi]++
					}
				}
			})
		}()
	}
	wg.Wait()
	tl.figures(s.fig)
	s.fig["iterations_per_variant"] = iterations
	for vi, v := range variants {
		s.fig["cancelled_before_reply_"+v] = cancelledBeforeReply[vi]
	}
	tl.assertGates(t)
	assert.Zero(t, tl.errors(), "the follow-up commands must all succeed")
	for vi, v := range variants {
		// The schedule puts each cancellation 40 ms before the reply; a
		// loaded box may oversleep now and then, which only makes that
		// iteration a plain GET. Most must land as planned.
		assert.GreaterOrEqual(t, 2*cancelledBeforeReply[vi], iterations, "%s: cancellations that landed between send and reply", v)
	}
}

// cancelAfterSend runs one iteration of R2b; it reports whether the
// cancelled request did end with context.Canceled (its reply still on the
// way).
func cancelAfterSend(t *testing.T, tl *tally, c *client.Client, p *faultproxy.Proxy, sent chan struct{}, variant, foo, bar string) bool {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	select { // forget earlier signals
	case <-sent:
	default:
	}
	getsBefore := p.Count("GET") + p.Count("EXEC")
	var wait func() error
	switch variant {
	case "command":
		f := c.Get(ctx, foo)
		wait = func() error { return f.Err() }
	default:
		pl := c.Pipeline()
		if variant == "multi" {
			pl = c.TxPipeline()
		}
		pl.Get(ctx, foo)
		done := make(chan error, 1)
		go func() { done <- pl.Exec(ctx) }()
		wait = func() error { return <-done }
	}
	// Wait until the proxy has forwarded the request, then 10 ms more.
	for p.Count("GET")+p.Count("EXEC") == getsBefore {
		select {
		case <-sent:
		case <-time.After(2 * time.Second):
			t.Errorf("%s: the request never reached the proxy", variant)
			return false
		}
	}
	time.Sleep(10 * time.Millisecond)
	cancel()
	err := wait()
	cancelled := errors.Is(err, context.Canceled)
	if !cancelled && err != nil {
		tl.note(err, "")
	}

	// The follow-ups, on the same client, must get their own replies.
	follow := context.Background()
	if variant == "command" {
		fb, fp, ff := c.Get(follow, bar), c.Ping(follow), c.Get(follow, foo)
		checkFollowUps(tl, fb, fp, ff)
		return cancelled
	}
	pl := c.Pipeline()
	if variant == "multi" {
		pl = c.TxPipeline()
	}
	fb, fp, ff := pl.Get(follow, bar), pl.Ping(follow), pl.Get(follow, foo)
	if err := pl.Exec(follow); err != nil {
		tl.note(err, "")
		return cancelled
	}
	checkFollowUps(tl, fb, fp, ff)
	return cancelled
}

func checkFollowUps(tl *tally, fb *client.Future[string], fp *client.Future[string], ff *client.Future[string]) {
	for _, check := range []struct {
		f    *client.Future[string]
		want string
	}{{fb, "bar-value"}, {fp, "PONG"}, {ff, "foo-value"}} {
		v, err := check.f.Result()
		mismatch := ""
		if err == nil && v != check.want {
			mismatch = "got " + strconv.Quote(v) + ", want " + strconv.Quote(check.want)
		}
		tl.note(err, mismatch)
	}
}

// R3, cancelling a blocking command: BLPOP q 0 is cancelled after 50 ms,
// then LPUSH q x; 100 ms later LLEN q must be 1 (the cancelled BLPOP stole
// nothing, lettuce #1179), and within 200 ms no client is left blocked on
// the server. RELIABILITY.md asks for 100 iterations; the short setting
// runs 30, RELIABILITY_SOAK=1 runs 300.
func TestR3CancelBlocking(t *testing.T) {
	srv := redistest.Start(t)
	s := newScenario(t, "R3", srv)
	c := s.client(client.Options{Addr: srv.Addr()})
	bg := context.Background()
	iterations := scaled(30)
	var tl tally
	stolen, blockedLeft := 0, 0
	var cancelReturn samples
	for i := range iterations {
		q := "r3:q:" + strconv.Itoa(i%3)
		ctx, cancel := context.WithCancel(bg)
		f := c.BLPop(ctx, 0, q)
		time.Sleep(50 * time.Millisecond) // the schedule: cancel after 50 ms
		cancelled := time.Now()
		cancel()
		_, err := f.Result()
		cancelReturn.add(time.Since(cancelled))
		if !errors.Is(err, context.Canceled) {
			tl.note(err, "BLPOP on an empty list returned before its cancellation")
		}
		require.NoError(t, c.LPush(bg, q, "x").Err())
		time.Sleep(100 * time.Millisecond) // the schedule: wait 100 ms
		n, err := c.LLen(bg, q).Result()
		require.NoError(t, err)
		mismatch := ""
		if n != 1 {
			stolen++
			mismatch = "LLEN " + q + " = " + strconv.FormatInt(n, 10) + ", want 1"
		}
		tl.note(nil, mismatch)
		if !waitUntil(200*time.Millisecond, func() bool { return clientsWithFlag(t, srv, 'b') == 0 }) {
			blockedLeft++
		}
		require.NoError(t, c.Del(bg, q).Err())
	}
	tl.figures(s.fig)
	s.fig["iterations"], s.fig["stolen"], s.fig["blocked_clients_left"] = iterations, stolen, blockedLeft
	cancelReturn.figures(s.fig, "cancel_return")
	tl.assertGates(t)
	assert.Zero(t, stolen, "elements stolen by a cancelled BLPOP (gate 0)")
	assert.Zero(t, blockedLeft, "iterations that left a blocked client on the server after 200 ms (gate 0)")
	assert.Zero(t, tl.errors())
}

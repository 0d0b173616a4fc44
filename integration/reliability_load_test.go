//go:build integration

package integration

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

// R1, baseline: 32 goroutines run the mixed workload (60% GET of preloaded
// keys, 30% SET-then-GET of their own key, 10% INCR of their own counter)
// on a pool of 8 with no faults. Gates: mismatches 0, errors 0, and the
// server's counters equal the client's successes. RELIABILITY.md asks for
// 5,000 ops per goroutine: the short setting runs them (under -race, which
// also makes it R16's race variant), RELIABILITY_SOAK=1 runs 50,000.
func TestR1Baseline(t *testing.T) {
	srv := redistest.Start(t)
	s := newScenario(t, "R1", srv)
	c := s.client(client.Options{Addr: srv.Addr(), PoolSize: 8})
	ctx := context.Background()
	w := newWorkload(t, c, "r1:", 1000)
	_, err := srv.Do("CONFIG", "RESETSTAT")
	require.NoError(t, err)

	const goroutines = 32
	ops := scaled(5000)
	workers := make([]*worker, goroutines)
	start := time.Now()
	w.tally.runWorkers(t, goroutines, func(g int) {
		k := w.worker(g)
		workers[g] = k
		for range ops {
			k.mixed(ctx)
		}
	})
	elapsed := time.Since(start)

	// The server's counters equal the successes the client saw.
	var counterMismatch int
	for _, k := range workers {
		if k == nil {
			continue
		}
		s, err := c.Get(ctx, k.ctrKey).Result()
		if err != nil && k.counter == 0 {
			continue // this worker never drew an INCR
		}
		require.NoError(t, err)
		if v, _ := strconv.ParseInt(s, 10, 64); v != k.counter {
			counterMismatch++
		}
	}
	incrCalls := commandCalls(t, srv, "INCR")

	w.tally.figures(s.fig)
	s.fig["goroutines"], s.fig["ops_per_goroutine"], s.fig["pool_size"] = goroutines, ops, 8
	s.fig["ops_per_s"] = int(float64(w.tally.attempted()) / elapsed.Seconds())
	s.fig["incr_ok"], s.fig["server_incr_calls"], s.fig["counter_mismatches"] = w.incrOK.Load(), incrCalls, counterMismatch
	s.fig["duplicate_executions"] = max(0, int64(incrCalls)-w.incrOK.Load())

	w.tally.assertGates(t)
	assert.Zero(t, w.tally.errors(), "errors without faults (gate 0)")
	assert.EqualValues(t, goroutines*ops, w.tally.attempted())
	assert.Zero(t, counterMismatch, "server counters differ from the successes the client saw")
	assert.EqualValues(t, w.incrOK.Load(), incrCalls, "INCR calls on the server = INCR successes")
}

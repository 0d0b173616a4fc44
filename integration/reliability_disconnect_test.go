//go:build integration

package integration

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/faultproxy"
	"github.com/actoredis/actoredis/integration/redistest"
)

// faultRun keeps workers running the workload while the test injects
// faults one trial at a time, and times each trial from what the workers
// observe:
//
//   - detection: from the fault to the first of: the pool's EventConnDown
//     (Options.OnEvent), an operation that fails, the client's first new
//     connection at the proxy (retried requests hide a loss from callers);
//   - in-flight failure: operations under way at the fault that fail, at
//     most how long after detection (none may be left to time out);
//   - recovery: from the moment the server or path is reachable again to
//     each worker's first success with an operation it started after
//     detection.
type faultRun struct {
	w       *workload
	workers int
	dials   func() int // connections accepted by the proxy so far
	stop    atomic.Bool
	wg      sync.WaitGroup

	mu    sync.Mutex
	trial *trial
}

type trial struct {
	faultAt, reachableAt time.Time
	dialsAt              int // the proxy's dials when the fault happened
	detectedAt           time.Time
	lastInflightFail     time.Time
	inflightTimeouts     int
	recovered            map[int]bool
	recovery             []time.Duration
}

// opTimeout bounds one operation of a worker: an operation still pending
// then counts as a timeout, which is what the gates look for.
const opTimeout = 10 * time.Second

// newFaultRun prepares a run through proxy p; give its event method to
// the client as Options.OnEvent, then start the workers.
func newFaultRun(p *faultproxy.Proxy) *faultRun { return &faultRun{dials: p.Dials} }

// event takes the client's events: a lost connection seen by the pool
// after the fault is a detection.
func (r *faultRun) event(e client.Event) {
	if e.Kind != client.EventConnDown {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if tr := r.trial; tr != nil && !e.Time.Before(tr.faultAt) && (tr.detectedAt.IsZero() || e.Time.Before(tr.detectedAt)) {
		tr.detectedAt = e.Time
	}
}

// start starts n workers, each looping over op until Stop.
func (r *faultRun) start(t *testing.T, w *workload, n int, op func(k *worker, ctx context.Context) outcome) *faultRun {
	r.w, r.workers = w, n
	// However the test ends, the workers stop before the scenario closes
	// their client (this cleanup, registered later, runs first).
	t.Cleanup(r.Stop)
	for g := range n {
		k := w.worker(g)
		k.checkCtr = false // the checks that straddle data loss are the epoch's
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			w.tally.guard(t, func() {
				for !r.stop.Load() {
					ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
					start := time.Now()
					o := op(k, ctx)
					cancel()
					r.observe(g, start, time.Now(), o)
				}
			})
		}()
	}
	return r
}

// Stop ends the workers and waits for them.
func (r *faultRun) Stop() {
	r.stop.Store(true)
	r.wg.Wait()
}

func (r *faultRun) observe(g int, start, end time.Time, o outcome) {
	r.mu.Lock()
	defer r.mu.Unlock()
	tr := r.trial
	if tr == nil || !end.After(tr.faultAt) {
		return
	}
	if failed := o != okCorrect && o != okMismatch; failed {
		if tr.detectedAt.IsZero() || end.Before(tr.detectedAt) {
			tr.detectedAt = end
		}
		if start.Before(tr.faultAt) {
			if end.After(tr.lastInflightFail) {
				tr.lastInflightFail = end
			}
			if o == errTimeout {
				tr.inflightTimeouts++
			}
		}
		return
	}
	if tr.detectedAt.IsZero() || tr.reachableAt.IsZero() || start.Before(tr.detectedAt) || !end.After(tr.reachableAt) || tr.recovered[g] {
		return
	}
	tr.recovered[g] = true
	tr.recovery = append(tr.recovery, end.Sub(tr.reachableAt))
}

// begin starts a trial: the fault happens now.
func (r *faultRun) begin() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.trial = &trial{faultAt: time.Now(), dialsAt: r.dials(), recovered: map[int]bool{}}
}

// reachable marks the server (or path) reachable again, now.
func (r *faultRun) reachable() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.trial.reachableAt = time.Now()
}

// detected waits up to limit for the first failure of the trial, or the
// client's first new connection since the fault.
func (r *faultRun) detected(limit time.Duration) bool {
	return waitUntil(limit, func() bool {
		redialed := r.dials() > r.trial.dialsAt
		r.mu.Lock()
		defer r.mu.Unlock()
		if redialed && r.trial.detectedAt.IsZero() {
			r.trial.detectedAt = time.Now()
		}
		return !r.trial.detectedAt.IsZero()
	})
}

// end waits up to limit for every worker to recover, closes the trial and
// adds its timings to the figures of its kind.
func (r *faultRun) end(limit time.Duration, k *faultKind) {
	waitUntil(limit, func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		return len(r.trial.recovered) == r.workers
	})
	r.mu.Lock()
	tr := r.trial
	r.trial = nil
	r.mu.Unlock()
	k.trials++
	if tr.detectedAt.IsZero() {
		k.undetected++
		return
	}
	k.detect.add(tr.detectedAt.Sub(tr.faultAt))
	if !tr.lastInflightFail.IsZero() {
		k.inflightFail.add(tr.lastInflightFail.Sub(tr.detectedAt))
	}
	k.inflightTimeouts += tr.inflightTimeouts
	k.unrecovered += r.workers - len(tr.recovered)
	for _, d := range tr.recovery {
		k.recovery.add(d)
	}
}

// faultKind gathers the timings of one kind of fault over its trials.
type faultKind struct {
	name             string
	trials           int
	undetected       int
	unrecovered      int // worker-trials without a success within the limit
	inflightTimeouts int
	detect           samples
	inflightFail     samples
	recovery         samples
}

func (k *faultKind) figures() map[string]any {
	fig := map[string]any{
		"trials": k.trials, "undetected": k.undetected, "unrecovered": k.unrecovered,
		"inflight_timeouts": k.inflightTimeouts,
	}
	k.detect.figures(fig, "detect")
	k.inflightFail.figures(fig, "inflight_fail_after_detect")
	k.recovery.figures(fig, "time_to_recover")
	return fig
}

// assertBounds checks the trials of a kind: every fault detected, nothing
// left pending until its timeout, every worker recovered, and the timings
// within generous bounds (10x the targets of RELIABILITY.md, which are
// reported, not asserted: a loaded 2-core box must not make this flaky).
func (k *faultKind) assertBounds(t *testing.T, detectLimit, recoverLimit time.Duration) {
	t.Helper()
	assert.Zero(t, k.undetected, "%s: faults no operation noticed", k.name)
	assert.Zero(t, k.inflightTimeouts, "%s: in-flight requests left to time out instead of failing", k.name)
	assert.Zero(t, k.unrecovered, "%s: workers without a success after the fault", k.name)
	assert.LessOrEqual(t, k.detect.max(), detectLimit, "%s: detection", k.name)
	assert.LessOrEqual(t, k.inflightFail.max(), 10*50*time.Millisecond, "%s: in-flight failure after detection", k.name)
	assert.LessOrEqual(t, k.recovery.quantile(0.99), recoverLimit, "%s: recovery p99", k.name)
}

// faultOp is the operation mix of the fault scenarios: ECHO nonces,
// SET-then-GET within the server's current epoch, and INCR (counted at the
// proxy, its value not checked as the server may lose it).
func faultOp(k *worker, ctx context.Context) outcome {
	switch r := k.rng.IntN(20); {
	case r < 10:
		return k.echo(ctx)
	case r < 17:
		return k.setGet(ctx)
	default:
		return k.incr(ctx)
	}
}

// R4, kill -9 mid-load: 32 goroutines run ECHO, SET/GET and INCR through
// the proxy while redis-server is killed with SIGKILL, left down 300 ms
// and restarted on the same port, again and again. Gates: mismatches 0,
// panics 0, INCR double executions 0 (proxy count vs client attempts), no
// leaks; first success after the restart is reported (target p99 1.0 s,
// max 1.5 s) and asserted within 10x. RELIABILITY.md's 5 kills in 30 s
// are 3 kills 2 s apart here (R16's 1/5 size); RELIABILITY_SOAK=1 runs 30.
func TestR4Kill9MidLoad(t *testing.T) {
	srv := redistest.Start(t)
	s := newScenario(t, "R4", srv)
	p := s.proxy(srv.Addr())
	r := newFaultRun(p)
	c := s.client(client.Options{Addr: p.Addr(), PoolSize: 8, OnEvent: r.event})
	w := &workload{c: c, prefix: "r4:"}
	r.start(t, w, 32, faultOp)
	kills := scaled(3)
	kill := &faultKind{name: "kill -9"}
	for range kills {
		time.Sleep(2 * time.Second) // the schedule: a kill every 2 s
		r.begin()
		w.epoch.Add(1)
		srv.Kill9()
		r.detected(5 * time.Second)
		time.Sleep(300 * time.Millisecond) // the schedule: down 300 ms
		// A new epoch before the server can answer: an op that began in
		// the old one (a SET acknowledged just before the kill) and ends
		// on the restarted, empty server is not compared.
		w.epoch.Add(1)
		srv.Restart()
		r.reachable()
		r.end(15*time.Second, kill)
	}
	time.Sleep(time.Second) // the schedule: load after the last recovery
	r.Stop()

	incrForwarded := p.Count("INCR")
	dups := w.duplicates(incrForwarded)
	w.tally.figures(s.fig)
	s.fig["goroutines"], s.fig["pool_size"], s.fig["faults_injected"] = 32, 8, kills
	s.fig["reconnect_attempts"] = p.Dials()
	s.fig["incr_attempts"], s.fig["incr_forwarded"], s.fig["duplicate_executions"] = w.incrAttempts.Load(), incrForwarded, dups
	s.fig["epoch_lost_keys"] = w.epochLost.Load()
	for name, v := range kill.figures() {
		s.fig[name] = v
	}
	w.tally.assertGates(t)
	assert.Zero(t, dups, "INCR executed more often than sent (gate 0)")
	assert.Positive(t, w.tally.get(okCorrect))
	kill.assertBounds(t, 10*time.Second, 10*time.Second)
	assert.LessOrEqual(t, kill.recovery.max(), 15*time.Second, "first success after restart, max (target 1.5 s)")
}

// R5, every kind of disconnect under load, each in its own trials: proxy
// Cut (FIN), proxy Reset (RST), CLIENT KILL TYPE normal, SHUTDOWN NOSAVE
// then restart, proxy Blackhole (half-open TCP, found by the read
// deadline), and a Cut while the proxy has stopped accepting (the redial's
// handshake waits in the listen queue). One connection (pool of 1) carries 8 goroutines, so every
// request in flight is on the connection that breaks. Targets, reported:
// detection 50 ms (Blackhole: ReadTimeout 500 ms + 100 ms), in-flight
// requests failed within 50 ms of detection, recovery 500 ms p99 after the
// server is reachable; asserted within 10x. RELIABILITY.md's 10 trials per
// kind are 4 here; RELIABILITY_SOAK=1 runs 40.
func TestR5Disconnects(t *testing.T) {
	srv := redistest.Start(t)
	s := newScenario(t, "R5", srv)
	p := s.proxy(srv.Addr())
	const readTimeout = 500 * time.Millisecond
	// The read deadline is ReadTimeout + WriteTimeout after a write: with
	// WriteTimeout 100 ms a blackhole is found within 600 ms.
	r := newFaultRun(p)
	c := s.client(client.Options{Addr: p.Addr(), PoolSize: 1, ReadTimeout: readTimeout, WriteTimeout: 100 * time.Millisecond, OnEvent: r.event})
	w := &workload{c: c, prefix: "r5:"}
	r.start(t, w, 8, faultOp)

	kinds := []struct {
		name    string
		detect  time.Duration // 10x the target
		inject  func()        // the fault, returning once it has happened
		recover func()        // makes the server reachable again
	}{
		{"cut", 500 * time.Millisecond, p.Cut, func() {}},
		{"reset", 500 * time.Millisecond, p.Reset, func() {}},
		{"client_kill", 500 * time.Millisecond, func() {
			_, err := srv.Do("CLIENT", "KILL", "TYPE", "normal")
			require.NoError(t, err)
		}, func() {}},
		{"shutdown", 500 * time.Millisecond, func() {
			w.epoch.Add(1)
			_, _ = srv.Do("SHUTDOWN", "NOSAVE") // the server closes this connection too
		}, func() {
			w.epoch.Add(1) // before the server can answer (see R4)
			srv.Restart()
		}},
		{"blackhole", 10 * (readTimeout + 100*time.Millisecond), func() { p.Blackhole(true) }, func() { p.Blackhole(false) }},
		// A cut while the proxy does not accept: the redial connects (the
		// kernel queues it) but its handshake waits until accepting
		// resumes 300 ms later.
		{"cut_accept_paused", 500 * time.Millisecond, func() { p.PauseAccept(true); p.Cut() }, func() {
			time.Sleep(300 * time.Millisecond) // the schedule: not accepting for 300 ms
			p.PauseAccept(false)
		}},
	}
	trials := scaled(4)
	figures := map[string]any{}
	for _, kind := range kinds {
		k := &faultKind{name: kind.name}
		for range trials {
			time.Sleep(100 * time.Millisecond) // the schedule: steady load before each fault
			r.begin()
			kind.inject()
			if !r.detected(kind.detect) {
				t.Errorf("%s: not detected within %v", kind.name, kind.detect)
			}
			kind.recover()
			r.reachable()
			r.end(10*time.Second, k)
		}
		figures[kind.name] = k.figures()
		k.assertBounds(t, kind.detect, 10*500*time.Millisecond)
	}
	r.Stop()

	incrForwarded := p.Count("INCR")
	dups := w.duplicates(incrForwarded)
	w.tally.figures(s.fig)
	for name, v := range figures {
		s.fig[name] = v
	}
	s.fig["faults_injected"] = trials * len(kinds)
	s.fig["reconnect_attempts"] = p.Dials()
	s.fig["incr_attempts"], s.fig["incr_forwarded"], s.fig["duplicate_executions"] = w.incrAttempts.Load(), incrForwarded, dups
	s.fig["read_timeout_ms"] = readTimeout.Milliseconds()
	w.tally.assertGates(t)
	assert.Zero(t, dups, "INCR executed more often than sent (gate 0)")
}

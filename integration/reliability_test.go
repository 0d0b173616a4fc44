//go:build integration

package integration

// The shared machinery of the fault suite (../shared/RELIABILITY.md, issue
// 6): the workload checker that classifies every result, the leak guard run
// after every scenario, and the reporter of the RELIABILITY lines.
//
// The scenarios live in reliability_*_test.go, one file per group, and
// their tests are named TestR<id>... so that one group runs with
// go test -race -tags integration -run 'TestR4' ./integration/.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/faultproxy"
	"github.com/actoredis/actoredis/integration/redistest"
)

// soakFactor is 10 when RELIABILITY_SOAK=1 (make chaos), else 1: every
// scenario multiplies its durations and counts by it.
func soakFactor() int {
	if os.Getenv("RELIABILITY_SOAK") == "1" {
		return 10
	}
	return 1
}

// scaled multiplies a count of the short settings by the soak factor.
func scaled(n int) int { return n * soakFactor() }

// scaledDuration multiplies a duration of the short settings by the soak
// factor.
func scaledDuration(d time.Duration) time.Duration { return d * time.Duration(soakFactor()) }

// ---------------------------------------------------------------------------
// Classification of results

// outcome is the class of one operation's result.
type outcome uint8

const (
	okCorrect    outcome = iota // a reply, and the one expected
	okMismatch                  // a reply meant for another command: the gate
	errNotSent                  // failed before any byte reached the server: safe to retry
	errAmbiguous                // failed after it may have reached the server
	errTimeout                  // the caller's own context ended first
	errServer                   // the server answered with an error reply
	numOutcomes
)

var outcomeNames = [numOutcomes]string{"ok_correct", "ok_mismatched", "err_not_sent", "err_ambiguous", "err_timeout", "err_server"}

// classify sorts a failed operation. A *client.ConnError says whether the
// command may have reached the server; a server error reply (transient or
// not) is the server's answer; other errors that client.SafeToRetry calls
// safe (a pool timeout, a full queue) never sent the command; an error we
// cannot place counts as ambiguous (the unsafe assumption).
func classify(err error) outcome {
	var ce *client.ConnError
	var se *client.Error
	switch {
	case errors.As(err, &ce):
		if ce.Sent {
			return errAmbiguous
		}
		return errNotSent
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return errTimeout
	case errors.As(err, &se):
		return errServer
	case client.SafeToRetry(err):
		return errNotSent
	default:
		return errAmbiguous
	}
}

// tally counts outcomes; safe for concurrent use. It keeps the first few
// mismatches and unexpected errors for the failure message.
type tally struct {
	counts [numOutcomes]atomic.Int64
	panics atomic.Int64

	mu       sync.Mutex
	examples []string
	// onErr, when set before the workers start, sees every error noted.
	onErr func(error)
}

// note records one result: err is the operation's error (nil for a reply),
// mismatch describes a wrong reply ("" when it was the expected one).
func (t *tally) note(err error, mismatch string) outcome {
	o := okCorrect
	switch {
	case err != nil:
		o = classify(err)
	case mismatch != "":
		o = okMismatch
	}
	t.counts[o].Add(1)
	if err != nil && t.onErr != nil {
		t.onErr(err)
	}
	if o == okMismatch || o == errServer || (o == errAmbiguous && !errors.Is(err, client.ErrConnClosed)) {
		detail := mismatch
		if err != nil {
			detail = err.Error()
		}
		t.example(outcomeNames[o] + ": " + detail)
	}
	return o
}

func (t *tally) example(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.examples) < 10 {
		t.examples = append(t.examples, s)
	}
}

func (t *tally) get(o outcome) int64 { return t.counts[o].Load() }

func (t *tally) attempted() int64 {
	var n int64
	for i := range t.counts {
		n += t.counts[i].Load()
	}
	return n
}

func (t *tally) errors() int64 { return t.attempted() - t.get(okCorrect) - t.get(okMismatch) }

// figures adds the operation figures of RELIABILITY.md to fig.
func (t *tally) figures(fig map[string]any) {
	fig["ops_attempted"] = t.attempted()
	for i := range t.counts {
		fig[outcomeNames[i]] = t.counts[i].Load()
	}
	fig["panics"] = t.panics.Load()
}

// assertGates checks the correctness gates every scenario shares:
// mismatched replies 0 and panics 0.
func (t *tally) assertGates(tb testing.TB) {
	tb.Helper()
	t.mu.Lock()
	examples := slices.Clone(t.examples)
	t.mu.Unlock()
	assert.Zero(tb, t.get(okMismatch), "mismatched replies (gate 0); examples: %q", examples)
	assert.Zero(tb, t.panics.Load(), "panics in callers (gate 0)")
}

// guard runs fn, turning a panic into a counted failure of the test
// instead of a crash of the test binary, so the report still prints.
func (t *tally) guard(tb testing.TB, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			t.panics.Add(1)
			tb.Errorf("panic in a caller goroutine: %v", r)
		}
	}()
	fn()
}

// runWorkers runs n workers, each with its own index, under guard, and
// waits for all of them.
func (t *tally) runWorkers(tb testing.TB, n int, work func(g int)) {
	var wg sync.WaitGroup
	for g := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.guard(tb, func() { work(g) })
		}()
	}
	wg.Wait()
}

// ---------------------------------------------------------------------------
// The workload checker

// workload holds the self-identifying data set of a scenario: preloaded
// keys k:i whose values v:i:<random> name their own key, ECHO nonces, and
// one INCR counter and one SET key per worker.
type workload struct {
	c      *client.Client
	prefix string
	values []string
	tally  tally
	// incrAttempts counts INCRs issued, incrOK those answered; with the
	// proxy's count they show double execution.
	incrAttempts atomic.Int64
	incrNotSent  atomic.Int64
	incrOK       atomic.Int64
	// epoch changes whenever the server lost its data (kill -9): a SET and
	// GET pair that straddles a change may find the key gone.
	epoch     atomic.Int64
	epochLost atomic.Int64
}

// newWorkload preloads n keys under prefix through c.
func newWorkload(tb testing.TB, c *client.Client, prefix string, n int) *workload {
	tb.Helper()
	w := &workload{c: c, prefix: prefix, values: make([]string, n)}
	ctx := context.Background()
	const chunk = 500
	for from := 0; from < n; from += chunk {
		pairs := make([]any, 0, 2*chunk)
		for i := from; i < min(n, from+chunk); i++ {
			w.values[i] = "v:" + strconv.Itoa(i) + ":" + strconv.FormatUint(rand.Uint64(), 16)
			pairs = append(pairs, w.key(i), w.values[i])
		}
		require.NoError(tb, c.MSet(ctx, pairs...).Err())
	}
	return w
}

func (w *workload) key(i int) string { return w.prefix + "k:" + strconv.Itoa(i) }

// worker is one goroutine's own state: its SET key, its counter and what
// it knows of the counter's value.
type worker struct {
	w        *workload
	g        int
	rng      *rand.Rand
	seq      int
	setKey   string
	ctrKey   string
	counter  int64 // the counter's value as last seen
	unsure   int64 // INCRs since then whose outcome is unknown
	checkCtr bool  // whether the counter's value can be checked (no data loss)
}

func (w *workload) worker(g int) *worker {
	return &worker{
		w: w, g: g, rng: rand.New(rand.NewPCG(rand.Uint64(), uint64(g))),
		setKey: w.prefix + "own:" + strconv.Itoa(g), ctrKey: w.prefix + "ctr:" + strconv.Itoa(g), checkCtr: true,
	}
}

// get reads a random preloaded key and checks the value names it.
func (k *worker) get(ctx context.Context) outcome {
	i := k.rng.IntN(len(k.w.values))
	v, err := k.w.c.Get(ctx, k.w.key(i)).Result()
	mismatch := ""
	if err == nil && v != k.w.values[i] {
		mismatch = fmt.Sprintf("GET %s = %q, want %q", k.w.key(i), v, k.w.values[i])
	}
	return k.w.tally.note(err, mismatch)
}

// echo sends ECHO g:i:nonce and checks the reply is that string.
func (k *worker) echo(ctx context.Context) outcome {
	k.seq++
	msg := "g:" + strconv.Itoa(k.g) + ":" + strconv.Itoa(k.seq) + ":" + strconv.FormatUint(k.rng.Uint64(), 36)
	v, err := k.w.c.Echo(ctx, msg).Result()
	mismatch := ""
	if err == nil && v != msg {
		mismatch = fmt.Sprintf("ECHO %q = %q", msg, v)
	}
	return k.w.tally.note(err, mismatch)
}

// setGet writes a fresh value to the worker's own key, then reads it back:
// the GET must return exactly that value. When the server lost its data
// between the two (the epoch moved), a missing key is no mismatch.
func (k *worker) setGet(ctx context.Context) outcome {
	k.seq++
	val := "s:" + strconv.Itoa(k.g) + ":" + strconv.Itoa(k.seq) + ":" + strconv.FormatUint(k.rng.Uint64(), 36)
	epoch := k.w.epoch.Load()
	if err := k.w.c.Set(ctx, k.setKey, val, 0).Err(); err != nil {
		return k.w.tally.note(err, "")
	}
	v, err := k.w.c.Get(ctx, k.setKey).Result()
	if errors.Is(err, client.ErrNil) && k.w.epoch.Load() != epoch {
		k.w.epochLost.Add(1)
		return k.w.tally.note(nil, "")
	}
	if errors.Is(err, client.ErrNil) {
		return k.w.tally.note(nil, fmt.Sprintf("GET %s after SET: nil, want %q", k.setKey, val))
	}
	mismatch := ""
	if err == nil && v != val {
		mismatch = fmt.Sprintf("GET %s after SET = %q, want %q", k.setKey, v, val)
	}
	return k.w.tally.note(err, mismatch)
}

// incr increments the worker's counter. When its value can be checked, the
// reply must be the last value seen plus one, plus at most the number of
// INCRs since whose outcome was unknown.
func (k *worker) incr(ctx context.Context) outcome {
	k.w.incrAttempts.Add(1)
	v, err := k.w.c.Incr(ctx, k.ctrKey).Result()
	mismatch := ""
	if err == nil {
		k.w.incrOK.Add(1)
		if lo, hi := k.counter+1, k.counter+1+k.unsure; k.checkCtr && (v < lo || v > hi) {
			mismatch = fmt.Sprintf("INCR %s = %d, want %d..%d", k.ctrKey, v, lo, hi)
		}
		k.counter, k.unsure = v, 0
	}
	o := k.w.tally.note(err, mismatch)
	switch o {
	case errNotSent:
		k.w.incrNotSent.Add(1)
	case errAmbiguous, errTimeout:
		k.unsure++
	}
	return o
}

// mixed runs one operation of R1's mix: 60% GET of a preloaded key, 30%
// SET-then-GET of the worker's own key, 10% INCR of its own counter.
func (k *worker) mixed(ctx context.Context) outcome {
	switch r := k.rng.IntN(10); {
	case r < 6:
		return k.get(ctx)
	case r < 9:
		return k.setGet(ctx)
	default:
		return k.incr(ctx)
	}
}

// duplicates compares the INCRs the proxy forwarded with those the client
// issued: every INCR that failed as not sent never reached the proxy's
// target, so at most attempts - notSent may have been forwarded; anything
// above is a double execution.
func (w *workload) duplicates(forwarded int) int64 {
	return max(0, int64(forwarded)-(w.incrAttempts.Load()-w.incrNotSent.Load()))
}

// ---------------------------------------------------------------------------
// Timing figures

// samples collects durations; safe for concurrent use.
type samples struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *samples) add(d time.Duration) {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
}

// len returns the number of samples.
func (s *samples) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.d)
}

// quantile returns the q-quantile (nearest rank), or 0 without samples.
func (s *samples) quantile(q float64) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.d) == 0 {
		return 0
	}
	sorted := slices.Clone(s.d)
	slices.Sort(sorted)
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func (s *samples) max() time.Duration { return s.quantile(1) }

// figures adds name_ms p50/p99/max to fig, in milliseconds with 0.1 ms
// precision.
func (s *samples) figures(fig map[string]any, name string) {
	fig[name+"_ms"] = map[string]float64{"p50": ms(s.quantile(0.5)), "p99": ms(s.quantile(0.99)), "max": ms(s.max())}
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Millisecond)*10) / 10 }

// ---------------------------------------------------------------------------
// Waiting on conditions

// waitUntil polls cond every few milliseconds until it holds or limit
// passes; it reports whether it held.
func waitUntil(limit time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(limit)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// serverClients returns connected_clients of srv (the probe's own
// connection included), or -1 when the server does not answer.
func serverClients(srv *redistest.Server) int {
	info, err := srv.Info("clients")
	if err != nil {
		return -1
	}
	n, err := strconv.Atoi(info["connected_clients"])
	if err != nil {
		return -1
	}
	return n
}

// clientsWithFlag counts the server's clients whose CLIENT LIST flags
// hold flag ('b' blocked, 'P' subscribed, ...).
func clientsWithFlag(tb testing.TB, srv *redistest.Server, flag byte) int {
	tb.Helper()
	reply, err := srv.Do("CLIENT", "LIST")
	require.NoError(tb, err)
	list, _ := reply.(string)
	n := 0
	for _, line := range strings.Split(list, "\n") {
		for _, field := range strings.Fields(line) {
			if flags, ok := strings.CutPrefix(field, "flags="); ok && strings.IndexByte(flags, flag) >= 0 {
				n++
			}
		}
	}
	return n
}

// commandCalls returns the calls INFO commandstats counts for command.
func commandCalls(tb testing.TB, srv *redistest.Server, command string) int {
	tb.Helper()
	info, err := srv.Info("commandstats")
	require.NoError(tb, err)
	stat := info["cmdstat_"+strings.ToLower(command)]
	for _, field := range strings.Split(stat, ",") {
		if v, ok := strings.CutPrefix(field, "calls="); ok {
			n, err := strconv.Atoi(v)
			require.NoError(tb, err)
			return n
		}
	}
	return 0
}

// ---------------------------------------------------------------------------
// The leak guard

// Bounds of the leak guard.
const (
	leakWait     = 2 * time.Second // for fds and server clients to go back
	heapSlackMiB = 5.0             // heap growth allowed after runtime.GC
)

// leakGuard takes a baseline before a scenario and checks, after the
// scenario's clients and proxies are closed, that goroutines, file
// descriptors, the server's clients and the heap are back to it.
type leakGuard struct {
	srv        *redistest.Server
	ignore     goleak.Option
	goroutines int
	fds        int
	clients    int
	heap       uint64
}

// newLeakGuard takes the baseline; srv may be nil (no server check).
func newLeakGuard(tb testing.TB, srv *redistest.Server) *leakGuard {
	tb.Helper()
	g := &leakGuard{srv: srv, ignore: goleak.IgnoreCurrent(), goroutines: runtime.NumGoroutine(), fds: openFDs(), clients: -1}
	if srv != nil {
		g.clients = serverClients(srv)
		require.Positive(tb, g.clients, "connected_clients of %s", srv.Addr())
		noteRedisVersion(srv)
	}
	g.heap = heapInUse()
	return g
}

// check measures everything again, waiting up to 2 s for fds and server
// clients to go back, adds the resource figures to fig and returns the
// number of leaks found (each reported as a test error).
func (g *leakGuard) check(tb testing.TB, fig map[string]any) int {
	tb.Helper()
	leaks := 0
	if err := goleak.Find(g.ignore); err != nil {
		leaks++
		tb.Errorf("leaked goroutines (gate 0):\n%v", err)
	}
	fds := openFDs()
	if !waitUntil(leakWait, func() bool { fds = openFDs(); return fds <= g.fds }) {
		leaks++
		tb.Errorf("file descriptors: %d open after the scenario, %d before (gate: back to baseline)", fds, g.fds)
	}
	clients := -1
	if g.srv != nil {
		if !waitUntil(leakWait, func() bool { clients = serverClients(g.srv); return clients >= 0 && clients <= g.clients }) {
			leaks++
			tb.Errorf("server connected_clients: %d after the scenario, %d before (gate: back to baseline within %v)", clients, g.clients, leakWait)
		}
	}
	heap := heapInUse()
	growth := (float64(heap) - float64(g.heap)) / (1 << 20)
	if growth > heapSlackMiB {
		leaks++
		tb.Errorf("heap grew by %.1f MiB after runtime.GC (limit %.0f MiB)", growth, heapSlackMiB)
	}
	fig["goroutines_before"], fig["goroutines_after"] = g.goroutines, runtime.NumGoroutine()
	fig["fds_before"], fig["fds_after"] = g.fds, fds
	fig["server_clients_before"], fig["server_clients_after"] = g.clients, clients
	fig["heap_before_MiB"], fig["heap_after_MiB"] = mib(g.heap), mib(heap)
	fig["leaks"] = leaks
	return leaks
}

func openFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func mib(b uint64) float64 { return math.Round(float64(b)/(1<<20)*10) / 10 }

// ---------------------------------------------------------------------------
// The reporter

var environment struct {
	mu     sync.Mutex
	redis  string
	commit string
}

// noteRedisVersion remembers the version of the first server a scenario
// ran against.
func noteRedisVersion(srv *redistest.Server) {
	environment.mu.Lock()
	defer environment.mu.Unlock()
	if environment.redis != "" {
		return
	}
	if info, err := srv.Info("server"); err == nil {
		environment.redis = info["redis_version"]
	}
}

func commit() string {
	if c := os.Getenv("RELIABILITY_COMMIT"); c != "" {
		return c
	}
	environment.mu.Lock()
	defer environment.mu.Unlock()
	if environment.commit == "" {
		environment.commit = "unknown"
		if out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output(); err == nil {
			environment.commit = strings.TrimSpace(string(out))
		}
	}
	return environment.commit
}

// reportReliability prints one line "RELIABILITY {json}" with the
// scenario's figures and the environment (Go and Redis versions, CPU count,
// GOMAXPROCS, commit, soak factor), and, when RELIABILITY_REPORT names a
// file, appends the JSON object to it as one line (make chaos turns those
// lines into the table of docs/reliability.md).
func reportReliability(t *testing.T, id string, figures map[string]any) {
	t.Helper()
	row := map[string]any{
		"id": id, "test": t.Name(), "passed": !t.Failed(),
		"go": runtime.Version(), "cpus": runtime.NumCPU(), "gomaxprocs": runtime.GOMAXPROCS(0),
		"commit": commit(), "soak": soakFactor(), "race": raceEnabled,
	}
	environment.mu.Lock()
	row["redis"] = environment.redis
	environment.mu.Unlock()
	for k, v := range figures {
		row[k] = v
	}
	line, err := json.Marshal(row)
	require.NoError(t, err)
	fmt.Printf("RELIABILITY %s\n", line)
	if path := os.Getenv("RELIABILITY_REPORT"); path != "" {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		require.NoError(t, err)
		_, err = f.Write(append(line, '\n'))
		require.NoError(t, errors.Join(err, f.Close()))
	}
}

// scenario bundles what every scenario needs: figures to report, the
// leak guard and the tally of operations. finish closes what the scenario
// registered, checks for leaks and reports, in that order, whatever
// happened.
type scenario struct {
	t       *testing.T
	id      string
	fig     map[string]any
	guard   *leakGuard
	started time.Time
	closers []func()
}

// newScenario takes the leak baseline against srv (nil for none) and
// registers the report with t.Cleanup. Register clients and proxies with
// closeAtEnd so they are closed before the leak check.
func newScenario(t *testing.T, id string, srv *redistest.Server) *scenario {
	t.Helper()
	s := &scenario{t: t, id: id, fig: map[string]any{}, guard: newLeakGuard(t, srv), started: time.Now()}
	t.Cleanup(s.finish)
	return s
}

// closeAtEnd registers fn to run before the leak check, in reverse order.
func (s *scenario) closeAtEnd(fn func()) { s.closers = append(s.closers, fn) }

// client opens a client that the scenario closes before its leak check.
func (s *scenario) client(opts client.Options) *client.Client {
	s.t.Helper()
	c, err := client.New(opts)
	require.NoError(s.t, err)
	s.closeAtEnd(func() { _ = c.Close() })
	return c
}

// proxy starts a fault proxy to target that the scenario closes before its
// leak check (after the clients using it).
func (s *scenario) proxy(target string) *faultproxy.Proxy {
	s.t.Helper()
	p, err := faultproxy.New(target)
	require.NoError(s.t, err)
	s.closeAtEnd(func() { _ = p.Close() })
	return p
}

func (s *scenario) finish() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
	s.closers = nil
	s.guard.check(s.t, s.fig)
	s.fig["wall_s"] = math.Round(time.Since(s.started).Seconds()*10) / 10
	reportReliability(s.t, s.id, s.fig)
}

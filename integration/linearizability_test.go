//go:build integration

package integration

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/faultproxy"
	"github.com/actoredis/actoredis/integration/linearize"
	"github.com/actoredis/actoredis/integration/redistest"
)

// Linearizability under faults (issue 18): several clients with default
// options, many goroutines, a few hot keys; GET, SET, INCR, DEL, a
// compare-and-set script, MGET, pipelines (each command its own
// operation, within the pipeline's call) and MULTI/EXEC (one atomic
// operation). The history of every run is checked with porcupine (see
// integration/linearize for how outcomes are modelled); a history that is
// not linearizable fails the test, names the operations involved and
// leaves the history and its visualization in LINEARIZABILITY_ARTIFACTS
// (default .linearizability/ at the repository's root).
//
// A run is a series of rounds, each on fresh keys and checked on its own,
// so long runs (make chaos: RELIABILITY_SOAK=1, 60 rounds) keep every
// history small enough to check in seconds: a round ends after 20,000
// operations or 5 s. Faults are paced by operations (one every so many),
// so that every round has its share however fast the workload runs.

// linShape is the shape of a run.
type linShape struct {
	clients    int           // client instances
	goroutines int           // per client
	groups     int           // key groups (three keys each) per round
	round      time.Duration // the longest a round runs
	maxOps     int64         // a round ends after this many operations
	rounds     int
	opTimeout  time.Duration
}

func defaultLinShape() linShape {
	rounds := 1
	if soakFactor() > 1 {
		rounds = 60
	}
	return linShape{clients: 3, goroutines: 4, groups: 8, round: 5 * time.Second, maxOps: 20_000, rounds: rounds, opTimeout: 2 * time.Second}
}

// linCAS is the compare-and-set: ARGV[1] the value expected ("" for a
// missing key), ARGV[2] the new one.
var linCAS = client.NewScript(`local v = redis.call('GET', KEYS[1])
if (v == false and ARGV[1] == '') or v == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2])
  return 1
end
return 0`)

// linTarget is what the workers of a run send their operations to: a
// Client (of one server, or NewFailover's) or a ClusterClient, through
// linClient and linCluster.
type linTarget interface {
	linCommands
	client.Scripter
	// pipeline returns an empty pipeline, a MULTI/EXEC one when tx.
	pipeline(tx bool) linPipeline
	// conn leases a dedicated connection to the primary of key.
	conn(ctx context.Context, key string) (*client.Conn, error)
	Watch(ctx context.Context, fn func(tx *client.Tx) error, keys ...string) error
}

// linPipeline is what a step needs of a Pipeline or a ClusterPipeline.
type linPipeline interface {
	linCommands
	Wait(ctx context.Context, numReplicas int, timeout time.Duration) *client.Future[int64]
	Exec(ctx context.Context) error
}

// linClient is a Client as a linTarget.
type linClient struct{ *client.Client }

func (c linClient) pipeline(tx bool) linPipeline {
	if tx {
		return c.TxPipeline()
	}
	return c.Pipeline()
}

func (c linClient) conn(ctx context.Context, _ string) (*client.Conn, error) { return c.Conn(ctx) }

// linRun is what a scenario runs: its rounds' shape, the targets (each
// shared by shape.goroutines workers), its fault (nil: none) and how
// outcomes are decided.
type linRun struct {
	shape   linShape
	targets []linTarget
	fault   *linFault
	// acked is the rule for asynchronous replication (L5, L7): see
	// linearizability_sentinel_test.go. Without it, a reply is the
	// outcome.
	acked bool
	// tags, when set, gives the hash tag of each group of a round (by
	// default prefix:g, one slot per group).
	tags func(prefix string, groups int) []string
	// watch, when set, runs beside each round's workload until it is
	// done (L5: it notes every failover, the injected one or not).
	watch func(done <-chan struct{}, r *linRound)
	// afterRound, when set, runs on the test's goroutine once a round's
	// workload is done (L6: the slots moved go back).
	afterRound func(r *linRound)
}

// linRound is one round's workload and history.
type linRound struct {
	s       linShape
	prefix  string
	tags    []string // each group's hash tag
	h       *linearize.History
	targets []linTarget
	started atomic.Int64 // operations started
	limit   atomic.Int64 // the round ends once this many have started
	ops     atomic.Int64 // operations done
	fault   *linFault
	tick    chan struct{} // a fault is due
	acked   bool
	// failedOver is the history time at which the round's last failover
	// completed (0 before); after counts the operations that happened,
	// called after it; reads waits for the end of the round, when the
	// last failover is known (the acked rule).
	failedOver atomic.Int64
	after      atomic.Int64
	readsMu    sync.Mutex
	reads      []linRead
	watch      func(done <-chan struct{}, r *linRound)
	failovers  atomic.Int64 // failovers noted by watch
	eventsMu   sync.Mutex
	events     []string // what the fault and watch saw, for a failure message
}

// noteEvent keeps a line on what happened in the round, for the log of a
// round with a surprise in it.
func (r *linRound) noteEvent(e string) {
	r.eventsMu.Lock()
	defer r.eventsMu.Unlock()
	r.events = append(r.events, e)
}

func (r *linRound) key(g, k int) string {
	return "{" + r.tags[g] + "}:k" + strconv.Itoa(k)
}

// linWorker is one goroutine of the workload.
type linWorker struct {
	r    *linRound
	t    linTarget
	proc int
	rng  *rand.Rand
	seq  int64
	seen map[string]string // the last value read per key, for CAS
	cn   *client.Conn      // the acked rule: the connection of the writes
}

// value returns a value no other write of the run writes: a multiple of
// 1000, so that INCRs after it do not reach another's.
func (w *linWorker) value() string {
	w.seq++
	return strconv.FormatInt((int64(w.proc+1)*1_000_000+w.seq)*1000, 10)
}

func (w *linWorker) randomStep(g int, reads bool) linearize.Step {
	k := w.rng.IntN(linearize.KeysPerGroup)
	switch n := w.rng.IntN(100); {
	case n < 35 && reads:
		return linearize.Step{Kind: linearize.Get, Key: k}
	case n < 60:
		return linearize.Step{Kind: linearize.Set, Key: k, Val: w.value()}
	case n < 80:
		return linearize.Step{Kind: linearize.Incr, Key: k}
	case n < 88:
		return linearize.Step{Kind: linearize.Del, Key: k}
	default:
		return linearize.Step{Kind: linearize.CAS, Key: k, Old: w.seen[w.r.key(g, k)], Val: w.value()}
	}
}

// stepFuture queues st on cmds (a client or a pipeline) and returns a
// function that waits for its results.
func (w *linWorker) stepFuture(ctx context.Context, cmds linCommands, g int, st linearize.Step) func() ([]string, error) {
	key := w.r.key(g, st.Key)
	str := func(f *client.Future[string]) func() ([]string, error) {
		return func() ([]string, error) {
			v, err := f.Result()
			if errors.Is(err, client.ErrNil) {
				return []string{""}, nil
			}
			if err == nil {
				w.seen[key] = v
			}
			return []string{v}, err
		}
	}
	num := func(f *client.Future[int64]) func() ([]string, error) {
		return func() ([]string, error) {
			n, err := f.Result()
			return []string{strconv.FormatInt(n, 10)}, err
		}
	}
	switch st.Kind {
	case linearize.Get:
		return str(cmds.Get(ctx, key))
	case linearize.Set:
		f := cmds.Set(ctx, key, st.Val, 0)
		return func() ([]string, error) { return []string{"OK"}, f.Err() }
	case linearize.Incr:
		return num(cmds.Incr(ctx, key))
	case linearize.Del:
		return num(cmds.Del(ctx, key))
	case linearize.MGet:
		keys := make([]string, linearize.KeysPerGroup)
		for i := range keys {
			keys[i] = w.r.key(g, i)
		}
		f := cmds.MGet(ctx, keys...)
		return func() ([]string, error) {
			vals, err := f.Result()
			out := make([]string, len(keys))
			for i, v := range vals {
				if i < len(out) && v.Valid {
					out[i] = v.Value
				}
			}
			return out, err
		}
	}
	panic("stepFuture: " + st.Kind.String())
}

// linCommands is what a step needs of a client or a pipeline.
type linCommands interface {
	Get(ctx context.Context, key string) *client.Future[string]
	Set(ctx context.Context, key string, value any, ttl time.Duration) *client.Future[string]
	Incr(ctx context.Context, key string) *client.Future[int64]
	Del(ctx context.Context, keys ...string) *client.Future[int64]
	MGet(ctx context.Context, keys ...string) *client.Future[[]client.NullString]
}

// one runs one operation and records it.
func (w *linWorker) one(ctx context.Context) {
	g := w.rng.IntN(w.r.s.groups)
	ctx, cancel := context.WithTimeout(ctx, w.r.s.opTimeout)
	defer cancel()
	if w.r.acked {
		w.oneAcked(ctx, g, w.rng.IntN(100))
	} else {
		w.onePlain(ctx, g, w.rng.IntN(100))
	}
	if n := w.r.ops.Add(1); w.r.fault != nil && n%w.r.fault.every == 0 {
		select {
		case w.r.tick <- struct{}{}:
		default: // the last one is still being injected
		}
	}
}

// onePlain runs one operation (its kind drawn from n, 0-99) on group g
// and records it with its reply as the outcome.
func (w *linWorker) onePlain(ctx context.Context, g, n int) {
	h := w.r.h
	switch {
	case n < 70: // a single command
		st := w.randomStep(g, true)
		call := h.Now()
		if st.Kind == linearize.CAS {
			v, err := linCAS.Run(ctx, w.t, []string{w.r.key(g, st.Key)}, st.Old, st.Val).Result()
			h.Add(w.proc, linearize.Input{Group: g, Steps: []linearize.Step{st}}, call, []string{strconv.FormatInt(v.Int, 10)}, err)
			break
		}
		results, err := w.stepFuture(ctx, w.t, g, st)()
		h.Add(w.proc, linearize.Input{Group: g, Steps: []linearize.Step{st}}, call, results, err)
	case n < 78: // MGET
		st := linearize.Step{Kind: linearize.MGet}
		call := h.Now()
		results, err := w.stepFuture(ctx, w.t, g, st)()
		h.Add(w.proc, linearize.Input{Group: g, Steps: []linearize.Step{st}}, call, results, err)
	case n < 89: // a pipeline: each command its own operation, within the pipeline's call
		p := w.t.pipeline(false)
		steps := w.steps(g)
		call := h.Now()
		waits := w.queue(ctx, p, g, steps)
		_ = p.Exec(ctx) // each future keeps its own outcome
		for i, st := range steps {
			results, err := waits[i]()
			h.Add(w.proc, linearize.Input{Group: g, Steps: []linearize.Step{st}}, call, results, err)
		}
	default: // MULTI/EXEC: one atomic operation
		p := w.t.pipeline(true)
		steps := w.steps(g)
		call := h.Now()
		waits := w.queue(ctx, p, g, steps)
		results, err := txResults(p.Exec(ctx), waits)
		h.Add(w.proc, linearize.Input{Group: g, Steps: steps, Tx: true}, call, results, err)
	}
}

// txResults gathers the results of a transaction's steps once EXEC
// returned err: all of them, or the first error.
func txResults(err error, waits []func() ([]string, error)) ([]string, error) {
	if err != nil {
		return nil, err
	}
	var results []string
	for _, wait := range waits {
		r, ferr := wait()
		if ferr != nil {
			return nil, ferr
		}
		results = append(results, r...)
	}
	return results, nil
}

// queue queues steps on p and returns what waits for each one's results.
func (w *linWorker) queue(ctx context.Context, p linCommands, g int, steps []linearize.Step) []func() ([]string, error) {
	waits := make([]func() ([]string, error), len(steps))
	for i, st := range steps {
		waits[i] = w.stepFuture(ctx, p, g, st)
	}
	return waits
}

// steps returns two or three steps for a pipeline or a transaction (no
// CAS: the script is not pipelined).
func (w *linWorker) steps(g int) []linearize.Step {
	n := 2 + w.rng.IntN(2)
	out := make([]linearize.Step, 0, n)
	for range n {
		st := w.randomStep(g, true)
		for st.Kind == linearize.CAS {
			st = w.randomStep(g, true)
		}
		out = append(out, st)
	}
	return out
}

// run drives the workload until ctx ends or the round's limit of
// operations (maxOps, or fewer after a fault injected once) were started.
func (r *linRound) run(ctx context.Context) {
	var wg sync.WaitGroup
	proc := 0
	for _, t := range r.targets {
		for range r.s.goroutines {
			w := &linWorker{r: r, t: t, proc: proc, rng: rand.New(rand.NewPCG(uint64(proc), uint64(time.Now().UnixNano()))), seen: map[string]string{}}
			proc++
			wg.Go(func() {
				defer w.release()
				for ctx.Err() == nil && r.started.Add(1) <= r.limit.Load() {
					w.one(ctx)
				}
			})
		}
	}
	wg.Wait()
}

// linArtifacts is where histories that are not linearizable go.
func linArtifacts() string {
	if d := os.Getenv("LINEARIZABILITY_ARTIFACTS"); d != "" {
		return d
	}
	return filepath.Join("..", ".linearizability")
}

// linFault is one kind of fault, injected once every so many operations
// while a round runs.
type linFault struct {
	name  string
	every int64 // operations between two faults
	// inject injects one, on the test's goroutine; it returns once the
	// fault is over.
	inject func(ctx context.Context, r *linRound)
	// once: the fault is injected once a round, after every operations,
	// and the round ends settle operations after it is over (a failover:
	// seconds long, with the load going on after it).
	once   bool
	settle int64
}

// injectFaults injects r's fault whenever one is due, until ctx ends or
// the workload is done, and marks each in the history.
func (r *linRound) injectFaults(ctx context.Context, done <-chan struct{}, count *atomic.Int64) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-done:
			return
		case <-r.tick:
			at := r.h.Now()
			r.fault.inject(ctx, r)
			r.h.Fault(r.fault.name, at, r.h.Now())
			count.Add(1)
			if r.fault.once {
				r.limit.Store(min(r.s.maxOps, r.started.Load()+r.fault.settle))
				return
			}
		}
	}
}

// linScenario runs the rounds of a scenario with opts for its clients
// and checks each round's history. It reports figures in s.fig.
func linScenario(t *testing.T, s *scenario, shape linShape, opts client.Options, fault *linFault) {
	t.Helper()
	targets := make([]linTarget, shape.clients)
	for i := range targets {
		targets[i] = linClient{s.client(opts)}
	}
	linRunRounds(t, s, linRun{shape: shape, targets: targets, fault: fault})
}

// runRound runs one round's workload, and its faults on this goroutine.
func (r *linRound) runRound(faults *atomic.Int64) {
	ctx, cancel := context.WithTimeout(context.Background(), r.s.round)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.run(ctx)
	}()
	// However this goroutine ends (a fault's FailNow included), the
	// workload is stopped and waited for.
	var watching sync.WaitGroup
	if r.watch != nil {
		watching.Go(func() { r.watch(done, r) })
	}
	defer func() { cancel(); <-done; watching.Wait() }()
	if r.fault != nil {
		r.injectFaults(ctx, done, faults)
	}
	<-done
}

// linRunRounds runs the rounds of run and checks each round's history. It
// reports figures in s.fig.
func linRunRounds(t *testing.T, s *scenario, run linRun) {
	t.Helper()
	shape, fault := run.shape, run.fault
	var faults atomic.Int64
	var totals struct{ ops, unknown, omitted, checked, linearizable int }
	var after, failovers int64
	failures := map[string]int{}
	var checkTime time.Duration
	name := strings.NewReplacer("/", "-").Replace(t.Name())
	for round := range shape.rounds {
		r := &linRound{s: shape, prefix: fmt.Sprintf("lin:%s:%d:%d", name, round, time.Now().UnixNano()),
			h: linearize.NewHistory(), targets: run.targets, fault: fault, tick: make(chan struct{}, 1), acked: run.acked, watch: run.watch}
		r.limit.Store(shape.maxOps)
		if run.tags != nil {
			r.tags = run.tags(r.prefix, shape.groups)
		} else {
			for g := range shape.groups {
				r.tags = append(r.tags, r.prefix+":"+strconv.Itoa(g))
			}
		}
		faultsBefore := faults.Load()
		r.runRound(&faults)
		if run.afterRound != nil {
			run.afterRound(r)
		}
		if run.acked {
			r.recordReads()
		}
		after += r.after.Load()
		failovers += r.failovers.Load()
		if n := r.failovers.Load(); n > 1 {
			t.Logf("round %d: %d failovers (the injected one, and %d made by the servers on their own): %s", round, n, n-1, strings.Join(r.events, "; "))
		}

		rep, err := r.h.Check(time.Minute, linArtifacts(), fmt.Sprintf("%s-round%d", name, round))
		require.NoError(t, err)
		totals.ops += rep.Ops
		totals.unknown += rep.Unknown
		totals.omitted += rep.Omitted
		totals.checked++
		checkTime += rep.Took
		for k, v := range rep.Failures {
			failures[k] += v
		}
		if rep.Linearizable() {
			totals.linearizable++
		}
		switch {
		case rep.Result == "Unknown":
			t.Errorf("round %d: the checker could not decide within a minute for a group (%d operations)", round, rep.Ops)
		case !rep.Linearizable():
			t.Errorf("round %d: the history is NOT linearizable (%d operations, %d with unknown outcome); artifacts: %s\n%s\n%s",
				round, rep.Ops, rep.Unknown, strings.Join(rep.Artifacts, ", "), strings.Join(rep.Involved, "\n"), strings.Join(r.events, "\n"))
		}
		require.Positive(t, rep.Ops-rep.Unknown, "round %d: some operations completed", round)
		if fault != nil && fault.once {
			require.Equal(t, faultsBefore+1, faults.Load(), "round %d: the fault was injected", round)
		}
		if run.acked {
			require.Positive(t, r.after.Load(), "round %d: operations happened after the failover completed", round)
		}
	}
	keys := make([]string, 0, len(failures))
	for k := range failures {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var fs []string
	for _, k := range keys {
		fs = append(fs, fmt.Sprintf("%s: %d", k, failures[k]))
	}
	t.Logf("%d rounds: %d operations checked (%d with unknown outcome), %d left out, %d faults; %d of %d histories linearizable; checking took %v; failures: %s",
		shape.rounds, totals.ops, totals.unknown, totals.omitted, faults.Load(), totals.linearizable, totals.checked, checkTime.Round(time.Millisecond), strings.Join(fs, "; "))
	s.fig["ops_checked"] = totals.ops
	s.fig["ops_unknown_outcome"] = totals.unknown
	s.fig["ops_left_out"] = totals.omitted
	s.fig["faults_injected"] = faults.Load()
	s.fig["histories"] = totals.checked
	s.fig["histories_linearizable"] = totals.linearizable
	s.fig["violations"] = totals.checked - totals.linearizable
	s.fig["check_s"] = checkTime.Round(10 * time.Millisecond).Seconds()
	if run.acked {
		s.fig["ops_after_failover"] = after
	}
	if run.watch != nil {
		s.fig["failovers_seen"] = failovers
	}
}

// linOptions are the clients' options: defaults, but a short
// reconnect backoff so that faults every few tens of milliseconds leave
// time to work between them.
func linOptions(addr string) client.Options {
	return client.Options{Addr: addr, PoolSize: 4, ReconnectBackoff: client.ExponentialBackoff{Base: time.Millisecond, Cap: 20 * time.Millisecond}}
}

// Without faults: the baseline, and a check of the checker's plumbing.
func TestLinearizableNoFaults(t *testing.T) {
	srv := redistest.Start(t)
	s := newScenario(t, "L0", srv)
	linScenario(t, s, defaultLinShape(), linOptions(srv.Addr()), nil)
}

// Every normal connection killed every 200 operations (CLIENT KILL TYPE
// normal):
// with the default retry policy, writes whose connection died after they
// may have been sent fail as ambiguous, and reads are retried.
func TestLinearizableClientKillStorm(t *testing.T) {
	srv := redistest.Start(t)
	s := newScenario(t, "L1", srv)
	admin := openAdmin(t, srv)
	linScenario(t, s, defaultLinShape(), linOptions(srv.Addr()), &linFault{name: "client kill", every: 200,
		inject: func(context.Context, *linRound) {
			_ = admin.Do(context.Background(), "CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes").Err()
		}})
}

// kill -9 and restart of the server every 4,000 operations, with
// appendonly yes and appendfsync always: every acknowledged write survives the crash, so the history
// stays linearizable across restarts (a lost acknowledged write would
// make a later read unexplained).
func TestLinearizableKill9Restart(t *testing.T) {
	srv := redistest.Start(t, redistest.WithArgs("--appendonly", "yes", "--appendfsync", "always"))
	s := newScenario(t, "L2", srv)
	linScenario(t, s, defaultLinShape(), linOptions(srv.Addr()), &linFault{name: "kill -9, restart", every: 4000,
		inject: func(context.Context, *linRound) {
			srv.Kill9()
			srv.Restart()
		}})
}

// Network faults through the fault proxy: connections cut (FIN) or reset
// (RST) every 300 operations; a blackhole that holds every byte for
// 300 ms (longer than ReadTimeout: commands time out, then their bytes
// are delivered late) every 3,000 operations; and every byte rechunked
// into pieces of 1-7 bytes, with cuts every 500 operations.
func TestLinearizableNetworkFaults(t *testing.T) {
	srv := redistest.Start(t)
	cases := []struct {
		name  string
		setup func(p *faultproxy.Proxy)
		opts  func(o *client.Options)
		fault func(p *faultproxy.Proxy) *linFault
	}{
		{name: "cut", fault: func(p *faultproxy.Proxy) *linFault {
			return &linFault{name: "cut", every: 300, inject: func(context.Context, *linRound) { p.Cut() }}
		}},
		{name: "reset", fault: func(p *faultproxy.Proxy) *linFault {
			return &linFault{name: "reset", every: 300, inject: func(context.Context, *linRound) { p.Reset() }}
		}},
		{name: "blackhole",
			opts: func(o *client.Options) { o.ReadTimeout = 150 * time.Millisecond },
			fault: func(p *faultproxy.Proxy) *linFault {
				return &linFault{name: "blackhole", every: 3000, inject: func(ctx context.Context, _ *linRound) {
					p.Blackhole(true)
					defer p.Blackhole(false)
					select {
					case <-ctx.Done():
					case <-time.After(300 * time.Millisecond):
					}
				}}
			}},
		{name: "rechunk",
			setup: func(p *faultproxy.Proxy) { p.Rechunk(7) },
			fault: func(p *faultproxy.Proxy) *linFault {
				return &linFault{name: "cut", every: 500, inject: func(context.Context, *linRound) { p.Cut() }}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newScenario(t, "L3/"+tc.name, srv)
			p := s.proxy(srv.Addr())
			if tc.setup != nil {
				tc.setup(p)
			}
			opts := linOptions(p.Addr())
			if tc.opts != nil {
				tc.opts(&opts)
			}
			linScenario(t, s, defaultLinShape(), opts, tc.fault(p))
		})
	}
}

// openAdmin opens a client for the faults, apart from the workload's.
func openAdmin(t *testing.T, srv *redistest.Server) *client.Client {
	t.Helper()
	c, err := client.New(client.Options{Addr: srv.Addr(), PoolSize: 1})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// The retry policy's opt-in is what it says: with ResendIdempotent, an
// ambiguous SET is sent again (at least once), counted as a retry; by
// default it fails as ambiguous. Checked against a real server through
// the proxy, which cuts the connection after the server ran the SET.
func TestLinearizableDefaultNeverResendsAmbiguousSet(t *testing.T) {
	srv := redistest.Start(t)
	for _, resend := range []bool{false, true} {
		t.Run("ResendIdempotent="+strconv.FormatBool(resend), func(t *testing.T) {
			s := newScenario(t, "L4/resend-"+strconv.FormatBool(resend), srv)
			p := s.proxy(srv.Addr())
			opts := linOptions(p.Addr())
			opts.PoolSize = 1
			opts.Retry.ResendIdempotent = resend
			c := s.client(opts)
			ctx := t.Context()
			key := "lin:resend:" + strconv.FormatBool(resend)
			require.NoError(t, c.Set(ctx, key, "0", 0).Err())
			before := p.Count("SET")
			p.CutAfterBytes(faultproxy.ServerToClient, 1)
			err := c.Set(ctx, key, "1", 0).Err()
			require.True(t, waitUntil(time.Second, func() bool { return p.Count("SET")-before >= 1 }))
			if resend {
				require.NoError(t, err)
				assert.Equal(t, 2, p.Count("SET")-before, "sent twice: at least once")
				assert.Equal(t, uint64(1), c.Stats().Retries)
			} else {
				require.ErrorIs(t, err, client.ErrAmbiguous)
				assert.False(t, client.SafeToRetry(err))
				assert.Equal(t, 1, p.Count("SET")-before, "sent once")
				assert.Zero(t, c.Stats().Retries)
			}
			v, gerr := c.Get(ctx, key).Result()
			require.NoError(t, gerr)
			assert.Equal(t, "1", v, "the server ran it")
			s.fig["set_forwarded"] = p.Count("SET") - before
		})
	}
}

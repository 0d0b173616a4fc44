package main

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Phases of one measurement, read by every worker before and after each
// operation.
const (
	phaseWarmup int32 = iota
	phaseMeasure
	phaseStop
)

// workload is one operation applied to random keys of the keyspace: GET,
// SET, or PIPE<N>, one pipeline of N SETs; or PUBSUB<N>, one publisher and
// N subscribers of one channel (pubsub.go).
type workload string

const (
	workloadGet workload = "GET"
	workloadSet workload = "SET"
)

// pipeWorkload is the workload of pipelines of n SETs.
func pipeWorkload(n int) workload { return workload("PIPE" + strconv.Itoa(n)) }

// pipeSize is the number of SETs in one pipeline of w, 0 when w is not a
// pipeline workload.
func (w workload) pipeSize() int {
	digits, ok := strings.CutPrefix(string(w), "PIPE")
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 1 {
		return 0
	}
	return n
}

// sample is one measurement: one client, workload and concurrency, for one
// round. Per-op figures divide the deltas taken over the measured window
// by the operations completed in it. For a pipeline workload an op is one
// SET (Ops counts SETs), latencies are per pipeline, and the rate is
// taken per goroutine over the span of its counted pipelines (see
// measure).
type sample struct {
	Client      string        `json:"client"`
	Workload    workload      `json:"workload"`
	Concurrency int           `json:"concurrency"`
	Round       int           `json:"round"`
	Elapsed     time.Duration `json:"elapsed_ns"`
	Ops         uint64        `json:"ops"`
	Errors      uint64        `json:"errors"`
	FirstError  string        `json:"first_error,omitempty"`
	OpsPerSec   float64       `json:"ops_per_sec"`
	Mean        time.Duration `json:"mean_ns"`
	P50         time.Duration `json:"p50_ns"`
	P99         time.Duration `json:"p99_ns"`
	P999        time.Duration `json:"p999_ns"`
	AllocsPerOp float64       `json:"allocs_per_op"`
	BytesPerOp  float64       `json:"bytes_per_op"`
	CPUPerOp    float64       `json:"cpu_us_per_op"`

	// PipelineSize is N of a pipeline workload (0 for GET and SET);
	// Pipelines the pipelines counted, MinPipelinesPerWorker the fewest any
	// one goroutine completed inside the window (a window too short for
	// the pipelines shows as 0 or 1 here).
	PipelineSize          int    `json:"pipeline_size,omitempty"`
	Pipelines             uint64 `json:"pipelines,omitempty"`
	MinPipelinesPerWorker uint64 `json:"min_pipelines_per_worker,omitempty"`

	// Pub/sub workloads (Concurrency is Subscribers): Ops counts the
	// messages the subscribers received inside the window, all of them
	// together, and OpsPerSec, the latencies and the per-op figures are per
	// delivered message; latency is end to end, from the publisher's send
	// time in the payload to the subscriber's receipt. Published counts the
	// messages whose pipeline started and ended inside the window;
	// PublisherWaited is the fraction of the window the publisher spent
	// blocked on the backlog bound (near 0: the publisher was the
	// bottleneck). Lost counts the sequence numbers the subscribers never
	// saw, over the whole measurement; ReportedLost the drops the library
	// reported, Reconnects the reconnections it reported, UnreportedLost
	// the losses of subscriptions that reported neither; OutOfOrder the
	// messages older than one already received.
	Subscribers     int     `json:"subscribers,omitempty"`
	Published       uint64  `json:"published,omitempty"`
	PublishedPerSec float64 `json:"published_per_sec,omitempty"`
	PublisherWaited float64 `json:"publisher_waited,omitempty"`
	Lost            uint64  `json:"lost,omitempty"`
	ReportedLost    uint64  `json:"reported_lost,omitempty"`
	Reconnects      uint64  `json:"reconnects,omitempty"`
	UnreportedLost  uint64  `json:"unreported_lost,omitempty"`
	OutOfOrder      uint64  `json:"out_of_order,omitempty"`
	// GoroutinesLeft is how many more goroutines the process ran a second
	// after every subscription was closed than before subscribing.
	GoroutinesLeft int `json:"goroutines_left,omitempty"`

	// ServerCPUPerOp is redis-server's CPU time (INFO cpu) over the window
	// per op, -1 when it could not be read.
	ServerCPUPerOp float64 `json:"server_cpu_us_per_op"`
	// CommandsPerRead is how many commands redis-server found per read
	// from a socket (INFO stats) over the window: the depth of the
	// client's pipelining as the server sees it; -1 when unknown.
	CommandsPerRead float64 `json:"server_commands_per_read"`
	// The machine's busy cores over the window (/proc/stat; -1 when it
	// could not be read), this process's, and what is left for every
	// other process: the noise from neighbours.
	BusyCores   float64 `json:"busy_cores"`
	ClientCores float64 `json:"client_cores"`
	ServerCores float64 `json:"server_cores"`
	OtherCores  float64 `json:"other_cores"`
}

// worker is one goroutine's private state, allocated once for the largest
// concurrency and reused, so nothing is allocated while measuring.
type worker struct {
	hist     histogram
	ops      uint64
	total    time.Duration // sum of the latencies, for the mean
	errors   uint64
	firstErr error

	// Pipeline workloads: the keys of the next pipeline (kept across
	// measurements), the pipelines counted, and the start of the first
	// and the end of the last of them.
	batch       []string
	pipelines   uint64
	first, last time.Time
}

// runner measures one driver at a time against the shared keyspace.
type runner struct {
	keys    []string
	value   string
	warmup  time.Duration
	window  time.Duration
	workers []worker
	// server reads redis-server's counters; ok false when it cannot.
	server func(context.Context) (serverCounters, bool)
	// numsub is the server's count of subscribers of a channel.
	numsub func(ctx context.Context, channel string) (int64, error)

	// Pub/sub workloads: the payload's size (valueSize, at least its
	// header), PUBLISHes per pipeline, the backlog bound, the subscribers'
	// state (reused), and a counter that names each measurement's channel.
	valueSize  int
	pubBatch   int
	pubBacklog int
	subs       []subscriber
	channelSeq int
}

// edge is what the runner reads at each edge of a measured window.
type edge struct {
	srv    serverCounters
	srvOK  bool
	busy   time.Duration
	busyOK bool
	mem    runtime.MemStats
	cpu    time.Duration
}

// openWindow reads the counters at the start of a window: the server's
// first and the process's CPU time last, so that the reads fall outside.
func (r *runner) openWindow(ctx context.Context) (e edge) {
	e.srv, e.srvOK = r.server(ctx)
	e.busy, e.busyOK = machineBusy()
	runtime.ReadMemStats(&e.mem)
	e.cpu = processCPU()
	return e
}

// closeWindow reads them at its end, in the reverse order.
func (r *runner) closeWindow(ctx context.Context) (e edge) {
	e.cpu = processCPU()
	runtime.ReadMemStats(&e.mem)
	e.busy, e.busyOK = machineBusy()
	e.srv, e.srvOK = r.server(ctx)
	return e
}

// account fills in s's cores and per-op figures from the edges of a
// window of elapsed, the per-op ones divided by ops (none when ops is 0).
func (s *sample) account(e0, e1 *edge, elapsed time.Duration, ops float64) {
	s.ClientCores = float64(e1.cpu-e0.cpu) / float64(elapsed)
	if e0.busyOK && e1.busyOK {
		s.BusyCores = float64(e1.busy-e0.busy) / float64(elapsed)
	}
	srvOK := e0.srvOK && e1.srvOK
	if srvOK {
		s.ServerCores = float64(e1.srv.CPU-e0.srv.CPU) / float64(elapsed)
		if reads := e1.srv.Reads - e0.srv.Reads; reads > 0 {
			s.CommandsPerRead = float64(e1.srv.Commands-e0.srv.Commands) / float64(reads)
		}
	}
	if s.BusyCores >= 0 && s.ServerCores >= 0 {
		s.OtherCores = max(s.BusyCores-s.ClientCores-s.ServerCores, 0)
	}
	if ops <= 0 {
		return
	}
	s.AllocsPerOp = float64(e1.mem.Mallocs-e0.mem.Mallocs) / ops
	s.BytesPerOp = float64(e1.mem.TotalAlloc-e0.mem.TotalAlloc) / ops
	s.CPUPerOp = float64(e1.cpu-e0.cpu) / float64(time.Microsecond) / ops
	if srvOK {
		s.ServerCPUPerOp = float64(e1.srv.CPU-e0.srv.CPU) / float64(time.Microsecond) / ops
	}
}

// serverCounters are redis-server's running totals.
type serverCounters struct {
	CPU      time.Duration
	Commands uint64
	Reads    uint64
}

// measure runs concurrency goroutines issuing w on d in a closed loop: a
// warm-up, then the measured window. Only operations that start and end
// inside the window are counted; memory statistics and process CPU time
// are read at the window's edges.
func (r *runner) measure(ctx context.Context, d driver, w workload, concurrency int) sample {
	workers := r.workers[:concurrency]
	size := w.pipeSize()
	for i := range workers {
		batch := workers[i].batch
		if cap(batch) < size {
			batch = make([]string, size)
		}
		workers[i] = worker{hist: workers[i].hist, batch: batch[:size]}
		workers[i].hist.reset()
	}
	runtime.GC() // the previous measurement's garbage is not this one's cost

	var phase atomic.Int32
	var wg sync.WaitGroup
	seed := uint64(time.Now().UnixNano())
	for i := range workers {
		wg.Go(func() { r.work(ctx, d.session(i), w, &workers[i], &phase, seed, uint64(i)) })
	}

	time.Sleep(r.warmup)
	e0 := r.openWindow(ctx)
	t0 := time.Now()
	phase.Store(phaseMeasure)

	time.Sleep(r.window)
	phase.Store(phaseStop)
	elapsed := time.Since(t0)
	e1 := r.closeWindow(ctx)
	wg.Wait()

	s := sample{Workload: w, Concurrency: concurrency, Elapsed: elapsed, PipelineSize: size, ServerCPUPerOp: -1, CommandsPerRead: -1, BusyCores: -1, ServerCores: -1, OtherCores: -1}
	var all histogram
	var total time.Duration
	for i := range workers {
		s.Ops += workers[i].ops
		s.Errors += workers[i].errors
		total += workers[i].total
		if workers[i].firstErr != nil && s.FirstError == "" {
			s.FirstError = workers[i].firstErr.Error()
		}
		all.add(&workers[i].hist)
	}
	s.P50 = all.quantile(0.50)
	s.P99 = all.quantile(0.99)
	s.P999 = all.quantile(0.999)
	s.OpsPerSec = float64(s.Ops) / elapsed.Seconds()
	// done is the number of ops the window's deltas (memory, CPU) are
	// divided by: those counted for GET and SET.
	done := float64(s.Ops)
	if size > 0 {
		// A pipeline may last a fair part of the window, and the one each
		// goroutine had in flight at either edge is not counted: ops ÷
		// window would be short by about one pipeline per goroutine, more
		// for the slower client. So each goroutine's rate is its SETs over
		// the span of its counted pipelines (first start to last end: a
		// closed loop, so nothing else ran in between), the rate is the sum
		// of those, and the window saw rate × elapsed SETs.
		s.OpsPerSec = 0
		s.MinPipelinesPerWorker = workers[0].pipelines
		for i := range workers {
			me := &workers[i]
			s.Pipelines += me.pipelines
			s.MinPipelinesPerWorker = min(s.MinPipelinesPerWorker, me.pipelines)
			if span := me.last.Sub(me.first); me.pipelines > 0 && span > 0 {
				s.OpsPerSec += float64(me.ops) / span.Seconds()
			}
		}
		done = s.OpsPerSec * elapsed.Seconds()
	}
	if s.Ops == 0 {
		done = 0
	}
	if done > 0 {
		if size > 0 {
			s.Mean = total / time.Duration(s.Pipelines)
		} else {
			s.Mean = total / time.Duration(s.Ops)
		}
	}
	s.account(&e0, &e1, elapsed, done)
	return s
}

// work is one closed-loop caller: one command (or one pipeline) in flight
// at a time, on keys drawn uniformly from the keyspace.
func (r *runner) work(ctx context.Context, sess session, w workload, me *worker, phase *atomic.Int32, seed, stream uint64) {
	rng := rand.New(rand.NewPCG(seed, stream))
	n := len(r.keys)
	pipe, _ := sess.(pipeliner)
	if len(me.batch) > 0 && pipe == nil {
		me.errors, me.firstErr = 1, errors.New("this client is not measured on pipelines")
		return
	}
	for {
		p := phase.Load()
		if p == phaseStop {
			return
		}
		var key string
		if len(me.batch) > 0 {
			for i := range me.batch {
				me.batch[i] = r.keys[rng.IntN(n)]
			}
		} else {
			key = r.keys[rng.IntN(n)]
		}
		start := time.Now()
		var err error
		switch {
		case len(me.batch) > 0:
			err = pipe.SetPipeline(ctx, me.batch, r.value)
		case w == workloadGet:
			err = sess.Get(ctx, key)
		default:
			err = sess.Set(ctx, key, r.value)
		}
		end := time.Now()
		took := end.Sub(start)
		if p != phaseMeasure || phase.Load() != phaseMeasure {
			continue
		}
		if len(me.batch) > 0 {
			if me.pipelines == 0 {
				me.first = start
			}
			me.pipelines++
			me.last = end
			me.ops += uint64(len(me.batch))
		} else {
			me.ops++
		}
		me.total += took
		me.hist.record(took)
		if err != nil {
			me.errors++
			if me.firstErr == nil {
				me.firstErr = err
			}
		}
	}
}

// processCPU is the user plus system CPU time of the whole process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// machineBusy is the CPU time all cores of the machine have spent busy
// so far (the first line of /proc/stat, less idle and iowait), to the
// clock tick (10 ms); ok is false where /proc/stat cannot be read.
func machineBusy() (time.Duration, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	fields := strings.Fields(line)
	if len(fields) < 5 || fields[0] != "cpu" {
		return 0, false
	}
	var busy uint64
	for i, f := range fields[1:] {
		v, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return 0, false
		}
		// user nice system idle iowait irq softirq steal guest guest_nice:
		// idle, iowait and steal are not this machine's work, and guest
		// time is already counted in user and nice.
		if i == 3 || i == 4 || i >= 7 {
			continue
		}
		busy += v
	}
	const tick = 10 * time.Millisecond // USER_HZ is 100 on Linux
	return time.Duration(busy) * tick, true
}

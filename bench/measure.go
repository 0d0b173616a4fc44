package main

import (
	"context"
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

// workload is one operation applied to random keys of the keyspace.
type workload string

const (
	workloadGet workload = "GET"
	workloadSet workload = "SET"
)

// sample is one measurement: one client, workload and concurrency, for one
// round. Per-op figures divide the deltas taken over the measured window
// by the operations completed in it.
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
	for i := range workers {
		workers[i] = worker{hist: workers[i].hist}
		workers[i].hist.reset()
	}
	runtime.GC() // the previous measurement's garbage is not this one's cost

	var phase atomic.Int32
	var wg sync.WaitGroup
	seed := uint64(time.Now().UnixNano())
	for i := range workers {
		wg.Go(func() { r.work(ctx, d, w, &workers[i], &phase, seed, uint64(i)) })
	}

	time.Sleep(r.warmup)
	var mem0, mem1 runtime.MemStats
	srv0, srvOK0 := r.server(ctx)
	busy0, busyOK0 := machineBusy()
	runtime.ReadMemStats(&mem0)
	cpu0 := processCPU()
	t0 := time.Now()
	phase.Store(phaseMeasure)

	time.Sleep(r.window)
	phase.Store(phaseStop)
	elapsed := time.Since(t0)
	cpu1 := processCPU()
	runtime.ReadMemStats(&mem1)
	busy1, busyOK1 := machineBusy()
	srv1, srvOK1 := r.server(ctx)
	wg.Wait()

	s := sample{Workload: w, Concurrency: concurrency, Elapsed: elapsed, ServerCPUPerOp: -1, CommandsPerRead: -1, BusyCores: -1, ServerCores: -1, OtherCores: -1}
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
	s.ClientCores = float64(cpu1-cpu0) / float64(elapsed)
	if busyOK0 && busyOK1 {
		s.BusyCores = float64(busy1-busy0) / float64(elapsed)
	}
	if srvOK0 && srvOK1 {
		s.ServerCores = float64(srv1.CPU-srv0.CPU) / float64(elapsed)
		if reads := srv1.Reads - srv0.Reads; reads > 0 {
			s.CommandsPerRead = float64(srv1.Commands-srv0.Commands) / float64(reads)
		}
	}
	if s.BusyCores >= 0 && s.ServerCores >= 0 {
		s.OtherCores = max(s.BusyCores-s.ClientCores-s.ServerCores, 0)
	}
	if s.Ops > 0 {
		ops := float64(s.Ops)
		s.Mean = total / time.Duration(s.Ops)
		s.AllocsPerOp = float64(mem1.Mallocs-mem0.Mallocs) / ops
		s.BytesPerOp = float64(mem1.TotalAlloc-mem0.TotalAlloc) / ops
		s.CPUPerOp = float64(cpu1-cpu0) / float64(time.Microsecond) / ops
		if srvOK0 && srvOK1 {
			s.ServerCPUPerOp = float64(srv1.CPU-srv0.CPU) / float64(time.Microsecond) / ops
		}
	}
	return s
}

// work is one closed-loop caller: one command in flight at a time, on a
// key drawn uniformly from the keyspace.
func (r *runner) work(ctx context.Context, d driver, w workload, me *worker, phase *atomic.Int32, seed, stream uint64) {
	rng := rand.New(rand.NewPCG(seed, stream))
	n := len(r.keys)
	for {
		p := phase.Load()
		if p == phaseStop {
			return
		}
		key := r.keys[rng.IntN(n)]
		start := time.Now()
		var err error
		if w == workloadGet {
			err = d.Get(ctx, key)
		} else {
			err = d.Set(ctx, key, r.value)
		}
		took := time.Since(start)
		if p != phaseMeasure || phase.Load() != phaseMeasure {
			continue
		}
		me.ops++
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

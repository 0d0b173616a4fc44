// Command bench measures actoredis against go-redis and rueidis on one
// redis-server, in one run: GET and SET of small values on a preloaded
// keyspace, pipelines of N SETs (-workloads pipes), at several
// concurrencies, and pub/sub delivery from one publisher to 1 and to 100
// subscribers of one channel (-workloads pubsub), each client measured in turn within every round so that
// drift of a shared machine falls on all of them alike; a hand-written
// raw-socket client is the baseline. It prints one markdown table per
// workload; -json writes every sample.
//
//	cd bench && REDIS_ADDR=127.0.0.1:6391 go run . [-quick] [-json out.json]
//
// The server is REDIS_ADDR, default 127.0.0.1:6379. The program writes only
// keys under "bench:" and deletes them when it ends.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

type config struct {
	addr        string
	window      time.Duration
	warmup      time.Duration
	rounds      int
	concurrency []int // GET and SET
	pipeConc    []int // pipeline workloads
	clients     []string
	workloads   []workload
	keys        int
	valueSize   int
	jsonPath    string
	cpuProfile  string
	memProfile  string
	pubBatch    int // pub/sub: PUBLISHes per pipeline
	pubBacklog  int // pub/sub: messages a subscriber may be behind
}

func main() {
	cfg, err := parseFlags()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	if *clusterMode {
		err = runCluster(cfg)
	} else {
		err = run(cfg)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags() (config, error) {
	var (
		cfg       config
		conc      = flag.String("conc", "1,16,128,1024", "comma-separated numbers of concurrent goroutines (pipeline workloads: 1,16 unless given)")
		clients   = flag.String("clients", "", "comma-separated clients to measure, or all (default: all but "+rawClient+", which joins when a pipeline workload is selected; known: "+strings.Join(clientNames, ", ")+")")
		workloads = flag.String("workloads", "get,set", "comma-separated workloads: get, set, pipeN (a pipeline of N SETs), pipes (= pipe10,pipe100,pipe10000), pubsubN (one publisher, N subscribers), pubsub (= pubsub1,pubsub100)")
		quick     = flag.Bool("quick", false, "smoke run: 300ms windows, 100ms warm-up, 1 round, concurrency 1 and 128 (explicit flags win)")
	)
	flag.DurationVar(&cfg.window, "d", 1500*time.Millisecond, "measured duration of each row in each round")
	flag.DurationVar(&cfg.warmup, "warmup", 250*time.Millisecond, "unmeasured warm-up before each measurement")
	flag.IntVar(&cfg.rounds, "rounds", 3, "rounds; each row reports the median")
	flag.IntVar(&cfg.keys, "keys", 10000, "size of the preloaded keyspace")
	flag.IntVar(&cfg.valueSize, "size", 16, "value size in bytes")
	flag.StringVar(&cfg.jsonPath, "json", "", "write every sample and the summary to this file")
	flag.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of the measurements to this file")
	flag.StringVar(&cfg.memProfile, "memprofile", "", "write an allocation profile to this file at the end")
	flag.IntVar(&cfg.pubBatch, "pub-pipeline", 100, "pub/sub: PUBLISH commands per pipeline of the publisher")
	flag.IntVar(&cfg.pubBacklog, "pub-backlog", 1000, "pub/sub: the publisher waits while a subscriber is this many messages behind (at least -pub-pipeline)")
	flag.IntVar(&actoredisOptions.PoolSize, "actoredis-pool", 0, "actoredis: Options.PoolSize (0: the default)")
	flag.DurationVar(&actoredisOptions.FlushDelay, "actoredis-flush-delay", 0, "actoredis: Options.FlushDelay (0: off, the default)")
	flag.Parse()
	if flag.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q", flag.Args())
	}

	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *quick {
		if !set["d"] {
			cfg.window = 300 * time.Millisecond
		}
		if !set["warmup"] {
			cfg.warmup = 100 * time.Millisecond
		}
		if !set["rounds"] {
			cfg.rounds = 1
		}
		if !set["conc"] {
			*conc = "1,128"
		}
	}

	cfg.addr = os.Getenv("REDIS_ADDR")
	if cfg.addr == "" {
		cfg.addr = "127.0.0.1:6379"
	}
	for _, f := range splitList(*conc) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return cfg, fmt.Errorf("-conc: %q is not a positive number", f)
		}
		cfg.concurrency = append(cfg.concurrency, n)
	}
	cfg.pipeConc = cfg.concurrency
	if !set["conc"] {
		cfg.pipeConc = []int{1, 16}
	}
	for _, f := range splitList(*workloads) {
		var ws []workload
		switch f = strings.ToLower(f); {
		case f == "get":
			ws = []workload{workloadGet}
		case f == "set":
			ws = []workload{workloadSet}
		case f == "pipes":
			ws = []workload{pipeWorkload(10), pipeWorkload(100), pipeWorkload(10000)}
		case workload(strings.ToUpper(f)).pipeSize() > 0:
			ws = []workload{pipeWorkload(workload(strings.ToUpper(f)).pipeSize())}
		case f == "pubsub":
			ws = []workload{pubsubWorkload(1), pubsubWorkload(100)}
		case workload(strings.ToUpper(f)).subscribers() > 0:
			ws = []workload{pubsubWorkload(workload(strings.ToUpper(f)).subscribers())}
		default:
			return cfg, fmt.Errorf("-workloads: unknown workload %q (known: get, set, pipeN, pipes, pubsubN, pubsub)", f)
		}
		for _, w := range ws {
			if !slices.Contains(cfg.workloads, w) {
				cfg.workloads = append(cfg.workloads, w)
			}
		}
	}
	names := defaultClients(slices.ContainsFunc(cfg.workloads, func(w workload) bool { return w.pipeSize() > 0 }))
	if set["clients"] {
		names = splitList(*clients)
		if len(names) == 1 && names[0] == "all" {
			names = clientNames
		}
	}
	for _, name := range names {
		if !slices.Contains(clientNames, name) {
			return cfg, fmt.Errorf("-clients: unknown client %q (known: %s)", name, strings.Join(clientNames, ", "))
		}
		if !slices.Contains(cfg.clients, name) {
			cfg.clients = append(cfg.clients, name)
		}
	}
	switch {
	case len(cfg.concurrency) == 0, len(cfg.clients) == 0, len(cfg.workloads) == 0:
		return cfg, fmt.Errorf("-conc, -clients and -workloads must not be empty")
	case cfg.window <= 0, cfg.warmup < 0:
		return cfg, fmt.Errorf("-d must be positive and -warmup not negative")
	case cfg.rounds < 1, cfg.keys < 1, cfg.valueSize < 1:
		return cfg, fmt.Errorf("-rounds, -keys and -size must be at least 1")
	case cfg.pubBatch < 1, cfg.pubBacklog < cfg.pubBatch:
		return cfg, fmt.Errorf("-pub-pipeline must be at least 1 and -pub-backlog at least -pub-pipeline")
	}
	return cfg, nil
}

// concFor returns the concurrencies w is measured at; for a pub/sub
// workload, its number of subscribers.
func (cfg config) concFor(w workload) []int {
	if n := w.subscribers(); n > 0 {
		return []int{n}
	}
	if w.pipeSize() > 0 {
		return cfg.pipeConc
	}
	return cfg.concurrency
}

func splitList(s string) []string {
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func run(cfg config) error {
	ctx := context.Background()

	admin := goredis.NewClient(&goredis.Options{Addr: cfg.addr})
	defer admin.Close()
	env, err := readEnvironment(ctx, admin)
	if err != nil {
		return fmt.Errorf("redis at %s (set REDIS_ADDR): %w", cfg.addr, err)
	}
	keys, value := keyspace(cfg.keys, cfg.valueSize)
	if err := preload(ctx, admin, keys, value); err != nil {
		return fmt.Errorf("preload: %w", err)
	}
	defer cleanup(ctx, admin, keys, cfg.clients)

	drivers := make(map[string]driver, len(cfg.clients))
	defer func() {
		for name, d := range drivers {
			if err := d.Close(); err != nil {
				fmt.Fprintf(os.Stderr, "bench: closing %s: %v\n", name, err)
			}
		}
	}()
	for _, name := range cfg.clients {
		d, err := newDriver(ctx, name, cfg.addr)
		if err != nil {
			return err
		}
		drivers[name] = d
	}
	// The pub/sub pairs (a subscriber and a publisher client each) are
	// connected only when a pub/sub workload is selected.
	pubsubs := map[string]pubsubDriver{}
	defer func() {
		for name, d := range pubsubs {
			if err := d.Close(); err != nil {
				fmt.Fprintf(os.Stderr, "bench: closing %s pub/sub: %v\n", name, err)
			}
		}
	}()
	if slices.ContainsFunc(cfg.workloads, func(w workload) bool { return w.subscribers() > 0 }) {
		for _, name := range cfg.clients {
			if !pubsubCapable(name) {
				continue
			}
			d, err := newPubSubDriver(name, cfg.addr)
			if err != nil {
				return fmt.Errorf("%s pub/sub: %w", name, err)
			}
			pubsubs[name] = d
			if err := checkPubSub(ctx, name, d); err != nil {
				return fmt.Errorf("%s pub/sub: %w", name, err)
			}
		}
	}

	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	// measured reports whether name is measured on w: every client on GET
	// and SET, those whose session can send a pipeline on the pipelines,
	// those with a pub/sub pair on pub/sub.
	measured := func(name string, w workload) bool {
		switch {
		case w.subscribers() > 0:
			return pubsubs[name] != nil
		case w.pipeSize() > 0:
			_, ok := drivers[name].session(0).(pipeliner)
			return ok
		}
		return true
	}
	total, maxConc := 0, 1
	for _, w := range cfg.workloads {
		for _, name := range cfg.clients {
			if measured(name, w) {
				total += cfg.rounds * len(cfg.concFor(w))
			}
		}
		if w.subscribers() == 0 {
			maxConc = max(maxConc, slices.Max(cfg.concFor(w)))
		}
	}
	if total == 0 {
		return fmt.Errorf("nothing to measure: none of -clients %s is measured on -workloads", strings.Join(cfg.clients, ","))
	}
	fmt.Fprintf(os.Stderr, "bench: %d measurements of %v (+%v warm-up), about %v\n",
		total, cfg.window, cfg.warmup, (time.Duration(total) * (cfg.window + cfg.warmup + 100*time.Millisecond)).Round(time.Second))

	r := &runner{
		keys:    keys,
		value:   value,
		warmup:  cfg.warmup,
		window:  cfg.window,
		workers: make([]worker, maxConc),
		server:  func(ctx context.Context) (serverCounters, bool) { return readServer(ctx, admin) },
		numsub: func(ctx context.Context, channel string) (int64, error) {
			counts, err := admin.PubSubNumSub(ctx, channel).Result()
			return counts[channel], err
		},

		valueSize:  cfg.valueSize,
		pubBatch:   cfg.pubBatch,
		pubBacklog: cfg.pubBacklog,
	}
	var samples []sample
	done := 0
	for round := range cfg.rounds {
		for _, w := range cfg.workloads {
			for _, n := range cfg.concFor(w) {
				// Rotate the starting client each round, so no client is
				// always the one measured right after a given other.
				for i := range cfg.clients {
					name := cfg.clients[(i+round)%len(cfg.clients)]
					if !measured(name, w) {
						continue
					}
					var s sample
					if w.subscribers() > 0 {
						s = r.measurePubSub(ctx, pubsubs[name], w, name)
					} else {
						s = r.measure(ctx, drivers[name], w, n)
					}
					s.Client, s.Round = name, round+1
					samples = append(samples, s)
					done++
					if w.subscribers() > 0 {
						fmt.Fprintf(os.Stderr, "[%d/%d] round %d %s subs=%-4d %-14s %9.0f delivered/s %9.0f published/s  p50 %-9s p99 %-9s %6.2f allocs/msg %6.0f B/msg %6.2f CPU µs/msg  server %5.2f µs/msg  lost %d (reported %d, reconnects %d)  publisher waited %.0f%%  goroutines left %d  other load %.2f cores%s\n",
							done, total, round+1, w, n, name, s.OpsPerSec, s.PublishedPerSec, fmtLatency(s.P50), fmtLatency(s.P99),
							s.AllocsPerOp, s.BytesPerOp, s.CPUPerOp, s.ServerCPUPerOp, s.Lost, s.ReportedLost, s.Reconnects, 100*s.PublisherWaited, s.GoroutinesLeft, s.OtherCores, errNote(s))
						continue
					}
					unit, extra := "op", ""
					if w.pipeSize() > 0 {
						unit, extra = "SET", fmt.Sprintf("  %d pipelines (≥%d per goroutine)", s.Pipelines, s.MinPipelinesPerWorker)
					}
					fmt.Fprintf(os.Stderr, "[%d/%d] round %d %s c=%-4d %-22s %9.0f %ss/s  p50 %-9s p99 %-9s %6.2f allocs/%s %6.0f B/%s %6.2f CPU µs/%s  server %5.2f µs/%s %5.1f cmds/read  other load %.2f cores%s%s\n",
						done, total, round+1, w, n, name, s.OpsPerSec, unit, fmtLatency(s.P50), fmtLatency(s.P99),
						s.AllocsPerOp, unit, s.BytesPerOp, unit, s.CPUPerOp, unit, s.ServerCPUPerOp, unit, s.CommandsPerRead, s.OtherCores, extra, errNote(s))
				}
			}
		}
	}

	if cfg.memProfile != "" {
		if err := writeAllocProfile(cfg.memProfile); err != nil {
			return err
		}
	}

	rows := summarize(samples, cfg)
	printReport(os.Stdout, env, cfg, samples, rows)
	if cfg.jsonPath != "" {
		if err := writeJSON(cfg.jsonPath, env, cfg, samples, rows); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "bench: wrote %s\n", cfg.jsonPath)
	}
	return nil
}

// readServer reads redis-server's CPU time (INFO cpu: user plus system)
// and its command and read counters (INFO stats) so far.
func readServer(ctx context.Context, admin *goredis.Client) (serverCounters, bool) {
	info, err := admin.Info(ctx, "cpu", "stats").Result()
	if err != nil {
		return serverCounters{}, false
	}
	var cpu float64
	for _, field := range []string{"used_cpu_user", "used_cpu_sys"} {
		v, err := strconv.ParseFloat(infoField(info, field), 64)
		if err != nil {
			return serverCounters{}, false
		}
		cpu += v
	}
	cmds, err1 := strconv.ParseUint(infoField(info, "total_commands_processed"), 10, 64)
	reads, err2 := strconv.ParseUint(infoField(info, "total_reads_processed"), 10, 64)
	if err1 != nil || err2 != nil {
		return serverCounters{}, false
	}
	return serverCounters{CPU: time.Duration(cpu * float64(time.Second)), Commands: cmds, Reads: reads}, true
}

func errNote(s sample) string {
	if s.Errors == 0 {
		return ""
	}
	return fmt.Sprintf("  %d errors, first: %s", s.Errors, s.FirstError)
}

func writeAllocProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// keyspace returns the benchmark's keys and its value of size bytes.
func keyspace(n, size int) ([]string, string) {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("bench:key:%06d", i)
	}
	v := make([]byte, size)
	for i := range v {
		v[i] = 'a' + byte(i%26)
	}
	return keys, string(v)
}

func preload(ctx context.Context, admin *goredis.Client, keys []string, value string) error {
	for chunk := range slices.Chunk(keys, 1000) {
		_, err := admin.Pipelined(ctx, func(p goredis.Pipeliner) error {
			for _, k := range chunk {
				p.Set(ctx, k, value, 0)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func cleanup(ctx context.Context, admin *goredis.Client, keys, clients []string) {
	for chunk := range slices.Chunk(keys, 1000) {
		if err := admin.Del(ctx, chunk...).Err(); err != nil {
			fmt.Fprintln(os.Stderr, "bench: cleanup:", err)
			return
		}
	}
	for _, name := range clients {
		admin.Del(ctx, "bench:check:"+name)
	}
}

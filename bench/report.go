package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// environment is what the header line reports about the machine and the
// software measured.
type environment struct {
	CPU            string            `json:"cpu"`
	Cores          int               `json:"cores"`
	GOMAXPROCS     int               `json:"gomaxprocs"`
	GoVersion      string            `json:"go_version"`
	OS             string            `json:"os"`
	RedisVersion   string            `json:"redis_version"`
	Date           time.Time         `json:"date"`
	ClientVersions map[string]string `json:"client_versions"`
}

func readEnvironment(ctx context.Context, admin *goredis.Client) (environment, error) {
	info, err := admin.Info(ctx, "server").Result()
	if err != nil {
		return environment{}, err
	}
	env := environment{
		CPU:            cpuModel(),
		Cores:          runtime.NumCPU(),
		GOMAXPROCS:     runtime.GOMAXPROCS(0),
		GoVersion:      runtime.Version(),
		OS:             runtime.GOOS + "/" + runtime.GOARCH,
		RedisVersion:   infoField(info, "redis_version"),
		Date:           time.Now(),
		ClientVersions: moduleVersions(),
	}
	return env, nil
}

// cpuModel is the first "model name" of /proc/cpuinfo, or "unknown CPU".
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return "unknown CPU"
}

func infoField(info, field string) string {
	for line := range strings.Lines(info) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), field+":"); ok {
			return v
		}
	}
	return "unknown"
}

// moduleVersions reads the measured clients' versions from the build.
func moduleVersions() map[string]string {
	out := map[string]string{}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return out
	}
	for _, m := range bi.Deps {
		name := ""
		switch m.Path {
		case "github.com/actoredis/actoredis":
			name = "actoredis"
		case "github.com/redis/go-redis/v9":
			name = "go-redis"
		case "github.com/redis/rueidis":
			name = "rueidis"
		default:
			continue
		}
		if m.Replace != nil {
			out[name] = m.Replace.Path + " (working tree)"
		} else {
			out[name] = m.Version
		}
	}
	return out
}

// row is one line of a table: the median of each figure over the rounds.
type row struct {
	Workload    workload      `json:"workload"`
	Concurrency int           `json:"concurrency"`
	Client      string        `json:"client"`
	Rounds      int           `json:"rounds"`
	OpsPerSec   float64       `json:"ops_per_sec"`
	Spread      float64       `json:"ops_per_sec_spread"` // (max-min)/median over the rounds
	VsBestPeer  float64       `json:"vs_best_peer"`       // ops/s over the best peer's (neither actoredis nor raw-socket); 0 when none measured
	VsRaw       float64       `json:"vs_raw"`             // ops/s over raw-socket's; 0 when it was not measured
	Mean        time.Duration `json:"mean_ns"`
	P50         time.Duration `json:"p50_ns"`
	P99         time.Duration `json:"p99_ns"`
	P999        time.Duration `json:"p999_ns"`
	AllocsPerOp float64       `json:"allocs_per_op"`
	BytesPerOp  float64       `json:"bytes_per_op"`
	CPUPerOp    float64       `json:"cpu_us_per_op"`
	// Pipeline workloads: N, the median number of pipelines counted per
	// round, and the fewest any goroutine completed in any round.
	PipelineSize          int     `json:"pipeline_size,omitempty"`
	Pipelines             float64 `json:"pipelines,omitempty"`
	MinPipelinesPerWorker uint64  `json:"min_pipelines_per_worker,omitempty"`
	// Pub/sub workloads (OpsPerSec is delivered messages/s): the medians
	// of published/s and of the publisher's waiting, and the sums over
	// the rounds of the losses (see sample).
	Subscribers     int     `json:"subscribers,omitempty"`
	PublishedPerSec float64 `json:"published_per_sec,omitempty"`
	PublisherWaited float64 `json:"publisher_waited,omitempty"`
	Lost            uint64  `json:"lost,omitempty"`
	ReportedLost    uint64  `json:"reported_lost,omitempty"`
	Reconnects      uint64  `json:"reconnects,omitempty"`
	UnreportedLost  uint64  `json:"unreported_lost,omitempty"`
	OutOfOrder      uint64  `json:"out_of_order,omitempty"`
	GoroutinesLeft  int     `json:"goroutines_left,omitempty"` // the most in any round
	ServerCPU       float64 `json:"server_cpu_us_per_op"`
	CmdsPerRead     float64 `json:"server_commands_per_read"`
	OtherCores      float64 `json:"other_cores"`
	Errors          uint64  `json:"errors"`
	FirstError      string  `json:"first_error,omitempty"`
}

func summarize(samples []sample, cfg config) []row {
	var rows []row
	for _, w := range cfg.workloads {
		for _, n := range cfg.concFor(w) {
			first := len(rows)
			for _, name := range cfg.clients {
				var mine []sample
				for _, s := range samples {
					if s.Workload == w && s.Concurrency == n && s.Client == name {
						mine = append(mine, s)
					}
				}
				if len(mine) > 0 { // a client not measured on w has no row
					rows = append(rows, summarizeOne(w, n, name, mine))
				}
			}
			group := rows[first:]
			bestPeer, raw := 0.0, 0.0
			for _, r := range group {
				if isPeer(r.Client) {
					bestPeer = max(bestPeer, r.OpsPerSec)
				}
				if r.Client == rawClient {
					raw = r.OpsPerSec
				}
			}
			for i := range group {
				if bestPeer > 0 {
					group[i].VsBestPeer = group[i].OpsPerSec / bestPeer
				}
				if raw > 0 {
					group[i].VsRaw = group[i].OpsPerSec / raw
				}
			}
		}
	}
	return rows
}

func summarizeOne(w workload, n int, name string, ss []sample) row {
	r := row{Workload: w, Concurrency: n, Client: name, Rounds: len(ss)}
	if len(ss) == 0 {
		return r
	}
	pick := func(f func(sample) float64) float64 {
		vs := make([]float64, len(ss))
		for i, s := range ss {
			vs[i] = f(s)
		}
		return median(vs)
	}
	r.OpsPerSec = pick(func(s sample) float64 { return s.OpsPerSec })
	r.Mean = time.Duration(pick(func(s sample) float64 { return float64(s.Mean) }))
	r.P50 = time.Duration(pick(func(s sample) float64 { return float64(s.P50) }))
	r.P99 = time.Duration(pick(func(s sample) float64 { return float64(s.P99) }))
	r.P999 = time.Duration(pick(func(s sample) float64 { return float64(s.P999) }))
	r.AllocsPerOp = pick(func(s sample) float64 { return s.AllocsPerOp })
	r.BytesPerOp = pick(func(s sample) float64 { return s.BytesPerOp })
	r.CPUPerOp = pick(func(s sample) float64 { return s.CPUPerOp })
	r.ServerCPU = pick(func(s sample) float64 { return s.ServerCPUPerOp })
	r.CmdsPerRead = pick(func(s sample) float64 { return s.CommandsPerRead })
	r.OtherCores = pick(func(s sample) float64 { return s.OtherCores })
	if r.PipelineSize = w.pipeSize(); r.PipelineSize > 0 {
		r.Pipelines = pick(func(s sample) float64 { return float64(s.Pipelines) })
		r.MinPipelinesPerWorker = ss[0].MinPipelinesPerWorker
		for _, s := range ss {
			r.MinPipelinesPerWorker = min(r.MinPipelinesPerWorker, s.MinPipelinesPerWorker)
		}
	}
	if r.Subscribers = w.subscribers(); r.Subscribers > 0 {
		r.PublishedPerSec = pick(func(s sample) float64 { return s.PublishedPerSec })
		r.PublisherWaited = pick(func(s sample) float64 { return s.PublisherWaited })
		for _, s := range ss {
			r.Lost += s.Lost
			r.ReportedLost += s.ReportedLost
			r.Reconnects += s.Reconnects
			r.UnreportedLost += s.UnreportedLost
			r.OutOfOrder += s.OutOfOrder
			r.GoroutinesLeft = max(r.GoroutinesLeft, s.GoroutinesLeft)
		}
	}
	lo, hi := ss[0].OpsPerSec, ss[0].OpsPerSec
	for _, s := range ss {
		lo, hi = min(lo, s.OpsPerSec), max(hi, s.OpsPerSec)
		r.Errors += s.Errors
		if r.FirstError == "" {
			r.FirstError = s.FirstError
		}
	}
	if r.OpsPerSec > 0 {
		r.Spread = (hi - lo) / r.OpsPerSec
	}
	return r
}

// median of vs, which it sorts; the mean of the middle two for an even
// count.
func median(vs []float64) float64 {
	slices.Sort(vs)
	m := len(vs) / 2
	if len(vs)%2 == 1 {
		return vs[m]
	}
	return (vs[m-1] + vs[m]) / 2
}

func printReport(w io.Writer, env environment, cfg config, samples []sample, rows []row) {
	pipes := slices.ContainsFunc(cfg.workloads, func(w workload) bool { return w.pipeSize() > 0 })
	pubsub := slices.ContainsFunc(cfg.workloads, func(w workload) bool { return w.subscribers() > 0 })
	commands := slices.ContainsFunc(cfg.workloads, func(w workload) bool { return w.subscribers() == 0 })
	var method []string
	if commands {
		inFlight := "one command in flight per goroutine"
		if pipes {
			inFlight = "one command, or one pipeline of N SETs, in flight per goroutine"
		}
		method = append(method, fmt.Sprintf("%s keys, %d-byte values; closed loop, %s", fmtCount(float64(cfg.keys)), cfg.valueSize, inFlight))
	}
	if pubsub {
		method = append(method, fmt.Sprintf("pub/sub: one publisher, closed loop of pipelines of %d PUBLISH of %d-byte payloads, held back while a subscriber is %d messages behind",
			cfg.pubBatch, max(cfg.valueSize, payloadHeader), cfg.pubBacklog))
	}
	fmt.Fprintf(w, "Machine: %s, %d cores, GOMAXPROCS %d, %s %s, redis-server %s · %s\n\n",
		env.CPU, env.Cores, env.GOMAXPROCS, env.GoVersion, env.OS, env.RedisVersion, env.Date.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "Clients: actoredis %s, go-redis %s, rueidis %s. Median of %d round(s) of %v per row after %v warm-up; "+
		"clients interleaved round-robin within each round; %s.\n\n",
		env.ClientVersions["actoredis"], env.ClientVersions["go-redis"], env.ClientVersions["rueidis"],
		cfg.rounds, cfg.window, cfg.warmup, strings.Join(method, "; "))
	if other := otherLoad(samples); other != "" {
		fmt.Fprintf(w, "%s\n\n", other)
	}

	for _, wl := range cfg.workloads {
		if wl.subscribers() > 0 {
			printPubSubTable(w, wl, rows)
			continue
		}
		size := wl.pipeSize()
		if size > 0 {
			fmt.Fprintf(w, "### %s: pipelines of %s SETs\n\n", wl, fmtCount(float64(size)))
			fmt.Fprintln(w, "| goroutines | client | SETs/s | vs best peer | vs raw | p50 / pipeline | p99 / pipeline | allocs/SET | B/SET | CPU µs/SET | server CPU µs/SET | cmds/read | spread |")
			fmt.Fprintln(w, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		} else {
			fmt.Fprintf(w, "### %s\n\n", wl)
			fmt.Fprintln(w, "| goroutines | client | ops/s | vs best peer | p50 | p99 | allocs/op | B/op | CPU µs/op | server CPU µs/op | cmds/read | spread |")
			fmt.Fprintln(w, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		}
		var failed, short []row
		for _, r := range rows {
			if r.Workload != wl {
				continue
			}
			vsRaw := ""
			if size > 0 {
				vsRaw = " " + fmtRatio(r.VsRaw) + " |"
			}
			fmt.Fprintf(w, "| %d | %s | %s | %s |%s %s | %s | %.1f | %.0f | %.2f | %s | %s | %.0f%% |\n",
				r.Concurrency, r.Client, fmtCount(r.OpsPerSec), fmtRatio(r.VsBestPeer), vsRaw, fmtLatency(r.P50), fmtLatency(r.P99),
				r.AllocsPerOp, r.BytesPerOp, r.CPUPerOp, fmtOptional(r.ServerCPU, 2), fmtOptional(r.CmdsPerRead, 1), 100*r.Spread)
			if r.Errors > 0 {
				failed = append(failed, r)
			}
			if size > 0 && r.MinPipelinesPerWorker < minPipelinesPerWorker {
				short = append(short, r)
			}
		}
		fmt.Fprintln(w)
		for _, r := range failed {
			what := ""
			if size > 0 {
				what = " pipelines"
			}
			fmt.Fprintf(w, "Errors: %s at %d goroutines: %d%s, first: %s\n\n", r.Client, r.Concurrency, r.Errors, what, r.FirstError)
		}
		if len(short) > 0 {
			var which []string
			for _, r := range short {
				which = append(which, fmt.Sprintf("%s at %d (%d)", r.Client, r.Concurrency, r.MinPipelinesPerWorker))
			}
			fmt.Fprintf(w, "Short window: some goroutine completed fewer than %d pipelines inside a window for %s; lengthen -d for a steadier figure.\n\n",
				minPipelinesPerWorker, strings.Join(which, ", "))
		}
	}

	if commands {
		fmt.Fprintln(w, "Columns: ops/s completed in the measured window; vs best peer = ops/s ÷ the fastest peer's in that row group (peers: every client but actoredis and raw-socket); "+
			"p50/p99 from per-goroutine log-linear histograms (±3%); allocs/op and B/op from runtime.MemStats deltas over the window "+
			"(the whole client process, all goroutines); CPU µs/op = process user+system time (getrusage) over the window ÷ ops; "+
			"server CPU µs/op = redis-server's used_cpu_user+used_cpu_sys (INFO cpu) over the window ÷ ops; "+
			"cmds/read = commands the server processed per socket read (INFO stats), the pipelining depth it saw; "+
			"spread = (max−min)/median of ops/s over the rounds.")
	}
	if pipes {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Pipeline tables: one op is one SET; an iteration is one pipeline of N SETs on random keys, sent with the client's pipeline API "+
			"and waited for completely; p50/p99 are per pipeline. SETs/s sums each goroutine's SETs ÷ the span of its pipelines counted in the window "+
			"(first start to last end), since one pipeline in flight at each edge of the window is not counted; per-SET figures divide the window's deltas "+
			"by SETs/s × window. vs raw = SETs/s ÷ raw-socket's in that row group.")
	}
	if pubsub {
		if commands {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, "Pub/sub tables: delivered/s = messages the subscribers received inside the window, all subscribers together, ÷ window; "+
			"vs best peer on delivered/s; published/s = PUBLISHes whose pipeline started and ended inside the window; "+
			"p50/p99 end to end, from the send time the publisher wrote into the payload to the subscriber's receipt; "+
			"allocs, B, CPU µs and server CPU µs per delivered message (the whole process: publisher and subscribers); "+
			"lost = sequence numbers (in the payload) some subscriber never saw, summed over the rounds, with those the library reported "+
			"(actoredis: Dropped events, Reconnected); unreported loss disqualifies a row; "+
			"publisher waited = share of the window the publisher was held back by a subscriber "+
			"(near 0 %: the publishing side set the pace, its library or the CPU it got; the subscribers kept up). "+
			"Under saturation the latencies mostly measure the backlog bound: about -pub-backlog ÷ published/s. "+
			"Process CPU, allocations and memory from getrusage and runtime.MemStats over the window, redis-server's CPU from INFO cpu; "+
			"spread = (max−min)/median of delivered/s over the rounds.")
	}
	if commands {
		fmt.Fprintln(w)
		for _, name := range cfg.clients {
			if slices.ContainsFunc(rows, func(r row) bool { return r.Client == name && r.Subscribers == 0 }) {
				fmt.Fprintf(w, "- %s: %s\n", name, clientNotes[name])
			}
		}
	}
	if pipes {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Pipelines:")
		fmt.Fprintln(w)
		for _, name := range cfg.clients {
			fmt.Fprintf(w, "- %s: %s\n", name, pipelineNotes[name])
		}
	}
	if pubsub {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Pub/sub:")
		fmt.Fprintln(w)
		for _, name := range cfg.clients {
			if slices.ContainsFunc(rows, func(r row) bool { return r.Client == name && r.Subscribers > 0 }) {
				fmt.Fprintf(w, "- %s: %s\n", name, pubsubNotes[name])
			}
		}
	}
}

// printPubSubTable prints the table of the pub/sub workload wl.
func printPubSubTable(w io.Writer, wl workload, rows []row) {
	n := wl.subscribers()
	what := "1 subscriber"
	if n > 1 {
		what = fmt.Sprintf("%d subscribers, each its own subscription", n)
	}
	fmt.Fprintf(w, "### %s: one publisher, %s of one channel\n\n", wl, what)
	fmt.Fprintln(w, "| subscribers | client | delivered/s | vs best peer | published/s | p50 | p99 | allocs/msg | B/msg | CPU µs/msg | server CPU µs/msg | lost (reported) | publisher waited | spread |")
	fmt.Fprintln(w, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	var notes []string
	for _, r := range rows {
		if r.Workload != wl {
			continue
		}
		lost := fmtCount(float64(r.Lost))
		if r.Lost > 0 || r.ReportedLost > 0 || r.Reconnects > 0 {
			lost += fmt.Sprintf(" (%s", fmtCount(float64(r.ReportedLost)))
			if r.Reconnects > 0 {
				lost += fmt.Sprintf(", %d reconnects", r.Reconnects)
			}
			lost += ")"
		}
		fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %s | %s | %.1f | %.0f | %.2f | %s | %s | %.0f%% | %.0f%% |\n",
			r.Subscribers, r.Client, fmtCount(r.OpsPerSec), fmtRatio(r.VsBestPeer), fmtCount(r.PublishedPerSec), fmtLatency(r.P50), fmtLatency(r.P99),
			r.AllocsPerOp, r.BytesPerOp, r.CPUPerOp, fmtOptional(r.ServerCPU, 2), lost, 100*r.PublisherWaited, 100*r.Spread)
		if r.UnreportedLost > 0 {
			notes = append(notes, fmt.Sprintf("Unreported loss: %s lost %s messages without reporting it.", r.Client, fmtCount(float64(r.UnreportedLost))))
		}
		if r.OutOfOrder > 0 {
			notes = append(notes, fmt.Sprintf("Out of order: %s delivered %s messages after a later one.", r.Client, fmtCount(float64(r.OutOfOrder))))
		}
		if r.GoroutinesLeft > 0 {
			notes = append(notes, fmt.Sprintf("Goroutines: %s ran %d more goroutines a second after closing its subscriptions than before opening them.", r.Client, r.GoroutinesLeft))
		}
		if r.Errors > 0 {
			notes = append(notes, fmt.Sprintf("Errors: %s: %d, first: %s", r.Client, r.Errors, r.FirstError))
		}
	}
	fmt.Fprintln(w)
	for _, note := range notes {
		fmt.Fprintf(w, "%s\n\n", note)
	}
}

// minPipelinesPerWorker: fewer pipelines than this from one goroutine in
// one window makes the report suggest a longer window.
const minPipelinesPerWorker = 3

// otherLoad describes the CPU that processes other than this one and
// redis-server used during the measured windows, or "" when unknown.
func otherLoad(samples []sample) string {
	var other []float64
	for _, s := range samples {
		if s.OtherCores >= 0 {
			other = append(other, s.OtherCores)
		}
	}
	if len(other) == 0 {
		return ""
	}
	peak := slices.Max(other)
	return fmt.Sprintf("Other processes on the machine used a median %.2f cores (max %.2f) during the measured windows (/proc/stat less client and server).",
		median(other), peak)
}

func writeJSON(path string, env environment, cfg config, samples []sample, rows []row) error {
	doc := struct {
		Environment environment `json:"environment"`
		Config      any         `json:"config"`
		Samples     []sample    `json:"samples"`
		Summary     []row       `json:"summary"`
	}{
		Environment: env,
		Config: map[string]any{
			"window_ns":            cfg.window,
			"warmup_ns":            cfg.warmup,
			"rounds":               cfg.rounds,
			"concurrency":          cfg.concurrency,
			"pipeline_concurrency": cfg.pipeConc,
			"clients":              cfg.clients,
			"workloads":            cfg.workloads,
			"keys":                 cfg.keys,
			"value_size":           cfg.valueSize,
			"pub_pipeline":         cfg.pubBatch,
			"pub_backlog":          cfg.pubBacklog,
		},
		Samples: samples,
		Summary: rows,
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// fmtLatency prints d in µs below a millisecond, else in ms.
func fmtLatency(d time.Duration) string {
	us := float64(d) / float64(time.Microsecond)
	switch {
	case us < 10:
		return strconv.FormatFloat(us, 'f', 1, 64) + " µs"
	case us < 1000:
		return strconv.FormatFloat(us, 'f', 0, 64) + " µs"
	default:
		return strconv.FormatFloat(us/1000, 'f', 2, 64) + " ms"
	}
}

// fmtRatio prints a ratio to two decimals, "–" when unknown (0).
func fmtRatio(v float64) string {
	if v <= 0 {
		return "–"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func fmtOptional(v float64, decimals int) string {
	if v < 0 {
		return "–"
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// fmtCount prints a non-negative count rounded to an integer, with
// thousands separators.
func fmtCount(v float64) string {
	s := strconv.FormatInt(int64(v+0.5), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

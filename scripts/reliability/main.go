// Command reliability turns the RELIABILITY lines of the fault suite (the
// JSON objects the integration tests append to $RELIABILITY_REPORT, one a
// line) and the logs of make fuzz into docs/reliability.md. make chaos runs
// it:
//
//	go run ./scripts/reliability -o docs/reliability.md -fuzz fuzz.log report.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	out := flag.String("o", "docs/reliability.md", "the Markdown file to write")
	fuzzLog := flag.String("fuzz", "", "the output of make fuzz, for the fuzzing table")
	command := flag.String("command", "make chaos", "the command that produced the figures, for the header")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: reliability [-o file] [-fuzz log] [-command text] report.jsonl")
		os.Exit(2)
	}
	rows, err := readRows(flag.Arg(0))
	if err == nil && len(rows) == 0 {
		err = errors.New(flag.Arg(0) + " holds no RELIABILITY rows")
	}
	var fuzz []fuzzRun
	if err == nil && *fuzzLog != "" {
		fuzz, err = readFuzzLog(*fuzzLog)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "reliability:", err)
		os.Exit(1)
	}
	f, err := os.Create(*out)
	if err == nil {
		write(f, *command, rows, fuzz)
		err = f.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "reliability:", err)
		os.Exit(1)
	}
}

type row map[string]any

func readRows(path string) ([]row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows []row
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "RELIABILITY "))
		if line == "" {
			continue
		}
		var r row
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, func(a, b row) int { return compareIDs(str(a["id"]), str(b["id"])) })
	return rows, sc.Err()
}

// compareIDs orders R2 before R10 and R8 before R8b.
func compareIDs(a, b string) int {
	num := func(id string) (int, string) {
		id = strings.TrimPrefix(id, "R")
		i := 0
		for i < len(id) && id[i] >= '0' && id[i] <= '9' {
			i++
		}
		n, _ := strconv.Atoi(id[:i])
		return n, id[i:]
	}
	na, ra := num(a)
	nb, rb := num(b)
	if na != nb {
		return na - nb
	}
	return strings.Compare(ra, rb)
}

type fuzzRun struct {
	target      string
	pkg         string
	elapsed     string
	execs       int64
	perSecond   int64
	corpus      int
	interesting int
	crashers    int
	passed      bool
}

var (
	fuzzStart   = regexp.MustCompile(`^fuzz: (Fuzz\w+) for (\S+)(?: in (\S+))?`)
	fuzzElapsed = regexp.MustCompile(`elapsed: (\S+), execs: (\d+) \(\d+/sec\), new interesting: (\d+) \(total: (\d+)\)`)
	// A run whose time went to replaying its corpus (fuzzing proper not
	// started) reports only these.
	fuzzBaseline = regexp.MustCompile(`elapsed: (\S+), gathering baseline coverage: \d+/(\d+)`)
)

// readFuzzLog reads the output of make fuzz: one "fuzz: FuzzX for T in
// ./pkg/" line per target (older logs have no package), then go test's
// progress lines; the last one holds the totals.
func readFuzzLog(path string) ([]fuzzRun, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var runs []fuzzRun
	for _, line := range strings.Split(string(raw), "\n") {
		if m := fuzzStart.FindStringSubmatch(line); m != nil {
			runs = append(runs, fuzzRun{target: m[1], pkg: m[3]})
			continue
		}
		if len(runs) == 0 {
			continue
		}
		r := &runs[len(runs)-1]
		switch {
		case fuzzElapsed.MatchString(line):
			m := fuzzElapsed.FindStringSubmatch(line)
			r.elapsed = m[1]
			r.execs, _ = strconv.ParseInt(m[2], 10, 64)
			r.interesting, _ = strconv.Atoi(m[3])
			r.corpus, _ = strconv.Atoi(m[4])
			if d, err := time.ParseDuration(m[1]); err == nil && d > 0 {
				r.perSecond = int64(float64(r.execs) / d.Seconds())
			}
		case fuzzBaseline.MatchString(line) && r.execs == 0:
			m := fuzzBaseline.FindStringSubmatch(line)
			r.elapsed = m[1]
			r.corpus, _ = strconv.Atoi(m[2])
		case strings.Contains(line, "Failing input written to"):
			r.crashers++
		case strings.HasPrefix(line, "ok "):
			r.passed = true
		}
	}
	return runs, nil
}

// The columns of the summary table: the gates first.
var summary = []struct{ head, key string }{
	{"ops", "ops_attempted"}, {"ok", "ok_correct"}, {"mismatched", "ok_mismatched"},
	{"not sent", "err_not_sent"}, {"ambiguous", "err_ambiguous"}, {"timeouts", "err_timeout"},
	{"duplicates", "duplicate_executions"}, {"panics", "panics"}, {"leaks", "leaks"},
	{"unsignalled loss", "lost_unsignalled"}, {"canary", "canary"}, {"wall s", "wall_s"},
}

// The columns of the linearizability table (the L scenarios: rows with
// histories checked by porcupine).
var linColumns = []struct{ head, key string }{
	{"operations checked", "ops_checked"}, {"unknown outcome", "ops_unknown_outcome"},
	{"left out (not applied, failed reads)", "ops_left_out"}, {"faults injected", "faults_injected"},
	{"histories", "histories"}, {"linearizable", "histories_linearizable"}, {"violations", "violations"},
	{"checking s", "check_s"}, {"wall s", "wall_s"},
}

// isLin reports whether r is a linearizability scenario.
func isLin(r row) bool { _, ok := r["histories"]; return ok }

// Environment fields: in the header, not in the details.
var envKeys = []string{"go", "redis", "cpus", "gomaxprocs", "commit", "soak", "race", "test", "id", "passed"}

func write(w io.Writer, command string, rows []row, fuzz []fuzzRun) {
	first := rows[0]
	redis := ""
	for _, r := range rows {
		if redis == "" {
			redis = str(r["redis"])
		}
	}
	mode := "short settings (CI)"
	if soak, _ := first["soak"].(float64); soak > 1 {
		mode = fmt.Sprintf("soak, durations and counts x%g", soak)
	}
	fmt.Fprintf(w, "# Reliability figures\n\n")
	fmt.Fprintf(w, "Produced by `%s`, %s, on %s: Go %s, Redis %s, %v CPUs (GOMAXPROCS %v), race detector %v, commit %s.\n",
		command, mode, time.Now().UTC().Format("2006-01-02"), str(first["go"]), redis,
		first["cpus"], first["gomaxprocs"], first["race"], str(first["commit"]))
	fmt.Fprintf(w, "The scenarios and their gates are those of the reliability test plan (R1-R17, issue 6); "+
		"each row is one `RELIABILITY {json}` line of the integration tests. Gates (asserted, all zero): "+
		"mismatched replies, duplicate executions, panics, leaks, unsignalled pub/sub loss, canary. "+
		"Timing targets are reported here and asserted only within 10x.")
	if race, _ := first["race"].(bool); race {
		fmt.Fprintf(w, " R16 (the race detector) is this run itself: every row ran under -race, where a race report fails its test.")
	}
	fmt.Fprintf(w, "\n\n")
	fmt.Fprintf(w, "| scenario | passed |")
	for _, c := range summary {
		fmt.Fprintf(w, " %s |", c.head)
	}
	fmt.Fprintf(w, "\n|---|---|%s\n", strings.Repeat("---|", len(summary)))
	var lin []row
	for _, r := range rows {
		if isLin(r) {
			lin = append(lin, r)
			continue
		}
		fmt.Fprintf(w, "| %s | %s |", str(r["id"]), passedCell(r))
		for _, c := range summary {
			fmt.Fprintf(w, " %s |", cell(r[c.key]))
		}
		fmt.Fprintln(w)
	}
	if len(lin) > 0 {
		fmt.Fprintf(w, "\n## Linearizability (issue 18)\n\n"+
			"Histories of 3 clients x 4 goroutines doing GET, SET, INCR, DEL, a compare-and-set script, MGET, "+
			"pipelines and MULTI/EXEC on hot keys while faults are injected, checked against a model of Redis "+
			"with porcupine (integration/linearizability_test.go; integration/linearize says how each outcome "+
			"is modelled). A run is a series of rounds on fresh keys, each checked on its own.\n\n")
		fmt.Fprintf(w, "| scenario | passed |")
		for _, c := range linColumns {
			fmt.Fprintf(w, " %s |", c.head)
		}
		fmt.Fprintf(w, "\n|---|---|%s\n", strings.Repeat("---|", len(linColumns)))
		for _, r := range lin {
			fmt.Fprintf(w, "| %s | %s |", str(r["id"]), passedCell(r))
			for _, c := range linColumns {
				fmt.Fprintf(w, " %s |", cell(r[c.key]))
			}
			fmt.Fprintln(w)
		}
	}
	if len(fuzz) > 0 {
		fmt.Fprintf(w, "\n## Fuzzing (R15)\n\n"+
			"The decoder's targets (resp/) feed it bytes; FuzzConnection (client/) drives a live client against a fake server "+
			"whose replies come from the fuzzer (truncated, split, wrongly typed, pushed, oversized, unsolicited or late replies, "+
			"connections closed at any point) and fails on a panic, a hang, a reply handed to the wrong caller, memory past the "+
			"decoder limits' bound or a goroutine left after Close (docs/testing.md).\n\n"+
			"| target | package | time | execs | execs/s | corpus | new interesting | new crashers | passed |\n|---|---|---|---|---|---|---|---|---|\n")
		for _, f := range fuzz {
			pkg := f.pkg
			if pkg == "" {
				pkg = "-"
			}
			fmt.Fprintf(w, "| %s | %s | %s | %d | %d | %d | %d | %d | %v |\n", f.target, pkg, f.elapsed, f.execs, f.perSecond, f.corpus, f.interesting, f.crashers, f.passed)
		}
	}
	fmt.Fprintf(w, "\n## Every figure, by scenario\n\n")
	for _, r := range rows {
		figures := row{}
		for k, v := range r {
			if !slices.Contains(envKeys, k) {
				figures[k] = v
			}
		}
		fmt.Fprintf(w, "- **%s** (`%s`): %s\n", str(r["id"]), str(r["test"]), cell(map[string]any(figures)))
	}
}

func passedCell(r row) string {
	if p, ok := r["passed"].(bool); ok && !p {
		return "**no**"
	}
	return "yes"
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// cell renders a figure: numbers without exponents, nested objects as
// compact key=value lists, absent ones as a dash.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return "-"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			if _, nested := x[k].(map[string]any); nested {
				parts[i] = k + "={" + cell(x[k]) + "}"
			} else {
				parts[i] = k + "=" + cell(x[k])
			}
		}
		return strings.Join(parts, ", ")
	default:
		return fmt.Sprint(x)
	}
}

package linearize

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/actoredis/actoredis/client"
)

// Pending is the return time of an operation whose outcome is unknown: it
// may take effect at any time after its call, or never.
const Pending int64 = math.MaxInt64

// Outcome is what an operation's error says of whether it happened.
type Outcome uint8

// The outcomes.
const (
	Happened   Outcome = iota // no error: it happened, with its reply
	Unknown                   // it may or may not have happened
	NotApplied                // the error proves it was not applied
	// Excluded is never an error's outcome: a scenario leaves the
	// operation out by its own rule (Record), for a read whose result the
	// model cannot vouch for. Only an operation that changed nothing may
	// be excluded: a write left out that did happen makes the history
	// unexplainable.
	Excluded
)

// Classify reads an operation's error: nil (or ErrNil, a null reply)
// happened; an error that proves the command was not applied
// (client.SafeToRetry: never sent, or refused by the server without
// running) is NotApplied; every other error, ErrAmbiguous and context
// errors among them, is Unknown.
func Classify(err error) Outcome {
	switch {
	case err == nil, errors.Is(err, client.ErrNil):
		return Happened
	case client.SafeToRetry(err):
		return NotApplied
	}
	return Unknown
}

// History records operations from many goroutines. The zero value is not
// usable; make one with NewHistory.
type History struct {
	start time.Time

	mu       sync.Mutex
	ops      []porcupine.Operation
	faults   []porcupine.Annotation
	unknown  int
	omitted  int
	failures map[string]int // the errors of Unknown and NotApplied operations, by text
}

// NewHistory starts a history; times are taken from now on.
func NewHistory() *History {
	return &History{start: time.Now(), failures: map[string]int{}}
}

// Now is the current time of the history, for an operation's call.
func (h *History) Now() int64 { return int64(time.Since(h.start)) }

// Add records an operation called at call by process proc (a goroutine:
// the visualization's row) whose error is err: with its results when it
// happened, as pending with an unknown output when it may have, and not
// at all when it was not applied. A read that did not happen is left out:
// it changed nothing. It reports the outcome.
func (h *History) Add(proc int, in Input, call int64, results []string, err error) Outcome {
	o := Classify(err)
	reason := ""
	if o != Happened {
		reason = errText(err)
	}
	h.Record(proc, in, call, h.Now(), results, o, reason)
	return o
}

// Record records an operation whose outcome the caller decided, for the
// scenarios where the error alone does not decide it (with asynchronous
// replication, a write that returned is Unknown until WAIT says a replica
// has it): Happened with its results, Unknown as pending (a read that is
// Unknown is left out: it changed nothing), NotApplied and Excluded left
// out. reason says why an operation did not simply happen (an error's
// text, "not acknowledged by WAIT"), for the failure counts. ret is the
// time it returned (the caller may decide after it returned).
func (h *History) Record(proc int, in Input, call, ret int64, results []string, o Outcome, reason string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if o != Happened {
		h.failures[reason]++
	}
	switch {
	case o == Happened:
		h.ops = append(h.ops, porcupine.Operation{ClientId: proc, Input: in, Call: call,
			Output: Output{Results: results}, Return: ret})
	case o == Unknown && writes(in):
		h.ops = append(h.ops, porcupine.Operation{ClientId: proc, Input: in, Call: call,
			Output: Output{Unknown: true}, Return: Pending})
		h.unknown++
	default:
		h.omitted++
	}
}

// errText shortens an error for the failure counts (values and addresses
// would make every error unique).
func errText(err error) string {
	var ce *client.ConnError
	switch {
	case errors.As(err, &ce):
		return fmt.Sprintf("ConnError sent=%v", ce.Sent)
	case errors.Is(err, client.ErrPoolTimeout):
		return "pool timeout"
	}
	s := err.Error()
	if i := strings.IndexAny(s, "(\n"); i > 0 {
		s = s[:i]
	}
	if len(s) > 60 {
		s = s[:60]
	}
	return strings.TrimSpace(s)
}

func writes(in Input) bool {
	return slices.ContainsFunc(in.Steps, Step.Writes)
}

// Fault marks a fault injected between start and end (the history's
// times; end 0 for an instant) for the visualization.
func (h *History) Fault(desc string, start, end int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults = append(h.faults, porcupine.Annotation{Tag: "faults", Start: start, End: end,
		Description: desc, BackgroundColor: "#f6c6c6"})
}

// Report is the verdict on a history.
type Report struct {
	Ops      int // operations checked (pending ones included)
	Unknown  int // of which pending: outcome unknown
	Omitted  int // operations left out: failed reads, writes not applied, Excluded
	Faults   int // faults marked
	Result   porcupine.CheckResult
	Took     time.Duration
	Failures map[string]int // errors of the unknown and omitted operations
	// Involved describes the operations the checker could not place, when
	// the history is not linearizable: for the first group that fails,
	// the last operations of its longest linearizable prefix, then the
	// earliest operations that could not follow it.
	Involved []string
	// Artifacts are the files written for a history that is not
	// linearizable: the history (JSON) and porcupine's visualization
	// (HTML).
	Artifacts []string
}

// Linearizable reports whether the checker found the history
// linearizable.
func (r Report) Linearizable() bool { return r.Result == porcupine.Ok }

// Check checks the history, each group on its own, giving the checker at
// most timeout per group (after which Result is Unknown). When a group's
// history is not linearizable, that group's history and its
// visualization are written to dir as name.json and name.html, and the
// check stops there.
func (h *History) Check(timeout time.Duration, dir, name string) (r Report, err error) {
	h.mu.Lock()
	ops := slices.Clone(h.ops)
	faults := slices.Clone(h.faults)
	r = Report{Ops: len(ops), Unknown: h.unknown, Omitted: h.omitted, Faults: len(faults), Failures: h.failures}
	h.mu.Unlock()

	start := time.Now()
	defer func() { r.Took = time.Since(start) }()
	single := Model
	single.Partition = nil
	r.Result = porcupine.Ok
	for _, part := range Model.Partition(ops) {
		res, info := porcupine.CheckOperationsVerbose(single, part, timeout)
		switch res {
		case porcupine.Ok:
			continue
		case porcupine.Unknown:
			r.Result = res
			continue
		}
		r.Result = res
		r.Involved = involved(part, info)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return r, err
		}
		info.AddAnnotations(faults)
		html := filepath.Join(dir, name+".html")
		if err := porcupine.VisualizePath(single, info, html); err != nil {
			return r, err
		}
		hist := filepath.Join(dir, name+".json")
		if err := writeJSON(hist, part, faults); err != nil {
			return r, err
		}
		r.Artifacts = []string{hist, html}
		return r, nil
	}
	return r, nil
}

// involved describes the operations around where the check of part (one
// group's history, not linearizable) got stuck: the last operations of
// its longest linearizable prefix, then the earliest that could not follow.
func involved(part []porcupine.Operation, info porcupine.LinearizationInfo) []string {
	var longest []porcupine.Operation
	for _, p := range info.PartialLinearizationsOperations() {
		for _, lin := range p {
			if len(lin) > len(longest) {
				longest = lin
			}
		}
	}
	var out []string
	g := part[0].Input.(Input).Group
	for _, op := range longest[max(0, len(longest)-4):] {
		out = append(out, fmt.Sprintf("group %d, linearized: %s", g, describeOp(op)))
	}
	placed := map[[2]int64]bool{}
	for _, op := range longest {
		placed[[2]int64{int64(op.ClientId), op.Call}] = true
	}
	rest := slices.DeleteFunc(slices.Clone(part), func(op porcupine.Operation) bool {
		return placed[[2]int64{int64(op.ClientId), op.Call}]
	})
	slices.SortFunc(rest, func(a, b porcupine.Operation) int { return compare(a.Call, b.Call) })
	for _, op := range rest[:min(6, len(rest))] {
		out = append(out, fmt.Sprintf("group %d, cannot follow: %s", g, describeOp(op)))
	}
	return out
}

func compare(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func describeOp(op porcupine.Operation) string {
	ret := "pending"
	if op.Return != Pending {
		ret = time.Duration(op.Return).String()
	}
	return fmt.Sprintf("process %d [%v, %s]: %s", op.ClientId, time.Duration(op.Call), ret,
		Describe(op.Input.(Input), op.Output.(Output)))
}

// writeJSON writes the history as one JSON object.
func writeJSON(path string, ops []porcupine.Operation, faults []porcupine.Annotation) error {
	type jsonOp struct {
		Process int    `json:"process"`
		Call    int64  `json:"call_ns"`
		Return  int64  `json:"return_ns"` // Pending (MaxInt64): unknown outcome
		Input   Input  `json:"input"`
		Output  Output `json:"output"`
		Text    string `json:"text"`
	}
	type jsonFault struct {
		Start int64  `json:"start_ns"`
		End   int64  `json:"end_ns"`
		What  string `json:"what"`
	}
	doc := struct {
		Ops    []jsonOp    `json:"ops"`
		Faults []jsonFault `json:"faults"`
	}{}
	for _, op := range ops {
		in, out := op.Input.(Input), op.Output.(Output)
		doc.Ops = append(doc.Ops, jsonOp{op.ClientId, op.Call, op.Return, in, out, Describe(in, out)})
	}
	for _, f := range faults {
		doc.Faults = append(doc.Faults, jsonFault{f.Start, f.End, f.Description})
	}
	b, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// Package linearize records histories of operations on a few hot keys and
// checks them for linearizability against a model of Redis, with
// github.com/anishathalye/porcupine: correctness is what the checker says
// of the observed history, not what a counter says.
//
// A history is a list of operations, each with the time it was called, the
// time it returned, its input and its output. Keys come in groups (three
// keys that share a hash tag, so that MGET and MULTI/EXEC span them in a
// cluster too); operations never cross groups, so each group is checked on
// its own (porcupine's partitions).
//
// Outcomes are modelled honestly:
//   - an operation that returned a reply happened, once, at some instant
//     between its call and its return, with that reply;
//   - an operation that failed ambiguously (ErrAmbiguous, a context error,
//     a timeout: anything that does not prove it was not applied) may or
//     may not have happened, at any instant after its call: it gets an
//     unknown output and a return time of "never" (Pending), so the
//     checker may apply it anywhere after its call, or not at all;
//   - an operation that failed with an error that proves it was not
//     applied (client.SafeToRetry) is left out of the history: if the
//     server applied it all the same, its effect is unexplained and the
//     checker reports the history as not linearizable;
//   - a read that failed is left out: it changed nothing.
//
// Values written are unique integers (SET) or increments of them (INCR),
// so a value read names the write it came from.
package linearize

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/anishathalye/porcupine"
)

// KeysPerGroup is the number of keys of a group.
const KeysPerGroup = 3

// Kind is the kind of one step of an operation.
type Kind uint8

// The steps.
const (
	Get  Kind = iota // GET key: the value, "" when missing
	Set              // SET key value: "OK"
	Incr             // INCR key: the new value
	Del              // DEL key: "1" or "0"
	CAS              // compare-and-set (a script, or SET IFEQ): "1" when it set, else "0"
	MGet             // MGET of the group's keys: one value per key
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case Get:
		return "get"
	case Set:
		return "set"
	case Incr:
		return "incr"
	case Del:
		return "del"
	case CAS:
		return "cas"
	case MGet:
		return "mget"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Step is one command: a single operation has one, a MULTI/EXEC
// transaction (atomic) several.
type Step struct {
	Kind Kind
	Key  int    // index of the key in its group (not used by MGet)
	Val  string // Set: the value; CAS: the new value
	Old  string // CAS: the value expected ("" for a missing key)
}

// Writes reports whether the step may change the state.
func (s Step) Writes() bool { return s.Kind != Get && s.Kind != MGet }

// Results is the number of results the step gives.
func (s Step) Results() int {
	if s.Kind == MGet {
		return KeysPerGroup
	}
	return 1
}

// Input is an operation's input: the group it works on and its steps.
type Input struct {
	Group int
	Steps []Step
	// Tx tells that the steps ran in one MULTI/EXEC.
	Tx bool
}

// Output is an operation's output: the results of its steps in order (an
// MGet gives one per key), or Unknown when the operation failed in a way
// that leaves open whether it happened.
type Output struct {
	Unknown bool
	Results []string
}

// state is a group's keys' values ("" for a missing key); comparable, so
// porcupine compares states with ==.
type state [KeysPerGroup]string

// apply runs one step on s; it returns the step's results and the new
// state.
func apply(s state, st Step) ([]string, state) {
	switch st.Kind {
	case Get:
		return []string{s[st.Key]}, s
	case Set:
		s[st.Key] = st.Val
		return []string{"OK"}, s
	case Incr:
		n, _ := strconv.ParseInt(s[st.Key], 10, 64) // missing: 0
		s[st.Key] = strconv.FormatInt(n+1, 10)
		return []string{s[st.Key]}, s
	case Del:
		if s[st.Key] == "" {
			return []string{"0"}, s
		}
		s[st.Key] = ""
		return []string{"1"}, s
	case CAS:
		if s[st.Key] != st.Old {
			return []string{"0"}, s
		}
		s[st.Key] = st.Val
		return []string{"1"}, s
	case MGet:
		return s[:], s
	}
	panic("linearize: unknown step kind " + st.Kind.String())
}

// step is the model's step function: the operation may take s to the
// returned state when every result matches (or the output is Unknown).
func step(s state, in Input, out Output) (bool, state) {
	i := 0
	for _, st := range in.Steps {
		var got []string
		got, s = apply(s, st)
		if out.Unknown {
			continue
		}
		if i+len(got) > len(out.Results) {
			return false, s
		}
		for _, g := range got {
			if out.Results[i] != g {
				return false, s
			}
			i++
		}
	}
	return out.Unknown || i == len(out.Results), s
}

// Model is the porcupine model of a group of keys.
var Model = porcupine.Model{
	Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
		byGroup := map[int][]porcupine.Operation{}
		var order []int
		for _, op := range history {
			g := op.Input.(Input).Group
			if _, ok := byGroup[g]; !ok {
				order = append(order, g)
			}
			byGroup[g] = append(byGroup[g], op)
		}
		out := make([][]porcupine.Operation, 0, len(order))
		for _, g := range order {
			out = append(out, byGroup[g])
		}
		return out
	},
	Init: func() any { return state{} },
	Step: func(s, in, out any) (bool, any) {
		return step(s.(state), in.(Input), out.(Output))
	},
	DescribeOperation: func(in, out any) string { return Describe(in.(Input), out.(Output)) },
	DescribeState: func(s any) string {
		st := s.(state)
		parts := make([]string, len(st))
		for i, v := range st {
			parts[i] = "k" + strconv.Itoa(i) + "=" + orNil(v)
		}
		return strings.Join(parts, " ")
	},
}

// Describe writes an operation as "set k1 5000 -> OK" (a transaction as
// "multi[...]").
func Describe(in Input, out Output) string {
	var b strings.Builder
	if in.Tx {
		b.WriteString("multi[")
	}
	i := 0
	for n, st := range in.Steps {
		if n > 0 {
			b.WriteString("; ")
		}
		b.WriteString(st.Kind.String())
		if st.Kind != MGet {
			fmt.Fprintf(&b, " k%d", st.Key)
		}
		switch st.Kind {
		case Set:
			b.WriteString(" " + st.Val)
		case CAS:
			b.WriteString(" " + orNil(st.Old) + "->" + st.Val)
		}
		b.WriteString(" -> ")
		if out.Unknown {
			b.WriteString("?")
			continue
		}
		for r := 0; r < st.Results() && i < len(out.Results); r++ {
			if r > 0 {
				b.WriteString(",")
			}
			b.WriteString(orNil(out.Results[i]))
			i++
		}
	}
	if in.Tx {
		b.WriteString("]")
	}
	return b.String()
}

func orNil(v string) string {
	if v == "" {
		return "nil"
	}
	return v
}

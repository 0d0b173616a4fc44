package linearize

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
)

// op builds a single-step operation of group 0.
func op(proc int, call, ret int64, st Step, results ...string) porcupine.Operation {
	out := Output{Results: results}
	if ret == Pending {
		out = Output{Unknown: true}
	}
	return porcupine.Operation{ClientId: proc, Input: Input{Steps: []Step{st}}, Call: call, Output: out, Return: ret}
}

func check(t *testing.T, ops ...porcupine.Operation) porcupine.CheckResult {
	t.Helper()
	res, _ := porcupine.CheckOperationsVerbose(Model, ops, 10*time.Second)
	return res
}

func TestSequentialHistoryIsLinearizable(t *testing.T) {
	assert.Equal(t, porcupine.Ok, check(t,
		op(0, 0, 1, Step{Kind: Get}, ""),
		op(0, 2, 3, Step{Kind: Set, Val: "5000"}, "OK"),
		op(0, 4, 5, Step{Kind: Incr}, "5001"),
		op(0, 6, 7, Step{Kind: CAS, Old: "5001", Val: "7000"}, "1"),
		op(0, 8, 9, Step{Kind: CAS, Old: "5001", Val: "8000"}, "0"),
		op(0, 10, 11, Step{Kind: MGet}, "7000", "", ""),
		op(0, 12, 13, Step{Kind: Del}, "1"),
		op(0, 14, 15, Step{Kind: Del}, "0"),
		op(0, 16, 17, Step{Kind: Get}, ""),
	))
}

// The history the default retry policy used to make: a SET applied, then
// overwritten by another client, then applied again by a retry, all
// within the first caller's one call. Reads see a, then b, then a again:
// no single instant for the SET explains both. The checker must say so.
func TestSetAppliedTwiceIsNotLinearizable(t *testing.T) {
	assert.Equal(t, porcupine.Illegal, check(t,
		op(0, 0, 100, Step{Kind: Set, Val: "1000"}, "OK"), // applied at 10 and, re-sent, at 80
		op(1, 15, 18, Step{Kind: Get}, "1000"),
		op(2, 20, 40, Step{Kind: Set, Val: "2000"}, "OK"),
		op(1, 50, 60, Step{Kind: Get}, "2000"),
		op(1, 85, 90, Step{Kind: Get}, "1000"),
	))
}

// An ambiguous write may have happened or not, at any time after its
// call: both readings are linearizable.
func TestPendingWriteMayOrMayNotHappen(t *testing.T) {
	write := op(0, 0, Pending, Step{Kind: Set, Val: "1000"})
	assert.Equal(t, porcupine.Ok, check(t, write, op(1, 10, 11, Step{Kind: Get}, "1000")))
	assert.Equal(t, porcupine.Ok, check(t, write, op(1, 10, 11, Step{Kind: Get}, "")))
	// ... and late: after another write that returned.
	assert.Equal(t, porcupine.Ok, check(t, write,
		op(1, 10, 11, Step{Kind: Set, Val: "2000"}, "OK"),
		op(1, 12, 13, Step{Kind: Get}, "2000"),
		op(1, 14, 15, Step{Kind: Get}, "1000"),
	))
	// But once: not a, b, a.
	assert.Equal(t, porcupine.Illegal, check(t, write,
		op(1, 10, 11, Step{Kind: Get}, "1000"),
		op(1, 12, 13, Step{Kind: Set, Val: "2000"}, "OK"),
		op(1, 14, 15, Step{Kind: Get}, "2000"),
		op(1, 16, 17, Step{Kind: Get}, "1000"),
	))
}

// A write reported as not applied is left out of the history: a value
// that only it wrote is unexplained.
func TestValueOfAWriteLeftOutIsUnexplained(t *testing.T) {
	assert.Equal(t, porcupine.Illegal, check(t,
		op(0, 0, 1, Step{Kind: Set, Val: "1000"}, "OK"),
		op(1, 2, 3, Step{Kind: Get}, "3000"),
	))
}

// A transaction is atomic: no read sees half of it.
func TestTransactionIsAtomic(t *testing.T) {
	tx := porcupine.Operation{ClientId: 0, Call: 0, Return: 10, Input: Input{Tx: true, Steps: []Step{
		{Kind: Set, Key: 0, Val: "1000"}, {Kind: Incr, Key: 1},
	}}, Output: Output{Results: []string{"OK", "1"}}}
	assert.Equal(t, porcupine.Ok, check(t, tx, op(1, 5, 6, Step{Kind: MGet}, "1000", "1", "")))
	assert.Equal(t, porcupine.Ok, check(t, tx, op(1, 5, 6, Step{Kind: MGet}, "", "", "")))
	assert.Equal(t, porcupine.Illegal, check(t, tx, op(1, 5, 6, Step{Kind: MGet}, "1000", "", "")))
	assert.Equal(t, porcupine.Illegal, check(t, tx, op(1, 11, 12, Step{Kind: MGet}, "", "", "")))
}

// Groups are checked apart: a violation in one is found among others.
func TestGroupsArePartitions(t *testing.T) {
	var ops []porcupine.Operation
	for g := range 5 {
		in := Input{Group: g, Steps: []Step{{Kind: Set, Val: "1000"}}}
		ops = append(ops, porcupine.Operation{ClientId: 0, Input: in, Call: 0, Return: 1, Output: Output{Results: []string{"OK"}}})
		read := Input{Group: g, Steps: []Step{{Kind: Get}}}
		want := "1000"
		if g == 3 {
			want = "9000"
		}
		ops = append(ops, porcupine.Operation{ClientId: 1, Input: read, Call: 2, Return: 3, Output: Output{Results: []string{want}}})
	}
	parts := Model.Partition(ops)
	assert.Len(t, parts, 5)
	assert.Equal(t, porcupine.Illegal, check(t, ops...))
}

func TestClassify(t *testing.T) {
	assert.Equal(t, Happened, Classify(nil))
	assert.Equal(t, Happened, Classify(client.ErrNil))
	assert.Equal(t, Unknown, Classify(&client.ConnError{Command: "SET", Sent: true, Err: client.ErrConnClosed}))
	assert.Equal(t, NotApplied, Classify(&client.ConnError{Command: "SET", Sent: false, Err: client.ErrConnClosed}))
	assert.Equal(t, Unknown, Classify(context.DeadlineExceeded))
	assert.Equal(t, Unknown, Classify(errors.New("anything else")))
}

// A history that is not linearizable gets its artifacts, and the report
// names the operations involved.
func TestCheckWritesArtifactsAndNamesOperations(t *testing.T) {
	h := NewHistory()
	set := Input{Steps: []Step{{Kind: Set, Val: "1000"}}}
	get := Input{Steps: []Step{{Kind: Get}}}
	h.Add(0, set, h.Now(), []string{"OK"}, nil)
	h.Add(1, get, h.Now(), []string{"4242"}, nil)
	h.Add(1, Input{Steps: []Step{{Kind: Incr}}}, h.Now(), nil, &client.ConnError{Command: "INCR", Sent: true, Err: client.ErrConnClosed})
	h.Add(1, get, h.Now(), nil, context.Canceled) // a failed read: left out
	h.Fault("client kill", h.Now(), 0)
	dir := t.TempDir()
	r, err := h.Check(10*time.Second, dir, "bad")
	require.NoError(t, err)
	assert.False(t, r.Linearizable())
	assert.Equal(t, 3, r.Ops)
	assert.Equal(t, 1, r.Unknown)
	assert.Equal(t, 1, r.Omitted)
	require.Len(t, r.Artifacts, 2)
	for _, f := range r.Artifacts {
		st, err := os.Stat(f)
		require.NoError(t, err)
		assert.Positive(t, st.Size())
	}
	joined := strings.Join(r.Involved, "\n")
	assert.Contains(t, joined, "get k0 -> 4242", "the read that nothing explains is named")

	ok := NewHistory()
	ok.Add(0, set, ok.Now(), []string{"OK"}, nil)
	ok.Add(1, get, ok.Now(), []string{"1000"}, nil)
	r, err = ok.Check(10*time.Second, dir, "good")
	require.NoError(t, err)
	assert.True(t, r.Linearizable())
	assert.Empty(t, r.Artifacts)
}

// Record takes the outcome from the caller: a write whose outcome is
// Unknown is pending, a read that is Unknown or Excluded is left out, and
// every outcome but Happened is counted by its reason.
func TestRecordTakesTheCallersOutcome(t *testing.T) {
	h := NewHistory()
	set := Input{Steps: []Step{{Kind: Set, Val: "1000"}}}
	get := Input{Steps: []Step{{Kind: Get}}}
	h.Record(0, set, h.Now(), h.Now(), []string{"OK"}, Unknown, "not acknowledged by WAIT")
	h.Record(1, get, h.Now(), h.Now(), []string{"1000"}, Excluded, "read before the failover")
	h.Record(1, get, h.Now(), h.Now(), []string{"1000"}, Unknown, "read failed")
	h.Record(1, get, h.Now(), h.Now(), []string{""}, Happened, "")
	r, err := h.Check(10*time.Second, t.TempDir(), "record")
	require.NoError(t, err)
	assert.True(t, r.Linearizable())
	assert.Equal(t, 2, r.Ops)
	assert.Equal(t, 1, r.Unknown)
	assert.Equal(t, 2, r.Omitted)
	assert.Equal(t, map[string]int{"not acknowledged by WAIT": 1, "read before the failover": 1, "read failed": 1}, r.Failures)
}

package client

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

func TestArrayEncoding(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"ARSet", func(c cmds) error { return c.ARSet(ctx, "a", 2, "x", 7).Err() }, "ARSET a 2 x 7", idem},
		{"ARSet max index", func(c cmds) error { return c.ARSet(ctx, "a", 1<<64-2, "x").Err() },
			"ARSET a 18446744073709551614 x", idem},
		{"ARMSet", func(c cmds) error {
			return c.ARMSet(ctx, "a", ArrayEntry{Index: 0, Value: "alpha"}, ArrayEntry{Index: 100, Value: "beta"}).Err()
		}, "ARMSET a 0 alpha 100 beta", idem},
		{"ARGet", func(c cmds) error { return c.ARGet(ctx, "a", 5).Err() }, "ARGET a 5", ro},
		{"ARMGet", func(c cmds) error { return c.ARMGet(ctx, "a", 0, 5, 999).Err() }, "ARMGET a 0 5 999", ro},
		{"ARGetRange", func(c cmds) error { return c.ARGetRange(ctx, "a", 3, 9).Err() }, "ARGETRANGE a 3 9", ro},
		{"ARDel", func(c cmds) error { return c.ARDel(ctx, "a", 1, 2).Err() }, "ARDEL a 1 2", idem},
		{"ARDelRange", func(c cmds) error {
			return c.ARDelRange(ctx, "a", ArrayRange{Start: 0, End: 2}, ArrayRange{Start: 10, End: 11}).Err()
		}, "ARDELRANGE a 0 2 10 11", idem},
		{"ARLen", func(c cmds) error { return c.ARLen(ctx, "a").Err() }, "ARLEN a", ro},
		{"ARCount", func(c cmds) error { return c.ARCount(ctx, "a").Err() }, "ARCOUNT a", ro},
		{"ARInsert", func(c cmds) error { return c.ARInsert(ctx, "a", "x", "y").Err() }, "ARINSERT a x y", 0},
		{"ARRing", func(c cmds) error { return c.ARRing(ctx, "a", 3, "v0").Err() }, "ARRING a 3 v0", 0},
		{"ARNext", func(c cmds) error { return c.ARNext(ctx, "a").Err() }, "ARNEXT a", ro},
		{"ARSeek", func(c cmds) error { return c.ARSeek(ctx, "a", 10).Err() }, "ARSEEK a 10", idem},
		{"ARScan", func(c cmds) error { return c.ARScan(ctx, "a", 0, 100).Err() }, "ARSCAN a 0 100", ro},
		{"ARScanWith", func(c cmds) error { return c.ARScanWith(ctx, "a", 0, 100, ARScanOptions{Limit: 2}).Err() },
			"ARSCAN a 0 100 LIMIT 2", ro},
		{"ARLastItems", func(c cmds) error { return c.ARLastItems(ctx, "a", 3).Err() }, "ARLASTITEMS a 3", ro},
		{"ARLastItemsWith", func(c cmds) error {
			return c.ARLastItemsWith(ctx, "a", 3, ARLastItemsOptions{Reverse: true}).Err()
		}, "ARLASTITEMS a 3 REV", ro},
		{"ARInfo", func(c cmds) error { return c.ARInfo(ctx, "a").Err() }, "ARINFO a", ro},
		{"ARInfoWith", func(c cmds) error { return c.ARInfoWith(ctx, "a", ARInfoOptions{Full: true}).Err() }, "ARINFO a FULL", ro},
		{"AROp sum", func(c cmds) error { return c.AROp(ctx, "a", 0, 2, ArraySum()).Err() }, "AROP a 0 2 SUM", ro},
		{"AROp match", func(c cmds) error { return c.AROp(ctx, "a", 0, 2, ArrayMatch(10)).Err() }, "AROP a 0 2 MATCH 10", ro},
		{"AROp xor", func(c cmds) error { return c.AROp(ctx, "a", 1, 1, ArrayXor()).Err() }, "AROP a 1 1 XOR", ro},
		{"ARGrep", func(c cmds) error {
			return c.ARGrep(ctx, "a", "-", "+", ARGrepOptions{Predicates: []ArrayPredicate{ArrayGlob("a*")}}).Err()
		}, "ARGREP a - + GLOB a*", ro},
		{"ARGrepWithValues", func(c cmds) error {
			return c.ARGrepWithValues(ctx, "a", "9", "0", ARGrepOptions{
				Predicates: []ArrayPredicate{ArrayExact("b"), ArrayContains("c"), ArrayRegexp("^d+$")},
				All:        true, Limit: 3, NoCase: true}).Err()
		}, "ARGREP a 9 0 EXACT b MATCH c RE ^d+$ AND LIMIT 3 WITHVALUES NOCASE", ro},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindInteger, Int: 1} })
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
		})
	}
}

func TestArrayInvalidArguments(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c cmds) error
	}{
		{"ARSet no value", func(c cmds) error { return c.ARSet(ctx, "a", 0).Err() }},
		{"ARMSet none", func(c cmds) error { return c.ARMSet(ctx, "a").Err() }},
		{"ARMGet none", func(c cmds) error { return c.ARMGet(ctx, "a").Err() }},
		{"ARDel none", func(c cmds) error { return c.ARDel(ctx, "a").Err() }},
		{"ARDelRange none", func(c cmds) error { return c.ARDelRange(ctx, "a").Err() }},
		{"ARDelRange reversed", func(c cmds) error { return c.ARDelRange(ctx, "a", ArrayRange{Start: 5, End: 1}).Err() }},
		{"ARInsert no value", func(c cmds) error { return c.ARInsert(ctx, "a").Err() }},
		{"ARRing size 0", func(c cmds) error { return c.ARRing(ctx, "a", 0, "v").Err() }},
		{"ARRing no value", func(c cmds) error { return c.ARRing(ctx, "a", 3).Err() }},
		{"ARScanWith negative", func(c cmds) error { return c.ARScanWith(ctx, "a", 0, 1, ARScanOptions{Limit: -1}).Err() }},
		{"ARLastItems zero", func(c cmds) error { return c.ARLastItems(ctx, "a", 0).Err() }},
		{"AROp zero", func(c cmds) error { return c.AROp(ctx, "a", 0, 1, ArrayOp{}).Err() }},
		{"AROp match nil", func(c cmds) error { return c.AROp(ctx, "a", 0, 1, ArrayMatch(nil)).Err() }},
		{"ARGrep none", func(c cmds) error { return c.ARGrep(ctx, "a", "-", "+", ARGrepOptions{}).Err() }},
		{"ARGrep zero predicate", func(c cmds) error {
			return c.ARGrep(ctx, "a", "-", "+", ARGrepOptions{Predicates: []ArrayPredicate{{}}}).Err()
		}},
		{"ARGrep negative limit", func(c cmds) error {
			return c.ARGrep(ctx, "a", "-", "+", ARGrepOptions{Predicates: []ArrayPredicate{ArrayExact("x")}, Limit: -1}).Err()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := replying(t, ":1")
			require.ErrorIs(t, tt.call(c), ErrInvalidArg)
			assert.Empty(t, s.sent, "nothing is sent")
		})
	}
	assert.Equal(t, "none", ArrayOp{}.String())
	assert.Equal(t, "MATCH", ArrayMatch("x").String())
}

// The decoders take what the reply schemas allow: indexes as integers or,
// past an int64, as digits; index/value pairs flat or nested.
func TestArrayDecoders(t *testing.T) {
	n, err := convert(t, toArrayIndex, "$20\n18446744073709551615")
	require.NoError(t, err)
	assert.Equal(t, uint64(1<<64-1), n)
	_, err = convert(t, toArrayIndex, "_")
	require.ErrorIs(t, err, ErrNil, "ARNEXT of an exhausted cursor")
	_, err = convert(t, toArrayIndex, ":-1")
	require.Error(t, err)
	flat, err := convert(t, toArrayEntries, "*4\n:0\n$1\nz\n:2\n$1\na")
	require.NoError(t, err)
	nested, err := convert(t, toArrayEntries, "*2\n*2\n:0\n$1\nz\n*2\n:2\n$1\na")
	require.NoError(t, err)
	assert.Equal(t, []ArrayEntry{{Index: 0, Value: "z"}, {Index: 2, Value: "a"}}, flat)
	assert.Equal(t, flat, nested)
	_, err = convert(t, toArrayEntries, "*3\n:0\n$1\nz\n:2")
	require.Error(t, err, "an odd flat reply")
}

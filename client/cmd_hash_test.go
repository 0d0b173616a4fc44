package client

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

func TestHashEncoding(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"HDel", func(c cmds) error { return c.HDel(ctx, "h", "a", "b").Err() }, "HDEL h a b", idem},
		{"HExists", func(c cmds) error { return c.HExists(ctx, "h", "f").Err() }, "HEXISTS h f", ro},
		{"HGet", func(c cmds) error { return c.HGet(ctx, "h", "f").Err() }, "HGET h f", ro},
		{"HGetAll", func(c cmds) error { return c.HGetAll(ctx, "h").Err() }, "HGETALL h", ro},
		{"HIncrBy", func(c cmds) error { return c.HIncrBy(ctx, "h", "f", -2).Err() }, "HINCRBY h f -2", 0},
		{"HIncrByFloat", func(c cmds) error { return c.HIncrByFloat(ctx, "h", "f", 0.25).Err() }, "HINCRBYFLOAT h f 0.25", 0},
		{"HKeys", func(c cmds) error { return c.HKeys(ctx, "h").Err() }, "HKEYS h", ro},
		{"HLen", func(c cmds) error { return c.HLen(ctx, "h").Err() }, "HLEN h", ro},
		{"HMGet", func(c cmds) error { return c.HMGet(ctx, "h", "a", "b").Err() }, "HMGET h a b", ro},
		{"HMSet", func(c cmds) error { return c.HMSet(ctx, "h", "a", 1, "b", "x").Err() }, "HMSET h a 1 b x", idem},
		{"HRandField", func(c cmds) error { return c.HRandField(ctx, "h").Err() }, "HRANDFIELD h", ro},
		{"HRandFieldWith", func(c cmds) error { return c.HRandFieldWith(ctx, "h", -3, HRandFieldOptions{}).Err() }, "HRANDFIELD h -3", ro},
		{"HRandFieldWith values", func(c cmds) error {
			return c.HRandFieldWith(ctx, "h", 2, HRandFieldOptions{WithValues: true}).Err()
		}, "HRANDFIELD h 2 WITHVALUES", ro},
		{"HScan", func(c cmds) error { return c.HScan(ctx, "h", 0).Err() }, "HSCAN h 0", ro},
		{"HScanWith", func(c cmds) error {
			return c.HScanWith(ctx, "h", 17, HScanOptions{Match: "f*", Count: 100}).Err()
		}, "HSCAN h 17 MATCH f* COUNT 100", ro},
		{"HSet", func(c cmds) error { return c.HSet(ctx, "h", "a", 1.5, "b", []byte("y")).Err() }, "HSET h a 1.5 b y", idem},
		{"HSetNX", func(c cmds) error { return c.HSetNX(ctx, "h", "f", 3).Err() }, "HSETNX h f 3", 0},
		{"HStrLen", func(c cmds) error { return c.HStrLen(ctx, "h", "f").Err() }, "HSTRLEN h f", ro},
		{"HVals", func(c cmds) error { return c.HVals(ctx, "h").Err() }, "HVALS h", ro},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindSimpleString, Str: "OK"} })
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
			assert.Equal(t, int(Slot("h")), s.last().slot)
		})
	}
}

func TestHashInvalidArguments(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c cmds) error
	}{
		{"HDel no field", func(c cmds) error { return c.HDel(ctx, "h").Err() }},
		{"HMGet no field", func(c cmds) error { return c.HMGet(ctx, "h").Err() }},
		{"HSet odd", func(c cmds) error { return c.HSet(ctx, "h", "a", 1, "b").Err() }},
		{"HSet empty", func(c cmds) error { return c.HSet(ctx, "h").Err() }},
		{"HSet field not a string", func(c cmds) error { return c.HSet(ctx, "h", 1, 2).Err() }},
		{"HMSet odd", func(c cmds) error { return c.HMSet(ctx, "h", "a").Err() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindSimpleString, Str: "OK"} })
			assert.ErrorIs(t, tt.call(c), ErrInvalidArg)
			assert.Empty(t, s.sent, "nothing sent")
		})
	}
}

// lhsScanScript answers HSCAN and SSCAN (the cursor is the third argument)
// with two elements per page, following pages from cursor to next cursor.
func lhsScanScript(pages map[string]string) func([]string) resp.Value {
	return func(args []string) resp.Value {
		next, ok := pages[args[2]]
		if !ok {
			return resp.Value{Kind: resp.KindError, Str: "ERR invalid cursor"}
		}
		var elems []resp.Value
		for i := range 2 {
			elems = append(elems, resp.Value{Kind: resp.KindBulkString, Str: "m" + args[2] + "-" + strconv.Itoa(i)})
		}
		return resp.Value{Kind: resp.KindArray, Elems: []resp.Value{
			{Kind: resp.KindBulkString, Str: next},
			{Kind: resp.KindArray, Elems: elems},
		}}
	}
}

func TestHScanIter(t *testing.T) {
	ctx := context.Background()
	s, c := newScript(t, lhsScanScript(map[string]string{"0": "5", "5": "0"}))
	var got []HashField
	for fv, err := range c.HScanIter(ctx, "h", HScanOptions{Match: "m*", Count: 2}) {
		require.NoError(t, err)
		got = append(got, fv)
	}
	assert.Equal(t, []HashField{{"m0-0", "m0-1"}, {"m5-0", "m5-1"}}, got)
	require.Len(t, s.sent, 2)
	for i, cur := range []string{"0", "5"} {
		assert.Equal(t, "HSCAN h "+cur+" MATCH m* COUNT 2", strings.Join(s.sent[i].args, " "))
	}

	// Stop early, then an error.
	s, c = newScript(t, lhsScanScript(map[string]string{"0": "5", "5": "9"}))
	for range c.HScanIter(ctx, "h", HScanOptions{}) {
		break
	}
	assert.Len(t, s.sent, 2, "the next page was already requested")
	var errs []error
	n := 0
	for _, err := range c.HScanIter(ctx, "h", HScanOptions{}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	require.Len(t, errs, 1, "an error ends the walk")
	var se *Error
	assert.True(t, errors.As(errs[0], &se))
	assert.Equal(t, 2, n)
}

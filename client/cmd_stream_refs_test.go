package client

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
)

func TestStreamRefsEncoding(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"XDelEx", func(c cmds) error { return c.XDelEx(ctx, "s", XRefDefault, "1-0", "2-0").Err() },
			"XDELEX s IDS 2 1-0 2-0", idem},
		{"XDelEx KEEPREF", func(c cmds) error { return c.XDelEx(ctx, "s", XRefKeep, "1-0").Err() },
			"XDELEX s KEEPREF IDS 1 1-0", idem},
		{"XDelEx DELREF", func(c cmds) error { return c.XDelEx(ctx, "s", XRefDelete, "1-0").Err() },
			"XDELEX s DELREF IDS 1 1-0", idem},
		{"XDelEx ACKED", func(c cmds) error { return c.XDelEx(ctx, "s", XRefAcked, "1-0").Err() },
			"XDELEX s ACKED IDS 1 1-0", idem},
		{"XAckDel", func(c cmds) error { return c.XAckDel(ctx, "s", "g", XRefDefault, "1-0").Err() },
			"XACKDEL s g IDS 1 1-0", idem},
		{"XAckDel ACKED", func(c cmds) error { return c.XAckDel(ctx, "s", "g", XRefAcked, "1-0", "IDS").Err() },
			"XACKDEL s g ACKED IDS 2 1-0 IDS", idem},
		{"XAddWith Refs", func(c cmds) error {
			return c.XAddWith(ctx, "s", XAddOptions{NoMkStream: true, Refs: XRefDelete, Trim: XMaxLen(10).Approx()}, "f", "v").Err()
		}, "XADD s NOMKSTREAM DELREF MAXLEN ~ 10 * f v", 0},
		{"XAddWith Refs no trim", func(c cmds) error {
			return c.XAddWith(ctx, "s", XAddOptions{Refs: XRefAcked, ID: "5-1"}, "f", "v").Err()
		}, "XADD s ACKED 5-1 f v", 0},
		{"XTrimWith", func(c cmds) error {
			return c.XTrimWith(ctx, "s", XMinID("5-0").Limit(100), XTrimOptions{Refs: XRefKeep}).Err()
		}, "XTRIM s MINID ~ 5-0 LIMIT 100 KEEPREF", 0},
		{"XTrimWith default", func(c cmds) error { return c.XTrimWith(ctx, "s", XMaxLen(3), XTrimOptions{}).Err() },
			"XTRIM s MAXLEN = 3", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := replying(t, "*1\n:1")
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
			assert.Equal(t, int(Slot("s")), s.last().slot, "routed by the stream's key")
			assert.Equal(t, messages.LookupFlags(s.last().args[0], s.last().args[1:]), tt.flags)
		})
	}
}

func TestStreamRefsInvalidArguments(t *testing.T) {
	ctx := context.Background()
	for name, call := range map[string]func(c cmds) error{
		"XDelEx no ids":        func(c cmds) error { return c.XDelEx(ctx, "s", XRefKeep).Err() },
		"XAckDel no ids":       func(c cmds) error { return c.XAckDel(ctx, "s", "g", XRefAcked).Err() },
		"XDelEx unknown refs":  func(c cmds) error { return c.XDelEx(ctx, "s", XRefPolicy(9), "1-0").Err() },
		"XAddWith bad refs":    func(c cmds) error { return c.XAddWith(ctx, "s", XAddOptions{Refs: XRefPolicy(4)}, "f", "v").Err() },
		"XTrimWith no rule":    func(c cmds) error { return c.XTrimWith(ctx, "s", XTrimRule{}, XTrimOptions{Refs: XRefKeep}).Err() },
		"XTrimWith bad refs":   func(c cmds) error { return c.XTrimWith(ctx, "s", XMaxLen(1), XTrimOptions{Refs: XRefPolicy(5)}).Err() },
		"XTrim negative limit": func(c cmds) error { return c.XTrim(ctx, "s", XMinID("1").Limit(-1)).Err() },
	} {
		t.Run(name, func(t *testing.T) {
			s, c := replying(t, "*1\n:1")
			require.ErrorIs(t, call(c), ErrInvalidArg)
			assert.Empty(t, s.sent, "nothing is sent")
		})
	}
}

func TestXRefPolicyString(t *testing.T) {
	assert.Equal(t, "default", XRefDefault.String())
	assert.Equal(t, "KEEPREF", XRefKeep.String())
	assert.Equal(t, "DELREF", XRefDelete.String())
	assert.Equal(t, "ACKED", XRefAcked.String())
	assert.Equal(t, "XRefPolicy(8)", XRefPolicy(8).String())
}

// The replies of XDELEX and XACKDEL as their reply schemas give them (the
// same in RESP2 and RESP3), and the error replies.
func TestStreamRefsReplies(t *testing.T) {
	ctx := context.Background()
	_, c := replying(t, "*3\n:-1\n:1\n:2")
	got, err := c.XDelEx(ctx, "s", XRefAcked, "1-0", "2-0", "3-0").Result()
	require.NoError(t, err)
	assert.Equal(t, []int64{XDelNotFound, XDelDeleted, XDelReferenced}, got)
	got, err = c.XAckDel(ctx, "s", "g", XRefAcked, "1-0", "2-0", "3-0").Result()
	require.NoError(t, err)
	assert.Equal(t, []int64{-1, 1, 2}, got)
	_, c = replying(t, ":2")
	n, err := c.XTrimWith(ctx, "s", XMaxLen(0), XTrimOptions{Refs: XRefDelete}).Result()
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)
	for _, msg := range []string{"ERR syntax error", "WRONGTYPE Operation against a key holding the wrong kind of value",
		"ERR The `numids` parameter must match the number of arguments"} {
		_, c := replying(t, "-"+msg)
		var se *Error
		for _, err := range []error{c.XDelEx(ctx, "s", XRefKeep, "1-0").Err(), c.XAckDel(ctx, "s", "g", XRefKeep, "1-0").Err(),
			c.XTrimWith(ctx, "s", XMaxLen(1), XTrimOptions{Refs: XRefAcked}).Err()} {
			require.ErrorAs(t, err, &se)
			assert.Equal(t, msg, se.Message)
		}
	}
}

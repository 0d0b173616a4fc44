package client

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

func TestStreamEncoding(t *testing.T) {
	ctx := context.Background()
	at := time.UnixMilli(1700000000123)
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"XAdd", func(c cmds) error { return c.XAdd(ctx, "s", "f", 1, "g", []byte("v")).Err() }, "XADD s * f 1 g v", 0},
		{"XAddWith", func(c cmds) error {
			return c.XAddWith(ctx, "s", XAddOptions{NoMkStream: true, Trim: XMaxLen(10).Approx(), ID: "5-1"}, "f", "v").Err()
		}, "XADD s NOMKSTREAM MAXLEN ~ 10 5-1 f v", 0},
		{"XAddWith MINID LIMIT", func(c cmds) error {
			return c.XAddWith(ctx, "s", XAddOptions{Trim: XMinID("3-0").Limit(50)}, "f", "v").Err()
		}, "XADD s MINID ~ 3-0 LIMIT 50 * f v", 0},
		{"XTrim", func(c cmds) error { return c.XTrim(ctx, "s", XMaxLen(0)).Err() }, "XTRIM s MAXLEN = 0", 0},
		{"XTrim MINID", func(c cmds) error { return c.XTrim(ctx, "s", XMinID("1-0")).Err() }, "XTRIM s MINID = 1-0", 0},
		{"XDel", func(c cmds) error { return c.XDel(ctx, "s", "1-0", "2-0").Err() }, "XDEL s 1-0 2-0", idem},
		{"XLen", func(c cmds) error { return c.XLen(ctx, "s").Err() }, "XLEN s", ro},
		{"XRange", func(c cmds) error { return c.XRange(ctx, "s", "-", "+").Err() }, "XRANGE s - +", ro},
		{"XRangeWith", func(c cmds) error { return c.XRangeWith(ctx, "s", "(1-0", "+", XRangeOptions{Count: 3}).Err() }, "XRANGE s (1-0 + COUNT 3", ro},
		{"XRevRange", func(c cmds) error { return c.XRevRange(ctx, "s", "+", "-").Err() }, "XREVRANGE s + -", ro},
		{"XRevRangeWith", func(c cmds) error { return c.XRevRangeWith(ctx, "s", "+", "-", XRangeOptions{Count: 1}).Err() }, "XREVRANGE s + - COUNT 1", ro},
		{"XRead", func(c cmds) error { return c.XRead(ctx, []string{"a", "b"}, []string{"0", "$"}).Err() }, "XREAD STREAMS a b 0 $", ro},
		{"XReadWith block", func(c cmds) error {
			return c.XReadWith(ctx, []string{"a"}, []string{"$"}, XReadOptions{Count: 2, Block: 1500 * time.Millisecond}).Err()
		}, "XREAD COUNT 2 BLOCK 1500 STREAMS a $", messages.Blocking},
		{"XReadWith forever", func(c cmds) error {
			return c.XReadWith(ctx, []string{"a"}, []string{"$"}, XReadOptions{Block: XBlockForever}).Err()
		}, "XREAD BLOCK 0 STREAMS a $", messages.Blocking},
		{"XReadGroup", func(c cmds) error { return c.XReadGroup(ctx, "g", "c", []string{"a"}, []string{">"}).Err() }, "XREADGROUP GROUP g c STREAMS a >", 0},
		{"XReadGroupWith", func(c cmds) error {
			return c.XReadGroupWith(ctx, "g", "c", []string{"a"}, []string{">"}, XReadGroupOptions{Count: 1, Block: time.Second, NoAck: true}).Err()
		}, "XREADGROUP GROUP g c COUNT 1 BLOCK 1000 NOACK STREAMS a >", messages.Blocking},
		{"XAck", func(c cmds) error { return c.XAck(ctx, "s", "g", "1-0").Err() }, "XACK s g 1-0", idem},
		{"XClaim", func(c cmds) error { return c.XClaim(ctx, "s", "g", "c", time.Minute, "1-0", "2-0").Err() }, "XCLAIM s g c 60000 1-0 2-0", 0},
		{"XClaimWith", func(c cmds) error {
			return c.XClaimWith(ctx, "s", "g", "c", 0, []string{"1-0"}, XClaimOptions{Idle: time.Second, Time: at, RetryCount: 3, Force: true, JustID: true, LastID: "9-0"}).Err()
		}, "XCLAIM s g c 0 1-0 IDLE 1000 TIME 1700000000123 RETRYCOUNT 3 FORCE JUSTID LASTID 9-0", 0},
		{"XAutoClaim", func(c cmds) error { return c.XAutoClaim(ctx, "s", "g", "c", time.Second, "0-0").Err() }, "XAUTOCLAIM s g c 1000 0-0", 0},
		{"XAutoClaimWith", func(c cmds) error {
			return c.XAutoClaimWith(ctx, "s", "g", "c", 0, "0-0", XAutoClaimOptions{Count: 5, JustID: true}).Err()
		}, "XAUTOCLAIM s g c 0 0-0 COUNT 5 JUSTID", 0},
		{"XSetID", func(c cmds) error { return c.XSetID(ctx, "s", "5-0").Err() }, "XSETID s 5-0", idem},
		{"XSetIDWith", func(c cmds) error {
			return c.XSetIDWith(ctx, "s", "5-0", XSetIDOptions{EntriesAdded: 9, MaxDeletedID: "4-0"}).Err()
		}, "XSETID s 5-0 ENTRIESADDED 9 MAXDELETEDID 4-0", idem},
		{"XGroupCreate", func(c cmds) error { return c.XGroupCreate(ctx, "s", "g", "$").Err() }, "XGROUP CREATE s g $", 0},
		{"XGroupCreateWith", func(c cmds) error {
			return c.XGroupCreateWith(ctx, "s", "g", "0", XGroupCreateOptions{MkStream: true, EntriesRead: 4}).Err()
		}, "XGROUP CREATE s g 0 MKSTREAM ENTRIESREAD 4", 0},
		{"XGroupCreateConsumer", func(c cmds) error { return c.XGroupCreateConsumer(ctx, "s", "g", "c").Err() }, "XGROUP CREATECONSUMER s g c", 0},
		{"XGroupDelConsumer", func(c cmds) error { return c.XGroupDelConsumer(ctx, "s", "g", "c").Err() }, "XGROUP DELCONSUMER s g c", 0},
		{"XGroupDestroy", func(c cmds) error { return c.XGroupDestroy(ctx, "s", "g").Err() }, "XGROUP DESTROY s g", 0},
		{"XGroupSetID", func(c cmds) error { return c.XGroupSetID(ctx, "s", "g", "$").Err() }, "XGROUP SETID s g $", idem},
		{"XGroupSetIDWith", func(c cmds) error {
			return c.XGroupSetIDWith(ctx, "s", "g", "0", XGroupSetIDOptions{EntriesRead: 2}).Err()
		}, "XGROUP SETID s g 0 ENTRIESREAD 2", idem},
		{"XPending", func(c cmds) error { return c.XPending(ctx, "s", "g").Err() }, "XPENDING s g", ro},
		{"XPendingExt", func(c cmds) error {
			return c.XPendingExt(ctx, "s", "g", XPendingExtOptions{Count: 10}).Err()
		}, "XPENDING s g - + 10", ro},
		{"XPendingExt all options", func(c cmds) error {
			return c.XPendingExt(ctx, "s", "g", XPendingExtOptions{Start: "1-0", End: "(9-0", Count: 1, Consumer: "c", Idle: 2 * time.Second}).Err()
		}, "XPENDING s g IDLE 2000 1-0 (9-0 1 c", ro},
		{"XInfoStream", func(c cmds) error { return c.XInfoStream(ctx, "s").Err() }, "XINFO STREAM s", ro},
		{"XInfoStreamFull", func(c cmds) error { return c.XInfoStreamFull(ctx, "s", XInfoStreamFullOptions{}).Err() }, "XINFO STREAM s FULL", ro},
		{"XInfoStreamFull count", func(c cmds) error {
			return c.XInfoStreamFull(ctx, "s", XInfoStreamFullOptions{Count: 3}).Err()
		}, "XINFO STREAM s FULL COUNT 3", ro},
		{"XInfoStreamFull all", func(c cmds) error {
			return c.XInfoStreamFull(ctx, "s", XInfoStreamFullOptions{Count: 3, All: true}).Err()
		}, "XINFO STREAM s FULL COUNT 0", ro},
		{"XInfoGroups", func(c cmds) error { return c.XInfoGroups(ctx, "s").Err() }, "XINFO GROUPS s", ro},
		{"XInfoConsumers", func(c cmds) error { return c.XInfoConsumers(ctx, "s", "g").Err() }, "XINFO CONSUMERS s g", ro},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindSimpleString, Str: "OK"} })
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
		})
	}
}

func TestStreamInvalidArguments(t *testing.T) {
	ctx := context.Background()
	tests := map[string]func(c cmds) error{
		"XAdd no values":    func(c cmds) error { return c.XAdd(ctx, "s").Err() },
		"XAdd odd":          func(c cmds) error { return c.XAdd(ctx, "s", "f").Err() },
		"XAdd negative len": func(c cmds) error { return c.XAddWith(ctx, "s", XAddOptions{Trim: XMaxLen(-1)}, "f", "v").Err() },
		"XAdd empty MINID":  func(c cmds) error { return c.XAddWith(ctx, "s", XAddOptions{Trim: XMinID("")}, "f", "v").Err() },
		"XTrim zero rule":   func(c cmds) error { return c.XTrim(ctx, "s", XTrimRule{}).Err() },
		"XTrim limit zero":  func(c cmds) error { return c.XTrim(ctx, "s", XMaxLen(1).Limit(0)).Err() },
		"XTrim limit minus": func(c cmds) error { return c.XTrim(ctx, "s", XMaxLen(1).Limit(-2)).Err() },
		"XDel no ids":       func(c cmds) error { return c.XDel(ctx, "s").Err() },
		"XAck no ids":       func(c cmds) error { return c.XAck(ctx, "s", "g").Err() },
		"XRangeWith count":  func(c cmds) error { return c.XRangeWith(ctx, "s", "-", "+", XRangeOptions{Count: -1}).Err() },
		"XRead mismatch":    func(c cmds) error { return c.XRead(ctx, []string{"a", "b"}, []string{"0"}).Err() },
		"XRead none":        func(c cmds) error { return c.XRead(ctx, nil, nil).Err() },
		"XRead sub-ms block": func(c cmds) error {
			return c.XReadWith(ctx, []string{"a"}, []string{"0"}, XReadOptions{Block: time.Microsecond}).Err()
		},
		"XRead negative": func(c cmds) error {
			return c.XReadWith(ctx, []string{"a"}, []string{"0"}, XReadOptions{Block: -time.Second}).Err()
		},
		"XReadGroup count": func(c cmds) error {
			return c.XReadGroupWith(ctx, "g", "c", []string{"a"}, []string{">"}, XReadGroupOptions{Count: -1}).Err()
		},
		"XClaim no ids":   func(c cmds) error { return c.XClaim(ctx, "s", "g", "c", 0).Err() },
		"XClaim negative": func(c cmds) error { return c.XClaim(ctx, "s", "g", "c", -time.Second, "1-0").Err() },
		"XAutoClaim negative": func(c cmds) error {
			return c.XAutoClaimWith(ctx, "s", "g", "c", 0, "0", XAutoClaimOptions{Count: -1}).Err()
		},
		"XPendingExt count": func(c cmds) error { return c.XPendingExt(ctx, "s", "g", XPendingExtOptions{}).Err() },
		"XGroupCreate read": func(c cmds) error {
			return c.XGroupCreateWith(ctx, "s", "g", "0", XGroupCreateOptions{EntriesRead: -1}).Err()
		},
		"XSetID added":    func(c cmds) error { return c.XSetIDWith(ctx, "s", "1-0", XSetIDOptions{EntriesAdded: -1}).Err() },
		"XInfoFull count": func(c cmds) error { return c.XInfoStreamFull(ctx, "s", XInfoStreamFullOptions{Count: -1}).Err() },
	}
	for name, call := range tests {
		t.Run(name, func(t *testing.T) {
			s, c := replying(t, "+OK")
			assert.ErrorIs(t, call(c), ErrInvalidArg)
			assert.Empty(t, s.sent, "nothing is sent")
		})
	}
}

func TestStreamReadRoutesByFirstKey(t *testing.T) {
	s, c := replying(t, "_")
	require.NoError(t, c.XReadGroup(context.Background(), "g", "c", []string{"{x}a", "{x}b"}, []string{">", ">"}).Err())
	assert.Equal(t, int(Slot("x")), s.last().slot)
}

func TestXTrimRuleString(t *testing.T) {
	assert.Equal(t, "none", XTrimRule{}.String())
	assert.Equal(t, "MAXLEN = 10", XMaxLen(10).String())
	assert.Equal(t, "MINID ~ 5-0 LIMIT 100", XMinID("5-0").Limit(100).String())
}

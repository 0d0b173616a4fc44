package client

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

func TestListEncoding(t *testing.T) {
	ctx := context.Background()
	bl := messages.Blocking
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"BLMove", func(c cmds) error { return c.BLMove(ctx, "a", "b", ListLeft, ListRight, 0).Err() }, "BLMOVE a b LEFT RIGHT 0", bl},
		{"BLMove fraction", func(c cmds) error {
			return c.BLMove(ctx, "a", "b", ListRight, ListLeft, 1500*time.Millisecond).Err()
		}, "BLMOVE a b RIGHT LEFT 1.5", bl},
		{"BLMPop", func(c cmds) error { return c.BLMPop(ctx, 2*time.Second, ListLeft, "a", "b").Err() }, "BLMPOP 2 2 a b LEFT", bl},
		{"BLMPopWith", func(c cmds) error {
			return c.BLMPopWith(ctx, 10*time.Millisecond, ListRight, []string{"a"}, LMPopOptions{Count: 3}).Err()
		}, "BLMPOP 0.01 1 a RIGHT COUNT 3", bl},
		{"BLPop", func(c cmds) error { return c.BLPop(ctx, time.Second, "a", "b").Err() }, "BLPOP a b 1", bl},
		{"BLPop sub-millisecond rounds up", func(c cmds) error { return c.BLPop(ctx, time.Microsecond, "a").Err() }, "BLPOP a 0.001", bl},
		{"BLPop forever", func(c cmds) error { return c.BLPop(ctx, 0, "a").Err() }, "BLPOP a 0", bl},
		{"BRPop", func(c cmds) error { return c.BRPop(ctx, 2500*time.Millisecond, "a").Err() }, "BRPOP a 2.5", bl},
		{"BRPopLPush", func(c cmds) error { return c.BRPopLPush(ctx, "a", "b", 3*time.Second).Err() }, "BRPOPLPUSH a b 3", bl},
		{"LIndex", func(c cmds) error { return c.LIndex(ctx, "k", -1).Err() }, "LINDEX k -1", ro},
		{"LInsert before", func(c cmds) error { return c.LInsert(ctx, "k", InsertBefore, "p", 5).Err() }, "LINSERT k BEFORE p 5", 0},
		{"LInsert after", func(c cmds) error { return c.LInsert(ctx, "k", InsertAfter, 1, "e").Err() }, "LINSERT k AFTER 1 e", 0},
		{"LLen", func(c cmds) error { return c.LLen(ctx, "k").Err() }, "LLEN k", ro},
		{"LMove", func(c cmds) error { return c.LMove(ctx, "a", "b", ListRight, ListRight).Err() }, "LMOVE a b RIGHT RIGHT", 0},
		{"LMPop", func(c cmds) error { return c.LMPop(ctx, ListLeft, "a", "b").Err() }, "LMPOP 2 a b LEFT", 0},
		{"LMPopWith", func(c cmds) error {
			return c.LMPopWith(ctx, ListRight, []string{"a"}, LMPopOptions{Count: 2}).Err()
		}, "LMPOP 1 a RIGHT COUNT 2", 0},
		{"LPop", func(c cmds) error { return c.LPop(ctx, "k").Err() }, "LPOP k", 0},
		{"LPopWith", func(c cmds) error { return c.LPopWith(ctx, "k", 3).Err() }, "LPOP k 3", 0},
		{"LPos", func(c cmds) error { return c.LPos(ctx, "k", "e").Err() }, "LPOS k e", ro},
		{"LPosWith zero", func(c cmds) error { return c.LPosWith(ctx, "k", "e", LPosOptions{}).Err() }, "LPOS k e", ro},
		{"LPosWith all", func(c cmds) error {
			return c.LPosWith(ctx, "k", "e", LPosOptions{Rank: -2, All: true, MaxLen: 100}).Err()
		}, "LPOS k e RANK -2 COUNT 0 MAXLEN 100", ro},
		{"LPosWith count", func(c cmds) error { return c.LPosWith(ctx, "k", 7, LPosOptions{Count: 2}).Err() }, "LPOS k 7 COUNT 2", ro},
		{"LPush", func(c cmds) error { return c.LPush(ctx, "k", "a", 1, 2.5).Err() }, "LPUSH k a 1 2.5", 0},
		{"LPushX", func(c cmds) error { return c.LPushX(ctx, "k", "a").Err() }, "LPUSHX k a", 0},
		{"LRange", func(c cmds) error { return c.LRange(ctx, "k", 0, -1).Err() }, "LRANGE k 0 -1", ro},
		{"LRem", func(c cmds) error { return c.LRem(ctx, "k", -2, "x").Err() }, "LREM k -2 x", 0},
		{"LSet", func(c cmds) error { return c.LSet(ctx, "k", 1, "x").Err() }, "LSET k 1 x", idem},
		{"LTrim", func(c cmds) error { return c.LTrim(ctx, "k", 1, -1).Err() }, "LTRIM k 1 -1", 0},
		{"RPop", func(c cmds) error { return c.RPop(ctx, "k").Err() }, "RPOP k", 0},
		{"RPopWith", func(c cmds) error { return c.RPopWith(ctx, "k", 0).Err() }, "RPOP k 0", 0},
		{"RPopLPush", func(c cmds) error { return c.RPopLPush(ctx, "a", "b").Err() }, "RPOPLPUSH a b", 0},
		{"RPush", func(c cmds) error { return c.RPush(ctx, "k", []byte("x"), true).Err() }, "RPUSH k x 1", 0},
		{"RPushX", func(c cmds) error { return c.RPushX(ctx, "k", "a", "b").Err() }, "RPUSHX k a b", 0},
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

func TestListRoutesByFirstKey(t *testing.T) {
	ctx := context.Background()
	s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindNull} })
	_ = c.BLMPop(ctx, time.Second, ListLeft, "first", "second").Err()
	assert.Equal(t, int(Slot("first")), s.last().slot, "numkeys and the timeout are not keys")
	_ = c.LMPop(ctx, ListLeft, "first", "second").Err()
	assert.Equal(t, int(Slot("first")), s.last().slot)
	_ = c.BLPop(ctx, time.Second, "first", "second").Err()
	assert.Equal(t, int(Slot("first")), s.last().slot)
}

func TestListInvalidArguments(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c cmds) error
	}{
		{"BLPop no key", func(c cmds) error { return c.BLPop(ctx, time.Second).Err() }},
		{"BRPop negative timeout", func(c cmds) error { return c.BRPop(ctx, -time.Second, "k").Err() }},
		{"BLMove zero direction", func(c cmds) error { return c.BLMove(ctx, "a", "b", 0, ListLeft, time.Second).Err() }},
		{"LMove unknown direction", func(c cmds) error { return c.LMove(ctx, "a", "b", ListLeft, 7).Err() }},
		{"LMPop no key", func(c cmds) error { return c.LMPop(ctx, ListLeft).Err() }},
		{"LMPopWith negative count", func(c cmds) error {
			return c.LMPopWith(ctx, ListLeft, []string{"k"}, LMPopOptions{Count: -1}).Err()
		}},
		{"BLMPop negative timeout", func(c cmds) error { return c.BLMPop(ctx, -1, ListLeft, "k").Err() }},
		{"BRPopLPush negative timeout", func(c cmds) error { return c.BRPopLPush(ctx, "a", "b", -time.Second).Err() }},
		{"LInsert zero position", func(c cmds) error { return c.LInsert(ctx, "k", 0, "p", "e").Err() }},
		{"LPopWith negative", func(c cmds) error { return c.LPopWith(ctx, "k", -1).Err() }},
		{"RPopWith negative", func(c cmds) error { return c.RPopWith(ctx, "k", -1).Err() }},
		{"LPosWith count and all", func(c cmds) error {
			return c.LPosWith(ctx, "k", "e", LPosOptions{Count: 1, All: true}).Err()
		}},
		{"LPosWith negative count", func(c cmds) error { return c.LPosWith(ctx, "k", "e", LPosOptions{Count: -1}).Err() }},
		{"LPosWith negative maxlen", func(c cmds) error { return c.LPosWith(ctx, "k", "e", LPosOptions{MaxLen: -1}).Err() }},
		{"LPush nothing", func(c cmds) error { return c.LPush(ctx, "k").Err() }},
		{"RPushX nothing", func(c cmds) error { return c.RPushX(ctx, "k").Err() }},
		{"RPush unsupported", func(c cmds) error { return c.RPush(ctx, "k", struct{}{}).Err() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindSimpleString, Str: "OK"} })
			err := tt.call(c)
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrInvalidArg) || errors.Is(err, ErrUnsupportedArg), "%v", err)
			assert.Empty(t, s.sent, "nothing sent")
		})
	}
}

func TestListEnumStrings(t *testing.T) {
	assert.Equal(t, "LEFT", ListLeft.String())
	assert.Equal(t, "RIGHT", ListRight.String())
	assert.Equal(t, "ListDirection(0)", ListDirection(0).String())
	assert.Equal(t, "ListDirection(3)", ListDirection(3).String())
	assert.Equal(t, "BEFORE", InsertBefore.String())
	assert.Equal(t, "AFTER", InsertAfter.String())
	assert.Equal(t, "InsertPosition(0)", InsertPosition(0).String())
	assert.Equal(t, "InsertPosition(3)", InsertPosition(3).String())
}

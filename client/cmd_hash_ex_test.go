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

func TestHashGetSetExEncoding(t *testing.T) {
	ctx := context.Background()
	at := time.Unix(1740470400, 0)
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"HGetDel", func(c cmds) error { return c.HGetDel(ctx, "h", "a", "b").Err() }, "HGETDEL h FIELDS 2 a b", 0},
		{"HGetEx no ttl", func(c cmds) error { return c.HGetEx(ctx, "h", 0, "a").Err() }, "HGETEX h FIELDS 1 a", 0},
		{"HGetEx seconds", func(c cmds) error { return c.HGetEx(ctx, "h", time.Minute, "a", "b").Err() }, "HGETEX h EX 60 FIELDS 2 a b", 0},
		{"HGetEx millis", func(c cmds) error { return c.HGetEx(ctx, "h", 1500*time.Millisecond, "a").Err() }, "HGETEX h PX 1500 FIELDS 1 a", 0},
		{"HGetExWith at", func(c cmds) error {
			return c.HGetExWith(ctx, "h", HGetExOptions{Expiration: ExpiresAt(at)}, "a").Err()
		}, "HGETEX h EXAT 1740470400 FIELDS 1 a", 0},
		{"HGetExWith persist", func(c cmds) error {
			return c.HGetExWith(ctx, "h", HGetExOptions{Expiration: Persistent()}, "a").Err()
		}, "HGETEX h PERSIST FIELDS 1 a", 0},
		{"HSetEx", func(c cmds) error { return c.HSetEx(ctx, "h", 10*time.Second, "a", 1, "b", "two").Err() },
			"HSETEX h EX 10 FIELDS 2 a 1 b two", idem},
		{"HSetEx no ttl", func(c cmds) error { return c.HSetEx(ctx, "h", 0, "a", 1).Err() }, "HSETEX h FIELDS 1 a 1", idem},
		{"HSetExWith FNX PX", func(c cmds) error {
			return c.HSetExWith(ctx, "h", HSetExOptions{FieldCondition: FieldsIfNoneExist, Expiration: ExpiresIn(250 * time.Millisecond)}, "a", 1).Err()
		}, "HSETEX h FNX PX 250 FIELDS 1 a 1", 0},
		{"HSetExWith FXX KEEPTTL", func(c cmds) error {
			return c.HSetExWith(ctx, "h", HSetExOptions{FieldCondition: FieldsIfAllExist, Expiration: KeepTTL()}, "a", 1).Err()
		}, "HSETEX h FXX KEEPTTL FIELDS 1 a 1", idem},
		{"HSetExWith NX FXX PXAT", func(c cmds) error {
			return c.HSetExWith(ctx, "h", HSetExOptions{KeyCondition: SetIfNotExists, FieldCondition: FieldsIfAllExist,
				Expiration: ExpiresAt(at.Add(5 * time.Millisecond))}, "a", 1).Err()
		}, "HSETEX h NX FXX PXAT 1740470400005 FIELDS 1 a 1", 0},
		{"HSetExWith XX", func(c cmds) error {
			return c.HSetExWith(ctx, "h", HSetExOptions{KeyCondition: SetIfExists}, "a", 1).Err()
		}, "HSETEX h XX FIELDS 1 a 1", idem},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindInteger, Int: 1} })
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
			assert.Equal(t, int(Slot("h")), s.last().slot, "routed by the key")
		})
	}
}

func TestHashGetSetExInvalidArguments(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c cmds) error
	}{
		{"HGetDel no field", func(c cmds) error { return c.HGetDel(ctx, "h").Err() }},
		{"HGetEx no field", func(c cmds) error { return c.HGetEx(ctx, "h", time.Second).Err() }},
		{"HGetEx negative ttl", func(c cmds) error { return c.HGetEx(ctx, "h", -time.Second, "a").Err() }},
		{"HSetEx odd", func(c cmds) error { return c.HSetEx(ctx, "h", time.Second, "a").Err() }},
		{"HSetEx empty", func(c cmds) error { return c.HSetEx(ctx, "h", time.Second).Err() }},
		{"HSetEx field not a string", func(c cmds) error { return c.HSetEx(ctx, "h", time.Second, 1, 2).Err() }},
		{"HSetExWith unknown field condition", func(c cmds) error {
			return c.HSetExWith(ctx, "h", HSetExOptions{FieldCondition: FieldCondition(9)}, "a", 1).Err()
		}},
		{"HSetExWith unknown key condition", func(c cmds) error {
			return c.HSetExWith(ctx, "h", HSetExOptions{KeyCondition: SetCondition(9)}, "a", 1).Err()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := replying(t, ":1")
			err := tt.call(c)
			require.ErrorIs(t, err, ErrInvalidArg)
			assert.Empty(t, s.sent, "nothing is sent")
		})
	}
}

// The replies of HGETDEL and HGETEX as the reply schema has them (an
// array of strings and nulls), under RESP2 ($-1) and RESP3 (_).
func TestHashGetSetExReplies(t *testing.T) {
	ctx := context.Background()
	str := func(s string) *string { return &s }
	want := []*string{str("v1"), nil, str("")}
	for _, wire := range []string{"*3\n$2\nv1\n$-1\n$0\n\n", "*3\n$2\nv1\n_\n$0\n\n"} {
		_, c := replying(t, wire)
		got, err := c.HGetDel(ctx, "h", "a", "b", "c").Result()
		require.NoError(t, err)
		assert.Equal(t, want, got)
		got, err = c.HGetEx(ctx, "h", time.Second, "a", "b", "c").Result()
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, c := replying(t, ":0")
	n, err := c.HSetExWith(ctx, "h", HSetExOptions{FieldCondition: FieldsIfNoneExist}, "a", 1).Result()
	require.NoError(t, err)
	assert.Equal(t, int64(0), n)

	_, err = convert(t, toStringPtrs, "*1\n*0\n")
	assert.ErrorIs(t, err, ErrUnexpectedType)
	_, c = replying(t, "-WRONGTYPE Operation against a key holding the wrong kind of value")
	_, err = c.HGetDel(ctx, "h", "a").Result()
	var se *Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "WRONGTYPE", se.Prefix())
}

func TestFieldConditionString(t *testing.T) {
	assert.Equal(t, "always", FieldsAlways.String())
	assert.Equal(t, "FNX", FieldsIfNoneExist.String())
	assert.Equal(t, "FXX", FieldsIfAllExist.String())
	assert.Equal(t, "FieldCondition(7)", FieldCondition(7).String())
}

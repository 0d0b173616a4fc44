package client

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
)

func TestHashFieldTTLEncoding(t *testing.T) {
	ctx := context.Background()
	at := time.Unix(1700000000, 250*int64(time.Millisecond))
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"HExpire", func(c cmds) error { return c.HExpire(ctx, "h", 90*time.Second, "a", "b").Err() },
			"HEXPIRE h 90 FIELDS 2 a b", idem},
		{"HExpireWith NX", func(c cmds) error { return c.HExpireWith(ctx, "h", time.Minute, ExpireNX, "a").Err() },
			"HEXPIRE h 60 NX FIELDS 1 a", 0},
		{"HExpireWith always", func(c cmds) error { return c.HExpireWith(ctx, "h", time.Minute, ExpireAlways, "a").Err() },
			"HEXPIRE h 60 FIELDS 1 a", idem},
		{"HPExpire", func(c cmds) error { return c.HPExpire(ctx, "h", 1500*time.Millisecond, "a").Err() },
			"HPEXPIRE h 1500 FIELDS 1 a", idem},
		{"HPExpireWith GT", func(c cmds) error { return c.HPExpireWith(ctx, "h", time.Second, ExpireGT, "a", "b").Err() },
			"HPEXPIRE h 1000 GT FIELDS 2 a b", 0},
		{"HExpireAt", func(c cmds) error { return c.HExpireAt(ctx, "h", at, "a").Err() },
			"HEXPIREAT h 1700000000 FIELDS 1 a", idem},
		{"HExpireAtWith XX", func(c cmds) error { return c.HExpireAtWith(ctx, "h", at, ExpireXX, "a").Err() },
			"HEXPIREAT h 1700000000 XX FIELDS 1 a", 0},
		{"HPExpireAt", func(c cmds) error { return c.HPExpireAt(ctx, "h", at, "a").Err() },
			"HPEXPIREAT h 1700000000250 FIELDS 1 a", idem},
		{"HPExpireAtWith LT", func(c cmds) error { return c.HPExpireAtWith(ctx, "h", at, ExpireLT, "a").Err() },
			"HPEXPIREAT h 1700000000250 LT FIELDS 1 a", 0},
		{"HTTL", func(c cmds) error { return c.HTTL(ctx, "h", "a", "b", "c").Err() }, "HTTL h FIELDS 3 a b c", ro},
		{"HPTTL", func(c cmds) error { return c.HPTTL(ctx, "h", "a").Err() }, "HPTTL h FIELDS 1 a", ro},
		{"HExpireTime", func(c cmds) error { return c.HExpireTime(ctx, "h", "a").Err() }, "HEXPIRETIME h FIELDS 1 a", ro},
		{"HPExpireTime", func(c cmds) error { return c.HPExpireTime(ctx, "h", "a").Err() }, "HPEXPIRETIME h FIELDS 1 a", ro},
		{"HPersist", func(c cmds) error { return c.HPersist(ctx, "h", "a", "b").Err() }, "HPERSIST h FIELDS 2 a b", idem},
		{"field named like a token", func(c cmds) error { return c.HTTL(ctx, "h", "FIELDS", "NX").Err() },
			"HTTL h FIELDS 2 FIELDS NX", ro},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := replying(t, "*1\n:1")
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
			assert.Equal(t, int(Slot("h")), s.last().slot, "routed by the hash's key")
			// The flags the method sets agree with what Do would find.
			table := messages.LookupFlags(s.last().args[0], s.last().args[1:])
			assert.Equal(t, table&(messages.ReadOnly|messages.Blocking), tt.flags&(messages.ReadOnly|messages.Blocking))
		})
	}
}

func TestHashFieldTTLInvalidArguments(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c cmds) error
	}{
		{"HExpire no field", func(c cmds) error { return c.HExpire(ctx, "h", time.Second).Err() }},
		{"HExpire fraction", func(c cmds) error { return c.HExpire(ctx, "h", 1500*time.Millisecond, "a").Err() }},
		{"HExpireWith unknown condition", func(c cmds) error {
			return c.HExpireWith(ctx, "h", time.Second, ExpireCondition(9), "a").Err()
		}},
		{"HPExpireAtWith unknown condition", func(c cmds) error {
			return c.HPExpireAtWith(ctx, "h", time.Now(), ExpireCondition(5), "a").Err()
		}},
		{"HTTL no field", func(c cmds) error { return c.HTTL(ctx, "h").Err() }},
		{"HPersist no field", func(c cmds) error { return c.HPersist(ctx, "h").Err() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := replying(t, "*0")
			require.ErrorIs(t, tt.call(c), ErrInvalidArg)
			assert.Empty(t, s.sent, "nothing is sent")
		})
	}
}

// The replies of the family are one integer per field, under both
// protocols; a server's error (WRONGTYPE, an unknown command on Redis
// before 7.4) is the future's error.
func TestHashFieldTTLReplies(t *testing.T) {
	ctx := context.Background()
	_, c := replying(t, "*3\n:1\n:-2\n:2")
	got, err := c.HExpire(ctx, "h", time.Second, "a", "b", "c").Result()
	require.NoError(t, err)
	assert.Equal(t, []int64{1, -2, 2}, got)

	_, c = replying(t, "*3\n:3599\n:-1\n:-2")
	got, err = c.HTTL(ctx, "h", "a", "b", "c").Result()
	require.NoError(t, err)
	assert.Equal(t, []int64{3599, -1, -2}, got, "seconds, -1 no expiry, -2 no field, as the server says")

	_, c = replying(t, "*0")
	got, err = c.HPersist(ctx, "h", "a").Result()
	require.NoError(t, err)
	assert.Empty(t, got, "Redis 7.4's documented reply for a missing key")

	_, c = replying(t, "-WRONGTYPE Operation against a key holding the wrong kind of value")
	_, err = c.HPTTL(ctx, "s", "a").Result()
	assert.ErrorContains(t, err, "WRONGTYPE")

	_, c = replying(t, "*1\n$1\nx")
	_, err = c.HExpireTime(ctx, "h", "a").Result()
	assert.ErrorIs(t, err, ErrUnexpectedType)
}

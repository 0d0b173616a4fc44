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

func TestCompareAndSetEncoding(t *testing.T) {
	ctx := context.Background()
	digest := "b2f6e4c1a3d59e07"
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"SetWith IFEQ", func(c cmds) error {
			return c.SetWith(ctx, "k", "new", SetOptions{IfValue: IfEqual("old")}).Err()
		}, "SET k new IFEQ old", 0},
		{"SetWith IFEQ EX", func(c cmds) error {
			return c.SetWith(ctx, "k", "new", SetOptions{IfValue: IfEqual(7), Expiration: ExpiresIn(time.Minute)}).Err()
		}, "SET k new IFEQ 7 EX 60", 0},
		{"SetWith IFNE", func(c cmds) error {
			return c.SetWith(ctx, "k", "new", SetOptions{IfValue: IfNotEqual("old")}).Err()
		}, "SET k new IFNE old", 0},
		{"SetWith IFDEQ KEEPTTL", func(c cmds) error {
			return c.SetWith(ctx, "k", "new", SetOptions{IfValue: IfDigestEqual(digest), Expiration: KeepTTL()}).Err()
		}, "SET k new IFDEQ " + digest + " KEEPTTL", 0},
		{"SetWith IFDNE", func(c cmds) error {
			return c.SetWith(ctx, "k", "new", SetOptions{IfValue: IfDigestNotEqual(digest)}).Err()
		}, "SET k new IFDNE " + digest, 0},
		{"DelIfEq", func(c cmds) error { return c.DelIfEq(ctx, "lock", "token").Err() }, "DELIFEQ lock token", 0},
		{"DelEx", func(c cmds) error { return c.DelEx(ctx, "k", Comparison{}).Err() }, "DELEX k", idem},
		{"DelEx IFEQ", func(c cmds) error { return c.DelEx(ctx, "k", IfEqual("v")).Err() }, "DELEX k IFEQ v", 0},
		{"DelEx IFNE", func(c cmds) error { return c.DelEx(ctx, "k", IfNotEqual([]byte("v"))).Err() }, "DELEX k IFNE v", 0},
		{"DelEx IFDEQ", func(c cmds) error { return c.DelEx(ctx, "k", IfDigestEqual(digest)).Err() }, "DELEX k IFDEQ " + digest, 0},
		{"DelEx IFDNE", func(c cmds) error { return c.DelEx(ctx, "k", IfDigestNotEqual(digest)).Err() }, "DELEX k IFDNE " + digest, 0},
		{"Digest", func(c cmds) error { return c.Digest(ctx, "k").Err() }, "DIGEST k", ro},
		{"MSetEx", func(c cmds) error { return c.MSetEx(ctx, 10*time.Second, "a", 1, "b", "two").Err() },
			"MSETEX 2 a 1 b two EX 10", 0},
		{"MSetEx no ttl", func(c cmds) error { return c.MSetEx(ctx, 0, "a", 1).Err() }, "MSETEX 1 a 1", 0},
		{"MSetExWith NX PX", func(c cmds) error {
			return c.MSetExWith(ctx, MSetExOptions{Condition: SetIfNotExists, Expiration: ExpiresIn(1500 * time.Millisecond)}, "a", 1).Err()
		}, "MSETEX 1 a 1 NX PX 1500", 0},
		{"MSetExWith XX KEEPTTL", func(c cmds) error {
			return c.MSetExWith(ctx, MSetExOptions{Condition: SetIfExists, Expiration: KeepTTL()}, "a", 1, "b", 2).Err()
		}, "MSETEX 2 a 1 b 2 XX KEEPTTL", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindSimpleString, Str: "OK"} })
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
		})
	}
	// MSETEX routes by its first key, past numkeys.
	s, c := replying(t, ":1")
	require.NoError(t, c.MSetEx(ctx, time.Second, "{tag}a", 1, "{tag}b", 2).Err())
	assert.Equal(t, int(Slot("tag")), s.last().slot)
}

func TestCompareAndSetInvalidArguments(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c cmds) error
	}{
		{"SetWith IfValue and NX", func(c cmds) error {
			return c.SetWith(ctx, "k", "v", SetOptions{IfValue: IfEqual("x"), Condition: SetIfNotExists}).Err()
		}},
		{"SetWith IfValue and GET", func(c cmds) error {
			return c.SetWith(ctx, "k", "v", SetOptions{IfValue: IfEqual("x"), Get: true}).Err()
		}},
		{"SetWith IfValue nil", func(c cmds) error {
			return c.SetWith(ctx, "k", "v", SetOptions{IfValue: IfEqual(nil)}).Err()
		}},
		{"DelEx IfValue nil", func(c cmds) error { return c.DelEx(ctx, "k", IfNotEqual(nil)).Err() }},
		{"MSetEx odd", func(c cmds) error { return c.MSetEx(ctx, time.Second, "a").Err() }},
		{"MSetEx empty", func(c cmds) error { return c.MSetEx(ctx, time.Second).Err() }},
		{"MSetEx key not a string", func(c cmds) error { return c.MSetEx(ctx, time.Second, 1, 2).Err() }},
		{"MSetEx negative ttl", func(c cmds) error { return c.MSetEx(ctx, -time.Second, "a", 1).Err() }},
		{"MSetExWith unknown condition", func(c cmds) error {
			return c.MSetExWith(ctx, MSetExOptions{Condition: SetCondition(9)}, "a", 1).Err()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := replying(t, "+OK")
			require.ErrorIs(t, tt.call(c), ErrInvalidArg)
			assert.Empty(t, s.sent, "nothing is sent")
		})
	}
}

// The replies, as the reply schemas of SET, DELIFEQ, DELEX, DIGEST and
// MSETEX have them, under RESP2 and RESP3.
func TestCompareAndSetReplies(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		wire string
		want SetResult
	}{{"+OK", SetResult{Written: true}}, {"$-1", SetResult{}}, {"_", SetResult{}}} {
		_, c := replying(t, tt.wire)
		got, err := c.SetWith(ctx, "k", "v", SetOptions{IfValue: IfEqual("x")}).Result()
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, tt.wire)
	}
	for _, n := range []int64{0, 1} {
		_, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindInteger, Int: n} })
		got, err := c.DelIfEq(ctx, "k", "v").Result()
		require.NoError(t, err)
		assert.Equal(t, n, got)
		got, err = c.DelEx(ctx, "k", IfEqual("v")).Result()
		require.NoError(t, err)
		assert.Equal(t, n, got)
		set, err := c.MSetEx(ctx, time.Second, "a", 1).Result()
		require.NoError(t, err)
		assert.Equal(t, n == 1, set)
	}
	_, c := replying(t, "$16\nb2f6e4c1a3d59e07")
	d, err := c.Digest(ctx, "k").Result()
	require.NoError(t, err)
	assert.Equal(t, "b2f6e4c1a3d59e07", d)
	for _, wire := range []string{"$-1", "_"} {
		_, c := replying(t, wire)
		_, err := c.Digest(ctx, "k").Result()
		assert.ErrorIs(t, err, ErrNil)
	}
	_, c = replying(t, "-WRONGTYPE Operation against a key holding the wrong kind of value")
	_, err = c.DelIfEq(ctx, "k", "v").Result()
	var se *Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "WRONGTYPE", se.Prefix())
}

func TestComparisonString(t *testing.T) {
	assert.Equal(t, "none", Comparison{}.String())
	assert.Equal(t, "IFEQ", IfEqual("secret").String(), "never the value")
	assert.Equal(t, "IFNE", IfNotEqual("secret").String())
	assert.Equal(t, "IFDEQ", IfDigestEqual("d").String())
	assert.Equal(t, "IFDNE", IfDigestNotEqual("d").String())
}

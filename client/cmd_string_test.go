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

func TestStringEncoding(t *testing.T) {
	ctx := context.Background()
	whole := time.Unix(1700000000, 0)
	frac := time.Unix(1700000000, 5_000_000)
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"Append", func(c cmds) error { return c.Append(ctx, "k", "v").Err() }, "APPEND k v", 0},
		{"Decr", func(c cmds) error { return c.Decr(ctx, "k").Err() }, "DECR k", 0},
		{"DecrBy", func(c cmds) error { return c.DecrBy(ctx, "k", -3).Err() }, "DECRBY k -3", 0},
		{"Get", func(c cmds) error { return c.Get(ctx, "k").Err() }, "GET k", ro},
		{"GetDel", func(c cmds) error { return c.GetDel(ctx, "k").Err() }, "GETDEL k", 0},
		{"GetEx", func(c cmds) error { return c.GetEx(ctx, "k").Err() }, "GETEX k", idem},
		{"GetExWith seconds", func(c cmds) error {
			return c.GetExWith(ctx, "k", GetExOptions{Expiration: ExpiresIn(2 * time.Second)}).Err()
		}, "GETEX k EX 2", idem},
		{"GetExWith millis", func(c cmds) error {
			return c.GetExWith(ctx, "k", GetExOptions{Expiration: ExpiresIn(1500 * time.Millisecond)}).Err()
		}, "GETEX k PX 1500", idem},
		{"GetExWith at second", func(c cmds) error {
			return c.GetExWith(ctx, "k", GetExOptions{Expiration: ExpiresAt(whole)}).Err()
		}, "GETEX k EXAT 1700000000", idem},
		{"GetExWith at millisecond", func(c cmds) error {
			return c.GetExWith(ctx, "k", GetExOptions{Expiration: ExpiresAt(frac)}).Err()
		}, "GETEX k PXAT 1700000000005", idem},
		{"GetExWith persist", func(c cmds) error {
			return c.GetExWith(ctx, "k", GetExOptions{Expiration: Persistent()}).Err()
		}, "GETEX k PERSIST", idem},
		{"GetExWith keep", func(c cmds) error {
			return c.GetExWith(ctx, "k", GetExOptions{Expiration: KeepTTL()}).Err()
		}, "GETEX k", idem},
		{"GetRange", func(c cmds) error { return c.GetRange(ctx, "k", 0, -1).Err() }, "GETRANGE k 0 -1", ro},
		{"GetSet", func(c cmds) error { return c.GetSet(ctx, "k", 5).Err() }, "GETSET k 5", 0},
		{"Incr", func(c cmds) error { return c.Incr(ctx, "k").Err() }, "INCR k", 0},
		{"IncrBy", func(c cmds) error { return c.IncrBy(ctx, "k", 10).Err() }, "INCRBY k 10", 0},
		{"IncrByFloat", func(c cmds) error { return c.IncrByFloat(ctx, "k", 0.5).Err() }, "INCRBYFLOAT k 0.5", 0},
		{"LCS", func(c cmds) error { return c.LCS(ctx, "a", "b").Err() }, "LCS a b", ro},
		{"LCSWith length", func(c cmds) error { return c.LCSWith(ctx, "a", "b", LCSOptions{Length: true}).Err() }, "LCS a b LEN", ro},
		{"LCSWith indexes", func(c cmds) error {
			return c.LCSWith(ctx, "a", "b", LCSOptions{Indexes: true, MinMatchLength: 4, WithMatchLength: true}).Err()
		}, "LCS a b IDX MINMATCHLEN 4 WITHMATCHLEN", ro},
		{"MGet", func(c cmds) error { return c.MGet(ctx, "a", "b").Err() }, "MGET a b", ro},
		{"MSet", func(c cmds) error { return c.MSet(ctx, "a", 1, "b", []byte("two")).Err() }, "MSET a 1 b two", idem},
		{"MSetNX", func(c cmds) error { return c.MSetNX(ctx, "a", 1.5, "b", true).Err() }, "MSETNX a 1.5 b 1", 0},
		{"PSetEx", func(c cmds) error { return c.PSetEx(ctx, "k", "v", 1500*time.Millisecond).Err() }, "PSETEX k 1500 v", idem},
		{"Set", func(c cmds) error { return c.Set(ctx, "k", "v", 0).Err() }, "SET k v", idem},
		{"Set expiring", func(c cmds) error { return c.Set(ctx, "k", "v", time.Second).Err() }, "SET k v PX 1000", idem},
		{"SetWith zero", func(c cmds) error { return c.SetWith(ctx, "k", "v", SetOptions{}).Err() }, "SET k v", idem},
		{"SetWith NX GET EX", func(c cmds) error {
			return c.SetWith(ctx, "k", "v", SetOptions{Condition: SetIfNotExists, Get: true, Expiration: ExpiresIn(10 * time.Second)}).Err()
		}, "SET k v NX GET EX 10", 0},
		{"SetWith XX PX", func(c cmds) error {
			return c.SetWith(ctx, "k", "v", SetOptions{Condition: SetIfExists, Expiration: ExpiresIn(2500 * time.Millisecond)}).Err()
		}, "SET k v XX PX 2500", idem},
		{"SetWith NX", func(c cmds) error {
			return c.SetWith(ctx, "k", "v", SetOptions{Condition: SetIfNotExists}).Err()
		}, "SET k v NX", 0},
		{"SetWith GET EXAT", func(c cmds) error {
			return c.SetWith(ctx, "k", "v", SetOptions{Get: true, Expiration: ExpiresAt(whole)}).Err()
		}, "SET k v GET EXAT 1700000000", 0},
		{"SetWith PXAT", func(c cmds) error {
			return c.SetWith(ctx, "k", "v", SetOptions{Expiration: ExpiresAt(frac)}).Err()
		}, "SET k v PXAT 1700000000005", idem},
		{"SetWith KEEPTTL", func(c cmds) error {
			return c.SetWith(ctx, "k", "v", SetOptions{Expiration: KeepTTL()}).Err()
		}, "SET k v KEEPTTL", idem},
		{"SetWith persistent", func(c cmds) error {
			return c.SetWith(ctx, "k", "v", SetOptions{Expiration: Persistent()}).Err()
		}, "SET k v", idem},
		{"SetEx", func(c cmds) error { return c.SetEx(ctx, "k", "v", time.Minute).Err() }, "SETEX k 60 v", idem},
		{"SetNX", func(c cmds) error { return c.SetNX(ctx, "k", "v").Err() }, "SETNX k v", 0},
		{"SetRange", func(c cmds) error { return c.SetRange(ctx, "k", 6, "x").Err() }, "SETRANGE k 6 x", idem},
		{"StrLen", func(c cmds) error { return c.StrLen(ctx, "k").Err() }, "STRLEN k", ro},
		{"SubStr", func(c cmds) error { return c.SubStr(ctx, "k", 1, 2).Err() }, "SUBSTR k 1 2", ro},
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

func TestStringInvalidArguments(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c cmds) error
	}{
		{"MSet odd", func(c cmds) error { return c.MSet(ctx, "a", 1, "b").Err() }},
		{"MSet empty", func(c cmds) error { return c.MSet(ctx).Err() }},
		{"MSet key not a string", func(c cmds) error { return c.MSet(ctx, "a", 1, 2, 3).Err() }},
		{"MSetNX odd", func(c cmds) error { return c.MSetNX(ctx, "a").Err() }},
		{"SetEx fraction", func(c cmds) error { return c.SetEx(ctx, "k", "v", 1500*time.Millisecond).Err() }},
		{"ExpiresIn zero", func(c cmds) error {
			return c.SetWith(ctx, "k", "v", SetOptions{Expiration: ExpiresIn(0)}).Err()
		}},
		{"ExpiresIn negative", func(c cmds) error {
			return c.GetExWith(ctx, "k", GetExOptions{Expiration: ExpiresIn(-time.Second)}).Err()
		}},
		{"ExpiresIn below a millisecond", func(c cmds) error {
			return c.SetWith(ctx, "k", "v", SetOptions{Expiration: ExpiresIn(time.Microsecond)}).Err()
		}},
		{"ExpiresAt zero time", func(c cmds) error {
			return c.SetWith(ctx, "k", "v", SetOptions{Expiration: ExpiresAt(time.Time{})}).Err()
		}},
		{"SetWith unknown condition", func(c cmds) error {
			return c.SetWith(ctx, "k", "v", SetOptions{Condition: SetCondition(5)}).Err()
		}},
		{"Set unsupported value", func(c cmds) error { return c.Set(ctx, "k", struct{}{}, 0).Err() }},
		{"LCSWith length and indexes", func(c cmds) error {
			return c.LCSWith(ctx, "a", "b", LCSOptions{Length: true, Indexes: true}).Err()
		}},
		{"LCSWith match length without indexes", func(c cmds) error {
			return c.LCSWith(ctx, "a", "b", LCSOptions{MinMatchLength: 3}).Err()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := replying(t, "+OK")
			err := tt.call(c)
			require.Error(t, err)
			if tt.name == "Set unsupported value" {
				assert.ErrorIs(t, err, ErrUnsupportedArg)
			} else {
				assert.ErrorIs(t, err, ErrInvalidArg)
			}
			assert.Empty(t, s.sent, "nothing is sent")
		})
	}
}

func TestMSetRoutesByFirstKey(t *testing.T) {
	s, c := replying(t, "+OK")
	require.NoError(t, c.MSet(context.Background(), "{tag}a", 1, "{tag}b", 2).Err())
	assert.Equal(t, int(Slot("tag")), s.last().slot)
}

func TestSetWithResults(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		opts SetOptions
		wire string
		want SetResult
	}{
		{"written", SetOptions{}, "+OK", SetResult{Written: true}},
		{"NX stopped", SetOptions{Condition: SetIfNotExists}, "$-1", SetResult{}},
		{"NX stopped RESP3", SetOptions{Condition: SetIfNotExists}, "_", SetResult{}},
		{"XX stopped", SetOptions{Condition: SetIfExists}, "_", SetResult{}},
		{"GET old", SetOptions{Get: true}, "$3\nold", SetResult{Written: true, Old: "old", HadOld: true}},
		{"GET none", SetOptions{Get: true}, "$-1", SetResult{Written: true}},
		{"NX GET written", SetOptions{Condition: SetIfNotExists, Get: true}, "_", SetResult{Written: true}},
		{"NX GET stopped", SetOptions{Condition: SetIfNotExists, Get: true}, "$1\nx", SetResult{Old: "x", HadOld: true}},
		{"XX GET written", SetOptions{Condition: SetIfExists, Get: true}, "$1\nx", SetResult{Written: true, Old: "x", HadOld: true}},
		{"XX GET stopped", SetOptions{Condition: SetIfExists, Get: true}, "$-1", SetResult{}},
		{"GET empty old", SetOptions{Get: true}, "$0\n\n", SetResult{Written: true, HadOld: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := replying(t, tt.wire)
			got, err := c.SetWith(ctx, "k", "v", tt.opts).Result()
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	_, c := replying(t, "-WRONGTYPE Operation against a key holding the wrong kind of value")
	_, err := c.SetWith(ctx, "k", "v", SetOptions{Get: true}).Result()
	var se *Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "WRONGTYPE", se.Prefix())
}

func TestIncrByFloatReply(t *testing.T) {
	_, c := replying(t, "$4\n10.5") // RESP2 and RESP3 both send a bulk string
	got, err := c.IncrByFloat(context.Background(), "k", 0.5).Result()
	require.NoError(t, err)
	assert.Equal(t, 10.5, got)
}

func TestLCSReplies(t *testing.T) {
	ctx := context.Background()
	// LCS ohmytext mynewtext IDX MINMATCHLEN 1 WITHMATCHLEN, as Redis 7.0
	// sends it under each protocol.
	resp2 := "*4\n$7\nmatches\n*2\n" +
		"*3\n*2\n:4\n:7\n*2\n:5\n:8\n:4\n" +
		"*3\n*2\n:2\n:3\n*2\n:0\n:1\n:2\n" +
		"$3\nlen\n:6\n"
	resp3 := "%2\n$7\nmatches\n*2\n" +
		"*3\n*2\n:4\n:7\n*2\n:5\n:8\n:4\n" +
		"*3\n*2\n:2\n:3\n*2\n:0\n:1\n:2\n" +
		"$3\nlen\n:6\n"
	want := LCSResult{Length: 6, Matches: []LCSMatch{
		{Key1: LCSRange{4, 7}, Key2: LCSRange{5, 8}, Length: 4},
		{Key1: LCSRange{2, 3}, Key2: LCSRange{0, 1}, Length: 2},
	}}
	for _, wire := range []string{resp2, resp3} {
		_, c := replying(t, wire)
		got, err := c.LCSWith(ctx, "a", "b", LCSOptions{Indexes: true, MinMatchLength: 1, WithMatchLength: true}).Result()
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	// Without WITHMATCHLEN the length is computed from the range.
	got, err := convert(t, toLCSMatches, "%2\n$7\nmatches\n*1\n*2\n*2\n:4\n:7\n*2\n:5\n:8\n$3\nlen\n:4\n")
	require.NoError(t, err)
	assert.Equal(t, LCSResult{Length: 4, Matches: []LCSMatch{{Key1: LCSRange{4, 7}, Key2: LCSRange{5, 8}, Length: 4}}}, got)

	_, c := replying(t, ":6")
	got, err = c.LCSWith(ctx, "a", "b", LCSOptions{Length: true}).Result()
	require.NoError(t, err)
	assert.Equal(t, LCSResult{Length: 6}, got)

	_, c = replying(t, "$6\nmytext")
	got, err = c.LCSWith(ctx, "a", "b", LCSOptions{}).Result()
	require.NoError(t, err)
	assert.Equal(t, LCSResult{Text: "mytext"}, got)

	_, err = convert(t, toLCSMatches, "%2\n$7\nmatches\n*1\n*1\n*2\n:4\n:7\n$3\nlen\n:4\n")
	assert.ErrorIs(t, err, ErrUnexpectedType)
}

func TestExpirationString(t *testing.T) {
	assert.Equal(t, "none", Expiration{}.String())
	assert.Equal(t, "in 1.5s", ExpiresIn(1500*time.Millisecond).String())
	assert.Equal(t, "at 2023-11-14T22:13:20Z", ExpiresAt(time.Unix(1700000000, 0).UTC()).String())
	assert.Equal(t, "keep", KeepTTL().String())
	assert.Equal(t, "persist", Persistent().String())
}

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

// The commands of Redis 7.2 and 7.4 outside the hash-field TTL family
// (cmd_hash_ttl_test.go), and the arguments those versions added to older
// commands.

func TestAfter70Encoding(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func(c cmds, cn *Conn) error
		want  string
		flags messages.Flags
		slot  int // -1: keyless
	}{
		{"WaitAOF", func(c cmds, _ *Conn) error { return c.WaitAOF(ctx, 1, 2, 1500*time.Millisecond).Err() },
			"WAITAOF 1 2 1500", messages.Blocking, -1},
		{"WaitAOF no limit", func(c cmds, _ *Conn) error { return c.WaitAOF(ctx, 0, 1, 0).Err() },
			"WAITAOF 0 1 0", messages.Blocking, -1},
		{"ClusterMyShardID", func(c cmds, _ *Conn) error { return c.ClusterMyShardID(ctx).Err() },
			"CLUSTER MYSHARDID", ro, -1},
		{"ClientNoTouch", func(_ cmds, cn *Conn) error { return cn.ClientNoTouch(ctx, true).Err() },
			"CLIENT NO-TOUCH ON", messages.Stateful, -1},
		{"ClientNoTouch off", func(_ cmds, cn *Conn) error { return cn.ClientNoTouch(ctx, false).Err() },
			"CLIENT NO-TOUCH OFF", messages.Stateful, -1},
		{"ClientSetInfo name", func(_ cmds, cn *Conn) error { return cn.ClientSetInfo(ctx, ClientLibName, "mylib").Err() },
			"CLIENT SETINFO LIB-NAME mylib", messages.Stateful, -1},
		{"ClientSetInfo version", func(_ cmds, cn *Conn) error { return cn.ClientSetInfo(ctx, ClientLibVer, "1.2.3").Err() },
			"CLIENT SETINFO LIB-VER 1.2.3", messages.Stateful, -1},
		{"ClientKillWith MaxAge", func(c cmds, _ *Conn) error {
			return c.ClientKillWith(ctx, ClientKillOptions{MaxAge: time.Hour}).Err()
		}, "CLIENT KILL MAXAGE 3600", 0, -1},
		{"ClientKillWith MaxAge and type", func(c cmds, _ *Conn) error {
			return c.ClientKillWith(ctx, ClientKillOptions{Type: ClientNormal, MaxAge: 30 * time.Second, IncludeSelf: true}).Err()
		}, "CLIENT KILL TYPE normal MAXAGE 30 SKIPME no", 0, -1},
		{"ZRankWithScore", func(c cmds, _ *Conn) error { return c.ZRankWithScore(ctx, "z", "m").Err() },
			"ZRANK z m WITHSCORE", ro, int(Slot("z"))},
		{"ZRevRankWithScore", func(c cmds, _ *Conn) error { return c.ZRevRankWithScore(ctx, "z", "m").Err() },
			"ZREVRANK z m WITHSCORE", ro, int(Slot("z"))},
		{"HScanWith NoValues", func(c cmds, _ *Conn) error {
			return c.HScanWith(ctx, "h", 5, HScanOptions{Match: "f*", Count: 10, NoValues: true}).Err()
		}, "HSCAN h 5 MATCH f* COUNT 10 NOVALUES", ro, int(Slot("h"))},
		{"ZScanWith NoScores", func(c cmds, _ *Conn) error {
			return c.ZScanWith(ctx, "z", 0, ZScanOptions{NoScores: true}).Err()
		}, "ZSCAN z 0 NOSCORES", ro, int(Slot("z"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := replying(t, "+OK")
			cn := &Conn{cmds: c}
			_ = tt.call(c, cn)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
			assert.Equal(t, tt.slot, s.last().slot)
		})
	}
}

func TestAfter70InvalidArguments(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c cmds, cn *Conn) error
	}{
		{"WaitAOF negative timeout", func(c cmds, _ *Conn) error { return c.WaitAOF(ctx, 1, 0, -time.Second).Err() }},
		{"ClientSetInfo unknown attribute", func(_ cmds, cn *Conn) error {
			return cn.ClientSetInfo(ctx, ClientInfoAttr(7), "x").Err()
		}},
		{"ClientKillWith MaxAge fraction", func(c cmds, _ *Conn) error {
			return c.ClientKillWith(ctx, ClientKillOptions{MaxAge: 1500 * time.Millisecond}).Err()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := replying(t, "+OK")
			require.ErrorIs(t, tt.call(c, &Conn{cmds: c}), ErrInvalidArg)
			assert.Empty(t, s.sent, "nothing is sent")
		})
	}
}

func TestClientInfoAttrString(t *testing.T) {
	assert.Equal(t, "LIB-NAME", ClientLibName.String())
	assert.Equal(t, "LIB-VER", ClientLibVer.String())
	assert.Equal(t, "ClientInfoAttr(7)", ClientInfoAttr(7).String())
}

func TestWaitAOFReply(t *testing.T) {
	r, err := convert(t, toWaitAOF, "*2\n:1\n:2")
	require.NoError(t, err)
	assert.Equal(t, WaitAOFResult{Local: 1, Replicas: 2}, r)
	_, err = convert(t, toWaitAOF, "*1\n:1")
	assert.ErrorIs(t, err, ErrUnexpectedType)
	_, err = convert(t, toWaitAOF, "-ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.")
	assert.ErrorContains(t, err, "appendonly is disabled")
}

func TestRankScoreReply(t *testing.T) {
	r, err := convert(t, zsetToRankScore, "*2\n:2\n$3\n1.5")
	require.NoError(t, err)
	assert.Equal(t, RankScore{Rank: 2, Score: 1.5}, r, "RESP2: the score is a bulk string")
	r3, err := convert(t, zsetToRankScore, "*2\n:2\n,1.5")
	require.NoError(t, err)
	assert.Equal(t, r, r3, "RESP3: the score is a double")
	_, err = convert(t, zsetToRankScore, "*-1")
	assert.ErrorIs(t, err, ErrNil, "RESP2: no such member")
	_, err = convert(t, zsetToRankScore, "_")
	assert.ErrorIs(t, err, ErrNil, "RESP3: no such member")
	_, err = convert(t, zsetToRankScore, ":2")
	assert.ErrorIs(t, err, ErrUnexpectedType, "a reply without WITHSCORE")
}

func TestScanPagesWithoutValues(t *testing.T) {
	page, err := convert(t, hashToScanPageFields, "*2\n$1\n0\n*2\n$1\na\n$1\nb")
	require.NoError(t, err)
	assert.Equal(t, HScanPage{Fields: []HashField{{Field: "a"}, {Field: "b"}}}, page)
	_, err = convert(t, hashToScanPageFields, "*2\n$1\nx\n*0")
	assert.ErrorIs(t, err, ErrUnexpectedType)

	zpage, err := convert(t, zsetToScanPageMembers, "*2\n$2\n17\n*2\n$1\nm\n$1\nn")
	require.NoError(t, err)
	assert.Equal(t, ZScanPage{Cursor: 17, Members: []Z{{Member: "m"}, {Member: "n"}}}, zpage)
	_, err = convert(t, zsetToScanPageMembers, "*1\n$1\n0")
	assert.ErrorIs(t, err, ErrUnexpectedType)
}

// HScanIter with NoValues walks the fields alone, page after page.
func TestHScanIterNoValues(t *testing.T) {
	ctx := context.Background()
	s, c := newScript(t, nil)
	s.script = func(args []string) resp.Value {
		if args[2] == "0" {
			return decodeWire(t, "*2\n$1\n9\n*1\n$1\na")
		}
		return decodeWire(t, "*2\n$1\n0\n*1\n$1\nb")
	}
	var got []HashField
	for f, err := range c.HScanIter(ctx, "h", HScanOptions{NoValues: true}) {
		require.NoError(t, err)
		got = append(got, f)
	}
	assert.Equal(t, []HashField{{Field: "a"}, {Field: "b"}}, got)
	assert.Equal(t, "HSCAN h 9 NOVALUES", s.line())
}

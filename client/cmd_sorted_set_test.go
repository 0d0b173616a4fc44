package client

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

func TestSortedSetEncoding(t *testing.T) {
	ctx := context.Background()
	a, b := Z{Member: "a", Score: 1.5}, Z{Member: "b", Score: math.Inf(-1)}
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"ZAdd", func(c cmds) error { return c.ZAdd(ctx, "k", a, b).Err() }, "ZADD k 1.5 a -inf b", idem},
		{"ZAddWith", func(c cmds) error {
			return c.ZAddWith(ctx, "k", ZAddOptions{Condition: UpdateOnly, Compare: ScoreGreater, Changed: true}, a).Err()
		}, "ZADD k XX GT CH 1.5 a", 0},
		{"ZAddWith CH", func(c cmds) error { return c.ZAddWith(ctx, "k", ZAddOptions{Changed: true}, a).Err() }, "ZADD k CH 1.5 a", idem},
		{"ZAddIncr", func(c cmds) error {
			return c.ZAddIncr(ctx, "k", "m", -2, ZAddOptions{Condition: AddOnly}).Err()
		}, "ZADD k NX INCR -2 m", 0},
		{"ZCard", func(c cmds) error { return c.ZCard(ctx, "k").Err() }, "ZCARD k", ro},
		{"ZCount", func(c cmds) error { return c.ZCount(ctx, "k", "(1", "+inf").Err() }, "ZCOUNT k (1 +inf", ro},
		{"ZDiff", func(c cmds) error { return c.ZDiff(ctx, "a", "b").Err() }, "ZDIFF 2 a b", ro},
		{"ZDiffWithScores", func(c cmds) error { return c.ZDiffWithScores(ctx, "a").Err() }, "ZDIFF 1 a WITHSCORES", ro},
		{"ZDiffStore", func(c cmds) error { return c.ZDiffStore(ctx, "d", "a", "b").Err() }, "ZDIFFSTORE d 2 a b", idem},
		{"ZIncrBy", func(c cmds) error { return c.ZIncrBy(ctx, "k", 0.25, "m").Err() }, "ZINCRBY k 0.25 m", 0},
		{"ZInter", func(c cmds) error { return c.ZInter(ctx, "a", "b").Err() }, "ZINTER 2 a b", ro},
		{"ZInterWith", func(c cmds) error {
			return c.ZInterWith(ctx, []string{"a", "b"}, ZStoreOptions{Weights: []float64{1, 2.5}, Aggregate: AggregateMax}).Err()
		}, "ZINTER 2 a b WEIGHTS 1 2.5 AGGREGATE MAX", ro},
		{"ZInterWithScores", func(c cmds) error {
			return c.ZInterWithScores(ctx, []string{"a"}, ZStoreOptions{Aggregate: AggregateMin}).Err()
		}, "ZINTER 1 a AGGREGATE MIN WITHSCORES", ro},
		{"ZInterCard", func(c cmds) error { return c.ZInterCard(ctx, "a", "b").Err() }, "ZINTERCARD 2 a b", ro},
		{"ZInterCardWith", func(c cmds) error {
			return c.ZInterCardWith(ctx, []string{"a"}, ZInterCardOptions{Limit: 5}).Err()
		}, "ZINTERCARD 1 a LIMIT 5", ro},
		{"ZInterStore", func(c cmds) error { return c.ZInterStore(ctx, "d", "a", "b").Err() }, "ZINTERSTORE d 2 a b", idem},
		{"ZInterStoreWith", func(c cmds) error {
			return c.ZInterStoreWith(ctx, "d", []string{"a", "b"}, ZStoreOptions{Weights: []float64{2, 3}}).Err()
		}, "ZINTERSTORE d 2 a b WEIGHTS 2 3", idem},
		{"ZLexCount", func(c cmds) error { return c.ZLexCount(ctx, "k", "[a", "+").Err() }, "ZLEXCOUNT k [a +", ro},
		{"ZMPop", func(c cmds) error { return c.ZMPop(ctx, []string{"a", "b"}, ZHighest, 3).Err() }, "ZMPOP 2 a b MAX COUNT 3", 0},
		{"ZMPop one", func(c cmds) error { return c.ZMPop(ctx, []string{"a"}, ZLowest, 0).Err() }, "ZMPOP 1 a MIN", 0},
		{"BZMPop", func(c cmds) error {
			return c.BZMPop(ctx, 1500*time.Millisecond, []string{"a"}, ZLowest, 2).Err()
		}, "BZMPOP 1.5 1 a MIN COUNT 2", messages.Blocking},
		{"BZPopMax", func(c cmds) error { return c.BZPopMax(ctx, 0, "a", "b").Err() }, "BZPOPMAX a b 0", messages.Blocking},
		{"BZPopMin", func(c cmds) error { return c.BZPopMin(ctx, 2*time.Second, "a").Err() }, "BZPOPMIN a 2", messages.Blocking},
		{"ZMScore", func(c cmds) error { return c.ZMScore(ctx, "k", "a", "b").Err() }, "ZMSCORE k a b", ro},
		{"ZPopMax", func(c cmds) error { return c.ZPopMax(ctx, "k", 0).Err() }, "ZPOPMAX k", 0},
		{"ZPopMin", func(c cmds) error { return c.ZPopMin(ctx, "k", 2).Err() }, "ZPOPMIN k 2", 0},
		{"ZRandMember", func(c cmds) error { return c.ZRandMember(ctx, "k", -3).Err() }, "ZRANDMEMBER k -3", ro},
		{"ZRandMemberWithScores", func(c cmds) error { return c.ZRandMemberWithScores(ctx, "k", 2).Err() }, "ZRANDMEMBER k 2 WITHSCORES", ro},
		{"ZRange", func(c cmds) error { return c.ZRange(ctx, "k", 0, -1).Err() }, "ZRANGE k 0 -1", ro},
		{"ZRangeWith", func(c cmds) error {
			return c.ZRangeWith(ctx, "k", "+inf", 1.5, ZRangeOptions{By: ZRangeScore, Rev: true, Offset: 2}).Err()
		}, "ZRANGE k +inf 1.5 BYSCORE REV LIMIT 2 -1", ro},
		{"ZRangeWith lex", func(c cmds) error {
			return c.ZRangeWith(ctx, "k", "[a", "(c", ZRangeOptions{By: ZRangeLex, Count: 5}).Err()
		}, "ZRANGE k [a (c BYLEX LIMIT 0 5", ro},
		{"ZRangeWithScores", func(c cmds) error {
			return c.ZRangeWithScores(ctx, "k", 0, 3, ZRangeOptions{Rev: true}).Err()
		}, "ZRANGE k 0 3 REV WITHSCORES", ro},
		{"ZRangeStore", func(c cmds) error {
			return c.ZRangeStore(ctx, "d", "k", 1, 2, ZRangeOptions{By: ZRangeScore}).Err()
		}, "ZRANGESTORE d k 1 2 BYSCORE", idem},
		{"ZRangeByLex", func(c cmds) error { return c.ZRangeByLex(ctx, "k", "-", "+").Err() }, "ZRANGEBYLEX k - +", ro},
		{"ZRangeByLexWith", func(c cmds) error {
			return c.ZRangeByLexWith(ctx, "k", "-", "+", ZLimitOptions{Offset: 1, Count: 2}).Err()
		}, "ZRANGEBYLEX k - + LIMIT 1 2", ro},
		{"ZRangeByScore", func(c cmds) error { return c.ZRangeByScore(ctx, "k", "1", "2").Err() }, "ZRANGEBYSCORE k 1 2", ro},
		{"ZRangeByScoreWith", func(c cmds) error {
			return c.ZRangeByScoreWith(ctx, "k", "1", "2", ZLimitOptions{Count: 2}).Err()
		}, "ZRANGEBYSCORE k 1 2 LIMIT 0 2", ro},
		{"ZRangeByScoreWithScores", func(c cmds) error {
			return c.ZRangeByScoreWithScores(ctx, "k", "1", "2", ZLimitOptions{Count: 2}).Err()
		}, "ZRANGEBYSCORE k 1 2 WITHSCORES LIMIT 0 2", ro},
		{"ZRank", func(c cmds) error { return c.ZRank(ctx, "k", "m").Err() }, "ZRANK k m", ro},
		{"ZRem", func(c cmds) error { return c.ZRem(ctx, "k", "a", "b").Err() }, "ZREM k a b", idem},
		{"ZRemRangeByLex", func(c cmds) error { return c.ZRemRangeByLex(ctx, "k", "[a", "[b").Err() }, "ZREMRANGEBYLEX k [a [b", idem},
		{"ZRemRangeByRank", func(c cmds) error { return c.ZRemRangeByRank(ctx, "k", 0, 1).Err() }, "ZREMRANGEBYRANK k 0 1", 0},
		{"ZRemRangeByScore", func(c cmds) error { return c.ZRemRangeByScore(ctx, "k", "-inf", "(0").Err() }, "ZREMRANGEBYSCORE k -inf (0", idem},
		{"ZRevRange", func(c cmds) error { return c.ZRevRange(ctx, "k", 0, 1).Err() }, "ZREVRANGE k 0 1", ro},
		{"ZRevRangeWithScores", func(c cmds) error { return c.ZRevRangeWithScores(ctx, "k", 0, 1).Err() }, "ZREVRANGE k 0 1 WITHSCORES", ro},
		{"ZRevRangeByLex", func(c cmds) error { return c.ZRevRangeByLex(ctx, "k", "+", "-").Err() }, "ZREVRANGEBYLEX k + -", ro},
		{"ZRevRangeByLexWith", func(c cmds) error {
			return c.ZRevRangeByLexWith(ctx, "k", "+", "-", ZLimitOptions{Offset: 3}).Err()
		}, "ZREVRANGEBYLEX k + - LIMIT 3 -1", ro},
		{"ZRevRangeByScore", func(c cmds) error { return c.ZRevRangeByScore(ctx, "k", "2", "1").Err() }, "ZREVRANGEBYSCORE k 2 1", ro},
		{"ZRevRangeByScoreWith", func(c cmds) error {
			return c.ZRevRangeByScoreWith(ctx, "k", "2", "1", ZLimitOptions{Offset: 1, Count: 1}).Err()
		}, "ZREVRANGEBYSCORE k 2 1 LIMIT 1 1", ro},
		{"ZRevRangeByScoreWithScores", func(c cmds) error {
			return c.ZRevRangeByScoreWithScores(ctx, "k", "2", "1", ZLimitOptions{}).Err()
		}, "ZREVRANGEBYSCORE k 2 1 WITHSCORES", ro},
		{"ZRevRank", func(c cmds) error { return c.ZRevRank(ctx, "k", "m").Err() }, "ZREVRANK k m", ro},
		{"ZScan", func(c cmds) error { return c.ZScan(ctx, "k", 7).Err() }, "ZSCAN k 7", ro},
		{"ZScanWith", func(c cmds) error {
			return c.ZScanWith(ctx, "k", 0, ZScanOptions{Match: "a*", Count: 20}).Err()
		}, "ZSCAN k 0 MATCH a* COUNT 20", ro},
		{"ZScore", func(c cmds) error { return c.ZScore(ctx, "k", "m").Err() }, "ZSCORE k m", ro},
		{"ZUnion", func(c cmds) error { return c.ZUnion(ctx, "a").Err() }, "ZUNION 1 a", ro},
		{"ZUnionWith", func(c cmds) error {
			return c.ZUnionWith(ctx, []string{"a", "b"}, ZStoreOptions{Aggregate: AggregateSum}).Err()
		}, "ZUNION 2 a b", ro},
		{"ZUnionWithScores", func(c cmds) error {
			return c.ZUnionWithScores(ctx, []string{"a"}, ZStoreOptions{Weights: []float64{0.5}}).Err()
		}, "ZUNION 1 a WEIGHTS 0.5 WITHSCORES", ro},
		{"ZUnionStore", func(c cmds) error { return c.ZUnionStore(ctx, "d", "a").Err() }, "ZUNIONSTORE d 1 a", idem},
		{"ZUnionStoreWith", func(c cmds) error {
			return c.ZUnionStoreWith(ctx, "d", []string{"a"}, ZStoreOptions{Aggregate: AggregateMin}).Err()
		}, "ZUNIONSTORE d 1 a AGGREGATE MIN", idem},
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

func TestSortedSetRoutesByFirstKey(t *testing.T) {
	ctx := context.Background()
	s, c := replying(t, ":1")
	c.ZInterStore(ctx, "{x}d", "a", "b")
	assert.Equal(t, int(Slot("x")), s.last().slot, "dst routes")
	c.ZInter(ctx, "{y}a", "b")
	assert.Equal(t, int(Slot("y")), s.last().slot, "numkeys does not route")
	c.BZMPop(ctx, 0, []string{"{z}a"}, ZLowest, 0)
	assert.Equal(t, int(Slot("z")), s.last().slot)
}

func TestSortedSetArgErrors(t *testing.T) {
	ctx := context.Background()
	s, c := replying(t, ":1")
	for name, err := range map[string]error{
		"ZAdd no members":    c.ZAdd(ctx, "k").Err(),
		"ZAddWith condition": c.ZAddWith(ctx, "k", ZAddOptions{Condition: 9}, Z{}).Err(),
		"ZAddWith compare":   c.ZAddWith(ctx, "k", ZAddOptions{Compare: 9}, Z{}).Err(),
		"ZDiff no keys":      c.ZDiff(ctx).Err(),
		"ZInterWith weights": c.ZInterWith(ctx, []string{"a", "b"}, ZStoreOptions{Weights: []float64{1}}).Err(),
		"ZUnionWith agg":     c.ZUnionWith(ctx, []string{"a"}, ZStoreOptions{Aggregate: 7}).Err(),
		"ZInterCardWith":     c.ZInterCardWith(ctx, []string{"a"}, ZInterCardOptions{Limit: -1}).Err(),
		"ZMPop end":          c.ZMPop(ctx, []string{"a"}, 5, 0).Err(),
		"ZMPop count":        c.ZMPop(ctx, []string{"a"}, ZLowest, -1).Err(),
		"BZPopMin timeout":   c.BZPopMin(ctx, -1, "a").Err(),
		"BZPopMax no key":    c.BZPopMax(ctx, 0).Err(),
		"ZPopMin count":      c.ZPopMin(ctx, "k", -1).Err(),
		"ZRangeWith by":      c.ZRangeWith(ctx, "k", 0, 1, ZRangeOptions{By: 4}).Err(),
		"ZRangeWith limit":   c.ZRangeWith(ctx, "k", 0, 1, ZRangeOptions{Count: 1}).Err(),
		"ZRem no members":    c.ZRem(ctx, "k").Err(),
		"ZMScore no members": c.ZMScore(ctx, "k").Err(),
	} {
		assert.ErrorIs(t, err, ErrInvalidArg, name)
	}
	assert.Empty(t, s.sent, "nothing was sent")
}

func TestSortedSetEnumStrings(t *testing.T) {
	assert.Equal(t, "add-or-update", AddOrUpdate.String())
	assert.Equal(t, "NX", AddOnly.String())
	assert.Equal(t, "XX", UpdateOnly.String())
	assert.Equal(t, "AddCondition(7)", AddCondition(7).String())
	assert.Equal(t, "any", ScoreAny.String())
	assert.Equal(t, "GT", ScoreGreater.String())
	assert.Equal(t, "LT", ScoreLess.String())
	assert.Equal(t, "ScoreCondition(7)", ScoreCondition(7).String())
	assert.Equal(t, "SUM", AggregateSum.String())
	assert.Equal(t, "MAX", AggregateMax.String())
	assert.Equal(t, "Aggregate(9)", Aggregate(9).String())
	assert.Equal(t, "MIN", ZLowest.String())
	assert.Equal(t, "MAX", ZHighest.String())
	assert.Equal(t, "ZPopEnd(2)", ZPopEnd(2).String())
	assert.Equal(t, "rank", ZRangeRank.String())
	assert.Equal(t, "BYLEX", ZRangeLex.String())
	assert.Equal(t, "ZRangeBy(3)", ZRangeBy(3).String())
}

func TestSortedSetScanIter(t *testing.T) {
	ctx := context.Background()
	s, c := newScript(t, func(args []string) resp.Value {
		if args[2] == "0" {
			return decodeWire(t, "*2\n$1\n5\n*2\n$1\na\n$1\n1\n")
		}
		return decodeWire(t, "*2\n$1\n0\n*2\n$1\nb\n,2\n")
	})
	var got []Z
	for z, err := range c.ZScanIter(ctx, "k", ZScanOptions{Count: 3}) {
		require.NoError(t, err)
		got = append(got, z)
	}
	assert.Equal(t, []Z{{Member: "a", Score: 1}, {Member: "b", Score: 2}}, got)
	assert.Equal(t, "ZSCAN k 5 COUNT 3", s.line())
}

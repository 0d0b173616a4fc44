//go:build integration

package integration

import (
	"context"
	"math"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

func TestSortedSetAddScoreRank(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		z, missing := key("z"), key("missing")
		assert.Equal(t, int64(3), valueOf(t, c.ZAdd(ctx, z, client.Z{Member: "a", Score: 1}, client.Z{Member: "b", Score: 2.5},
			client.Z{Member: "c", Score: math.Inf(1)})))
		assert.Equal(t, int64(0), valueOf(t, c.ZAdd(ctx, z, client.Z{Member: "a", Score: 1.5})))
		assert.Equal(t, 1.5, valueOf(t, c.ZScore(ctx, z, "a")))
		assert.Equal(t, math.Inf(1), valueOf(t, c.ZScore(ctx, z, "c")))
		assert.ErrorIs(t, c.ZScore(ctx, z, "nope").Err(), client.ErrNil)
		assert.Equal(t, int64(3), valueOf(t, c.ZCard(ctx, z)))
		assert.Equal(t, int64(0), valueOf(t, c.ZCard(ctx, missing)))

		// Conditions.
		add := func(o client.ZAddOptions, zs ...client.Z) int64 { return valueOf(t, c.ZAddWith(ctx, z, o, zs...)) }
		assert.Equal(t, int64(1), add(client.ZAddOptions{Condition: client.AddOnly},
			client.Z{Member: "a", Score: 100}, client.Z{Member: "d", Score: 4}))
		assert.Equal(t, 1.5, valueOf(t, c.ZScore(ctx, z, "a")), "NX left a alone")
		assert.Equal(t, int64(0), add(client.ZAddOptions{Condition: client.UpdateOnly}, client.Z{Member: "e", Score: 5}))
		assert.ErrorIs(t, c.ZScore(ctx, z, "e").Err(), client.ErrNil, "XX added nothing")
		assert.Equal(t, int64(1), add(client.ZAddOptions{Condition: client.UpdateOnly, Changed: true}, client.Z{Member: "d", Score: 3}))
		assert.Equal(t, int64(0), add(client.ZAddOptions{Compare: client.ScoreGreater, Changed: true}, client.Z{Member: "d", Score: 2}))
		assert.Equal(t, int64(1), add(client.ZAddOptions{Compare: client.ScoreLess, Changed: true}, client.Z{Member: "d", Score: 2}))
		assert.Equal(t, 2.0, valueOf(t, c.ZScore(ctx, z, "d")))

		// INCR.
		assert.Equal(t, client.NullFloat64{Value: 3.5, Valid: true},
			valueOf(t, c.ZAddIncr(ctx, z, "a", 2, client.ZAddOptions{})))
		assert.Equal(t, client.NullFloat64{}, valueOf(t, c.ZAddIncr(ctx, z, "a", 2, client.ZAddOptions{Condition: client.AddOnly})))
		assert.Equal(t, client.NullFloat64{}, valueOf(t, c.ZAddIncr(ctx, z, "a", -1, client.ZAddOptions{Compare: client.ScoreGreater})))
		assert.Equal(t, 3.5, valueOf(t, c.ZScore(ctx, z, "a")))
		assert.Equal(t, 4.0, valueOf(t, c.ZIncrBy(ctx, z, 0.5, "a")))
		assert.Equal(t, -1.0, valueOf(t, c.ZIncrBy(ctx, z, -1, "new")))

		// z: new -1, d 2, b 2.5, a 4, c +inf
		assert.Equal(t, []client.NullFloat64{{Value: 4, Valid: true}, {}, {Value: -1, Valid: true}},
			valueOf(t, c.ZMScore(ctx, z, "a", "nope", "new")))
		assert.Equal(t, []client.NullFloat64{{}}, valueOf(t, c.ZMScore(ctx, missing, "a")))
		assert.Equal(t, int64(0), valueOf(t, c.ZRank(ctx, z, "new")))
		assert.Equal(t, int64(3), valueOf(t, c.ZRank(ctx, z, "a")))
		assert.Equal(t, int64(1), valueOf(t, c.ZRevRank(ctx, z, "a")))
		assert.ErrorIs(t, c.ZRank(ctx, z, "nope").Err(), client.ErrNil)
		assert.ErrorIs(t, c.ZRevRank(ctx, missing, "a").Err(), client.ErrNil)
		assert.Equal(t, int64(4), valueOf(t, c.ZCount(ctx, z, "2", "+inf")))
		assert.Equal(t, int64(2), valueOf(t, c.ZCount(ctx, z, "(2", "(inf")))
		assert.Equal(t, int64(5), valueOf(t, c.ZCount(ctx, z, "-inf", "+inf")))

		assert.Equal(t, int64(2), valueOf(t, c.ZRem(ctx, z, "new", "c", "nope")))
		assert.Equal(t, int64(3), valueOf(t, c.ZCard(ctx, z)))

		// Errors.
		assert.ErrorIs(t, c.ZAdd(ctx, z).Err(), client.ErrInvalidArg)
		assert.ErrorIs(t, c.ZRem(ctx, z).Err(), client.ErrInvalidArg)
		assert.ErrorIs(t, c.ZMScore(ctx, z).Err(), client.ErrInvalidArg)
		var se *client.Error
		assert.ErrorAs(t, c.ZAddWith(ctx, z, client.ZAddOptions{Condition: client.AddOnly, Compare: client.ScoreGreater},
			client.Z{Member: "x", Score: 1}).Err(), &se)
		require.NoError(t, c.Set(ctx, key("s"), "v", 0).Err())
		require.ErrorAs(t, c.ZCard(ctx, key("s")).Err(), &se)
		assert.Equal(t, "WRONGTYPE", se.Prefix())
	})
}

func zs(pairs ...any) []client.Z {
	out := []client.Z{}
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, client.Z{Member: pairs[i].(string), Score: float64(pairs[i+1].(int))})
	}
	return out
}

func TestSortedSetRanges(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		z, lex, dst := key("z"), key("lex"), key("dst")
		valueOf(t, c.ZAdd(ctx, z, zs("a", 1, "b", 2, "c", 3, "d", 4, "e", 5)...))
		valueOf(t, c.ZAdd(ctx, lex, zs("a", 0, "b", 0, "c", 0, "d", 0)...))

		assert.Equal(t, []string{"a", "b", "c", "d", "e"}, valueOf(t, c.ZRange(ctx, z, 0, -1)))
		assert.Equal(t, []string{"d", "e"}, valueOf(t, c.ZRange(ctx, z, -2, -1)))
		assert.Equal(t, []string{}, valueOf(t, c.ZRange(ctx, key("missing"), 0, -1)))
		assert.Equal(t, []string{"b", "c"}, valueOf(t, c.ZRangeWith(ctx, z, 1, 2, client.ZRangeOptions{})))
		assert.Equal(t, []string{"d", "c"}, valueOf(t, c.ZRangeWith(ctx, z, 1, 2, client.ZRangeOptions{Rev: true})))
		assert.Equal(t, []string{"c", "d", "e"}, valueOf(t, c.ZRangeWith(ctx, z, "(2", "+inf", client.ZRangeOptions{By: client.ZRangeScore})))
		assert.Equal(t, []string{"b", "c"}, valueOf(t, c.ZRangeWith(ctx, z, 2, 3.5, client.ZRangeOptions{By: client.ZRangeScore})))
		assert.Equal(t, []string{"d", "c"}, valueOf(t, c.ZRangeWith(ctx, z, "+inf", "-inf",
			client.ZRangeOptions{By: client.ZRangeScore, Rev: true, Offset: 1, Count: 2})))
		assert.Equal(t, []string{"c", "d", "e"}, valueOf(t, c.ZRangeWith(ctx, z, "-inf", "+inf",
			client.ZRangeOptions{By: client.ZRangeScore, Offset: 2})))
		assert.Equal(t, []string{"b", "c"}, valueOf(t, c.ZRangeWith(ctx, lex, "[b", "(d", client.ZRangeOptions{By: client.ZRangeLex})))
		assert.Equal(t, []string{"c"}, valueOf(t, c.ZRangeWith(ctx, lex, "+", "-",
			client.ZRangeOptions{By: client.ZRangeLex, Rev: true, Offset: 1, Count: 1})))

		assert.Equal(t, zs("a", 1, "b", 2), valueOf(t, c.ZRangeWithScores(ctx, z, 0, 1, client.ZRangeOptions{})))
		assert.Equal(t, zs("e", 5, "d", 4), valueOf(t, c.ZRangeWithScores(ctx, z, "+inf", "(3",
			client.ZRangeOptions{By: client.ZRangeScore, Rev: true})))
		assert.Equal(t, []client.Z{}, valueOf(t, c.ZRangeWithScores(ctx, key("missing"), 0, -1, client.ZRangeOptions{})))

		assert.Equal(t, int64(2), valueOf(t, c.ZRangeStore(ctx, dst, z, 3, 4, client.ZRangeOptions{By: client.ZRangeScore})))
		assert.Equal(t, zs("c", 3, "d", 4), valueOf(t, c.ZRangeWithScores(ctx, dst, 0, -1, client.ZRangeOptions{})))

		// Legacy forms.
		assert.Equal(t, []string{"b", "c", "d"}, valueOf(t, c.ZRangeByScore(ctx, z, "2", "4")))
		assert.Equal(t, []string{"c", "d"}, valueOf(t, c.ZRangeByScoreWith(ctx, z, "2", "4", client.ZLimitOptions{Offset: 1})))
		assert.Equal(t, zs("b", 2), valueOf(t, c.ZRangeByScoreWithScores(ctx, z, "(1", "4", client.ZLimitOptions{Count: 1})))
		assert.Equal(t, []string{"d", "c", "b"}, valueOf(t, c.ZRevRangeByScore(ctx, z, "4", "2")))
		assert.Equal(t, []string{"c"}, valueOf(t, c.ZRevRangeByScoreWith(ctx, z, "4", "2", client.ZLimitOptions{Offset: 1, Count: 1})))
		assert.Equal(t, zs("e", 5, "d", 4), valueOf(t, c.ZRevRangeByScoreWithScores(ctx, z, "+inf", "-inf", client.ZLimitOptions{Count: 2})))
		assert.Equal(t, []string{"e", "d"}, valueOf(t, c.ZRevRange(ctx, z, 0, 1)))
		assert.Equal(t, zs("b", 2, "a", 1), valueOf(t, c.ZRevRangeWithScores(ctx, z, 3, 4)))
		assert.Equal(t, []string{"a", "b", "c"}, valueOf(t, c.ZRangeByLex(ctx, lex, "-", "[c")))
		assert.Equal(t, []string{"b"}, valueOf(t, c.ZRangeByLexWith(ctx, lex, "-", "+", client.ZLimitOptions{Offset: 1, Count: 1})))
		assert.Equal(t, []string{"c", "b"}, valueOf(t, c.ZRevRangeByLex(ctx, lex, "(d", "[b")))
		assert.Equal(t, []string{"c", "b", "a"}, valueOf(t, c.ZRevRangeByLexWith(ctx, lex, "+", "-", client.ZLimitOptions{Offset: 1})))
		assert.Equal(t, int64(3), valueOf(t, c.ZLexCount(ctx, lex, "(a", "+")))

		// Removals.
		assert.Equal(t, int64(2), valueOf(t, c.ZRemRangeByLex(ctx, lex, "[a", "[b")))
		assert.Equal(t, []string{"c", "d"}, valueOf(t, c.ZRange(ctx, lex, 0, -1)))
		assert.Equal(t, int64(2), valueOf(t, c.ZRemRangeByScore(ctx, z, "(3", "+inf")))
		assert.Equal(t, int64(1), valueOf(t, c.ZRemRangeByRank(ctx, z, 0, 0)))
		assert.Equal(t, []string{"b", "c"}, valueOf(t, c.ZRange(ctx, z, 0, -1)))

		assert.ErrorIs(t, c.ZRangeWith(ctx, z, 0, 1, client.ZRangeOptions{Count: 1}).Err(), client.ErrInvalidArg)
		assert.ErrorIs(t, c.ZRangeWith(ctx, z, struct{}{}, 1, client.ZRangeOptions{}).Err(), client.ErrUnsupportedArg)
	})
}

func TestSortedSetAlgebra(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		z1, z2, z3, dst := key("z1"), key("z2"), key("z3"), key("dst")
		valueOf(t, c.ZAdd(ctx, z1, zs("a", 1, "b", 2, "c", 3)...))
		valueOf(t, c.ZAdd(ctx, z2, zs("b", 10, "c", 20, "d", 30)...))
		valueOf(t, c.ZAdd(ctx, z3, zs("c", 100)...))

		assert.Equal(t, []string{"a"}, valueOf(t, c.ZDiff(ctx, z1, z2)))
		assert.Equal(t, zs("a", 1, "b", 2), valueOf(t, c.ZDiffWithScores(ctx, z1, z3)))
		assert.Equal(t, int64(1), valueOf(t, c.ZDiffStore(ctx, dst, z2, z1)))
		assert.Equal(t, zs("d", 30), valueOf(t, c.ZRangeWithScores(ctx, dst, 0, -1, client.ZRangeOptions{})))

		assert.Equal(t, []string{"b", "c"}, valueOf(t, c.ZInter(ctx, z1, z2)))
		assert.Equal(t, []string{"c", "b"}, valueOf(t, c.ZInterWith(ctx, []string{z1, z2}, client.ZStoreOptions{Weights: []float64{1, -1}})))
		assert.Equal(t, zs("b", 12, "c", 23), valueOf(t, c.ZInterWithScores(ctx, []string{z1, z2}, client.ZStoreOptions{})))
		assert.Equal(t, zs("b", 10, "c", 20), valueOf(t, c.ZInterWithScores(ctx, []string{z1, z2},
			client.ZStoreOptions{Aggregate: client.AggregateMax})))
		assert.Equal(t, zs("c", 3), valueOf(t, c.ZInterWithScores(ctx, []string{z1, z2, z3},
			client.ZStoreOptions{Aggregate: client.AggregateMin})))
		assert.Equal(t, int64(2), valueOf(t, c.ZInterCard(ctx, z1, z2)))
		assert.Equal(t, int64(1), valueOf(t, c.ZInterCardWith(ctx, []string{z1, z2}, client.ZInterCardOptions{Limit: 1})))
		assert.Equal(t, int64(2), valueOf(t, c.ZInterStore(ctx, dst, z1, z2)))
		assert.Equal(t, zs("b", 12, "c", 23), valueOf(t, c.ZRangeWithScores(ctx, dst, 0, -1, client.ZRangeOptions{})))
		assert.Equal(t, int64(2), valueOf(t, c.ZInterStoreWith(ctx, dst, []string{z1, z2},
			client.ZStoreOptions{Weights: []float64{2, 0.5}, Aggregate: client.AggregateSum})))
		assert.Equal(t, zs("b", 9, "c", 16), valueOf(t, c.ZRangeWithScores(ctx, dst, 0, -1, client.ZRangeOptions{})))

		assert.Equal(t, []string{"a", "b", "c", "d"}, valueOf(t, c.ZUnion(ctx, z1, z2)))
		assert.Equal(t, []string{"a", "b", "d", "c"}, valueOf(t, c.ZUnionWith(ctx, []string{z1, z2, z3},
			client.ZStoreOptions{Aggregate: client.AggregateMax})))
		assert.Equal(t, zs("a", 1, "b", 12, "c", 23, "d", 30), valueOf(t, c.ZUnionWithScores(ctx, []string{z1, z2}, client.ZStoreOptions{})))
		assert.Equal(t, int64(4), valueOf(t, c.ZUnionStore(ctx, dst, z1, z2)))
		assert.Equal(t, int64(4), valueOf(t, c.ZUnionStoreWith(ctx, dst, []string{z1, z2, z3},
			client.ZStoreOptions{Aggregate: client.AggregateMax})))
		assert.Equal(t, zs("a", 1, "b", 10, "d", 30, "c", 100), valueOf(t, c.ZRangeWithScores(ctx, dst, 0, -1, client.ZRangeOptions{})))

		assert.ErrorIs(t, c.ZInter(ctx).Err(), client.ErrInvalidArg)
		assert.ErrorIs(t, c.ZUnionWith(ctx, []string{z1, z2}, client.ZStoreOptions{Weights: []float64{1}}).Err(), client.ErrInvalidArg)
	})
}

func TestSortedSetPopRandomScan(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		z, z2, missing := key("z"), key("z2"), key("missing")
		valueOf(t, c.ZAdd(ctx, z, zs("a", 1, "b", 2, "c", 3, "d", 4, "e", 5)...))

		assert.Equal(t, zs("a", 1), valueOf(t, c.ZPopMin(ctx, z, 0)))
		assert.Equal(t, zs("b", 2, "c", 3), valueOf(t, c.ZPopMin(ctx, z, 2)))
		assert.Equal(t, zs("e", 5), valueOf(t, c.ZPopMax(ctx, z, 0)))
		assert.Equal(t, zs("d", 4), valueOf(t, c.ZPopMax(ctx, z, 10)))
		assert.Equal(t, []client.Z{}, valueOf(t, c.ZPopMin(ctx, z, 0)))
		assert.Equal(t, []client.Z{}, valueOf(t, c.ZPopMax(ctx, missing, 3)))

		valueOf(t, c.ZAdd(ctx, z2, zs("x", 1, "y", 2, "w", 3)...))
		assert.ErrorIs(t, c.ZMPop(ctx, []string{missing, z}, client.ZLowest, 0).Err(), client.ErrNil)
		assert.Equal(t, client.ZMPopResult{Key: z2, Members: zs("x", 1)}, valueOf(t, c.ZMPop(ctx, []string{z, z2}, client.ZLowest, 0)))
		assert.Equal(t, client.ZMPopResult{Key: z2, Members: zs("w", 3, "y", 2)}, valueOf(t, c.ZMPop(ctx, []string{z2}, client.ZHighest, 5)))

		valueOf(t, c.ZAdd(ctx, z, zs("a", 1, "b", 2, "c", 3)...))
		one := valueOf(t, c.ZRandMember(ctx, z, 2))
		assert.Len(t, one, 2)
		assert.NotEqual(t, one[0], one[1])
		assert.Len(t, valueOf(t, c.ZRandMember(ctx, z, -7)), 7)
		assert.Equal(t, []string{}, valueOf(t, c.ZRandMember(ctx, missing, 3)))
		withScores := valueOf(t, c.ZRandMemberWithScores(ctx, z, 5))
		sort.Slice(withScores, func(i, j int) bool { return withScores[i].Score < withScores[j].Score })
		assert.Equal(t, zs("a", 1, "b", 2, "c", 3), withScores)
		assert.Len(t, valueOf(t, c.ZRandMemberWithScores(ctx, z, -4)), 4)

		// ZSCAN: a big set (a skiplist, so several pages) and a small one.
		big := key("big")
		var members []client.Z
		for i := range 300 {
			members = append(members, client.Z{Member: "m" + strconv.Itoa(i), Score: float64(i) + 0.5})
		}
		valueOf(t, c.ZAdd(ctx, big, members...))
		seen := map[string]float64{}
		for m, err := range c.ZScanIter(ctx, big, client.ZScanOptions{Count: 50}) {
			require.NoError(t, err)
			seen[m.Member] = m.Score
		}
		assert.Len(t, seen, 300)
		assert.Equal(t, 42.5, seen["m42"])
		page := valueOf(t, c.ZScan(ctx, z, 0))
		assert.Equal(t, uint64(0), page.Cursor)
		assert.Equal(t, zs("a", 1, "b", 2, "c", 3), page.Members)
		page = valueOf(t, c.ZScanWith(ctx, z, 0, client.ZScanOptions{Match: "b*", Count: 100}))
		assert.Equal(t, zs("b", 2), page.Members)
		var n int
		for _, err := range c.ZScanIter(ctx, big, client.ZScanOptions{Match: "m1*"}) {
			require.NoError(t, err)
			n++
			if n == 3 {
				break
			}
		}
		assert.Equal(t, 3, n, "the walk stops when the loop breaks")
		require.NoError(t, c.Set(ctx, key("s"), "v", 0).Err())
		for _, err := range c.ZScanIter(ctx, key("s"), client.ZScanOptions{}) {
			var se *client.Error
			assert.ErrorAs(t, err, &se)
		}
	})
}

func TestSortedSetBlockingPops(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		z, z2, missing := key("z"), key("z2"), key("missing")
		valueOf(t, c.ZAdd(ctx, z, zs("a", 1, "b", 2, "c", 3)...))

		assert.Equal(t, client.ZWithKey{Key: z, Z: client.Z{Member: "a", Score: 1}}, valueOf(t, c.BZPopMin(ctx, time.Second, missing, z)))
		assert.Equal(t, client.ZWithKey{Key: z, Z: client.Z{Member: "c", Score: 3}}, valueOf(t, c.BZPopMax(ctx, 0, z)))
		assert.ErrorIs(t, c.BZPopMin(ctx, 50*time.Millisecond, missing).Err(), client.ErrNil)
		assert.ErrorIs(t, c.BZPopMax(ctx, 50*time.Millisecond, missing).Err(), client.ErrNil)
		assert.Equal(t, client.ZMPopResult{Key: z, Members: zs("b", 2)}, valueOf(t, c.BZMPop(ctx, time.Second, []string{missing, z}, client.ZHighest, 2)))
		assert.ErrorIs(t, c.BZMPop(ctx, 50*time.Millisecond, []string{z}, client.ZLowest, 0).Err(), client.ErrNil)

		// A pop that waits gets what arrives.
		pop := c.BZPopMin(ctx, 5*time.Second, z2)
		time.Sleep(20 * time.Millisecond)
		valueOf(t, c.ZAdd(ctx, z2, zs("late", 7)...))
		assert.Equal(t, client.ZWithKey{Key: z2, Z: client.Z{Member: "late", Score: 7}}, valueOf(t, pop))
		mpop := c.BZMPop(ctx, 5*time.Second, []string{z2}, client.ZLowest, 3)
		time.Sleep(20 * time.Millisecond)
		valueOf(t, c.ZAdd(ctx, z2, zs("p", 1, "q", 2)...))
		assert.Equal(t, client.ZMPopResult{Key: z2, Members: zs("p", 1, "q", 2)}, valueOf(t, mpop))

		assert.ErrorIs(t, c.BZPopMin(ctx, -time.Second, z).Err(), client.ErrInvalidArg)
		assert.ErrorIs(t, c.BZPopMax(ctx, time.Second).Err(), client.ErrInvalidArg)
	})
}

// A cancelled BZPOPMIN pops nothing: the member added after it stays in
// the set.
func TestSortedSetCancelledBZPopMin(t *testing.T) {
	srv := redistest.Start(t)
	bg := context.Background()
	for _, proto := range protocols {
		c := openClient(t, client.Options{Addr: srv.Addr(), PoolSize: 1, Protocol: proto})
		for range 20 {
			ctx, cancel := context.WithCancel(bg)
			pop := c.BZPopMin(ctx, 0, "zq")
			require.Eventually(t, func() bool {
				info, err := srv.Info("clients")
				return err == nil && info["blocked_clients"] == "1"
			}, 2*time.Second, time.Millisecond)
			cancel()
			// The closed connection may fail the command before the future
			// sees the cancelled context (Future.Await selects at random
			// between the two): either error ends it, and nothing was popped.
			err := pop.Err()
			require.ErrorIs(t, err, context.Canceled)
			require.Eventually(t, func() bool {
				info, err := srv.Info("clients")
				return err == nil && info["blocked_clients"] == "0"
			}, 2*time.Second, time.Millisecond)
			require.Equal(t, int64(1), valueOf(t, c.ZAdd(bg, "zq", client.Z{Member: "m", Score: 1})))
			require.Equal(t, 1.0, valueOf(t, c.ZScore(bg, "zq", "m")), "no member was popped for the caller that left")
			require.Equal(t, int64(1), valueOf(t, c.Del(bg, "zq")))
		}
		assert.Zero(t, c.Stats().Leased)
	}
}

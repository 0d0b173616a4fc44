//go:build integration

package integration

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

func TestListPushRangeIndex(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k, missing := key("l"), key("missing")

		assert.Equal(t, int64(0), valueOf(t, c.LPushX(ctx, missing, "a")))
		assert.Equal(t, int64(0), valueOf(t, c.RPushX(ctx, missing, "a")))
		assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, missing)), "X variants create nothing")
		assert.Equal(t, int64(3), valueOf(t, c.RPush(ctx, k, "b", 1, 2.5)))
		assert.Equal(t, int64(5), valueOf(t, c.LPush(ctx, k, "a", []byte("z"))))
		assert.Equal(t, int64(6), valueOf(t, c.LPushX(ctx, k, "y")))
		assert.Equal(t, int64(7), valueOf(t, c.RPushX(ctx, k, "c")))
		assert.Equal(t, []string{"y", "z", "a", "b", "1", "2.5", "c"}, valueOf(t, c.LRange(ctx, k, 0, -1)))
		assert.Equal(t, []string{"a", "b"}, valueOf(t, c.LRange(ctx, k, 2, 3)))
		assert.Equal(t, []string{}, valueOf(t, c.LRange(ctx, missing, 0, -1)))
		assert.Equal(t, int64(7), valueOf(t, c.LLen(ctx, k)))
		assert.Equal(t, int64(0), valueOf(t, c.LLen(ctx, missing)))

		assert.Equal(t, "y", valueOf(t, c.LIndex(ctx, k, 0)))
		assert.Equal(t, "c", valueOf(t, c.LIndex(ctx, k, -1)))
		assert.ErrorIs(t, c.LIndex(ctx, k, 100).Err(), client.ErrNil)
		assert.ErrorIs(t, c.LIndex(ctx, missing, 0).Err(), client.ErrNil)

		assert.Equal(t, "OK", valueOf(t, c.LSet(ctx, k, 1, "Z")))
		assert.Equal(t, "OK", valueOf(t, c.LSet(ctx, k, -1, 3)))
		assert.Equal(t, []string{"y", "Z", "a", "b", "1", "2.5", "3"}, valueOf(t, c.LRange(ctx, k, 0, -1)))
		var se *client.Error
		require.ErrorAs(t, c.LSet(ctx, k, 100, "x").Err(), &se)
		assert.Equal(t, "ERR", se.Prefix())

		assert.Equal(t, int64(8), valueOf(t, c.LInsert(ctx, k, client.InsertBefore, "a", "before-a")))
		assert.Equal(t, int64(9), valueOf(t, c.LInsert(ctx, k, client.InsertAfter, 1, "after-1")))
		assert.Equal(t, int64(-1), valueOf(t, c.LInsert(ctx, k, client.InsertAfter, "nope", "x")))
		assert.Equal(t, int64(0), valueOf(t, c.LInsert(ctx, missing, client.InsertAfter, "a", "x")))
		assert.Equal(t, []string{"y", "Z", "before-a", "a", "b", "1", "after-1", "2.5", "3"}, valueOf(t, c.LRange(ctx, k, 0, -1)))
		assert.ErrorIs(t, c.LInsert(ctx, k, 0, "a", "x").Err(), client.ErrInvalidArg)

		assert.Equal(t, "OK", valueOf(t, c.LTrim(ctx, k, 2, -2)))
		assert.Equal(t, []string{"before-a", "a", "b", "1", "after-1", "2.5"}, valueOf(t, c.LRange(ctx, k, 0, -1)))

		require.NoError(t, c.Del(ctx, k).Err())
		valueOf(t, c.RPush(ctx, k, "x", "a", "x", "b", "x", "x"))
		assert.Equal(t, int64(1), valueOf(t, c.LRem(ctx, k, 1, "x")))
		assert.Equal(t, int64(2), valueOf(t, c.LRem(ctx, k, -2, "x")))
		assert.Equal(t, []string{"a", "x", "b"}, valueOf(t, c.LRange(ctx, k, 0, -1)))
		assert.Equal(t, int64(1), valueOf(t, c.LRem(ctx, k, 0, "x")))
		assert.Equal(t, int64(0), valueOf(t, c.LRem(ctx, k, 0, "x")))

		// WRONGTYPE comes through as a server error.
		require.NoError(t, c.Set(ctx, missing, "s", 0).Err())
		require.ErrorAs(t, c.LPush(ctx, missing, "a").Err(), &se)
		assert.Equal(t, "WRONGTYPE", se.Prefix())
	})
}

func TestListPop(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k, missing := key("l"), key("missing")
		valueOf(t, c.RPush(ctx, k, "a", "b", "c", "d", "e", "f"))

		assert.Equal(t, "a", valueOf(t, c.LPop(ctx, k)))
		assert.Equal(t, "f", valueOf(t, c.RPop(ctx, k)))
		assert.Equal(t, []string{"b", "c"}, valueOf(t, c.LPopWith(ctx, k, 2)))
		assert.Equal(t, []string{"e", "d"}, valueOf(t, c.RPopWith(ctx, k, 5)), "up to count, the last first")
		assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, k)), "popping the last element deletes the list")

		assert.ErrorIs(t, c.LPop(ctx, missing).Err(), client.ErrNil)
		assert.ErrorIs(t, c.RPop(ctx, missing).Err(), client.ErrNil)
		assert.ErrorIs(t, c.LPopWith(ctx, missing, 2).Err(), client.ErrNil)
		assert.ErrorIs(t, c.RPopWith(ctx, missing, 2).Err(), client.ErrNil)
		assert.ErrorIs(t, c.LPopWith(ctx, k, -1).Err(), client.ErrInvalidArg)
	})
}

func TestListPos(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k, missing := key("l"), key("missing")
		valueOf(t, c.RPush(ctx, k, "a", "b", "c", 1, 2, 3, "c", "c"))

		assert.Equal(t, int64(2), valueOf(t, c.LPos(ctx, k, "c")))
		assert.Equal(t, int64(3), valueOf(t, c.LPos(ctx, k, 1)))
		assert.ErrorIs(t, c.LPos(ctx, k, "zz").Err(), client.ErrNil)
		assert.ErrorIs(t, c.LPos(ctx, missing, "c").Err(), client.ErrNil)

		pos := func(o client.LPosOptions) []int64 { return valueOf(t, c.LPosWith(ctx, k, "c", o)) }
		assert.Equal(t, []int64{2}, pos(client.LPosOptions{}))
		assert.Equal(t, []int64{6}, pos(client.LPosOptions{Rank: 2}))
		assert.Equal(t, []int64{7}, pos(client.LPosOptions{Rank: -1}))
		assert.Equal(t, []int64{2, 6}, pos(client.LPosOptions{Count: 2}))
		assert.Equal(t, []int64{2, 6, 7}, pos(client.LPosOptions{All: true}))
		assert.Equal(t, []int64{7, 6, 2}, pos(client.LPosOptions{Rank: -1, All: true}))
		assert.Equal(t, []int64{6, 7}, pos(client.LPosOptions{Rank: 2, Count: 5}))
		assert.Equal(t, []int64{2}, pos(client.LPosOptions{All: true, MaxLen: 6}))
		assert.Equal(t, []int64{}, pos(client.LPosOptions{MaxLen: 2}))
		assert.Equal(t, []int64{}, pos(client.LPosOptions{Rank: 4}))
		assert.Equal(t, []int64{}, valueOf(t, c.LPosWith(ctx, k, "zz", client.LPosOptions{All: true})))
		assert.Equal(t, []int64{}, valueOf(t, c.LPosWith(ctx, missing, "c", client.LPosOptions{})))
	})
}

func TestListMove(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		src, dst, missing := key("src"), key("dst"), key("missing")
		valueOf(t, c.RPush(ctx, src, "a", "b", "c"))

		assert.Equal(t, "a", valueOf(t, c.LMove(ctx, src, dst, client.ListLeft, client.ListRight)))
		assert.Equal(t, "c", valueOf(t, c.LMove(ctx, src, dst, client.ListRight, client.ListLeft)))
		assert.Equal(t, []string{"c", "a"}, valueOf(t, c.LRange(ctx, dst, 0, -1)))
		assert.Equal(t, "c", valueOf(t, c.LMove(ctx, dst, dst, client.ListLeft, client.ListRight)), "rotation")
		assert.Equal(t, []string{"a", "c"}, valueOf(t, c.LRange(ctx, dst, 0, -1)))
		assert.ErrorIs(t, c.LMove(ctx, missing, dst, client.ListLeft, client.ListLeft).Err(), client.ErrNil)
		assert.ErrorIs(t, c.LMove(ctx, src, dst, client.ListLeft, 0).Err(), client.ErrInvalidArg)

		assert.Equal(t, "b", valueOf(t, c.RPopLPush(ctx, src, dst)))
		assert.Equal(t, []string{"b", "a", "c"}, valueOf(t, c.LRange(ctx, dst, 0, -1)))
		assert.ErrorIs(t, c.RPopLPush(ctx, src, dst).Err(), client.ErrNil)

		// LMPOP takes from the first non-empty list.
		valueOf(t, c.RPush(ctx, src, "x", "y", "z"))
		assert.Equal(t, client.KeyValues{Key: src, Values: []string{"x"}},
			valueOf(t, c.LMPop(ctx, client.ListLeft, missing, src, dst)))
		assert.Equal(t, client.KeyValues{Key: src, Values: []string{"z", "y"}},
			valueOf(t, c.LMPopWith(ctx, client.ListRight, []string{missing, src, dst}, client.LMPopOptions{Count: 5})))
		assert.Equal(t, client.KeyValues{Key: dst, Values: []string{"b", "a"}},
			valueOf(t, c.LMPopWith(ctx, client.ListLeft, []string{src, dst}, client.LMPopOptions{Count: 2})))
		assert.ErrorIs(t, c.LMPop(ctx, client.ListLeft, missing, src).Err(), client.ErrNil)
	})
}

func TestListBlocking(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		a, b, dst := key("a"), key("b"), key("dst")

		// Data present: no wait.
		valueOf(t, c.RPush(ctx, b, "1", "2", "3", "6"))
		assert.Equal(t, client.KeyValue{Key: b, Value: "1"}, valueOf(t, c.BLPop(ctx, time.Second, a, b)))
		assert.Equal(t, client.KeyValue{Key: b, Value: "6"}, valueOf(t, c.BRPop(ctx, time.Second, a, b)))
		assert.Equal(t, "3", valueOf(t, c.BRPopLPush(ctx, b, dst, time.Second)))
		assert.Equal(t, "2", valueOf(t, c.BLMove(ctx, b, dst, client.ListLeft, client.ListRight, time.Second)))
		valueOf(t, c.RPush(ctx, b, "3"))
		assert.Equal(t, client.KeyValues{Key: b, Values: []string{"3"}}, valueOf(t, c.BLMPop(ctx, time.Second, client.ListLeft, a, b)))
		assert.Equal(t, client.KeyValues{Key: dst, Values: []string{"2", "3"}},
			valueOf(t, c.BLMPopWith(ctx, time.Second, client.ListRight, []string{a, dst}, client.LMPopOptions{Count: 9})))

		// Timeouts, with fractions of a second: ErrNil.
		timesOut := func(name string, err error, start time.Time) {
			t.Helper()
			assert.ErrorIs(t, err, client.ErrNil, name)
			took := time.Since(start)
			assert.True(t, took >= 140*time.Millisecond && took < 2*time.Second, "%s took %v", name, took)
		}
		start := time.Now()
		timesOut("BLPop", c.BLPop(ctx, 150*time.Millisecond, a).Err(), start)
		start = time.Now()
		timesOut("BRPop", c.BRPop(ctx, 150*time.Millisecond, a).Err(), start)
		start = time.Now()
		timesOut("BRPopLPush", c.BRPopLPush(ctx, a, dst, 150*time.Millisecond).Err(), start)
		start = time.Now()
		timesOut("BLMove", c.BLMove(ctx, a, dst, client.ListRight, client.ListLeft, 150*time.Millisecond).Err(), start)
		start = time.Now()
		timesOut("BLMPop", c.BLMPop(ctx, 150*time.Millisecond, client.ListLeft, a).Err(), start)

		// Blocked, then served by a push from another connection; the
		// multiplexed connections are not held meanwhile.
		pushLater := func(k string, vals ...any) {
			go func() {
				time.Sleep(50 * time.Millisecond)
				_ = c.RPush(ctx, k, vals...).Err()
			}()
		}
		f := c.BLPop(ctx, 0, a, b)
		assert.Equal(t, "PONG", valueOf(t, c.Ping(ctx)), "other commands run while BLPOP blocks")
		pushLater(b, "late")
		assert.Equal(t, client.KeyValue{Key: b, Value: "late"}, valueOf(t, f))
		assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, a, b)))
		pushLater(a, "x", "y")
		assert.Equal(t, client.KeyValue{Key: a, Value: "y"}, valueOf(t, c.BRPop(ctx, 5*time.Second, a)))
		assert.Equal(t, client.KeyValue{Key: a, Value: "x"}, valueOf(t, c.BRPop(ctx, 5*time.Second, a)))
		pushLater(a, "m")
		assert.Equal(t, "m", valueOf(t, c.BLMove(ctx, a, dst, client.ListLeft, client.ListLeft, 0)))
		pushLater(a, "n")
		assert.Equal(t, "n", valueOf(t, c.BRPopLPush(ctx, a, dst, 0)))
		assert.Equal(t, []string{"n", "m"}, valueOf(t, c.LRange(ctx, dst, 0, -1)))
		pushLater(b, "p", "q", "r")
		kv := valueOf(t, c.BLMPopWith(ctx, 0, client.ListLeft, []string{a, b}, client.LMPopOptions{Count: 3}))
		assert.Equal(t, b, kv.Key)
		assert.NotEmpty(t, kv.Values)
		assert.Equal(t, "p", kv.Values[0])

		// Bad arguments never reach the server.
		assert.ErrorIs(t, c.BLPop(ctx, -time.Second, a).Err(), client.ErrInvalidArg)
		assert.ErrorIs(t, c.BLMPop(ctx, time.Second, client.ListLeft).Err(), client.ErrInvalidArg)
	})
}

// listBlockedClients reads blocked_clients from INFO clients.
func listBlockedClients(t *testing.T, c *client.Client) int {
	t.Helper()
	info, err := c.Do(context.Background(), "INFO", "clients").Result()
	require.NoError(t, err)
	s, err := info.AsString()
	require.NoError(t, err)
	for line := range strings.SplitSeq(s, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "blocked_clients:"); ok {
			n, err := strconv.Atoi(v)
			require.NoError(t, err)
			return n
		}
	}
	t.Fatal("no blocked_clients in INFO clients")
	return 0
}

// listWaitBlocked waits until the server counts n blocked clients.
func listWaitBlocked(t *testing.T, c *client.Client, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for listBlockedClients(t, c) != n {
		require.True(t, time.Now().Before(deadline), "waiting for %d blocked clients", n)
		time.Sleep(time.Millisecond)
	}
}

// TestListBlockingCancelled: a BLPOP whose context ends pops nothing
// afterwards. The element pushed right after the caller got ctx.Err()
// stays in the list, 100 times in a row.
func TestListBlockingCancelled(t *testing.T) {
	srv := redistest.Start(t)
	eachProtocol(t, client.Options{Addr: srv.Addr()}, func(t *testing.T, c *client.Client, key func(string) string) {
		k := key("l")
		for i := range 100 {
			listWaitBlocked(t, c, 0)
			ctx, cancel := context.WithCancel(context.Background())
			f := c.BLPop(ctx, 0, k)
			listWaitBlocked(t, c, 1)
			cancel()
			err := f.Err()
			require.True(t, errors.Is(err, context.Canceled), "round %d: %v", i, err)
			require.Equal(t, int64(1), valueOf(t, c.LPush(context.Background(), k, i)), "round %d", i)
			v, err := c.LPop(context.Background(), k).Result()
			require.NoError(t, err, "round %d: the cancelled BLPOP popped the element pushed after it returned", i)
			require.Equal(t, strconv.Itoa(i), v, "round %d", i)
		}
	})
}

// TestListBlockingDeadline: a BLPOP whose context expires gives
// DeadlineExceeded, and a later push stays in the list.
func TestListBlockingDeadline(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		k := key("l")
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := c.BLMove(ctx, k, key("dst"), client.ListLeft, client.ListLeft, 0).Err()
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 2*time.Second)
		valueOf(t, c.RPush(context.Background(), k, "v"))
		assert.Equal(t, []string{"v"}, valueOf(t, c.LRange(context.Background(), k, 0, -1)))
	})
}

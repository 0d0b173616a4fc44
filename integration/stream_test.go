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

func TestStreamAddRangeTrim(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		s, missing := key("s"), key("missing")

		id1 := valueOf(t, c.XAddWith(ctx, s, client.XAddOptions{ID: "1-1"}, "b", "2", "a", 1))
		assert.Equal(t, "1-1", id1)
		id2 := valueOf(t, c.XAdd(ctx, s, "f", []byte("v")))
		assert.NotEmpty(t, id2)
		assert.Equal(t, "", valueOf(t, c.XAddWith(ctx, missing, client.XAddOptions{NoMkStream: true}, "f", "v")))
		assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, missing)))

		all := valueOf(t, c.XRange(ctx, s, "-", "+"))
		require.Len(t, all, 2)
		assert.Equal(t, client.XMessage{ID: "1-1", Values: []string{"b", "2", "a", "1"}}, all[0], "field order kept")
		assert.Equal(t, map[string]string{"a": "1", "b": "2"}, all[0].Map())
		assert.Equal(t, client.XMessage{ID: id2, Values: []string{"f", "v"}}, all[1])
		assert.Equal(t, all[:1], valueOf(t, c.XRangeWith(ctx, s, "-", "+", client.XRangeOptions{Count: 1})))
		rev := valueOf(t, c.XRevRange(ctx, s, "+", "-"))
		assert.Equal(t, []client.XMessage{all[1], all[0]}, rev)
		assert.Equal(t, []client.XMessage{all[1]}, valueOf(t, c.XRevRangeWith(ctx, s, "+", "-", client.XRangeOptions{Count: 1})))
		assert.Empty(t, valueOf(t, c.XRange(ctx, missing, "-", "+")))
		assert.Equal(t, int64(2), valueOf(t, c.XLen(ctx, s)))
		assert.Equal(t, int64(0), valueOf(t, c.XLen(ctx, missing)))

		// Trimming in XADD, exact and approximate.
		for i := range 10 {
			valueOf(t, c.XAddWith(ctx, s, client.XAddOptions{Trim: client.XMaxLen(5)}, "i", i))
		}
		assert.Equal(t, int64(5), valueOf(t, c.XLen(ctx, s)))
		valueOf(t, c.XAddWith(ctx, s, client.XAddOptions{Trim: client.XMaxLen(1).Approx()}, "i", "x"))
		assert.Equal(t, int64(6), valueOf(t, c.XLen(ctx, s)), "~ keeps whole nodes")
		assert.Equal(t, int64(3), valueOf(t, c.XTrim(ctx, s, client.XMaxLen(3))))
		assert.Equal(t, int64(0), valueOf(t, c.XTrim(ctx, s, client.XMaxLen(3).Limit(10))))
		last := valueOf(t, c.XRevRangeWith(ctx, s, "+", "-", client.XRangeOptions{Count: 1}))[0]
		assert.Equal(t, int64(2), valueOf(t, c.XTrim(ctx, s, client.XMinID(last.ID))))
		valueOf(t, c.XAddWith(ctx, s, client.XAddOptions{Trim: client.XMinID(last.ID).Approx()}, "i", "y"))
		assert.Equal(t, int64(2), valueOf(t, c.XLen(ctx, s)))
		assert.ErrorIs(t, c.XTrim(ctx, s, client.XTrimRule{}).Err(), client.ErrInvalidArg)

		// XDEL.
		assert.Equal(t, int64(1), valueOf(t, c.XDel(ctx, s, last.ID, "9-9")))
		assert.Equal(t, int64(1), valueOf(t, c.XLen(ctx, s)))

		// XSETID.
		assert.Equal(t, "OK", valueOf(t, c.XSetID(ctx, s, "99999999999999-0")))
		assert.Equal(t, "OK", valueOf(t, c.XSetIDWith(ctx, s, "99999999999999-5",
			client.XSetIDOptions{EntriesAdded: 100, MaxDeletedID: "99999999999999-1"})))
		info := valueOf(t, c.XInfoStream(ctx, s))
		assert.Equal(t, "99999999999999-5", info.LastGeneratedID)
		assert.Equal(t, "99999999999999-1", info.MaxDeletedEntryID)
		assert.Equal(t, int64(100), info.EntriesAdded)
		assert.Equal(t, int64(1), info.Length)
		assert.Equal(t, info.FirstEntry, info.LastEntry)
		assert.Equal(t, []string{"i", "y"}, info.FirstEntry.Values)
		assert.Equal(t, int64(0), info.Groups)
		var se *client.Error
		require.ErrorAs(t, c.XSetID(ctx, s, "1-0").Err(), &se)
	})
}

func TestStreamReadAndGroups(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		a, b, empty := key("a"), key("b"), key("empty")
		valueOf(t, c.XAddWith(ctx, a, client.XAddOptions{ID: "1-0"}, "n", "1"))
		valueOf(t, c.XAddWith(ctx, a, client.XAddOptions{ID: "2-0"}, "n", "2"))
		valueOf(t, c.XAddWith(ctx, b, client.XAddOptions{ID: "1-0"}, "m", "1"))

		got := valueOf(t, c.XRead(ctx, []string{a, b}, []string{"0", "0"}))
		assert.Equal(t, []client.XStream{
			{Stream: a, Messages: []client.XMessage{{ID: "1-0", Values: []string{"n", "1"}}, {ID: "2-0", Values: []string{"n", "2"}}}},
			{Stream: b, Messages: []client.XMessage{{ID: "1-0", Values: []string{"m", "1"}}}},
		}, got)
		got = valueOf(t, c.XReadWith(ctx, []string{a, b}, []string{"1-0", "1-0"}, client.XReadOptions{Count: 1}))
		assert.Equal(t, []client.XStream{{Stream: a, Messages: []client.XMessage{{ID: "2-0", Values: []string{"n", "2"}}}}}, got)
		assert.Empty(t, valueOf(t, c.XRead(ctx, []string{a}, []string{"$"})))
		assert.ErrorIs(t, c.XRead(ctx, []string{a}, nil).Err(), client.ErrInvalidArg)

		// XREAD BLOCK: times out empty, and wakes up on XADD.
		start := time.Now()
		assert.Empty(t, valueOf(t, c.XReadWith(ctx, []string{a}, []string{"$"}, client.XReadOptions{Block: 50 * time.Millisecond})))
		assert.GreaterOrEqual(t, time.Since(start), 40*time.Millisecond)
		// From 0-0, so an XADD that overtakes the XREAD is read all the same.
		blocked := c.XReadWith(ctx, []string{empty}, []string{"0-0"}, client.XReadOptions{Block: client.XBlockForever})
		time.Sleep(20 * time.Millisecond)
		id := valueOf(t, c.XAdd(ctx, empty, "k", "v"))
		assert.Equal(t, []client.XStream{{Stream: empty, Messages: []client.XMessage{{ID: id, Values: []string{"k", "v"}}}}}, valueOf(t, blocked))

		// Groups.
		assert.Equal(t, "OK", valueOf(t, c.XGroupCreate(ctx, a, "g", "0")))
		var se *client.Error
		require.ErrorAs(t, c.XGroupCreate(ctx, a, "g", "0").Err(), &se)
		assert.Equal(t, "BUSYGROUP", se.Prefix())
		assert.Equal(t, "OK", valueOf(t, c.XGroupCreateWith(ctx, key("new"), "g", "$", client.XGroupCreateOptions{MkStream: true, EntriesRead: 0})))
		assert.Equal(t, int64(0), valueOf(t, c.XLen(ctx, key("new"))))
		assert.Equal(t, "OK", valueOf(t, c.XGroupCreateWith(ctx, a, "g2", "1-0", client.XGroupCreateOptions{EntriesRead: 1})))
		assert.True(t, valueOf(t, c.XGroupCreateConsumer(ctx, a, "g", "alice")))
		assert.False(t, valueOf(t, c.XGroupCreateConsumer(ctx, a, "g", "alice")))

		read := valueOf(t, c.XReadGroupWith(ctx, "g", "alice", []string{a}, []string{">"}, client.XReadGroupOptions{Count: 1}))
		assert.Equal(t, []client.XStream{{Stream: a, Messages: []client.XMessage{{ID: "1-0", Values: []string{"n", "1"}}}}}, read)
		read = valueOf(t, c.XReadGroup(ctx, "g", "bob", []string{a}, []string{">"}))
		assert.Equal(t, []client.XStream{{Stream: a, Messages: []client.XMessage{{ID: "2-0", Values: []string{"n", "2"}}}}}, read)
		assert.Empty(t, valueOf(t, c.XReadGroup(ctx, "g", "bob", []string{a}, []string{">"})))
		// History of a consumer, with an entry deleted while pending.
		valueOf(t, c.XAddWith(ctx, a, client.XAddOptions{ID: "3-0"}, "n", "3"))
		valueOf(t, c.XReadGroup(ctx, "g", "bob", []string{a}, []string{">"}))
		assert.Equal(t, int64(1), valueOf(t, c.XDel(ctx, a, "3-0")))
		hist := valueOf(t, c.XReadGroup(ctx, "g", "bob", []string{a}, []string{"0"}))
		assert.Equal(t, []client.XStream{{Stream: a, Messages: []client.XMessage{{ID: "2-0", Values: []string{"n", "2"}}, {ID: "3-0"}}}}, hist)
		assert.Equal(t, int64(1), valueOf(t, c.XAck(ctx, a, "g", "3-0", "9-0")))

		sum := valueOf(t, c.XPending(ctx, a, "g"))
		assert.Equal(t, client.XPending{Count: 2, Lowest: "1-0", Highest: "2-0", Consumers: map[string]int64{"alice": 1, "bob": 1}}, sum)
		assert.Equal(t, client.XPending{}, valueOf(t, c.XPending(ctx, a, "g2")))
		ext := valueOf(t, c.XPendingExt(ctx, a, "g", client.XPendingExtOptions{Count: 10}))
		require.Len(t, ext, 2)
		assert.Equal(t, "1-0", ext[0].ID)
		assert.Equal(t, "alice", ext[0].Consumer)
		assert.Equal(t, int64(1), ext[0].DeliveryCount)
		assert.Less(t, ext[0].Idle, time.Minute)
		assert.Equal(t, int64(2), ext[1].DeliveryCount, "bob read 2-0 twice")
		ext = valueOf(t, c.XPendingExt(ctx, a, "g", client.XPendingExtOptions{Start: "(1-0", Count: 10, Consumer: "bob"}))
		require.Len(t, ext, 1)
		assert.Equal(t, "2-0", ext[0].ID)
		assert.Empty(t, valueOf(t, c.XPendingExt(ctx, a, "g", client.XPendingExtOptions{Count: 10, Idle: time.Hour})))
		assert.ErrorIs(t, c.XPendingExt(ctx, a, "g", client.XPendingExtOptions{}).Err(), client.ErrInvalidArg)

		// Claims.
		claimed := valueOf(t, c.XClaim(ctx, a, "g", "carol", 0, "1-0"))
		assert.Equal(t, []client.XMessage{{ID: "1-0", Values: []string{"n", "1"}}}, claimed)
		assert.Empty(t, valueOf(t, c.XClaim(ctx, a, "g", "carol", time.Hour, "2-0")))
		cr := valueOf(t, c.XClaimWith(ctx, a, "g", "carol", 0, []string{"2-0"}, client.XClaimOptions{JustID: true}))
		assert.Equal(t, client.XClaimResult{IDs: []string{"2-0"}}, cr)
		at := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
		cr = valueOf(t, c.XClaimWith(ctx, a, "g", "dave", 0, []string{"2-0"},
			client.XClaimOptions{Time: at, RetryCount: 7, LastID: "2-0"}))
		assert.Equal(t, client.XClaimResult{IDs: []string{"2-0"}, Messages: []client.XMessage{{ID: "2-0", Values: []string{"n", "2"}}}}, cr)
		ext = valueOf(t, c.XPendingExt(ctx, a, "g", client.XPendingExtOptions{Start: "2-0", End: "2-0", Count: 1}))
		require.Len(t, ext, 1)
		assert.Equal(t, client.XPendingExt{ID: "2-0", Consumer: "dave", Idle: ext[0].Idle, DeliveryCount: 7}, ext[0])
		assert.GreaterOrEqual(t, ext[0].Idle, time.Minute)
		cr = valueOf(t, c.XClaimWith(ctx, a, "g", "dave", 0, []string{"1-0"}, client.XClaimOptions{Idle: time.Hour, Force: true}))
		assert.Equal(t, []string{"1-0"}, cr.IDs)

		ac := valueOf(t, c.XAutoClaim(ctx, a, "g", "erin", time.Minute, "0-0"))
		assert.Equal(t, client.XAutoClaimResult{Next: "0-0", IDs: []string{"1-0", "2-0"},
			Messages: []client.XMessage{{ID: "1-0", Values: []string{"n", "1"}}, {ID: "2-0", Values: []string{"n", "2"}}},
			Deleted:  []string{}}, ac)
		ac = valueOf(t, c.XAutoClaimWith(ctx, a, "g", "frank", 0, "0-0", client.XAutoClaimOptions{Count: 1, JustID: true}))
		assert.Equal(t, client.XAutoClaimResult{Next: "2-0", IDs: []string{"1-0"}, Deleted: []string{}}, ac)

		// Introspection.
		groups := valueOf(t, c.XInfoGroups(ctx, a))
		require.Len(t, groups, 2)
		assert.Equal(t, "g", groups[0].Name)
		assert.Equal(t, int64(2), groups[0].Pending)
		assert.Equal(t, "3-0", groups[0].LastDeliveredID)
		assert.True(t, groups[0].EntriesReadValid)
		assert.Equal(t, int64(3), groups[0].EntriesRead)
		assert.True(t, groups[0].LagValid)
		assert.Equal(t, int64(0), groups[0].Lag)
		assert.Equal(t, "g2", groups[1].Name)
		assert.Equal(t, int64(1), groups[1].EntriesRead)
		consumers := valueOf(t, c.XInfoConsumers(ctx, a, "g"))
		names := map[string]int64{}
		for _, cs := range consumers {
			names[cs.Name] = cs.Pending
			assert.Less(t, cs.Idle, time.Minute)
		}
		assert.Equal(t, map[string]int64{"alice": 0, "bob": 0, "carol": 0, "dave": 0, "erin": 1, "frank": 1}, names)
		assert.Equal(t, int64(6), groups[0].Consumers)

		full := valueOf(t, c.XInfoStreamFull(ctx, a, client.XInfoStreamFullOptions{}))
		assert.Equal(t, int64(2), full.Length)
		assert.Equal(t, []client.XMessage{{ID: "1-0", Values: []string{"n", "1"}}, {ID: "2-0", Values: []string{"n", "2"}}}, full.Entries)
		require.Len(t, full.Groups, 2)
		g := full.Groups[0]
		assert.Equal(t, "g", g.Name)
		assert.Equal(t, int64(2), g.PendingCount)
		require.Len(t, g.Pending, 2)
		assert.Equal(t, "frank", g.Pending[0].Consumer)
		assert.Equal(t, "erin", g.Pending[1].Consumer)
		assert.WithinDuration(t, time.Now(), g.Pending[1].DeliveryTime, time.Minute)
		require.Len(t, g.Consumers, 6)
		assert.Equal(t, "alice", g.Consumers[0].Name)
		assert.WithinDuration(t, time.Now(), g.Consumers[0].SeenTime, time.Minute)
		var erin client.XInfoConsumerFull
		for _, cs := range g.Consumers {
			if cs.Name == "erin" {
				erin = cs
			}
		}
		require.Len(t, erin.Pending, 1)
		assert.Equal(t, "2-0", erin.Pending[0].ID)
		assert.Equal(t, int64(1), erin.PendingCount)
		full = valueOf(t, c.XInfoStreamFull(ctx, a, client.XInfoStreamFullOptions{Count: 1}))
		assert.Len(t, full.Entries, 1)
		full = valueOf(t, c.XInfoStreamFull(ctx, a, client.XInfoStreamFullOptions{All: true}))
		assert.Len(t, full.Entries, 2)
		info := valueOf(t, c.XInfoStream(ctx, a))
		assert.Equal(t, int64(2), info.Groups)
		assert.Equal(t, "1-0", info.FirstEntry.ID)
		assert.Equal(t, "2-0", info.LastEntry.ID)
		assert.Equal(t, client.XMessage{}, valueOf(t, c.XInfoStream(ctx, key("new"))).FirstEntry)

		// Group administration.
		assert.Equal(t, "OK", valueOf(t, c.XGroupSetID(ctx, a, "g2", "0")))
		assert.Equal(t, "OK", valueOf(t, c.XGroupSetIDWith(ctx, a, "g2", "1-0", client.XGroupSetIDOptions{EntriesRead: 1})))
		groups = valueOf(t, c.XInfoGroups(ctx, a))
		assert.Equal(t, "1-0", groups[1].LastDeliveredID)
		assert.False(t, groups[1].LagValid, "3-0 was deleted after it: Redis cannot tell the lag")
		assert.Equal(t, int64(1), valueOf(t, c.XGroupDelConsumer(ctx, a, "g", "erin")))
		assert.Equal(t, int64(0), valueOf(t, c.XGroupDelConsumer(ctx, a, "g", "nobody")))
		assert.True(t, valueOf(t, c.XGroupDestroy(ctx, a, "g2")))
		assert.False(t, valueOf(t, c.XGroupDestroy(ctx, a, "g2")))
		assert.Len(t, valueOf(t, c.XInfoGroups(ctx, a)), 1)
	})
}

// streamWaitBlocked waits until the server counts n blocked clients.
func streamWaitBlocked(t *testing.T, c *client.Client, n int) {
	t.Helper()
	want := "blocked_clients:" + strconv.Itoa(n)
	require.Eventually(t, func() bool {
		v, err := c.Do(context.Background(), "INFO", "clients").Result()
		if err != nil {
			return false
		}
		s, _ := v.AsString()
		for _, line := range strings.Split(s, "\n") {
			if strings.TrimRight(line, "\r") == want {
				return true
			}
		}
		return false
	}, 5*time.Second, 5*time.Millisecond)
}

// TestStreamCancelledReadGroupConsumesNothing checks that an XREADGROUP
// BLOCK whose context ends closes its connection: an entry added
// afterwards is not delivered to the gone caller (it stays undelivered,
// free for the next reader).
func TestStreamCancelledReadGroupConsumesNothing(t *testing.T) {
	srv := redistest.Start(t)
	eachProtocol(t, client.Options{Addr: srv.Addr()}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		s := key("s")
		valueOf(t, c.XGroupCreateWith(ctx, s, "g", "$", client.XGroupCreateOptions{MkStream: true}))
		for i := range 20 {
			rctx, cancel := context.WithCancel(ctx)
			f := c.XReadGroupWith(rctx, "g", "gone", []string{s}, []string{">"}, client.XReadGroupOptions{Block: client.XBlockForever})
			streamWaitBlocked(t, c, 1)
			cancel()
			_, err := f.Result()
			// The closed connection may fail the command before the
			// future sees the cancelled context (see the report on
			// Future.Await): either error is an end, and nothing was read.
			require.ErrorIs(t, err, context.Canceled)
			streamWaitBlocked(t, c, 0)
			id := valueOf(t, c.XAdd(ctx, s, "i", i))
			assert.Equal(t, client.XPending{}, valueOf(t, c.XPending(ctx, s, "g")), "round %d", i)
			got := valueOf(t, c.XReadGroupWith(ctx, "g", "next", []string{s}, []string{">"}, client.XReadGroupOptions{Block: time.Second}))
			require.Equal(t, []client.XStream{{Stream: s, Messages: []client.XMessage{{ID: id, Values: []string{"i", strconv.Itoa(i)}}}}}, got, "round %d", i)
			valueOf(t, c.XAck(ctx, s, "g", id))
		}
		// NOACK: delivered but never pending.
		valueOf(t, c.XAdd(ctx, s, "x", "y"))
		got := valueOf(t, c.XReadGroupWith(ctx, "g", "next", []string{s}, []string{">"}, client.XReadGroupOptions{NoAck: true}))
		require.Len(t, got, 1)
		assert.Equal(t, int64(0), valueOf(t, c.XPending(ctx, s, "g")).Count)
	})
}

func TestStreamInvalidArguments(t *testing.T) {
	c := openClient(t, client.Options{})
	ctx := context.Background()
	for name, err := range map[string]error{
		"XAdd odd":         c.XAdd(ctx, "k", "f").Err(),
		"XReadWith sub-ms": c.XReadWith(ctx, []string{"k"}, []string{"0"}, client.XReadOptions{Block: time.Microsecond}).Err(),
		"XTrim limit":      c.XTrim(ctx, "k", client.XMaxLen(1).Limit(0)).Err(),
	} {
		assert.True(t, errors.Is(err, client.ErrInvalidArg), "%s: %v", name, err)
	}
}

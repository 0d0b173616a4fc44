//go:build integration

package integration

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
	"github.com/actoredis/actoredis/resp"
)

// Tests of the commands of Redis 8.0 to 8.4 and of Valkey 8.0 to 9.1
// (TestLaterCommands...). Each runs on every server of the matrix: where
// the server has the command (asked of COMMAND INFO and COMMAND DOCS, never
// guessed from a version) it checks what the command does; where it does
// not, it checks the server's own refusal, so the method is shown to send
// what that server rejects, not to be skipped.

// commander is what the checks below need of Client and ClusterClient.
type commander interface {
	Do(ctx context.Context, args ...any) *client.Future[resp.Value]
}

// serverHas reports whether the server knows the command ("hgetdel",
// "client|capa"), from COMMAND INFO.
func serverHas(t testing.TB, c commander, name string) bool {
	t.Helper()
	v := valueOf(t, c.Do(context.Background(), "COMMAND", "INFO", name))
	require.Len(t, v.Elems, 1)
	return !v.Elems[0].IsNull()
}

// serverHasToken reports whether the server's COMMAND DOCS of the command
// name an argument token ("IFEQ" of "set").
func serverHasToken(t testing.TB, c commander, name, token string) bool {
	t.Helper()
	return hasString(valueOf(t, c.Do(context.Background(), "COMMAND", "DOCS", name)), token)
}

func hasString(v resp.Value, s string) bool {
	if (v.Kind == resp.KindBulkString || v.Kind == resp.KindSimpleString) && v.Str == s {
		return true
	}
	for _, e := range v.Elems {
		if hasString(e, s) {
			return true
		}
	}
	return false
}

// requireServerError asserts a server error reply whose message contains
// one of the texts.
func requireServerError(t testing.TB, err error, texts ...string) {
	t.Helper()
	var se *client.Error
	require.ErrorAs(t, err, &se)
	for _, text := range texts {
		if strings.Contains(strings.ToLower(err.Error()), strings.ToLower(text)) {
			return
		}
	}
	t.Fatalf("error %q says none of %q", err, texts)
}

// requireUnknown asserts the server's refusal of a command it does not
// have: "unknown command" for a command, "unknown subcommand" for a
// subcommand of a container it has.
func requireUnknown(t testing.TB, err error) {
	t.Helper()
	requireServerError(t, err, "unknown command", "unknown subcommand")
}

func TestLaterCommandsHashGetSetEx(t *testing.T) {
	ctx := context.Background()
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		h := key("session")
		hasSetEx, hasGetDel := serverHas(t, c, "hsetex"), serverHas(t, c, "hgetdel")
		t.Logf("%s %s: HSETEX/HGETEX %v, HGETDEL %v", c.HelloInfo().Name, c.HelloInfo().Version, hasSetEx, hasGetDel)
		if !hasSetEx {
			requireUnknown(t, c.HSetEx(ctx, h, time.Minute, "token", "abc").Err())
			requireUnknown(t, c.HGetEx(ctx, h, time.Minute, "token").Err())
			requireUnknown(t, c.HGetExWith(ctx, h, client.HGetExOptions{Expiration: client.Persistent()}, "token").Err())
			requireUnknown(t, c.HSetExWith(ctx, h, client.HSetExOptions{FieldCondition: client.FieldsIfNoneExist}, "f", 1).Err())
		} else {
			assert.Equal(t, int64(1), valueOf(t, c.HSetEx(ctx, h, time.Minute, "token", "abc", "user", 7)))
			ttls := mustInt64s(t, valueOf(t, c.Do(ctx, "HTTL", h, "FIELDS", 2, "token", "user")))
			for _, ttl := range ttls {
				assert.True(t, ttl > 0 && ttl <= 60, "HSETEX EX 60 gave the fields a TTL: %v", ttls)
			}
			got := valueOf(t, c.HGetEx(ctx, h, 2*time.Minute, "token", "missing"))
			require.Len(t, got, 2)
			require.NotNil(t, got[0])
			assert.Equal(t, "abc", *got[0])
			assert.Nil(t, got[1], "a missing field is nil")
			ttl := mustInt64s(t, valueOf(t, c.Do(ctx, "HTTL", h, "FIELDS", 1, "token")))[0]
			assert.True(t, ttl > 60 && ttl <= 120, "HGETEX EX 120 extended the TTL: %d", ttl)
			valueOf(t, c.HGetExWith(ctx, h, client.HGetExOptions{Expiration: client.Persistent()}, "token"))
			assert.Equal(t, []int64{-1}, mustInt64s(t, valueOf(t, c.Do(ctx, "HTTL", h, "FIELDS", 1, "token"))),
				"PERSIST removed the TTL")

			assert.Equal(t, int64(0), valueOf(t, c.HSetExWith(ctx, h,
				client.HSetExOptions{FieldCondition: client.FieldsIfNoneExist}, "token", "x")), "FNX: the field exists")
			assert.Equal(t, int64(1), valueOf(t, c.HSetExWith(ctx, h,
				client.HSetExOptions{FieldCondition: client.FieldsIfAllExist, Expiration: client.ExpiresIn(1500 * time.Millisecond)},
				"token", "def")), "FXX: the field exists")
			pttl := mustInt64s(t, valueOf(t, c.Do(ctx, "HPTTL", h, "FIELDS", 1, "token")))[0]
			assert.True(t, pttl > 0 && pttl <= 1500, "PX 1500: %d", pttl)
			assert.Equal(t, int64(1), valueOf(t, c.HSetExWith(ctx, h,
				client.HSetExOptions{Expiration: client.KeepTTL()}, "token", "ghi")))
			pttl = mustInt64s(t, valueOf(t, c.Do(ctx, "HPTTL", h, "FIELDS", 1, "token")))[0]
			assert.True(t, pttl > 0 && pttl <= 1500, "KEEPTTL kept it: %d", pttl)

			nx := client.HSetExOptions{KeyCondition: client.SetIfNotExists}
			if serverHasToken(t, c, "hsetex", "NX") {
				assert.Equal(t, int64(0), valueOf(t, c.HSetExWith(ctx, h, nx, "other", 1)), "NX: the hash exists")
				assert.Equal(t, int64(1), valueOf(t, c.HSetExWith(ctx, key("fresh"), nx, "f", 1)), "NX: a new hash")
				assert.Equal(t, int64(0), valueOf(t, c.HSetExWith(ctx, key("absent"),
					client.HSetExOptions{KeyCondition: client.SetIfExists}, "f", 1)), "XX: no hash")
			} else {
				requireServerError(t, c.HSetExWith(ctx, h, nx, "other", 1).Err(), "syntax", "FIELDS")
			}
		}

		g := key("getdel")
		if !hasGetDel {
			requireUnknown(t, c.HGetDel(ctx, g, "a").Err())
			return
		}
		valueOf(t, c.HSet(ctx, g, "a", "1", "b", "2"))
		got := valueOf(t, c.HGetDel(ctx, g, "a", "nope"))
		require.Len(t, got, 2)
		require.NotNil(t, got[0])
		assert.Equal(t, "1", *got[0])
		assert.Nil(t, got[1])
		assert.False(t, valueOf(t, c.HExists(ctx, g, "a")), "HGETDEL deleted the field")
		got = valueOf(t, c.HGetDel(ctx, g, "b"))
		require.NotNil(t, got[0])
		assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, g)), "the hash went with its last field")
		assert.Equal(t, []*string{nil}, valueOf(t, c.HGetDel(ctx, g, "b")), "a missing key: nil")
	})
}

func TestLaterCommandsCompareAndSet(t *testing.T) {
	ctx := context.Background()
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		k := key("cas")
		valueOf(t, c.Set(ctx, k, "v1", 0))
		ifEq := client.SetOptions{IfValue: client.IfEqual("v1")}
		if serverHasToken(t, c, "set", "IFEQ") {
			assert.Equal(t, client.SetResult{Written: true}, valueOf(t, c.SetWith(ctx, k, "v2", ifEq)))
			assert.Equal(t, client.SetResult{}, valueOf(t, c.SetWith(ctx, k, "v3", ifEq)), "the value is v2 now")
			assert.Equal(t, "v2", valueOf(t, c.Get(ctx, k)))
			assert.Equal(t, client.SetResult{}, valueOf(t, c.SetWith(ctx, key("none"), "v", ifEq)), "a missing key")
			ttl := client.SetOptions{IfValue: client.IfEqual("v2"), Expiration: client.ExpiresIn(time.Minute)}
			assert.True(t, valueOf(t, c.SetWith(ctx, k, "v4", ttl)).Written)
			assert.Greater(t, valueOf(t, c.TTL(ctx, k)), time.Duration(0), "IFEQ with EX")
		} else {
			requireServerError(t, c.SetWith(ctx, k, "v2", ifEq).Err(), "syntax error")
			assert.Equal(t, "v1", valueOf(t, c.Get(ctx, k)))
		}
		for _, cmp := range []client.Comparison{client.IfNotEqual("x"), client.IfDigestEqual("0123456789abcdef"),
			client.IfDigestNotEqual("0123456789abcdef")} {
			// Redis 8.4's; no server of the matrix has them.
			if !serverHasToken(t, c, "set", cmp.String()) {
				requireServerError(t, c.SetWith(ctx, k, "v", client.SetOptions{IfValue: cmp}).Err(), "syntax error")
			}
		}

		lock := key("lock")
		valueOf(t, c.Set(ctx, lock, "token-1", time.Minute))
		if serverHas(t, c, "delifeq") {
			assert.Equal(t, int64(0), valueOf(t, c.DelIfEq(ctx, lock, "token-2")), "someone else's lock")
			assert.Equal(t, int64(1), valueOf(t, c.DelIfEq(ctx, lock, "token-1")))
			assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, lock)))
			assert.Equal(t, int64(0), valueOf(t, c.DelIfEq(ctx, lock, "token-1")), "a missing key")
			h := key("hash")
			valueOf(t, c.HSet(ctx, h, "f", "v"))
			requireServerError(t, c.DelIfEq(ctx, h, "v").Err(), "WRONGTYPE")
		} else {
			requireUnknown(t, c.DelIfEq(ctx, lock, "token-1").Err())
		}
		if serverHas(t, c, "delex") {
			assert.Equal(t, int64(0), valueOf(t, c.DelEx(ctx, k, client.IfEqual("nope"))))
		} else {
			requireUnknown(t, c.DelEx(ctx, k, client.IfEqual("v1")).Err())
		}
		if serverHas(t, c, "digest") {
			assert.Len(t, valueOf(t, c.Digest(ctx, k)), 16)
		} else {
			requireUnknown(t, c.Digest(ctx, k).Err())
		}
	})
}

func TestLaterCommandsMSetEx(t *testing.T) {
	ctx := context.Background()
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		a, b := key("a"), key("b")
		if !serverHas(t, c, "msetex") {
			requireUnknown(t, c.MSetEx(ctx, time.Minute, a, 1, b, 2).Err())
			assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, a, b)))
			return
		}
		assert.True(t, valueOf(t, c.MSetEx(ctx, time.Minute, a, 1, b, "two")))
		assert.Equal(t, []client.NullString{{Value: "1", Valid: true}, {Value: "two", Valid: true}}, valueOf(t, c.MGet(ctx, a, b)))
		for _, k := range []string{a, b} {
			ttl := valueOf(t, c.TTL(ctx, k))
			assert.True(t, ttl > 0 && ttl <= time.Minute, "%s: %v", k, ttl)
		}
		nx := client.MSetExOptions{Condition: client.SetIfNotExists, Expiration: client.ExpiresIn(time.Second)}
		assert.False(t, valueOf(t, c.MSetExWith(ctx, nx, a, "x", key("c"), "y")), "NX: a exists")
		assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, key("c"))), "all or nothing")
		xx := client.MSetExOptions{Condition: client.SetIfExists, Expiration: client.KeepTTL()}
		assert.True(t, valueOf(t, c.MSetExWith(ctx, xx, a, "3", b, "4")))
		assert.Equal(t, "3", valueOf(t, c.Get(ctx, a)))
		assert.Greater(t, valueOf(t, c.TTL(ctx, a)), time.Duration(0), "KEEPTTL kept the expiry")
		assert.True(t, valueOf(t, c.MSetEx(ctx, 0, a, "5")))
		assert.Equal(t, client.NoExpiry, valueOf(t, c.TTL(ctx, a)), "no expiry: the old one is gone")
	})
}

func TestLaterCommandsCommandLog(t *testing.T) {
	ctx := context.Background()
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		if !serverHas(t, c, "commandlog") {
			requireUnknown(t, c.CommandLogGet(ctx, client.CommandLogSlow, 1).Err())
			requireUnknown(t, c.CommandLogLen(ctx, client.CommandLogLargeRequest).Err())
			requireUnknown(t, c.CommandLogReset(ctx, client.CommandLogLargeReply).Err())
			return
		}
		// A request over commandlog-request-larger-than (1 MiB by
		// default) is logged.
		limit := valueOf(t, c.ConfigGet(ctx, "commandlog-request-larger-than"))["commandlog-request-larger-than"]
		require.NotEmpty(t, limit)
		assert.Equal(t, "OK", valueOf(t, c.CommandLogReset(ctx, client.CommandLogLargeRequest)))
		assert.Equal(t, int64(0), valueOf(t, c.CommandLogLen(ctx, client.CommandLogLargeRequest)))
		big := strings.Repeat("x", 1<<20+1)
		k := key("big")
		valueOf(t, c.Set(ctx, k, big, 0))
		assert.Equal(t, int64(1), valueOf(t, c.CommandLogLen(ctx, client.CommandLogLargeRequest)), "limit %s", limit)
		entries := valueOf(t, c.CommandLogGet(ctx, client.CommandLogLargeRequest, 10))
		require.Len(t, entries, 1)
		e := entries[0]
		assert.Equal(t, []string{"SET", k}, e.Args[:2])
		assert.Greater(t, e.Size, int64(1<<20))
		assert.Zero(t, e.Duration)
		assert.WithinDuration(t, time.Now(), e.Time, time.Minute)
		assert.NotEmpty(t, e.ClientAddr)
		assert.Empty(t, valueOf(t, c.CommandLogGet(ctx, client.CommandLogLargeRequest, 0)))
		// The slow log is SLOWLOG's: its entries carry a duration.
		for _, e := range valueOf(t, c.CommandLogGet(ctx, client.CommandLogSlow, 5)) {
			assert.Zero(t, e.Size)
		}
		assert.Equal(t, "OK", valueOf(t, c.CommandLogReset(ctx, client.CommandLogLargeRequest)))
		assert.Equal(t, int64(0), valueOf(t, c.CommandLogLen(ctx, client.CommandLogLargeRequest)))
	})
}

func TestLaterCommandsClientCapaImportSource(t *testing.T) {
	ctx := context.Background()
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, _ func(string) string) {
		cn := openConn(t, c)
		if serverHas(t, c, "client|capa") {
			assert.Equal(t, "OK", valueOf(t, cn.ClientCapa(ctx, "redirect")))
		} else {
			requireUnknown(t, cn.ClientCapa(ctx, "redirect").Err())
		}
		if serverHas(t, c, "client|import-source") {
			// Without import-mode yes (the default) the server refuses ON
			// and accepts OFF.
			requireServerError(t, cn.ClientImportSource(ctx, true).Err(), "not in import mode")
			assert.Equal(t, "OK", valueOf(t, cn.ClientImportSource(ctx, false)))
		} else {
			requireUnknown(t, cn.ClientImportSource(ctx, false).Err())
		}
		assert.Equal(t, "PONG", valueOf(t, cn.Ping(ctx)), "the connection still serves")
	})
}

func TestLaterCommandsScriptShow(t *testing.T) {
	ctx := context.Background()
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, _ func(string) string) {
		src := "return 'later commands'"
		sha := valueOf(t, c.ScriptLoad(ctx, src))
		if !serverHas(t, c, "script|show") {
			requireUnknown(t, c.ScriptShow(ctx, sha).Err())
			return
		}
		assert.Equal(t, src, valueOf(t, c.ScriptShow(ctx, sha)))
		requireServerError(t, c.ScriptShow(ctx, strings.Repeat("0", 40)).Err(), "NOSCRIPT")
	})
}

// TestLaterCommandsCluster runs the cluster commands against the shared
// cluster of the chosen server.
func TestLaterCommandsCluster(t *testing.T) {
	ctx := context.Background()
	cc := openCluster(t, redistest.SharedCluster(t), client.ClusterOptions{})
	prefix := "later:" + t.Name()
	dropClusterKeys(t, cc, prefix)
	t.Cleanup(func() { dropClusterKeys(t, cc, prefix) })
	keys := spreadKeys(prefix, 12)
	require.Equal(t, 3, ownersOf(t, cc, keys), "the keys cover every primary")
	for _, k := range keys {
		valueOf(t, cc.Set(ctx, k, "v", time.Minute))
	}

	t.Run("MSetEx", func(t *testing.T) {
		err := cc.MSetEx(ctx, time.Minute, keys[0], 1, keys[1], 2).Err()
		require.ErrorIs(t, err, client.ErrCrossSlot, "refused across slots, nothing sent")
		tagged := []any{"{" + prefix + "}a", 1, "{" + prefix + "}b", 2}
		if serverHas(t, cc, "msetex") {
			assert.True(t, valueOf(t, cc.MSetEx(ctx, time.Minute, tagged...)))
			assert.Equal(t, int64(2), valueOf(t, cc.Exists(ctx, "{"+prefix+"}a", "{"+prefix+"}b")))
		} else {
			requireUnknown(t, cc.MSetEx(ctx, time.Minute, tagged...).Err())
		}
	})

	t.Run("SlotStats", func(t *testing.T) {
		if !serverHas(t, cc, "cluster|slot-stats") {
			requireUnknown(t, cc.ClusterSlotStats(ctx, 0, 16383).Err())
			requireUnknown(t, cc.ClusterSlotStatsWith(ctx, client.ClusterSlotStatsOptions{OrderBy: "key-count"}).Err())
			return
		}
		stats := valueOf(t, cc.ClusterSlotStats(ctx, 0, 16383))
		assert.Len(t, stats, 16384, "every primary reported its own slots")
		bySlot := map[int]client.SlotStats{}
		for _, s := range stats {
			bySlot[s.Slot] = s
		}
		for _, k := range keys {
			assert.GreaterOrEqual(t, bySlot[int(client.Slot(k))].KeyCount, int64(1), "%s is counted", k)
		}
		top := valueOf(t, cc.ClusterSlotStatsWith(ctx, client.ClusterSlotStatsOptions{OrderBy: "key-count", Limit: 1}))
		assert.Len(t, top, 3, "each primary's top slot")
		for _, s := range top {
			assert.GreaterOrEqual(t, s.KeyCount, int64(1))
		}
	})

	t.Run("ClusterScan", func(t *testing.T) {
		opts := client.ClusterScanOptions{Match: prefix + ":*", Count: 1000}
		if !serverHas(t, cc, "clusterscan") {
			requireUnknown(t, cc.ClusterScan(ctx, "0", opts).Err())
			return
		}
		var seen []string
		for k, err := range cc.ClusterScanIter(ctx, opts) {
			require.NoError(t, err)
			seen = append(seen, k)
		}
		assert.ElementsMatch(t, keys, seen, "one walk crossed every primary")
		slot := int(client.Slot(keys[0]))
		seen = seen[:0]
		for k, err := range cc.ClusterScanIter(ctx, client.ClusterScanOptions{SingleSlot: true, Slot: slot}) {
			require.NoError(t, err)
			seen = append(seen, k)
		}
		assert.Contains(t, seen, keys[0])
		for _, k := range seen {
			assert.Equal(t, slot, int(client.Slot(k)))
		}
	})

	t.Run("SlotMigrations", func(t *testing.T) {
		unknownNode := strings.Repeat("f", 40)
		migrate := client.SlotMigration{Slots: []client.SlotRange{{Start: 0, End: 0}}, Node: unknownNode}
		if !serverHas(t, cc, "cluster|migrateslots") {
			requireUnknown(t, cc.ClusterMigrateSlots(ctx, migrate).Err())
			requireUnknown(t, cc.ClusterGetSlotMigrations(ctx).Err())
			requireUnknown(t, cc.ClusterCancelSlotMigrations(ctx).Err())
			return
		}
		err := cc.ForEachPrimary(ctx, func(ctx context.Context, c *client.Client) error {
			jobs, err := c.ClusterGetSlotMigrations(ctx).Result()
			if err != nil {
				return err
			}
			for _, j := range jobs {
				assert.NotEmpty(t, j.Name)
				assert.Contains(t, []string{"IMPORT", "EXPORT"}, j.Operation)
			}
			if len(jobs) == 0 {
				requireServerError(t, c.ClusterCancelSlotMigrations(ctx).Err(), "no migrations ongoing")
			}
			// A node the cluster does not know is refused.
			var se *client.Error
			if err := c.ClusterMigrateSlots(ctx, migrate).Err(); !errors.As(err, &se) {
				t.Errorf("MIGRATESLOTS to an unknown node: %v", err)
			}
			return nil
		})
		require.NoError(t, err)
	})
}

// TestLaterCommandsClusterSlotMigration migrates one slot between the
// two primaries of a private cluster with CLUSTER MIGRATESLOTS and follows
// it with CLUSTER GETSLOTMIGRATIONS to the end; a server without atomic
// slot migration refuses the command (checked on the shared cluster).
func TestLaterCommandsClusterSlotMigration(t *testing.T) {
	ctx := context.Background()
	shared := openCluster(t, redistest.SharedCluster(t), client.ClusterOptions{})
	if !serverHas(t, shared, "cluster|migrateslots") {
		requireUnknown(t, shared.ClusterMigrateSlots(ctx, client.SlotMigration{
			Slots: []client.SlotRange{{Start: 0, End: 0}}, Node: strings.Repeat("f", 40)}).Err())
		return
	}
	rc := redistest.StartCluster(t, 2, 0)
	cc := openCluster(t, rc, client.ClusterOptions{})
	key := "{later-migration}k"
	slot := int(client.Slot(key))
	valueOf(t, cc.Set(ctx, key, "moved along", 0))
	src, err := cc.MasterFor(ctx, key)
	require.NoError(t, err)
	var dst string
	for _, a := range rc.Addrs() {
		if a != src {
			dst = a
		}
	}
	dstID, err := rc.Node(dst).ID()
	require.NoError(t, err)
	source := nodeClientOf(t, cc, src)

	assert.Equal(t, "OK", valueOf(t, source.ClusterMigrateSlots(ctx, client.SlotMigration{
		Slots: []client.SlotRange{{Start: slot, End: slot}}, Node: dstID})))
	var job client.SlotMigrationJob
	require.Eventually(t, func() bool {
		jobs := valueOf(t, source.ClusterGetSlotMigrations(ctx))
		for _, j := range jobs {
			if j.TargetNode == dstID && j.State == "success" {
				job = j
				return true
			}
			require.NotContains(t, []string{"failed", "cancelled"}, j.State, "%+v", j)
		}
		return false
	}, 30*time.Second, 20*time.Millisecond, "the migration finished")
	assert.Equal(t, "EXPORT", job.Operation)
	assert.Equal(t, []client.SlotRange{{Start: slot, End: slot}}, job.Slots)
	assert.Len(t, job.Name, 40)
	assert.False(t, job.Created.IsZero())

	// The slot and its key are on the target now; the client follows.
	assert.Equal(t, "moved along", valueOf(t, cc.Get(ctx, key)))
	cc.Refresh()
	require.Eventually(t, func() bool { a, err := cc.MasterFor(ctx, key); return err == nil && a == dst },
		10*time.Second, 10*time.Millisecond, "the topology shows the new owner")
	requireServerError(t, source.ClusterCancelSlotMigrations(ctx).Err(), "no migrations ongoing")
}

// nodeClientOf returns the Client of the primary at addr.
func nodeClientOf(t *testing.T, cc *client.ClusterClient, addr string) *client.Client {
	t.Helper()
	var found *client.Client
	require.NoError(t, cc.ForEachPrimary(context.Background(), func(_ context.Context, c *client.Client) error {
		if c.Options().Addr == addr {
			found = c
		}
		return nil
	}))
	require.NotNil(t, found, "no primary at %s", addr)
	return found
}

package client

import (
	"context"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
	"github.com/actoredis/actoredis/resp/resptest"
)

func TestValkeyCommandsEncoding(t *testing.T) {
	ctx := context.Background()
	node := "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		name  string
		call  func(c cmds, cn *Conn) error
		want  string
		flags messages.Flags
	}{
		{"CommandLogGet slow", func(c cmds, _ *Conn) error { return c.CommandLogGet(ctx, CommandLogSlow, 5).Err() },
			"COMMANDLOG GET 5 slow", ro},
		{"CommandLogGet large-request", func(c cmds, _ *Conn) error {
			return c.CommandLogGet(ctx, CommandLogLargeRequest, 0).Err()
		}, "COMMANDLOG GET 0 large-request", ro},
		{"CommandLogLen", func(c cmds, _ *Conn) error { return c.CommandLogLen(ctx, CommandLogLargeReply).Err() },
			"COMMANDLOG LEN large-reply", ro},
		{"CommandLogReset", func(c cmds, _ *Conn) error { return c.CommandLogReset(ctx, CommandLogSlow).Err() },
			"COMMANDLOG RESET slow", idem},
		{"ClientCapa", func(_ cmds, cn *Conn) error { return cn.ClientCapa(ctx, "redirect").Err() },
			"CLIENT CAPA redirect", messages.Stateful},
		{"ClientImportSource", func(_ cmds, cn *Conn) error { return cn.ClientImportSource(ctx, true).Err() },
			"CLIENT IMPORT-SOURCE ON", messages.Stateful},
		{"ScriptShow", func(c cmds, _ *Conn) error { return c.ScriptShow(ctx, "abc").Err() }, "SCRIPT SHOW abc", ro},
		{"ClusterSlotStats", func(c cmds, _ *Conn) error { return c.ClusterSlotStats(ctx, 0, 100).Err() },
			"CLUSTER SLOT-STATS SLOTSRANGE 0 100", ro},
		{"ClusterSlotStatsWith", func(c cmds, _ *Conn) error {
			return c.ClusterSlotStatsWith(ctx, ClusterSlotStatsOptions{OrderBy: "key-count", Limit: 10, Order: SortAsc}).Err()
		}, "CLUSTER SLOT-STATS ORDERBY key-count LIMIT 10 ASC", ro},
		{"ClusterSlotStatsWith default order", func(c cmds, _ *Conn) error {
			return c.ClusterSlotStatsWith(ctx, ClusterSlotStatsOptions{OrderBy: "cpu-usec"}).Err()
		}, "CLUSTER SLOT-STATS ORDERBY cpu-usec", ro},
		{"ClusterScan", func(c cmds, _ *Conn) error { return c.ClusterScan(ctx, "0", ClusterScanOptions{}).Err() },
			"CLUSTERSCAN 0", ro},
		{"ClusterScan options", func(c cmds, _ *Conn) error {
			return c.ClusterScan(ctx, "0-{06S}-0", ClusterScanOptions{Match: "user:*", Count: 100, Type: "hash",
				SingleSlot: true, Slot: 0}).Err()
		}, "CLUSTERSCAN 0-{06S}-0 MATCH user:* COUNT 100 TYPE hash SLOT 0", ro},
		{"ClusterMigrateSlots", func(c cmds, _ *Conn) error {
			return c.ClusterMigrateSlots(ctx, SlotMigration{Slots: []SlotRange{{0, 10}, {20, 20}}, Node: node},
				SlotMigration{Slots: []SlotRange{{100, 200}}, Node: "b"}).Err()
		}, "CLUSTER MIGRATESLOTS SLOTSRANGE 0 10 20 20 NODE " + node + " SLOTSRANGE 100 200 NODE b", 0},
		{"ClusterGetSlotMigrations", func(c cmds, _ *Conn) error { return c.ClusterGetSlotMigrations(ctx).Err() },
			"CLUSTER GETSLOTMIGRATIONS", ro},
		{"ClusterCancelSlotMigrations", func(c cmds, _ *Conn) error { return c.ClusterCancelSlotMigrations(ctx).Err() },
			"CLUSTER CANCELSLOTMIGRATIONS", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := replying(t, "+OK")
			_ = tt.call(c, &Conn{cmds: c})
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
		})
	}
}

func TestValkeyCommandsInvalidArguments(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c cmds, cn *Conn) error
	}{
		{"CommandLogGet negative", func(c cmds, _ *Conn) error { return c.CommandLogGet(ctx, CommandLogSlow, -1).Err() }},
		{"CommandLogLen unknown type", func(c cmds, _ *Conn) error { return c.CommandLogLen(ctx, CommandLogType(9)).Err() }},
		{"ClientCapa none", func(_ cmds, cn *Conn) error { return cn.ClientCapa(ctx).Err() }},
		{"ClusterSlotStats reversed", func(c cmds, _ *Conn) error { return c.ClusterSlotStats(ctx, 10, 5).Err() }},
		{"ClusterSlotStats past the last slot", func(c cmds, _ *Conn) error { return c.ClusterSlotStats(ctx, 0, 16384).Err() }},
		{"ClusterSlotStatsWith no metric", func(c cmds, _ *Conn) error {
			return c.ClusterSlotStatsWith(ctx, ClusterSlotStatsOptions{}).Err()
		}},
		{"ClusterSlotStatsWith negative limit", func(c cmds, _ *Conn) error {
			return c.ClusterSlotStatsWith(ctx, ClusterSlotStatsOptions{OrderBy: "key-count", Limit: -1}).Err()
		}},
		{"ClusterScan empty cursor", func(c cmds, _ *Conn) error { return c.ClusterScan(ctx, "", ClusterScanOptions{}).Err() }},
		{"ClusterScan bad slot", func(c cmds, _ *Conn) error {
			return c.ClusterScan(ctx, "0", ClusterScanOptions{SingleSlot: true, Slot: 16384}).Err()
		}},
		{"ClusterMigrateSlots none", func(c cmds, _ *Conn) error { return c.ClusterMigrateSlots(ctx).Err() }},
		{"ClusterMigrateSlots no node", func(c cmds, _ *Conn) error {
			return c.ClusterMigrateSlots(ctx, SlotMigration{Slots: []SlotRange{{0, 1}}}).Err()
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

// The replies below follow the reply schemas of Valkey's
// src/commands/*.json; each is read under RESP2 and RESP3.
func TestValkeyCommandsReplies(t *testing.T) {
	ctx := context.Background()
	entry := "*6\n:7\n:1700000000\n:%d\n*2\n$3\nGET\n$1\nk\n$15\n127.0.0.1:50000\n$6\nworker\n"
	log := "*1\n" + entry
	_, c := replying(t, fillInt(log, 1500))
	got, err := c.CommandLogGet(ctx, CommandLogSlow, 1).Result()
	require.NoError(t, err)
	assert.Equal(t, []CommandLogEntry{{ID: 7, Time: time.Unix(1700000000, 0), Duration: 1500 * time.Microsecond,
		Args: []string{"GET", "k"}, ClientAddr: "127.0.0.1:50000", ClientName: "worker"}}, got)
	_, c = replying(t, fillInt(log, 4096))
	got, err = c.CommandLogGet(ctx, CommandLogLargeReply, 1).Result()
	require.NoError(t, err)
	assert.Equal(t, int64(4096), got[0].Size)
	assert.Zero(t, got[0].Duration)
	_, c = replying(t, "*0")
	got, err = c.CommandLogGet(ctx, CommandLogSlow, 10).Result()
	require.NoError(t, err)
	assert.Empty(t, got)

	// CLUSTER SLOT-STATS: [slot, map] pairs; the map a flat array under
	// RESP2.
	resp2 := "*2\n*2\n:100\n*4\n$9\nkey-count\n:3\n$8\ncpu-usec\n:250\n*2\n:101\n*2\n$9\nkey-count\n:0\n"
	resp3 := "*2\n*2\n:100\n%2\n$9\nkey-count\n:3\n$8\ncpu-usec\n:250\n*2\n:101\n%1\n$9\nkey-count\n:0\n"
	wantStats := []SlotStats{
		{Slot: 100, KeyCount: 3, CPU: 250 * time.Microsecond, Metrics: map[string]int64{"key-count": 3, "cpu-usec": 250}},
		{Slot: 101, Metrics: map[string]int64{"key-count": 0}},
	}
	for _, wire := range []string{resp2, resp3} {
		_, c := replying(t, wire)
		stats, err := c.ClusterSlotStats(ctx, 100, 101).Result()
		require.NoError(t, err)
		assert.Equal(t, wantStats, stats)
	}
	_, err = convert(t, toSlotStats, "*1\n*1\n:100\n")
	assert.ErrorIs(t, err, ErrUnexpectedType)

	_, c = replying(t, "*2\n$9\n0-{06S}-7\n*2\n$1\na\n$1\nb\n")
	page, err := c.ClusterScan(ctx, "0", ClusterScanOptions{}).Result()
	require.NoError(t, err)
	assert.Equal(t, ClusterScanPage{Cursor: "0-{06S}-7", Keys: []string{"a", "b"}}, page)
	_, err = convert(t, toClusterScanPage, "*1\n$1\n0\n")
	assert.ErrorIs(t, err, ErrUnexpectedType)

	job := func(open string) string {
		return open + "$9\nlink_name\n$2\nab\n$9\noperation\n$6\nEXPORT\n$11\nslot_ranges\n$11\n0-100 200-3\n" +
			"$11\ntarget_node\n$1\nt\n$11\nsource_node\n$1\ns\n$11\ncreate_time\n:1700000000\n" +
			"$16\nlast_update_time\n:1700000001\n$13\nlast_ack_time\n:1700000002\n$5\nstate\n$7\nsuccess\n" +
			"$7\nmessage\n$0\n\n$8\ncow_size\n:4096\n"
	}
	// What Valkey 9 sends: "name" for the schema's "link_name", and
	// remaining_repl_size beside cow_size.
	served := "*1\n%3\n$4\nname\n$2\ncd\n$9\noperation\n$6\nIMPORT\n$19\nremaining_repl_size\n:12\n"
	wantJob := SlotMigrationJob{Name: "ab", Operation: "EXPORT", Slots: []SlotRange{{0, 100}, {200, 3}},
		SourceNode: "s", TargetNode: "t", Created: time.Unix(1700000000, 0), LastUpdate: time.Unix(1700000001, 0),
		LastAck: time.Unix(1700000002, 0), State: "success", CopyOnWriteSize: 4096}
	for _, wire := range []string{"*1\n" + job("*22\n"), "*1\n" + job("%11\n")} {
		_, c := replying(t, wire)
		jobs, err := c.ClusterGetSlotMigrations(ctx).Result()
		require.NoError(t, err)
		assert.Equal(t, []SlotMigrationJob{wantJob}, jobs)
	}
	served2 := "*1\n*6\n$4\nname\n$2\ncd\n$9\noperation\n$6\nIMPORT\n$19\nremaining_repl_size\n:12\n"
	for _, wire := range []string{served, served2} {
		_, c := replying(t, wire)
		jobs, err := c.ClusterGetSlotMigrations(ctx).Result()
		require.NoError(t, err)
		assert.Equal(t, []SlotMigrationJob{{Name: "cd", Operation: "IMPORT", RemainingReplicationSize: 12}}, jobs)
	}
	_, err = convert(t, toSlotMigrationJobs, "*1\n%1\n$11\nslot_ranges\n$3\na-b\n")
	assert.ErrorIs(t, err, ErrUnexpectedType)

	_, c = replying(t, "$8\nreturn 1")
	src, err := c.ScriptShow(ctx, "e0e1f9fabfc9d4800c877a703b823ac0578ff8db").Result()
	require.NoError(t, err)
	assert.Equal(t, "return 1", src)
	_, c = replying(t, "-NOSCRIPT No matching script.")
	_, err = c.ScriptShow(ctx, "x").Result()
	var se *Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "NOSCRIPT", se.Prefix())
}

// fillInt formats the one %d of a wire reply.
func fillInt(wire string, n int64) string {
	i := 0
	for ; i+1 < len(wire) && wire[i:i+2] != "%d"; i++ {
	}
	return wire[:i] + strconv.FormatInt(n, 10) + wire[i+2:]
}

func TestCommandLogTypeString(t *testing.T) {
	assert.Equal(t, "slow", CommandLogSlow.String())
	assert.Equal(t, "large-request", CommandLogLargeRequest.String())
	assert.Equal(t, "large-reply", CommandLogLargeReply.String())
	assert.Equal(t, "CommandLogType(5)", CommandLogType(5).String())
}

// TestClusterScanIterWalksStringCursors: the walk starts at "0", sends
// each cursor the server returns, routed by the slot the cursor names,
// and ends when the cursor is "0" again.
func TestClusterScanIterWalksStringCursors(t *testing.T) {
	pages := map[string]string{
		"0":          "*2\n$9\n0-{06S}-0\n*0\n",
		"0-{06S}-0":  "*2\n$10\nab-{Qi}-12\n*2\n$1\na\n$1\nb\n",
		"ab-{Qi}-12": "*2\n$1\n0\n*1\n$1\nc\n",
	}
	s, c := newScript(t, func(args []string) resp.Value { return decodeWire(t, pages[args[1]]) })
	var keys []string
	for k, err := range c.ClusterScanIter(context.Background(), ClusterScanOptions{Count: 2}) {
		require.NoError(t, err)
		keys = append(keys, k)
	}
	assert.Equal(t, []string{"a", "b", "c"}, keys)
	require.Len(t, s.sent, 3)
	assert.Equal(t, int(Slot("06S")), s.sent[1].slot)
	assert.Equal(t, int(Slot("Qi")), s.sent[2].slot)
	assert.Equal(t, []string{"CLUSTERSCAN", "ab-{Qi}-12", "COUNT", "2"}, s.sent[2].args)
}

// TestClusterScanFollowsMovedForItsCursor: a node that no longer owns the
// slot the cursor names answers MOVED, and the client resends the same
// cursor to the new owner.
func TestClusterScanFollowsMovedForItsCursor(t *testing.T) {
	var owner atomic.Pointer[string]
	a, b := fakeNode(t, &owner), fakeNode(t, &owner)
	owner.Store(ptr(a.Addr()))
	cursor := "0-{06S}-5"
	a.Handle("CLUSTERSCAN", func(c *resptest.Conn, _ []string) {
		_ = c.WriteError("MOVED " + strconv.Itoa(int(Slot(cursor))) + " " + b.Addr())
	})
	var got atomic.Pointer[[]string]
	b.Handle("CLUSTERSCAN", func(c *resptest.Conn, args []string) {
		got.Store(&args)
		_ = c.WriteValue(decodeWire(t, "*2\n$1\n0\n*1\n$1\nk\n"))
	})
	cc := newTestCluster(t, a.Addr(), ClusterOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := cc.MasterFor(ctx, "x")
	require.NoError(t, err)
	owner.Store(ptr(b.Addr()))
	page, err := cc.ClusterScan(ctx, cursor, ClusterScanOptions{}).Result()
	require.NoError(t, err)
	assert.Equal(t, ClusterScanPage{Cursor: "0", Keys: []string{"k"}}, page)
	assert.True(t, slices.Contains(*got.Load(), cursor), "the same cursor went to the new owner: %v", *got.Load())
}

// TestClusterMSetExRefusedAcrossSlots: MSETEX means all or nothing, so a
// ClusterClient refuses keys in different slots without sending anything
// (as MSETNX), and sends keys of one slot to its owner.
func TestClusterMSetExRefusedAcrossSlots(t *testing.T) {
	var owner atomic.Pointer[string]
	a := fakeNode(t, &owner)
	owner.Store(ptr(a.Addr()))
	a.Handle("MSETEX", func(c *resptest.Conn, _ []string) { _ = c.WriteValue(decodeWire(t, ":1")) })
	cc := newTestCluster(t, a.Addr(), ClusterOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := cc.MSetEx(ctx, time.Second, "a", 1, "b", 2).Err()
	require.ErrorIs(t, err, ErrCrossSlot)
	set, err := cc.MSetEx(ctx, time.Second, "{t}a", 1, "{t}b", 2).Result()
	require.NoError(t, err)
	assert.True(t, set)
	assert.Equal(t, 1, a.CommandCount("MSETEX"))
	// In a pipeline too, each MSETEX on its own.
	p := cc.Pipeline()
	cross := p.MSetExWith(ctx, MSetExOptions{Condition: SetIfNotExists}, "a", 1, "b", 2)
	same := p.MSetEx(ctx, time.Second, "{t}c", 1)
	_ = p.Exec(ctx)
	require.ErrorIs(t, cross.Err(), ErrCrossSlot)
	require.NoError(t, same.Err())
	assert.Equal(t, 2, a.CommandCount("MSETEX"))
}

func TestSpecialKindOfLaterCommands(t *testing.T) {
	require.Equal(t, refuseCrossCounted, specialKind("MSETEX"))
	require.Equal(t, refuseCrossCounted, specialKind("msetex"))
	require.Equal(t, broadcastCat, specialKind("CLUSTER SLOT-STATS"))
	require.Equal(t, plainCmd, specialKind("CLUSTERSCAN"), "routed by its cursor, as a key")
}

package client_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/resp"
	"github.com/actoredis/actoredis/resp/resptest"
)

// The commands of Redis 8.4 to 8.10 through a whole Client against the
// scripted fake server, under both protocols, each answered with a reply
// built from its documented reply schema (no Redis 8 server runs here).
// The fake server writes RESP3 values and turns them into RESP2 (maps into
// flat arrays, doubles into bulk strings) for a RESP2 connection, as the
// server does.

func intReply(n int64) resp.Value { return resp.Value{Kind: resp.KindInteger, Int: n} }

func arrayReply(vs ...resp.Value) resp.Value { return resp.Value{Kind: resp.KindArray, Elems: vs} }

func mapReply(vs ...resp.Value) resp.Value { return resp.Value{Kind: resp.KindMap, Elems: vs} }

var statusOK = resp.Value{Kind: resp.KindSimpleString, Str: "OK"}

// onFake810 runs test with a fake Redis 8.10 and a Client of it,
// under RESP2 and RESP3.
func onFake810(t *testing.T, test func(t *testing.T, srv *resptest.Server, c *client.Client, proto int)) {
	for _, proto := range []int{2, 3} {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			srv := resptest.New(t, resptest.Options{Version: "8.10.0"})
			test(t, srv, fakeClient(t, srv, client.Options{Protocol: proto}), proto)
		})
	}
}

// streamsReply is the reply of XREAD and XREADGROUP: a map of stream to
// entries in RESP3, an array of [stream, entries] pairs in RESP2.
func streamsReply(proto int, stream string, entries resp.Value) resp.Value {
	if proto == 3 {
		return mapReply(bulk(stream), entries)
	}
	return arrayReply(arrayReply(bulk(stream), entries))
}

func TestLater810CountersAndListsOverTheWire(t *testing.T) {
	ctx := context.Background()
	onFake810(t, func(t *testing.T, srv *resptest.Server, c *client.Client, _ int) {
		srv.Expect("SUNIONCARD", "2", "a", "b").Reply(intReply(7))
		srv.Expect("SDIFFCARD", "2", "a", "b", "LIMIT", "3").Reply(intReply(3))
		srv.Expect("INCREX", "hits", "BYINT", "1", "UBOUND", "10", "EX", "60", "ENX").Reply(arrayReply(intReply(10), intReply(0)))
		srv.Expect("INCREX", "t", "BYFLOAT", "0.25").Reply(arrayReply(resp.Double(1.75, "1.75"), resp.Double(0.25, "0.25")))
		srv.Expect("LMOVEM", "s", "d", "LEFT", "RIGHT", "COUNT", "3", "BULK").Reply(arrayReply(bulk("a"), bulk("b")))
		srv.Expect("LMOVEM", "s", "d", "LEFT", "RIGHT").Reply(resp.Value{Kind: resp.KindNull})
		srv.Expect("BLMOVEM", "s", "d", "RIGHT", "LEFT", "1", "EXACTLY", "2", "OBO").Reply(arrayReply(bulk("y"), bulk("x")))
		srv.Expect("BLMOVEM", "s", "d", "RIGHT", "LEFT", "1").Reply(resp.Value{Kind: resp.KindNull})

		assert.Equal(t, int64(7), must810(t, c.SUnionCard(ctx, "a", "b")))
		assert.Equal(t, int64(3), must810(t, c.SDiffCardWith(ctx, []string{"a", "b"}, client.SDiffCardOptions{Limit: 3})))
		assert.Equal(t, client.IncrExResult{Value: 10, Applied: 0}, must810(t, c.IncrEx(ctx, "hits", 1,
			client.IncrExOptions{UpperBound: 10, Expiration: client.ExpiresIn(time.Minute), ExpireIfNoTTL: true})),
			"a skipped increment")
		assert.Equal(t, client.IncrExFloatResult{Value: 1.75, Applied: 0.25}, must810(t, c.IncrExFloat(ctx, "t", 0.25, client.IncrExOptions{})))
		assert.Equal(t, []string{"a", "b"}, must810(t, c.LMoveM(ctx, "s", "d", client.ListLeft, client.ListRight,
			client.LMoveMOptions{Count: 3, Bulk: true})))
		_, err := c.LMoveM(ctx, "s", "d", client.ListLeft, client.ListRight, client.LMoveMOptions{}).Result()
		require.ErrorIs(t, err, client.ErrNil, "nothing to move")
		assert.Equal(t, []string{"y", "x"}, must810(t, c.BLMoveM(ctx, "s", "d", client.ListRight, client.ListLeft, time.Second,
			client.LMoveMOptions{Exactly: 2})))
		_, err = c.BLMoveM(ctx, "s", "d", client.ListRight, client.ListLeft, time.Second, client.LMoveMOptions{}).Result()
		require.ErrorIs(t, err, client.ErrNil, "a timeout")
	})
}

func TestLater810StreamsOverTheWire(t *testing.T) {
	ctx := context.Background()
	onFake810(t, func(t *testing.T, srv *resptest.Server, c *client.Client, proto int) {
		srv.Expect("XNACK", "s", "g", "SILENT", "IDS", "2", "1-0", "2-0").Reply(intReply(1))
		srv.Expect("XCFGSET", "s", "IDMP-DURATION", "60").Reply(statusOK)
		srv.Expect("XADD", "s", "IDMP", "p1", "order-7", "*", "f", "v").Reply(bulk("7-0")).Times(2)
		entry := func(id string, extra ...resp.Value) resp.Value {
			return arrayReply(append([]resp.Value{bulk(id), arrayReply(bulk("f"), bulk("v"))}, extra...)...)
		}
		srv.Expect("XREADGROUP", "GROUP", "g", "c", "COUNT", "10", "MAXCOUNT", "2", "CLAIM", "5000", "STREAMS", "s", ">").
			Reply(streamsReply(proto, "s", arrayReply(entry("1-0", intReply(7000), intReply(3)), entry("5-0", intReply(0), intReply(0)))))
		srv.Expect("XREAD", "MAXSIZE", "1024", "STREAMS", "s", "0").Reply(streamsReply(proto, "s", arrayReply(entry("1-0"))))

		assert.Equal(t, int64(1), must810(t, c.XNack(ctx, "s", "g", client.XNackSilent, "1-0", "2-0")))
		assert.Equal(t, "OK", must810(t, c.XCfgSet(ctx, "s", client.XCfgSetOptions{IdempotenceWindow: time.Minute})))
		idmp := client.XAddOptions{Producer: "p1", IdempotentID: "order-7"}
		first := must810(t, c.XAddWith(ctx, "s", idmp, "f", "v"))
		assert.Equal(t, first, must810(t, c.XAddWith(ctx, "s", idmp, "f", "v")), "a resend answers the first entry's ID")
		got := must810(t, c.XReadGroupWith(ctx, "g", "c", []string{"s"}, []string{">"},
			client.XReadGroupOptions{Count: 10, MaxCount: 2, Claim: 5 * time.Second}))
		assert.Equal(t, []client.XStream{{Stream: "s", Messages: []client.XMessage{
			{ID: "1-0", Values: []string{"f", "v"}, Idle: 7 * time.Second, Deliveries: 3},
			{ID: "5-0", Values: []string{"f", "v"}},
		}}}, got, "a claimed entry, then a new one")
		read := must810(t, c.XReadWith(ctx, []string{"s"}, []string{"0"}, client.XReadOptions{MaxSize: 1024}))
		assert.Equal(t, []client.XStream{{Stream: "s", Messages: []client.XMessage{{ID: "1-0", Values: []string{"f", "v"}}}}}, read)
	})
}

func TestLater810AdminOverTheWire(t *testing.T) {
	ctx := context.Background()
	onFake810(t, func(t *testing.T, srv *resptest.Server, c *client.Client, _ int) {
		srv.Expect("CLUSTER", "FLUSHSLOT", "7", "SYNC").Reply(statusOK)
		srv.Expect("CLUSTER", "MIGRATION", "IMPORT", "0", "99").Reply(bulk("24cf41718b20f7f05901743dffc40bc9b15db339"))
		srv.Expect("CLUSTER", "MIGRATION", "CANCEL", "ALL").Reply(intReply(2))
		srv.Expect("CLUSTER", "MIGRATION", "STATUS", "ALL").Reply(arrayReply(mapReply(
			bulk("id"), bulk("24cf41718b20f7f05901743dffc40bc9b15db339"), bulk("slots"), bulk("0-99"),
			bulk("source"), bulk("src-node"), bulk("dest"), bulk("dst-node"), bulk("operation"), bulk("import"),
			bulk("state"), bulk("completed"), bulk("last_error"), bulk(""), bulk("retries"), intReply(1),
			bulk("create_time"), intReply(1769420604522), bulk("start_time"), intReply(1769420604530),
			bulk("end_time"), intReply(1769420604900), bulk("write_pause_ms"), intReply(12))))
		srv.Expect("HOTKEYS", "START", "METRICS", "2", "CPU", "NET", "DURATION", "30").Reply(statusOK)
		srv.Expect("HOTKEYS", "GET").Reply(mapReply(
			bulk("tracking-active"), intReply(1), bulk("sample-ratio"), intReply(1),
			bulk("selected-slots"), arrayReply(arrayReply(intReply(0), intReply(99)), intReply(200)),
			bulk("all-commands-all-slots-us"), intReply(220), bulk("net-bytes-all-commands-all-slots"), intReply(200),
			bulk("collection-start-time-unix-ms"), intReply(1769420604522), bulk("collection-duration-ms"), intReply(6408),
			bulk("total-cpu-time-user-ms"), intReply(3), bulk("total-cpu-time-sys-ms"), intReply(11),
			bulk("total-net-bytes"), intReply(900),
			bulk("by-cpu-time-us"), arrayReply(bulk("x"), intReply(104), bulk("y"), intReply(98)),
			bulk("by-net-bytes"), arrayReply(bulk("y"), intReply(500))))
		srv.Expect("HOTKEYS", "STOP").Reply(statusOK)
		srv.Expect("HOTKEYS", "RESET").Reply(statusOK)
		srv.Expect("HOTKEYS", "GET").Reply(resp.Value{Kind: resp.KindNull})

		assert.Equal(t, "OK", must810(t, c.ClusterFlushSlotWith(ctx, 7, client.FlushOptions{Mode: client.FlushSync})))
		id := must810(t, c.ClusterMigrationImport(ctx, client.SlotRange{Start: 0, End: 99}))
		assert.Len(t, id, 40)
		assert.Equal(t, int64(2), must810(t, c.ClusterMigrationCancel(ctx, "")))
		assert.Equal(t, []client.MigrationTask{{ID: id, Slots: "0-99", Source: "src-node", Destination: "dst-node",
			Operation: "import", State: "completed", Retries: 1, CreateTime: 1769420604522, StartTime: 1769420604530,
			EndTime: 1769420604900, WritePause: 12}}, must810(t, c.ClusterMigrationStatus(ctx, "")))
		assert.Equal(t, "OK", must810(t, c.HotKeysStart(ctx, client.HotKeysOptions{CPU: true, Network: true, Duration: 30 * time.Second})))
		assert.Equal(t, client.HotKeys{
			Active: true, SampleRatio: 1, Slots: []client.SlotRange{{Start: 0, End: 99}, {Start: 200, End: 200}},
			Started: time.UnixMilli(1769420604522), Duration: 6408 * time.Millisecond,
			AllCommandsCPU: 220 * time.Microsecond, AllCommandsNetBytes: 200,
			UserCPU: 3 * time.Millisecond, SystemCPU: 11 * time.Millisecond, NetBytes: 900,
			ByCPU:     []client.HotKey{{Key: "x", Value: 104}, {Key: "y", Value: 98}},
			ByNetwork: []client.HotKey{{Key: "y", Value: 500}},
		}, must810(t, c.HotKeysGet(ctx)))
		assert.Equal(t, "OK", must810(t, c.HotKeysStop(ctx)))
		assert.Equal(t, "OK", must810(t, c.HotKeysReset(ctx)))
		_, err := c.HotKeysGet(ctx).Result()
		require.ErrorIs(t, err, client.ErrNil, "no session")
	})
}

// must810 returns the future's value, failing the test on an error.
func must810[T any](t *testing.T, f *client.Future[T]) T {
	t.Helper()
	v, err := f.Result()
	require.NoError(t, err)
	return v
}

func TestLater810ArraysOverTheWire(t *testing.T) {
	ctx := context.Background()
	null := resp.Value{Kind: resp.KindNull}
	onFake810(t, func(t *testing.T, srv *resptest.Server, c *client.Client, _ int) {
		srv.Expect("ARSET", "a", "2", "x", "y").Reply(intReply(2))
		srv.Expect("ARMSET", "a", "0", "z", "9", "w").Reply(intReply(2))
		srv.Expect("ARGET", "a", "2").Reply(bulk("x"))
		srv.Expect("ARGET", "a", "5").Reply(null)
		srv.Expect("ARMGET", "a", "0", "1").Reply(arrayReply(bulk("z"), null))
		srv.Expect("ARGETRANGE", "a", "0", "2").Reply(arrayReply(bulk("z"), null, bulk("x")))
		srv.Expect("ARLEN", "a").Reply(intReply(10))
		srv.Expect("ARCOUNT", "a").Reply(intReply(4))
		srv.Expect("ARSCAN", "a", "0", "100", "LIMIT", "2").Reply(arrayReply(intReply(0), bulk("z"), intReply(2), bulk("x")))
		srv.Expect("ARINSERT", "log", "e1", "e2").Reply(intReply(1))
		srv.Expect("ARNEXT", "log").Reply(intReply(2))
		srv.Expect("ARSEEK", "log", "10").Reply(intReply(1))
		srv.Expect("ARRING", "ring", "3", "v0").Reply(intReply(0))
		srv.Expect("ARLASTITEMS", "log", "2", "REV").Reply(arrayReply(bulk("e2"), bulk("e1")))
		srv.Expect("AROP", "a", "0", "9", "SUM").Reply(bulk("60"))
		srv.Expect("AROP", "a", "0", "9", "USED").Reply(intReply(4))
		srv.Expect("AROP", "a", "50", "60", "MAX").Reply(null)
		srv.Expect("ARGREP", "a", "-", "+", "GLOB", "*", "LIMIT", "2").Reply(arrayReply(intReply(0), intReply(2)))
		srv.Expect("ARGREP", "a", "-", "+", "EXACT", "x", "WITHVALUES").Reply(arrayReply(intReply(2), bulk("x")))
		srv.Expect("ARDEL", "a", "0", "1").Reply(intReply(1))
		srv.Expect("ARDELRANGE", "a", "2", "9").Reply(intReply(3))
		srv.Expect("ARINFO", "log", "FULL").Reply(mapReply(
			bulk("count"), intReply(2), bulk("len"), intReply(2), bulk("next-insert-index"), intReply(2),
			bulk("slices"), intReply(1), bulk("directory-size"), intReply(1), bulk("super-dir-entries"), intReply(0),
			bulk("slice-size"), intReply(4096), bulk("dense-slices"), intReply(1), bulk("sparse-slices"), intReply(0),
			bulk("avg-dense-size"), resp.Double(2, "2"), bulk("avg-dense-fill"), resp.Double(0.5, "0.5"),
			bulk("avg-sparse-size"), resp.Double(0, "0")))

		assert.Equal(t, int64(2), must810(t, c.ARSet(ctx, "a", 2, "x", "y")))
		assert.Equal(t, int64(2), must810(t, c.ARMSet(ctx, "a", client.ArrayEntry{Index: 0, Value: "z"}, client.ArrayEntry{Index: 9, Value: "w"})))
		assert.Equal(t, "x", must810(t, c.ARGet(ctx, "a", 2)))
		_, err := c.ARGet(ctx, "a", 5).Result()
		require.ErrorIs(t, err, client.ErrNil, "an empty slot")
		assert.Equal(t, []client.NullString{{Value: "z", Valid: true}, {}}, must810(t, c.ARMGet(ctx, "a", 0, 1)))
		assert.Equal(t, []client.NullString{{Value: "z", Valid: true}, {}, {Value: "x", Valid: true}}, must810(t, c.ARGetRange(ctx, "a", 0, 2)))
		assert.Equal(t, uint64(10), must810(t, c.ARLen(ctx, "a")))
		assert.Equal(t, uint64(4), must810(t, c.ARCount(ctx, "a")))
		assert.Equal(t, []client.ArrayEntry{{Index: 0, Value: "z"}, {Index: 2, Value: "x"}},
			must810(t, c.ARScanWith(ctx, "a", 0, 100, client.ARScanOptions{Limit: 2})))
		assert.Equal(t, uint64(1), must810(t, c.ARInsert(ctx, "log", "e1", "e2")), "the last index written")
		assert.Equal(t, uint64(2), must810(t, c.ARNext(ctx, "log")))
		assert.True(t, must810(t, c.ARSeek(ctx, "log", 10)))
		assert.Equal(t, uint64(0), must810(t, c.ARRing(ctx, "ring", 3, "v0")))
		assert.Equal(t, []string{"e2", "e1"}, must810(t, c.ARLastItemsWith(ctx, "log", 2, client.ARLastItemsOptions{Reverse: true})))
		assert.Equal(t, "60", must810(t, c.AROp(ctx, "a", 0, 9, client.ArraySum())))
		assert.Equal(t, "4", must810(t, c.AROp(ctx, "a", 0, 9, client.ArrayUsed())))
		_, err = c.AROp(ctx, "a", 50, 60, client.ArrayMax()).Result()
		require.ErrorIs(t, err, client.ErrNil, "nothing to aggregate")
		assert.Equal(t, []uint64{0, 2}, must810(t, c.ARGrep(ctx, "a", "-", "+",
			client.ARGrepOptions{Predicates: []client.ArrayPredicate{client.ArrayGlob("*")}, Limit: 2})))
		assert.Equal(t, []client.ArrayEntry{{Index: 2, Value: "x"}}, must810(t, c.ARGrepWithValues(ctx, "a", "-", "+",
			client.ARGrepOptions{Predicates: []client.ArrayPredicate{client.ArrayExact("x")}})))
		assert.Equal(t, int64(1), must810(t, c.ARDel(ctx, "a", 0, 1)))
		assert.Equal(t, int64(3), must810(t, c.ARDelRange(ctx, "a", client.ArrayRange{Start: 2, End: 9})))
		assert.Equal(t, client.ArrayInfo{Count: 2, Len: 2, NextInsertIndex: 2, Slices: 1, DirectorySize: 1, SliceSize: 4096,
			DenseSlices: 1, AvgDenseSize: 2, AvgDenseFill: 0.5}, must810(t, c.ARInfoWith(ctx, "log", client.ARInfoOptions{Full: true})))
	})
}

func TestLater810BackupAndImportOverTheWire(t *testing.T) {
	ctx := context.Background()
	onFake810(t, func(t *testing.T, srv *resptest.Server, c *client.Client, _ int) {
		srv.Expect("BACKUP", "START").Reply(statusOK)
		srv.Expect("BACKUP", "STATUS").Reply(mapReply(bulk("state"), bulk("incrementing"), bulk("error"), bulk(""),
			bulk("start_time"), bulk("1717921800"), bulk("end_time"), bulk("0")))
		srv.Expect("BACKUP", "SEAL").Reply(statusOK)
		srv.Expect("BACKUP", "LIST").Reply(arrayReply(bulk("/var/lib/redis/backupdir/appendonly.aof.3.base.rdb"),
			bulk("/var/lib/redis/backupdir/appendonly.aof.3.incr.aof"), bulk("/var/lib/redis/backupdir/appendonly.aof.manifest")))
		srv.Expect("BACKUP", "CLEANUP").Reply(statusOK)
		srv.Expect("BACKUP", "ABORT").Reply(statusOK)
		srv.Expect("HIMPORT", "PREPARE", "u", "name", "age").Reply(statusOK)
		srv.Expect("HIMPORT", "SET", "user:1", "u", "alice", "30").Reply(statusOK)
		srv.Expect("HIMPORT", "DISCARD", "u").Reply(intReply(1))
		srv.Expect("HIMPORT", "DISCARDALL").Reply(intReply(0))

		assert.Equal(t, "OK", must810(t, c.BackupStart(ctx)))
		assert.Equal(t, client.BackupState{State: "incrementing", Started: time.Unix(1717921800, 0)}, must810(t, c.BackupStatus(ctx)))
		assert.Equal(t, "OK", must810(t, c.BackupSeal(ctx)))
		assert.Len(t, must810(t, c.BackupList(ctx)), 3)
		assert.Equal(t, "OK", must810(t, c.BackupCleanup(ctx)))
		assert.Equal(t, "OK", must810(t, c.BackupAbort(ctx)))

		cn, err := c.Conn(ctx)
		require.NoError(t, err)
		defer func() { require.NoError(t, cn.Close()) }()
		assert.Equal(t, "OK", must810(t, cn.HImportPrepare(ctx, "u", "name", "age")))
		assert.Equal(t, "OK", must810(t, cn.HImportSet(ctx, "user:1", "u", "alice", 30)))
		assert.Equal(t, int64(1), must810(t, cn.HImportDiscard(ctx, "u")))
		assert.Equal(t, int64(0), must810(t, cn.HImportDiscardAll(ctx)))
	})
}

//go:build integration

package integration

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

// The commands and arguments of Redis 8.4 to 8.10 (issue 17) on every
// server of the matrix. None of these servers has them, so on each the
// test asserts the server's own refusal and that nothing was changed;
// where a server has one (asked of COMMAND INFO and COMMAND DOCS), it
// checks what the command does instead. CLUSTER FLUSHSLOT (Valkey 9) runs
// for real on the cluster of a server that has it.

// later810Call is one call of a command of Redis 8.4 to 8.10 on a server
// that may lack it: the command's name as COMMAND INFO knows it, and the
// call.
type later810Call struct {
	name string
	call func() error
}

func TestLaterCommandsRedis810(t *testing.T) {
	ctx := context.Background()
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		s1, s2, src, dst, st := key("s1"), key("s2"), key("src"), key("dst"), key("stream")
		valueOf(t, c.SAdd(ctx, s1, "a", "b", "c"))
		valueOf(t, c.SAdd(ctx, s2, "b", "d"))
		valueOf(t, c.RPush(ctx, src, "x", "y", "z"))
		id := valueOf(t, c.XAdd(ctx, st, "f", "v"))
		valueOf(t, c.XGroupCreate(ctx, st, "g", "0"))

		calls := []later810Call{
			{"sunioncard", func() error {
				n, err := c.SUnionCard(ctx, s1, s2).Result()
				if err == nil {
					assert.Equal(t, int64(4), n)
				}
				return err
			}},
			{"sdiffcard", func() error {
				n, err := c.SDiffCard(ctx, s1, s2).Result()
				if err == nil {
					assert.Equal(t, int64(2), n)
				}
				return err
			}},
			{"increx", func() error {
				r, err := c.IncrEx(ctx, key("hits"), 1, client.IncrExOptions{UpperBound: 10,
					Expiration: client.ExpiresIn(time.Minute), ExpireIfNoTTL: true}).Result()
				if err == nil {
					assert.Equal(t, client.IncrExResult{Value: 1, Applied: 1}, r)
				}
				return err
			}},
			{"increx", func() error { return c.IncrExFloat(ctx, key("f"), 0.5, client.IncrExOptions{}).Err() }},
			{"lmovem", func() error {
				moved, err := c.LMoveM(ctx, src, dst, client.ListLeft, client.ListRight, client.LMoveMOptions{Count: 2, Bulk: true}).Result()
				if err == nil {
					assert.Equal(t, []string{"x", "y"}, moved)
				}
				return err
			}},
			{"blmovem", func() error {
				return c.BLMoveM(ctx, src, dst, client.ListLeft, client.ListRight, time.Second, client.LMoveMOptions{}).Err()
			}},
			{"xnack", func() error { return c.XNack(ctx, st, "g", client.XNackFail, id).Err() }},
			{"xcfgset", func() error {
				return c.XCfgSet(ctx, st, client.XCfgSetOptions{IdempotenceWindow: time.Minute}).Err()
			}},
			{"hotkeys|start", func() error {
				return c.HotKeysStart(ctx, client.HotKeysOptions{CPU: true, Duration: time.Second}).Err()
			}},
			{"hotkeys|get", func() error { return c.HotKeysGet(ctx).Err() }},
			{"hotkeys|stop", func() error { return c.HotKeysStop(ctx).Err() }},
			{"hotkeys|reset", func() error { return c.HotKeysReset(ctx).Err() }},
			{"cluster|migration", func() error { return c.ClusterMigrationStatus(ctx, "").Err() }},
			{"cluster|migration", func() error { return c.ClusterMigrationCancel(ctx, "").Err() }},
			{"cluster|migration", func() error {
				return c.ClusterMigrationImport(ctx, client.SlotRange{Start: 0, End: 0}).Err()
			}},
		}
		arr := key("array")
		grep := client.ARGrepOptions{Predicates: []client.ArrayPredicate{client.ArrayExact("x")}}
		for name, call := range map[string]func() error{
			"arset":       func() error { return c.ARSet(ctx, arr, 0, "x").Err() },
			"armset":      func() error { return c.ARMSet(ctx, arr, client.ArrayEntry{Index: 5, Value: "y"}).Err() },
			"arget":       func() error { return c.ARGet(ctx, arr, 0).Err() },
			"armget":      func() error { return c.ARMGet(ctx, arr, 0, 5).Err() },
			"argetrange":  func() error { return c.ARGetRange(ctx, arr, 0, 5).Err() },
			"arlen":       func() error { return c.ARLen(ctx, arr).Err() },
			"arcount":     func() error { return c.ARCount(ctx, arr).Err() },
			"arinsert":    func() error { return c.ARInsert(ctx, arr, "z").Err() },
			"arring":      func() error { return c.ARRing(ctx, key("ring"), 3, "v").Err() },
			"arnext":      func() error { return c.ARNext(ctx, arr).Err() },
			"arseek":      func() error { return c.ARSeek(ctx, arr, 10).Err() },
			"arscan":      func() error { return c.ARScan(ctx, arr, 0, 100).Err() },
			"arlastitems": func() error { return c.ARLastItems(ctx, arr, 2).Err() },
			"arinfo":      func() error { return c.ARInfo(ctx, arr).Err() },
			"arop":        func() error { return c.AROp(ctx, arr, 0, 100, client.ArrayUsed()).Err() },
			"argrep":      func() error { return c.ARGrepWithValues(ctx, arr, "-", "+", grep).Err() },
			"ardel":       func() error { return c.ARDel(ctx, arr, 5).Err() },
			"ardelrange":  func() error { return c.ARDelRange(ctx, arr, client.ArrayRange{Start: 0, End: 100}).Err() },
		} {
			calls = append(calls, later810Call{name, call})
		}
		cn, err := c.Conn(ctx)
		require.NoError(t, err)
		t.Cleanup(func() { _ = cn.Close() })
		calls = append(calls,
			later810Call{"backup|status", func() error { return c.BackupStatus(ctx).Err() }},
			later810Call{"backup|list", func() error { return c.BackupList(ctx).Err() }},
			later810Call{"backup|abort", func() error { return c.BackupAbort(ctx).Err() }},
			later810Call{"backup|cleanup", func() error { return c.BackupCleanup(ctx).Err() }},
			later810Call{"backup|seal", func() error { return c.BackupSeal(ctx).Err() }},
			later810Call{"himport|prepare", func() error { return cn.HImportPrepare(ctx, "u", "name", "age").Err() }},
			later810Call{"himport|set", func() error { return cn.HImportSet(ctx, key("user"), "u", "alice", 30).Err() }},
			later810Call{"himport|discard", func() error { return cn.HImportDiscard(ctx, "u").Err() }},
			later810Call{"himport|discardall", func() error { return cn.HImportDiscardAll(ctx).Err() }},
		)
		if !serverHas(t, c, "backup|start") {
			// Started only where it is refused: a real backup needs an
			// empty backup directory, which this test does not own.
			calls = append(calls, later810Call{"backup|start", func() error { return c.BackupStart(ctx).Err() }})
		}
		for _, call := range calls {
			err := call.call()
			if serverHas(t, c, call.name) {
				// HOTKEYS and CLUSTER MIGRATION may refuse on their own
				// terms (no session, no cluster); a refusal of the
				// command itself is a failure.
				if err != nil {
					var se *client.Error
					require.ErrorAs(t, err, &se, "%s: %v", call.name, err)
					assert.NotContains(t, err.Error(), "unknown", "%s", call.name)
				}
				continue
			}
			requireUnknown(t, err)
		}
		// What the refused commands would have changed is unchanged.
		if !serverHas(t, c, "lmovem") && !serverHas(t, c, "blmovem") {
			assert.Equal(t, []string{"x", "y", "z"}, valueOf(t, c.LRange(ctx, src, 0, -1)))
			assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, dst)))
		}
		if !serverHas(t, c, "increx") {
			assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, key("hits"), key("f"))))
		}
		if !serverHas(t, c, "himport|set") {
			assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, key("user"))))
		}
		if !serverHas(t, c, "arset") {
			assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, arr, key("ring"))), "no array was made")
		}
	})
}

// TestLaterCommandsRedis810Arguments sends the arguments Redis 8.2 to 8.10
// added to existing commands; a server without them refuses the call
// with a syntax error and changes nothing.
func TestLaterCommandsRedis810Arguments(t *testing.T) {
	ctx := context.Background()
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		x, y, dst := key("x"), key("y"), key("dst")
		valueOf(t, c.Set(ctx, x, "\xf0", 0))
		valueOf(t, c.Set(ctx, y, "\x3c", 0))
		for op, want := range map[client.BitOperation]string{client.BitDiff: "\xc0", client.BitDiff1: "\x0c",
			client.BitAndOr: "\x30", client.BitOne: "\xcc"} {
			n, err := c.BitOp(ctx, op, dst, x, y).Result()
			if serverHasToken(t, c, "bitop", op.String()) {
				require.NoError(t, err)
				assert.Equal(t, int64(1), n)
				assert.Equal(t, want, valueOf(t, c.Get(ctx, dst)), "%v", op)
				continue
			}
			requireServerError(t, err, "syntax error")
			assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, dst)), "%v stored nothing", op)
		}

		za, zb, zdst := key("za"), key("zb"), key("zdst")
		valueOf(t, c.ZAdd(ctx, za, client.Z{Member: "m", Score: 5}, client.Z{Member: "n", Score: 1}))
		valueOf(t, c.ZAdd(ctx, zb, client.Z{Member: "m", Score: 7}))
		count := client.ZStoreOptions{Aggregate: client.AggregateCount}
		n, err := c.ZUnionStoreWith(ctx, zdst, []string{za, zb}, count).Result()
		if serverHasToken(t, c, "zunionstore", "COUNT") {
			require.NoError(t, err)
			assert.Equal(t, int64(2), n)
			assert.Equal(t, 2.0, valueOf(t, c.ZScore(ctx, zdst, "m")), "m is in both sets")
		} else {
			requireServerError(t, err, "syntax error")
			assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, zdst)))
		}

		st := key("stream")
		valueOf(t, c.XAdd(ctx, st, "f", "v"))
		valueOf(t, c.XAdd(ctx, st, "f", "w"))
		valueOf(t, c.XGroupCreate(ctx, st, "g", "0"))
		read, err := c.XReadWith(ctx, []string{st}, []string{"0"}, client.XReadOptions{MaxCount: 1}).Result()
		if serverHasToken(t, c, "xread", "MAXCOUNT") {
			require.NoError(t, err)
			require.Len(t, read, 1)
			assert.Len(t, read[0].Messages, 1)
		} else {
			requireServerError(t, err, "syntax error")
		}
		_, err = c.XReadWith(ctx, []string{st}, []string{"0"}, client.XReadOptions{MaxSize: 1 << 20}).Result()
		if !serverHasToken(t, c, "xread", "MAXSIZE") {
			requireServerError(t, err, "syntax error")
		} else {
			require.NoError(t, err)
		}
		before := valueOf(t, c.XLen(ctx, st))
		for _, idmp := range []client.XAddOptions{{Producer: "p1", IdempotentID: "order-7"}, {Producer: "p1"}} {
			id, err := c.XAddWith(ctx, st, idmp, "f", "x").Result()
			if serverHasToken(t, c, "xadd", "IDMPAUTO") {
				require.NoError(t, err)
				assert.Equal(t, id, valueOf(t, c.XAddWith(ctx, st, idmp, "f", "x")), "a resend adds nothing")
				continue
			}
			// The token is read as the entry's ID, which it is not.
			requireServerError(t, err, "Invalid stream ID")
		}
		if !serverHasToken(t, c, "xadd", "IDMPAUTO") {
			assert.Equal(t, before, valueOf(t, c.XLen(ctx, st)), "nothing was added")
		}
		group, err := c.XReadGroupWith(ctx, "g", "c", []string{st}, []string{">"},
			client.XReadGroupOptions{Claim: time.Minute, MaxCount: 1}).Result()
		if serverHasToken(t, c, "xreadgroup", "CLAIM") {
			require.NoError(t, err)
			require.Len(t, group, 1)
		} else {
			requireServerError(t, err, "syntax error")
			pending := valueOf(t, c.XPending(ctx, st, "g"))
			assert.Equal(t, int64(0), pending.Count, "nothing was delivered")
		}
	})
}

// TestLaterCommandsRedis810Cluster runs CLUSTER FLUSHSLOT (Valkey 9) on
// the owner of a slot of the shared cluster: the slot's keys are gone,
// another slot's stay. A server without it refuses it; CLUSTER MIGRATION
// (Redis 8.4) is refused by every server of the matrix.
func TestLaterCommandsRedis810Cluster(t *testing.T) {
	ctx := context.Background()
	cc := openCluster(t, redistest.SharedCluster(t), client.ClusterOptions{})
	prefix := "later810:" + t.Name()
	dropClusterKeys(t, cc, prefix)
	t.Cleanup(func() { dropClusterKeys(t, cc, prefix) })
	flushed, kept := "{"+prefix+"-a}:k", "{"+prefix+"-b}:k"
	require.NotEqual(t, client.Slot(flushed), client.Slot(kept))
	for _, k := range []string{flushed, kept, flushed + "2"} {
		valueOf(t, cc.Set(ctx, k, "v", time.Minute))
	}
	owner, err := cc.MasterFor(ctx, flushed)
	require.NoError(t, err)
	node := nodeClientOf(t, cc, owner)
	slot := int(client.Slot(flushed))

	if !serverHas(t, cc, "cluster|flushslot") {
		requireUnknown(t, node.ClusterFlushSlot(ctx, slot).Err())
		assert.Equal(t, int64(3), valueOf(t, cc.Exists(ctx, flushed, kept, flushed+"2")), "nothing was flushed")
	} else {
		t.Logf("CLUSTER FLUSHSLOT %d on %s", slot, owner)
		assert.Equal(t, "OK", valueOf(t, node.ClusterFlushSlot(ctx, slot)))
		assert.Equal(t, int64(0), valueOf(t, node.ClusterCountKeysInSlot(ctx, slot)))
		assert.Equal(t, int64(0), valueOf(t, cc.Exists(ctx, flushed, flushed+"2")), "the slot's keys are gone")
		assert.Equal(t, int64(1), valueOf(t, cc.Exists(ctx, kept)), "another slot's key stays")
		valueOf(t, cc.Set(ctx, flushed, "again", time.Minute))
		assert.Equal(t, "OK", valueOf(t, node.ClusterFlushSlotWith(ctx, slot, client.FlushOptions{Mode: client.FlushAsync})))
		require.Eventually(t, func() bool { return valueOf(t, cc.Exists(ctx, flushed)) == 0 },
			10*time.Second, 10*time.Millisecond, "ASYNC flushes too")
	}

	if serverHas(t, cc, "cluster|migration") {
		t.Errorf("the server has CLUSTER MIGRATION: check what it does here")
		return
	}
	requireUnknown(t, node.ClusterMigrationStatus(ctx, "").Err())
	requireUnknown(t, node.ClusterMigrationCancel(ctx, "").Err())
	requireUnknown(t, node.ClusterMigrationImport(ctx, client.SlotRange{Start: slot, End: slot}).Err())
}

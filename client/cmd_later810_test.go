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

// The commands and arguments of Redis 8.4 to 8.10 and CLUSTER FLUSHSLOT
// of Valkey 9: what each method sends, with which flags, and what it
// refuses to send.

func TestLater810Encoding(t *testing.T) {
	ctx := context.Background()
	blocking := messages.Blocking
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"SUnionCard", func(c cmds) error { return c.SUnionCard(ctx, "a", "b").Err() }, "SUNIONCARD 2 a b", ro},
		{"SUnionCardWith", func(c cmds) error {
			return c.SUnionCardWith(ctx, []string{"a"}, SUnionCardOptions{Approximate: true, Limit: 10}).Err()
		}, "SUNIONCARD 1 a APPROX LIMIT 10", ro},
		{"SDiffCard", func(c cmds) error { return c.SDiffCard(ctx, "a", "b", "c").Err() }, "SDIFFCARD 3 a b c", ro},
		{"SDiffCardWith", func(c cmds) error {
			return c.SDiffCardWith(ctx, []string{"a", "b"}, SDiffCardOptions{Limit: 5}).Err()
		}, "SDIFFCARD 2 a b LIMIT 5", ro},
		{"IncrEx", func(c cmds) error { return c.IncrEx(ctx, "hits", 1, IncrExOptions{}).Err() }, "INCREX hits BYINT 1", 0},
		{"IncrEx window", func(c cmds) error {
			return c.IncrEx(ctx, "hits", 1, IncrExOptions{UpperBound: 100, Expiration: ExpiresIn(time.Minute), ExpireIfNoTTL: true}).Err()
		}, "INCREX hits BYINT 1 UBOUND 100 EX 60 ENX", 0},
		{"IncrEx saturate", func(c cmds) error {
			return c.IncrEx(ctx, "stock", -3, IncrExOptions{LowerBound: 0, Saturate: true, Expiration: Persistent()}).Err()
		}, "INCREX stock BYINT -3 LBOUND 0 SATURATE PERSIST", 0},
		{"IncrEx valkey NX", func(c cmds) error {
			return c.IncrEx(ctx, "k", 2, IncrExOptions{Condition: SetIfNotExists, Expiration: ExpiresIn(1500 * time.Millisecond)}).Err()
		}, "INCREX k BYINT 2 NX PX 1500", 0},
		{"IncrExFloat", func(c cmds) error {
			return c.IncrExFloat(ctx, "t", 0.5, IncrExOptions{LowerBound: -1.5, UpperBound: 2.5}).Err()
		}, "INCREX t BYFLOAT 0.5 LBOUND -1.5 UBOUND 2.5", 0},
		{"LMoveM", func(c cmds) error { return c.LMoveM(ctx, "s", "d", ListLeft, ListRight, LMoveMOptions{}).Err() },
			"LMOVEM s d LEFT RIGHT", 0},
		{"LMoveM count", func(c cmds) error {
			return c.LMoveM(ctx, "s", "d", ListRight, ListLeft, LMoveMOptions{Count: 3}).Err()
		}, "LMOVEM s d RIGHT LEFT COUNT 3 OBO", 0},
		{"LMoveM exactly bulk", func(c cmds) error {
			return c.LMoveM(ctx, "s", "d", ListLeft, ListLeft, LMoveMOptions{Exactly: 2, Bulk: true}).Err()
		}, "LMOVEM s d LEFT LEFT EXACTLY 2 BULK", 0},
		{"BLMoveM", func(c cmds) error {
			return c.BLMoveM(ctx, "s", "d", ListLeft, ListRight, 0, LMoveMOptions{}).Err()
		}, "BLMOVEM s d LEFT RIGHT 0", blocking},
		{"BLMoveM count", func(c cmds) error {
			return c.BLMoveM(ctx, "s", "d", ListLeft, ListRight, 1500*time.Millisecond, LMoveMOptions{Exactly: 4}).Err()
		}, "BLMOVEM s d LEFT RIGHT 1.5 EXACTLY 4 OBO", blocking},
		{"XNack", func(c cmds) error { return c.XNack(ctx, "s", "g", XNackFail, "1-0", "2-0").Err() },
			"XNACK s g FAIL IDS 2 1-0 2-0", 0},
		{"XNackWith", func(c cmds) error {
			return c.XNackWith(ctx, "s", "g", XNackFatal, []string{"1-0"}, XNackOptions{RetryCount: 7, Force: true}).Err()
		}, "XNACK s g FATAL IDS 1 1-0 RETRYCOUNT 7 FORCE", 0},
		{"XNack silent", func(c cmds) error { return c.XNack(ctx, "s", "g", XNackSilent, "3-1").Err() },
			"XNACK s g SILENT IDS 1 3-1", 0},
		{"XCfgSet", func(c cmds) error {
			return c.XCfgSet(ctx, "s", XCfgSetOptions{IdempotenceWindow: 5 * time.Minute, IdempotenceMaxSize: 500}).Err()
		}, "XCFGSET s IDMP-DURATION 300 IDMP-MAXSIZE 500", 0},
		{"XCfgSet size", func(c cmds) error { return c.XCfgSet(ctx, "s", XCfgSetOptions{IdempotenceMaxSize: 10}).Err() },
			"XCFGSET s IDMP-MAXSIZE 10", 0},
		{"XReadWith max", func(c cmds) error {
			return c.XReadWith(ctx, []string{"s"}, []string{"0"}, XReadOptions{Count: 10, MaxCount: 25, MaxSize: 4096}).Err()
		}, "XREAD COUNT 10 MAXCOUNT 25 MAXSIZE 4096 STREAMS s 0", ro},
		{"XReadGroupWith claim", func(c cmds) error {
			return c.XReadGroupWith(ctx, "g", "c", []string{"s"}, []string{">"},
				XReadGroupOptions{MaxCount: 5, Block: time.Second, Claim: 30 * time.Second, NoAck: true}).Err()
		}, "XREADGROUP GROUP g c MAXCOUNT 5 BLOCK 1000 CLAIM 30000 NOACK STREAMS s >", blocking},
		{"XReadGroupWith maxsize", func(c cmds) error {
			return c.XReadGroupWith(ctx, "g", "c", []string{"s"}, []string{">"}, XReadGroupOptions{MaxSize: 100}).Err()
		}, "XREADGROUP GROUP g c MAXSIZE 100 STREAMS s >", 0},
		{"XAddWith IDMP", func(c cmds) error {
			return c.XAddWith(ctx, "s", XAddOptions{Producer: "p1", IdempotentID: "order-7"}, "f", "v").Err()
		}, "XADD s IDMP p1 order-7 * f v", idem},
		{"XAddWith IDMPAUTO trim", func(c cmds) error {
			return c.XAddWith(ctx, "s", XAddOptions{NoMkStream: true, Producer: "p1", Trim: XMaxLen(100)}, "f", "v").Err()
		}, "XADD s NOMKSTREAM IDMPAUTO p1 MAXLEN = 100 * f v", idem},
		{"ZUnionStoreWith count", func(c cmds) error {
			return c.ZUnionStoreWith(ctx, "d", []string{"a", "b"}, ZStoreOptions{Aggregate: AggregateCount}).Err()
		}, "ZUNIONSTORE d 2 a b AGGREGATE COUNT", idem},
		{"ZInterWithScores count", func(c cmds) error {
			return c.ZInterWithScores(ctx, []string{"a", "b"}, ZStoreOptions{Weights: []float64{1, 2}, Aggregate: AggregateCount}).Err()
		}, "ZINTER 2 a b WEIGHTS 1 2 AGGREGATE COUNT WITHSCORES", ro},
		{"ClusterFlushSlot", func(c cmds) error { return c.ClusterFlushSlot(ctx, 42).Err() }, "CLUSTER FLUSHSLOT 42", 0},
		{"ClusterFlushSlotWith", func(c cmds) error {
			return c.ClusterFlushSlotWith(ctx, 16383, FlushOptions{Mode: FlushAsync}).Err()
		}, "CLUSTER FLUSHSLOT 16383 ASYNC", 0},
		{"ClusterMigrationImport", func(c cmds) error {
			return c.ClusterMigrationImport(ctx, SlotRange{Start: 0, End: 100}, SlotRange{Start: 200, End: 200}).Err()
		}, "CLUSTER MIGRATION IMPORT 0 100 200 200", 0},
		{"ClusterMigrationCancel", func(c cmds) error { return c.ClusterMigrationCancel(ctx, "t1").Err() },
			"CLUSTER MIGRATION CANCEL ID t1", 0},
		{"ClusterMigrationCancel all", func(c cmds) error { return c.ClusterMigrationCancel(ctx, "").Err() },
			"CLUSTER MIGRATION CANCEL ALL", 0},
		{"ClusterMigrationStatus", func(c cmds) error { return c.ClusterMigrationStatus(ctx, "t1").Err() },
			"CLUSTER MIGRATION STATUS ID t1", 0},
		{"ClusterMigrationStatus all", func(c cmds) error { return c.ClusterMigrationStatus(ctx, "").Err() },
			"CLUSTER MIGRATION STATUS ALL", 0},
		{"HotKeysStart", func(c cmds) error { return c.HotKeysStart(ctx, HotKeysOptions{CPU: true}).Err() },
			"HOTKEYS START METRICS 1 CPU", 0},
		{"HotKeysStart all", func(c cmds) error {
			return c.HotKeysStart(ctx, HotKeysOptions{CPU: true, Network: true, Count: 10, Duration: time.Minute,
				SampleRatio: 4, Slots: []int{1, 2}}).Err()
		}, "HOTKEYS START METRICS 2 CPU NET COUNT 10 DURATION 60 SAMPLE 4 SLOTS 2 1 2", 0},
		{"HotKeysStop", func(c cmds) error { return c.HotKeysStop(ctx).Err() }, "HOTKEYS STOP", 0},
		{"HotKeysReset", func(c cmds) error { return c.HotKeysReset(ctx).Err() }, "HOTKEYS RESET", 0},
		{"HotKeysGet", func(c cmds) error { return c.HotKeysGet(ctx).Err() }, "HOTKEYS GET", idem},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindSimpleString, Str: "OK"} })
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
		})
	}
	// Multi-key commands route by their first key, past numkeys.
	s, c := replying(t, ":1")
	require.NoError(t, c.SUnionCard(ctx, "{u}a", "{u}b").Err())
	assert.Equal(t, int(Slot("u")), s.last().slot)
	require.NoError(t, c.SDiffCard(ctx, "{d}a", "{d}b").Err())
	assert.Equal(t, int(Slot("d")), s.last().slot)
}

func TestLater810InvalidArguments(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c cmds) error
	}{
		{"SUnionCard no keys", func(c cmds) error { return c.SUnionCard(ctx).Err() }},
		{"SUnionCardWith negative", func(c cmds) error {
			return c.SUnionCardWith(ctx, []string{"a"}, SUnionCardOptions{Limit: -1}).Err()
		}},
		{"SDiffCard no keys", func(c cmds) error { return c.SDiffCard(ctx).Err() }},
		{"SInterCardWith negative", func(c cmds) error {
			return c.SInterCardWith(ctx, []string{"a"}, SInterCardOptions{Limit: -1}).Err()
		}},
		{"IncrEx ENX without expiry", func(c cmds) error {
			return c.IncrEx(ctx, "k", 1, IncrExOptions{ExpireIfNoTTL: true}).Err()
		}},
		{"IncrEx bad expiry", func(c cmds) error {
			return c.IncrEx(ctx, "k", 1, IncrExOptions{Expiration: ExpiresIn(-time.Second)}).Err()
		}},
		{"IncrEx bad condition", func(c cmds) error {
			return c.IncrEx(ctx, "k", 1, IncrExOptions{Condition: SetCondition(9)}).Err()
		}},
		{"LMoveM both", func(c cmds) error {
			return c.LMoveM(ctx, "s", "d", ListLeft, ListLeft, LMoveMOptions{Count: 1, Exactly: 1}).Err()
		}},
		{"LMoveM negative", func(c cmds) error {
			return c.LMoveM(ctx, "s", "d", ListLeft, ListLeft, LMoveMOptions{Count: -1}).Err()
		}},
		{"LMoveM bulk alone", func(c cmds) error {
			return c.LMoveM(ctx, "s", "d", ListLeft, ListLeft, LMoveMOptions{Bulk: true}).Err()
		}},
		{"LMoveM direction", func(c cmds) error {
			return c.LMoveM(ctx, "s", "d", ListDirection(7), ListLeft, LMoveMOptions{}).Err()
		}},
		{"BLMoveM negative timeout", func(c cmds) error {
			return c.BLMoveM(ctx, "s", "d", ListLeft, ListLeft, -time.Second, LMoveMOptions{}).Err()
		}},
		{"XNack no ids", func(c cmds) error { return c.XNack(ctx, "s", "g", XNackFail).Err() }},
		{"XNack mode", func(c cmds) error { return c.XNack(ctx, "s", "g", XNackMode(9), "1-0").Err() }},
		{"XNackWith negative", func(c cmds) error {
			return c.XNackWith(ctx, "s", "g", XNackFail, []string{"1-0"}, XNackOptions{RetryCount: -1}).Err()
		}},
		{"XCfgSet nothing", func(c cmds) error { return c.XCfgSet(ctx, "s", XCfgSetOptions{}).Err() }},
		{"XCfgSet fraction", func(c cmds) error {
			return c.XCfgSet(ctx, "s", XCfgSetOptions{IdempotenceWindow: 1500 * time.Millisecond}).Err()
		}},
		{"XCfgSet negative", func(c cmds) error { return c.XCfgSet(ctx, "s", XCfgSetOptions{IdempotenceMaxSize: -1}).Err() }},
		{"XReadWith negative max", func(c cmds) error {
			return c.XReadWith(ctx, []string{"s"}, []string{"0"}, XReadOptions{MaxCount: -1}).Err()
		}},
		{"XReadGroupWith negative claim", func(c cmds) error {
			return c.XReadGroupWith(ctx, "g", "c", []string{"s"}, []string{">"}, XReadGroupOptions{Claim: -time.Second}).Err()
		}},
		{"XAddWith IdempotentID alone", func(c cmds) error {
			return c.XAddWith(ctx, "s", XAddOptions{IdempotentID: "i"}, "f", "v").Err()
		}},
		{"XAddWith Producer and ID", func(c cmds) error {
			return c.XAddWith(ctx, "s", XAddOptions{Producer: "p", ID: "1-0"}, "f", "v").Err()
		}},
		{"ClusterFlushSlot range", func(c cmds) error { return c.ClusterFlushSlot(ctx, 16384).Err() }},
		{"ClusterFlushSlotWith mode", func(c cmds) error {
			return c.ClusterFlushSlotWith(ctx, 1, FlushOptions{Mode: FlushMode(9)}).Err()
		}},
		{"ClusterMigrationImport none", func(c cmds) error { return c.ClusterMigrationImport(ctx).Err() }},
		{"ClusterMigrationImport range", func(c cmds) error {
			return c.ClusterMigrationImport(ctx, SlotRange{Start: 10, End: 5}).Err()
		}},
		{"HotKeysStart no metric", func(c cmds) error { return c.HotKeysStart(ctx, HotKeysOptions{Count: 5}).Err() }},
		{"HotKeysStart fraction", func(c cmds) error {
			return c.HotKeysStart(ctx, HotKeysOptions{CPU: true, Duration: 1500 * time.Millisecond}).Err()
		}},
		{"HotKeysStart slot", func(c cmds) error {
			return c.HotKeysStart(ctx, HotKeysOptions{Network: true, Slots: []int{16384}}).Err()
		}},
		{"BitOp diff one key", func(c cmds) error { return c.BitOp(ctx, BitDiff, "d", "a").Err() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := replying(t, "+OK")
			require.ErrorIs(t, tt.call(c), ErrInvalidArg)
			assert.Empty(t, s.sent, "nothing is sent")
		})
	}
}

func TestLater810BackupAndImportEncoding(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func(c cmds, cn *Conn) error
		want  string
		flags messages.Flags
	}{
		{"BackupStart", func(c cmds, _ *Conn) error { return c.BackupStart(ctx).Err() }, "BACKUP START", 0},
		{"BackupSeal", func(c cmds, _ *Conn) error { return c.BackupSeal(ctx).Err() }, "BACKUP SEAL", 0},
		{"BackupAbort", func(c cmds, _ *Conn) error { return c.BackupAbort(ctx).Err() }, "BACKUP ABORT", 0},
		{"BackupCleanup", func(c cmds, _ *Conn) error { return c.BackupCleanup(ctx).Err() }, "BACKUP CLEANUP", 0},
		{"BackupList", func(c cmds, _ *Conn) error { return c.BackupList(ctx).Err() }, "BACKUP LIST", idem},
		{"BackupStatus", func(c cmds, _ *Conn) error { return c.BackupStatus(ctx).Err() }, "BACKUP STATUS", idem},
		{"HImportPrepare", func(_ cmds, cn *Conn) error { return cn.HImportPrepare(ctx, "u", "name", "age").Err() },
			"HIMPORT PREPARE u name age", messages.Stateful},
		{"HImportSet", func(_ cmds, cn *Conn) error { return cn.HImportSet(ctx, "user:1", "u", "alice", 30).Err() },
			"HIMPORT SET user:1 u alice 30", messages.Stateful},
		{"HImportDiscard", func(_ cmds, cn *Conn) error { return cn.HImportDiscard(ctx, "u").Err() },
			"HIMPORT DISCARD u", messages.Stateful},
		{"HImportDiscardAll", func(_ cmds, cn *Conn) error { return cn.HImportDiscardAll(ctx).Err() },
			"HIMPORT DISCARDALL", messages.Stateful},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindSimpleString, Str: "OK"} })
			_ = tt.call(c, &Conn{cmds: c})
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
		})
	}
	// HIMPORT SET routes by its key, after the subcommand.
	s, c := replying(t, "+OK")
	require.NoError(t, (&Conn{cmds: c}).HImportSet(ctx, "{h}1", "u", "v").Err())
	assert.Equal(t, int(Slot("h")), s.last().slot)
	for name, call := range map[string]func(cn *Conn) error{
		"HImportPrepare no field": func(cn *Conn) error { return cn.HImportPrepare(ctx, "u").Err() },
		"HImportSet no value":     func(cn *Conn) error { return cn.HImportSet(ctx, "k", "u").Err() },
	} {
		s, c := replying(t, "+OK")
		require.ErrorIs(t, call(&Conn{cmds: c}), ErrInvalidArg, name)
		assert.Empty(t, s.sent, name)
	}
}

func TestLater810TokenNames(t *testing.T) {
	assert.Equal(t, "FATAL", XNackFatal.String())
	assert.Equal(t, "XNackMode(9)", XNackMode(9).String())
	assert.Equal(t, "ONE", BitOne.String())
	assert.Equal(t, "COUNT", AggregateCount.String())
}

package client

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

func TestClusterEncoding(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"ClusterAddSlots", func(c cmds) error { return c.ClusterAddSlots(ctx, 1, 2).Err() }, "CLUSTER ADDSLOTS 1 2", 0},
		{"ClusterAddSlotsRange", func(c cmds) error {
			return c.ClusterAddSlotsRange(ctx, SlotRange{0, 9}, SlotRange{20, 29}).Err()
		}, "CLUSTER ADDSLOTSRANGE 0 9 20 29", 0},
		{"ClusterBumpEpoch", func(c cmds) error { return c.ClusterBumpEpoch(ctx).Err() }, "CLUSTER BUMPEPOCH", 0},
		{"ClusterCountFailureReports", func(c cmds) error { return c.ClusterCountFailureReports(ctx, "id").Err() },
			"CLUSTER COUNT-FAILURE-REPORTS id", ro},
		{"ClusterCountKeysInSlot", func(c cmds) error { return c.ClusterCountKeysInSlot(ctx, 7).Err() }, "CLUSTER COUNTKEYSINSLOT 7", ro},
		{"ClusterDelSlots", func(c cmds) error { return c.ClusterDelSlots(ctx, 3).Err() }, "CLUSTER DELSLOTS 3", 0},
		{"ClusterDelSlotsRange", func(c cmds) error { return c.ClusterDelSlotsRange(ctx, SlotRange{1, 2}).Err() },
			"CLUSTER DELSLOTSRANGE 1 2", 0},
		{"ClusterFailover", func(c cmds) error { return c.ClusterFailover(ctx).Err() }, "CLUSTER FAILOVER", 0},
		{"ClusterFailoverWith", func(c cmds) error {
			return c.ClusterFailoverWith(ctx, ClusterFailoverOptions{Mode: ClusterFailoverTakeover}).Err()
		}, "CLUSTER FAILOVER TAKEOVER", 0},
		{"ClusterFlushSlots", func(c cmds) error { return c.ClusterFlushSlots(ctx).Err() }, "CLUSTER FLUSHSLOTS", idem},
		{"ClusterForget", func(c cmds) error { return c.ClusterForget(ctx, "id").Err() }, "CLUSTER FORGET id", 0},
		{"ClusterGetKeysInSlot", func(c cmds) error { return c.ClusterGetKeysInSlot(ctx, 7, 10).Err() }, "CLUSTER GETKEYSINSLOT 7 10", ro},
		{"ClusterInfo", func(c cmds) error { return c.ClusterInfo(ctx).Err() }, "CLUSTER INFO", ro},
		{"ClusterKeySlot", func(c cmds) error { return c.ClusterKeySlot(ctx, "k").Err() }, "CLUSTER KEYSLOT k", ro},
		{"ClusterLinks", func(c cmds) error { return c.ClusterLinks(ctx).Err() }, "CLUSTER LINKS", ro},
		{"ClusterMeet", func(c cmds) error { return c.ClusterMeet(ctx, "h", 7000).Err() }, "CLUSTER MEET h 7000", idem},
		{"ClusterMeetWith", func(c cmds) error {
			return c.ClusterMeetWith(ctx, "h", 7000, ClusterMeetOptions{BusPort: 17001}).Err()
		}, "CLUSTER MEET h 7000 17001", idem},
		{"ClusterMyID", func(c cmds) error { return c.ClusterMyID(ctx).Err() }, "CLUSTER MYID", ro},
		{"ClusterNodes", func(c cmds) error { return c.ClusterNodes(ctx).Err() }, "CLUSTER NODES", ro},
		{"ClusterReplicas", func(c cmds) error { return c.ClusterReplicas(ctx, "id").Err() }, "CLUSTER REPLICAS id", ro},
		{"ClusterReplicate", func(c cmds) error { return c.ClusterReplicate(ctx, "id").Err() }, "CLUSTER REPLICATE id", idem},
		{"ClusterReset", func(c cmds) error { return c.ClusterReset(ctx).Err() }, "CLUSTER RESET", 0},
		{"ClusterResetWith", func(c cmds) error {
			return c.ClusterResetWith(ctx, ClusterResetOptions{Mode: ClusterResetHard}).Err()
		}, "CLUSTER RESET HARD", 0},
		{"ClusterSaveConfig", func(c cmds) error { return c.ClusterSaveConfig(ctx).Err() }, "CLUSTER SAVECONFIG", idem},
		{"ClusterSetConfigEpoch", func(c cmds) error { return c.ClusterSetConfigEpoch(ctx, 3).Err() }, "CLUSTER SET-CONFIG-EPOCH 3", 0},
		{"ClusterSetSlot stable", func(c cmds) error { return c.ClusterSetSlot(ctx, 5, ClusterSetSlotStable, "").Err() },
			"CLUSTER SETSLOT 5 STABLE", 0},
		{"ClusterSetSlot importing", func(c cmds) error {
			return c.ClusterSetSlot(ctx, 5, ClusterSetSlotImporting, "id").Err()
		}, "CLUSTER SETSLOT 5 IMPORTING id", 0},
		{"ClusterSetSlot node", func(c cmds) error { return c.ClusterSetSlot(ctx, 5, ClusterSetSlotNode, "id").Err() },
			"CLUSTER SETSLOT 5 NODE id", 0},
		{"ClusterShards", func(c cmds) error { return c.ClusterShards(ctx).Err() }, "CLUSTER SHARDS", ro},
		{"ClusterSlaves", func(c cmds) error { return c.ClusterSlaves(ctx, "id").Err() }, "CLUSTER SLAVES id", ro},
		{"ClusterSlots", func(c cmds) error { return c.ClusterSlots(ctx).Err() }, "CLUSTER SLOTS", ro},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindSimpleString, Str: "OK"} })
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
		})
	}
}

func TestClusterInvalidArguments(t *testing.T) {
	ctx := context.Background()
	for name, call := range map[string]func(c cmds) error{
		"AddSlots none":       func(c cmds) error { return c.ClusterAddSlots(ctx).Err() },
		"DelSlotsRange none":  func(c cmds) error { return c.ClusterDelSlotsRange(ctx).Err() },
		"SetSlot stable id":   func(c cmds) error { return c.ClusterSetSlot(ctx, 1, ClusterSetSlotStable, "id").Err() },
		"SetSlot missing id":  func(c cmds) error { return c.ClusterSetSlot(ctx, 1, ClusterSetSlotMigrating, "").Err() },
		"SetSlot unknown":     func(c cmds) error { return c.ClusterSetSlot(ctx, 1, ClusterSlotState(9), "id").Err() },
		"Failover unknown":    func(c cmds) error { return c.ClusterFailoverWith(ctx, ClusterFailoverOptions{Mode: 9}).Err() },
		"Reset unknown":       func(c cmds) error { return c.ClusterResetWith(ctx, ClusterResetOptions{Mode: 9}).Err() },
		"AddSlotsRange empty": func(c cmds) error { return c.ClusterAddSlotsRange(ctx).Err() },
	} {
		t.Run(name, func(t *testing.T) {
			s, c := replying(t, "+OK")
			assert.ErrorIs(t, call(c), ErrInvalidArg)
			assert.Empty(t, s.sent)
		})
	}
	assert.Equal(t, "MIGRATING", ClusterSetSlotMigrating.String())
	assert.Equal(t, "TAKEOVER", ClusterFailoverTakeover.String())
	assert.Equal(t, "default", ClusterResetDefault.String())
}

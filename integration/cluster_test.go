//go:build integration

package integration

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

// clusterNode starts a private cluster-enabled server and a client on it.
func clusterNode(t *testing.T, proto int) (*redistest.Server, *client.Client) {
	t.Helper()
	srv := redistest.Start(t, redistest.WithArgs("--cluster-enabled", "yes",
		"--cluster-config-file", filepath.Join(t.TempDir(), "nodes.conf"),
		"--cluster-require-full-coverage", "no", "--cluster-node-timeout", "2000"))
	return srv, openClient(t, client.Options{Addr: srv.Addr(), Protocol: proto})
}

// clusterKeyIn returns a key whose hash slot lies in [lo, hi].
func clusterKeyIn(lo, hi int) string {
	for i := 0; ; i++ {
		k := "k" + strconv.Itoa(i)
		if s := int(client.Slot(k)); s >= lo && s <= hi {
			return k
		}
	}
}

func clusterMyself(t *testing.T, c *client.Client) client.ClusterNode {
	t.Helper()
	for _, n := range valueOf(t, c.ClusterNodes(context.Background())) {
		if n.HasFlag("myself") {
			return n
		}
	}
	t.Fatal("no myself line in CLUSTER NODES")
	return client.ClusterNode{}
}

// clusterKnows reports whether c's node sees id as a connected node past
// its handshake.
func clusterKnows(t *testing.T, c *client.Client, id string) bool {
	for _, n := range valueOf(t, c.ClusterNodes(context.Background())) {
		if n.ID == id && n.Connected && !n.HasFlag("handshake") && !n.HasFlag("noaddr") {
			return true
		}
	}
	return false
}

func TestClusterCommands(t *testing.T) {
	for _, proto := range protocols {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			ctx := context.Background()
			const wait, tick = 15 * time.Second, 20 * time.Millisecond
			sa, a := clusterNode(t, proto)
			sb, b := clusterNode(t, proto)
			_, x := clusterNode(t, proto)
			idA, idB, idX := valueOf(t, a.ClusterMyID(ctx)), valueOf(t, b.ClusterMyID(ctx)), valueOf(t, x.ClusterMyID(ctx))
			assert.Len(t, idA, 40)
			assert.NotEqual(t, idA, idB)

			// A new node takes a config epoch once.
			assert.Equal(t, "OK", valueOf(t, a.ClusterSetConfigEpoch(ctx, 5)))
			serverError(t, a.ClusterSetConfigEpoch(ctx, 6).Err(), "epoch")
			assert.Equal(t, client.ClusterBumpEpochResult{Bumped: false, Epoch: 5}, valueOf(t, a.ClusterBumpEpoch(ctx)))

			// Slots.
			assert.Equal(t, "OK", valueOf(t, a.ClusterAddSlotsRange(ctx, client.SlotRange{Start: 0, End: 99})))
			assert.Equal(t, "OK", valueOf(t, a.ClusterAddSlots(ctx, 200, 201)))
			assert.Equal(t, "OK", valueOf(t, a.ClusterDelSlots(ctx, 201)))
			assert.Equal(t, "OK", valueOf(t, a.ClusterDelSlotsRange(ctx, client.SlotRange{Start: 50, End: 99})))
			serverError(t, a.ClusterDelSlots(ctx, 300).Err(), "already unassigned")
			require.Eventually(t, func() bool { return valueOf(t, a.ClusterInfo(ctx)).State == "ok" }, wait, tick)
			info := valueOf(t, a.ClusterInfo(ctx))
			assert.Equal(t, int64(51), info.SlotsAssigned)
			assert.Equal(t, int64(51), info.SlotsOK)
			assert.Equal(t, int64(1), info.KnownNodes)
			assert.Equal(t, int64(1), info.Size)
			assert.Equal(t, int64(5), info.MyEpoch)
			assert.Equal(t, "ok", info.Fields["cluster_state"])
			me := clusterMyself(t, a)
			assert.Equal(t, idA, me.ID)
			assert.Equal(t, []client.SlotRange{{Start: 0, End: 49}, {Start: 200, End: 200}}, me.Slots)
			assert.True(t, me.HasFlag("master"))
			assert.Equal(t, int64(5), me.ConfigEpoch)
			assert.Equal(t, sa.Port()+10000, me.BusPort)

			// Keys in slots.
			k := clusterKeyIn(0, 49)
			slot := int(client.Slot(k))
			assert.Equal(t, int64(slot), valueOf(t, a.ClusterKeySlot(ctx, k)))
			assert.Equal(t, int64(12182), valueOf(t, a.ClusterKeySlot(ctx, "foo")))
			valueOf(t, a.Set(ctx, k, "v", 0))
			assert.Equal(t, int64(1), valueOf(t, a.ClusterCountKeysInSlot(ctx, slot)))
			assert.Equal(t, []string{k}, valueOf(t, a.ClusterGetKeysInSlot(ctx, slot, 10)))
			assert.Empty(t, valueOf(t, a.ClusterGetKeysInSlot(ctx, 200, 10)))

			// FLUSHSLOTS and RESET on x, which holds no keys.
			assert.Equal(t, "OK", valueOf(t, x.ClusterAddSlots(ctx, 1000)))
			assert.Equal(t, "OK", valueOf(t, x.ClusterFlushSlots(ctx)))
			assert.Equal(t, int64(0), valueOf(t, x.ClusterInfo(ctx)).SlotsAssigned)
			assert.Equal(t, "OK", valueOf(t, x.ClusterResetWith(ctx, client.ClusterResetOptions{Mode: client.ClusterResetHard})))
			newX := valueOf(t, x.ClusterMyID(ctx))
			assert.NotEqual(t, idX, newX, "a hard reset picks a new ID")
			idX = newX
			assert.Equal(t, "OK", valueOf(t, x.ClusterReset(ctx)))
			assert.Equal(t, "OK", valueOf(t, x.ClusterResetWith(ctx, client.ClusterResetOptions{Mode: client.ClusterResetSoft})))

			// MEET, then the views of a two- and three-node cluster.
			assert.Equal(t, "OK", valueOf(t, a.ClusterMeet(ctx, "127.0.0.1", sb.Port())))
			assert.Equal(t, "OK", valueOf(t, a.ClusterMeetWith(ctx, "127.0.0.1", sb.Port(), client.ClusterMeetOptions{BusPort: sb.Port() + 10000})))
			require.Eventually(t, func() bool { return clusterKnows(t, a, idB) && clusterKnows(t, b, idA) }, wait, tick)
			require.Eventually(t, func() bool { return len(valueOf(t, b.ClusterSlots(ctx))) == 2 }, wait, tick, "b learns a's slots")
			assert.Equal(t, int64(2), valueOf(t, b.ClusterInfo(ctx)).KnownNodes)
			nodes := valueOf(t, b.ClusterNodes(ctx))
			require.Len(t, nodes, 2)
			for _, n := range nodes {
				if n.ID == idA {
					assert.Equal(t, "127.0.0.1:"+strconv.Itoa(sa.Port()), n.Addr)
					assert.Equal(t, []client.SlotRange{{Start: 0, End: 49}, {Start: 200, End: 200}}, n.Slots)
					assert.Empty(t, n.MasterID)
				}
			}
			require.Eventually(t, func() bool { return len(valueOf(t, a.ClusterLinks(ctx))) == 2 }, wait, tick)
			links := valueOf(t, a.ClusterLinks(ctx))
			var dirs []string
			for _, l := range links {
				assert.Equal(t, idB, l.Node)
				assert.WithinDuration(t, time.Now(), l.Created, time.Minute)
				assert.GreaterOrEqual(t, l.SendBufferAllocated, l.SendBufferUsed)
				dirs = append(dirs, l.Direction)
			}
			slices.Sort(dirs)
			assert.Equal(t, []string{"from", "to"}, dirs)
			assert.Equal(t, int64(0), valueOf(t, a.ClusterCountFailureReports(ctx, idB)))
			serverError(t, a.ClusterCountFailureReports(ctx, "0000000000000000000000000000000000000000").Err(), "Unknown node")

			slots := valueOf(t, b.ClusterSlots(ctx))
			require.Len(t, slots, 2)
			slices.SortFunc(slots, func(p, q client.ClusterSlot) int { return p.Start - q.Start })
			assert.Equal(t, 0, slots[0].Start)
			assert.Equal(t, 49, slots[0].End)
			require.Len(t, slots[0].Nodes, 1)
			assert.Equal(t, idA, slots[0].Nodes[0].ID)
			assert.Equal(t, "127.0.0.1:"+strconv.Itoa(sa.Port()), slots[0].Nodes[0].Addr())
			assert.Equal(t, 200, slots[1].Start)

			shards := valueOf(t, b.ClusterShards(ctx))
			require.Len(t, shards, 2)
			for _, sh := range shards {
				require.Len(t, sh.Nodes, 1)
				n := sh.Nodes[0]
				assert.Equal(t, "master", n.Role)
				assert.Equal(t, "online", n.Health)
				if n.ID == idA {
					assert.Equal(t, []client.SlotRange{{Start: 0, End: 49}, {Start: 200, End: 200}}, sh.Slots)
					assert.Equal(t, sa.Port(), n.Port)
					assert.Equal(t, "127.0.0.1", n.IP)
				} else {
					assert.Equal(t, idB, n.ID)
					assert.Empty(t, sh.Slots)
				}
			}

			// SETSLOT: move slot 200 halfway, then settle it again.
			assert.Equal(t, "OK", valueOf(t, a.ClusterSetSlot(ctx, 200, client.ClusterSetSlotMigrating, idB)))
			assert.Equal(t, "OK", valueOf(t, b.ClusterSetSlot(ctx, 200, client.ClusterSetSlotImporting, idA)))
			assert.Equal(t, map[int]string{200: idB}, clusterMyself(t, a).MigratingSlots)
			assert.Equal(t, map[int]string{200: idA}, clusterMyself(t, b).ImportingSlots)
			assert.Equal(t, "OK", valueOf(t, a.ClusterSetSlot(ctx, 200, client.ClusterSetSlotStable, "")))
			assert.Equal(t, "OK", valueOf(t, b.ClusterSetSlot(ctx, 200, client.ClusterSetSlotStable, "")))
			assert.Nil(t, clusterMyself(t, a).MigratingSlots)
			assert.Equal(t, "OK", valueOf(t, a.ClusterSetSlot(ctx, 200, client.ClusterSetSlotNode, idA)))

			assert.Equal(t, "OK", valueOf(t, a.ClusterSaveConfig(ctx)))
			bumped := valueOf(t, b.ClusterBumpEpoch(ctx))
			assert.True(t, bumped.Bumped)
			assert.Greater(t, bumped.Epoch, int64(5))

			// FORGET: x meets a, then a forgets it.
			assert.Equal(t, "OK", valueOf(t, x.ClusterMeet(ctx, "127.0.0.1", sa.Port())))
			require.Eventually(t, func() bool { return clusterKnows(t, a, idX) }, wait, tick)
			assert.Equal(t, "OK", valueOf(t, a.ClusterForget(ctx, idX)))
			assert.False(t, slices.ContainsFunc(valueOf(t, a.ClusterNodes(ctx)), func(n client.ClusterNode) bool { return n.ID == idX }))

			// REPLICATE, REPLICAS, SLAVES, FAILOVER.
			serverError(t, a.ClusterFailover(ctx).Err(), "replica")
			assert.Equal(t, "OK", valueOf(t, b.ClusterReplicate(ctx, idA)))
			require.Eventually(t, func() bool { return len(valueOf(t, a.ClusterReplicas(ctx, idA))) == 1 }, wait, tick)
			reps := valueOf(t, a.ClusterReplicas(ctx, idA))
			assert.Equal(t, idB, reps[0].ID)
			assert.Equal(t, idA, reps[0].MasterID)
			assert.True(t, reps[0].HasFlag("slave"))
			assert.Equal(t, reps, valueOf(t, a.ClusterSlaves(ctx, idA)))
			require.Eventually(t, func() bool {
				r := valueOf(t, b.Role(ctx))
				return r.Kind == client.RoleReplica && r.State == "connected"
			}, wait, tick)
			assert.Equal(t, "OK", valueOf(t, b.ClusterFailoverWith(ctx, client.ClusterFailoverOptions{Mode: client.ClusterFailoverTakeover})))
			require.Eventually(t, func() bool { return clusterMyself(t, b).HasFlag("master") }, wait, tick)
			require.Eventually(t, func() bool { return clusterMyself(t, a).HasFlag("slave") }, wait, tick)
			// FORCE still needs the masters' votes; only its start is checked.
			assert.Equal(t, "OK", valueOf(t, a.ClusterFailoverWith(ctx, client.ClusterFailoverOptions{Mode: client.ClusterFailoverForce})))
		})
	}
}

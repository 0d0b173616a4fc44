//go:build integration

package integration

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

// Blocking commands on a ClusterClient follow MOVED, and a cancelled one
// leaves the element for the next popper. Both tests move a slot away
// and back on the shared cluster.

// moveAway migrates slot from its owner to another primary, and back when
// the test ends; it returns the new owner.
func moveAway(t *testing.T, rc *redistest.Cluster, slot int) *redistest.Server {
	t.Helper()
	home, away := homeAndAway(t, rc, slot)
	require.NoError(t, rc.MigrateSlot(slot, away))
	t.Cleanup(func() {
		require.NoError(t, rc.MigrateSlot(slot, home))
		require.NoError(t, rc.WaitReady(10*time.Second))
	})
	return away
}

// waitNodeBlocked waits until node has a client blocked.
func waitNodeBlocked(t *testing.T, node *redistest.Server) {
	t.Helper()
	require.Eventually(t, func() bool {
		info, err := node.Info("clients")
		if err != nil {
			return false
		}
		n, _ := strconv.Atoi(info["blocked_clients"])
		return n > 0
	}, 10*time.Second, 2*time.Millisecond, "no client blocked on %s", node.Addr())
}

func TestClusterClientBlockingFollowsMoved(t *testing.T) {
	rc := redistest.SharedCluster(t)
	// No periodic refresh: the table is stale once the slot moved.
	cc := openCluster(t, rc, client.ClusterOptions{RefreshInterval: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	key := "cblock:moved"
	slot := int(client.Slot(key))
	home, err := rc.PrimaryOf(slot)
	require.NoError(t, err)
	addr, err := cc.MasterFor(ctx, key)
	require.NoError(t, err)
	require.Equal(t, home.Addr(), addr)

	away := moveAway(t, rc, slot)
	f := cc.BLPop(ctx, 10*time.Second, key) // MOVED by home, blocks on away
	waitNodeBlocked(t, away)
	_, err = away.Do("LPUSH", key, "v")
	require.NoError(t, err)
	kv, err := f.Result()
	require.NoError(t, err)
	require.Equal(t, client.KeyValue{Key: key, Value: "v"}, kv)
	require.GreaterOrEqual(t, cc.Stats().Moved, int64(1))
	require.Zero(t, valueOf(t, cc.LLen(ctx, key)))
}

// A BLPOP cancelled while blocked, then an LPUSH: the element stays. The
// first round's BLPOP is redirected (the slot moved under a stale table),
// so its cancellation ends the attempt on the new owner.
func TestClusterClientBlockingCancelKeepsElement(t *testing.T) {
	rc := redistest.SharedCluster(t)
	cc := openCluster(t, rc, client.ClusterOptions{RefreshInterval: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	key := "cblock:cancel"
	slot := int(client.Slot(key))
	_, err := cc.MasterFor(ctx, key) // the table before the move
	require.NoError(t, err)
	owner := moveAway(t, rc, slot)
	for round := range 20 {
		bctx, bcancel := context.WithCancel(ctx)
		f := cc.BLPop(bctx, 0, key)
		waitNodeBlocked(t, owner)
		bcancel()
		_, err := f.Result()
		require.ErrorIs(t, err, context.Canceled, "round %d", round)
		require.EqualValues(t, 1, valueOf(t, cc.LPush(ctx, key, "x")), "round %d", round)
		require.EqualValues(t, 1, valueOf(t, cc.LLen(ctx, key)), "round %d: the cancelled BLPOP popped", round)
		require.EqualValues(t, 1, valueOf(t, cc.Del(ctx, key)))
		if round == 0 {
			require.GreaterOrEqual(t, cc.Stats().Moved, int64(1), "the first BLPOP was redirected")
		}
	}
}

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
	"go.uber.org/goleak"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
	"github.com/actoredis/actoredis/resp"
)

// ClusterClient.Monitor and ClusterClient.Conn against the shared cluster.

// keysPerPrimary returns one key per primary, keyed by its address.
func keysPerPrimary(t *testing.T, cc *client.ClusterClient, prefix string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for i := 0; len(out) < 3 && i < 1000; i++ {
		k := prefix + ":" + strconv.Itoa(i)
		addr, err := cc.MasterFor(t.Context(), k)
		require.NoError(t, err)
		if _, ok := out[addr]; !ok {
			out[addr] = k
		}
	}
	require.Len(t, out, 3)
	return out
}

func TestClusterClientMonitor(t *testing.T) {
	c := redistest.SharedCluster(t)
	before := goleak.IgnoreCurrent()
	ctx := t.Context()
	cc, err := client.NewCluster(client.ClusterOptions{Addrs: c.Addrs()[:1]})
	require.NoError(t, err)
	keys := keysPerPrimary(t, cc, "cmon:"+strconv.FormatInt(time.Now().UnixNano(), 36))
	m, err := cc.Monitor(ctx)
	require.NoError(t, err)
	for _, k := range keys {
		valueOf(t, cc.Set(ctx, k, "v", 0))
	}
	seen := map[string]string{} // key -> node
	timeout := time.After(5 * time.Second)
	for len(seen) < len(keys) {
		select {
		case ev, ok := <-m.Events():
			require.True(t, ok)
			require.NoError(t, ev.Err)
			if len(ev.Args) == 3 && strings.EqualFold(ev.Args[0], "SET") {
				for _, k := range keys {
					if ev.Args[1] == k {
						seen[k] = ev.Node
					}
				}
			}
		case <-timeout:
			t.Fatalf("MONITOR events for %d of %d keys: %v", len(seen), len(keys), seen)
		}
	}
	for addr, k := range keys {
		assert.Equal(t, addr, seen[k], "node of %s", k)
	}
	assert.NoError(t, m.Err())
	assert.Zero(t, m.Dropped())

	require.NoError(t, m.Close())
	require.NoError(t, m.Close(), "a second Close does nothing")
	for range m.Events() { //nolint:revive // drain until closed
	}
	_, ok := <-m.Events()
	assert.False(t, ok)
	assert.Equal(t, "PONG", valueOf(t, cc.Ping(ctx)), "the client still works")
	require.NoError(t, cc.Close())
	goleak.VerifyNone(t, before)
}

// A node's monitor connection killed mid-way ends that node's feed with an
// error event; the other nodes go on.
func TestClusterClientMonitorNodeLost(t *testing.T) {
	c := redistest.SharedCluster(t)
	cc := openCluster(t, c, client.ClusterOptions{})
	ctx := t.Context()
	keys := keysPerPrimary(t, cc, "cmonlost:"+strconv.FormatInt(time.Now().UnixNano(), 36))
	m, err := cc.Monitor(ctx)
	require.NoError(t, err)
	defer m.Close()

	var victim, survivor string
	for addr := range keys {
		if victim == "" {
			victim = addr
		} else if survivor == "" {
			survivor = addr
		}
	}
	nc, err := client.New(client.Options{Addr: victim})
	require.NoError(t, err)
	defer nc.Close()
	killed := 0
	for _, ci := range valueOf(t, nc.ClientList(ctx)) {
		if strings.Contains(ci.Flags, "O") {
			valueOf(t, nc.Do(ctx, "CLIENT", "KILL", "ID", ci.ID))
			killed++
		}
	}
	require.Equal(t, 1, killed)

	var lost *client.MonitorLostError
	timeout := time.After(5 * time.Second)
	for lost == nil {
		select {
		case ev, ok := <-m.Events():
			require.True(t, ok)
			if ev.Err != nil {
				assert.Equal(t, victim, ev.Node)
				assert.ErrorIs(t, ev.Err, client.ErrLeaseBroken)
				require.True(t, errors.As(ev.Err, &lost))
			}
		case <-timeout:
			t.Fatal("no error event for the lost node")
		}
	}
	assert.Equal(t, victim, lost.Node)
	assert.ErrorIs(t, m.Err(), client.ErrLeaseBroken)

	valueOf(t, cc.Set(ctx, keys[survivor], "v", 0))
	timeout = time.After(5 * time.Second)
	for found := false; !found; {
		select {
		case ev, ok := <-m.Events():
			require.True(t, ok)
			require.NoError(t, ev.Err, "one error event per lost node")
			found = len(ev.Args) == 3 && ev.Args[1] == keys[survivor]
			if found {
				assert.Equal(t, survivor, ev.Node)
			}
		case <-timeout:
			t.Fatal("the surviving node's feed ended")
		}
	}
}

func TestClusterClientConn(t *testing.T) {
	c := redistest.SharedCluster(t)
	cc := openCluster(t, c, client.ClusterOptions{})
	ctx := t.Context()
	keys := keysPerPrimary(t, cc, "cconn:"+strconv.FormatInt(time.Now().UnixNano(), 36))
	for addr, k := range keys {
		cn, err := cc.Conn(ctx, k)
		require.NoError(t, err)
		valueOf(t, cn.ClientSetName(ctx, "cconn-worker"))
		assert.Equal(t, "cconn-worker", valueOf(t, cn.ClientGetName(ctx)))
		valueOf(t, cn.Set(ctx, k, "from-conn", 0))
		assert.Equal(t, "from-conn", valueOf(t, cc.Get(ctx, k)))
		// CLUSTER MYID names the node the Conn talks to.
		node := c.Node(addr)
		require.NotNil(t, node)
		id, err := node.ID()
		require.NoError(t, err)
		assert.Equal(t, id, valueOf(t, cn.ClusterMyID(ctx)))
		// A key of another node gets MOVED as an error: no redirect.
		for other, ok := range keys {
			if other == addr {
				continue
			}
			err := cn.Get(ctx, ok).Err()
			var re *resp.Error
			require.True(t, errors.As(err, &re), "got %v", err)
			assert.Equal(t, "MOVED", re.Prefix())
			assert.Contains(t, err.Error(), other)
		}
		// The connection is still there, with its name.
		assert.Equal(t, "cconn-worker", valueOf(t, cn.ClientGetName(ctx)))
		require.NoError(t, cn.Close())
		_, err = cn.Get(ctx, k).Result()
		assert.ErrorIs(t, err, client.ErrClosed)
	}
	cn, err := cc.Conn(context.Background(), "") // slot 0
	require.NoError(t, err)
	require.NoError(t, cn.Close())
}

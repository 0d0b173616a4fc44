//go:build integration

package integration

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

// The passwords of TestSentinel's data nodes and sentinels.
const (
	sentinelTestDataPassword     = "data-pw"
	sentinelTestSentinelPassword = "sentinel-pw"
)

// openFailover starts a client of set's primary (with TestSentinel's
// passwords) and closes it when the test ends.
func openFailover(t testing.TB, set *redistest.SentinelSet, opts client.SentinelOptions) *client.Client {
	t.Helper()
	if opts.MasterName == "" {
		opts.MasterName = set.Name()
	}
	if opts.SentinelAddrs == nil {
		opts.SentinelAddrs = set.SentinelAddrs()
	}
	opts.Password, opts.SentinelPassword = sentinelTestDataPassword, sentinelTestSentinelPassword
	c, err := client.NewFailover(opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// nodeGet reads key straight from node with the harness's own connection.
func nodeGet(t testing.TB, node *redistest.Server, key string) any {
	t.Helper()
	v, err := node.Do("GET", key)
	require.NoError(t, err)
	return v
}

// errorStat returns the count of error replies with prefix (INFO
// errorstats) a server has sent.
func errorStat(t testing.TB, node *redistest.Server, prefix string) int {
	t.Helper()
	info, err := node.Info("errorstats")
	require.NoError(t, err)
	v, ok := info["errorstat_"+prefix]
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimPrefix(v, "count="))
	require.NoError(t, err, "errorstat_%s:%s", prefix, v)
	return n
}

// One Sentinel set, with passwords on the data nodes and on the sentinels,
// for the commands, the errors, replica reads and a manual failover
// (SENTINEL FAILOVER: the old primary stays up and becomes a replica) with
// the first sentinel down, in that order.
func TestSentinel(t *testing.T) {
	set := redistest.StartSentinel(t,
		redistest.WithArgs("--requirepass", sentinelTestDataPassword),
		redistest.WithSentinelArgs("--requirepass", sentinelTestSentinelPassword))
	primary, replica := set.Nodes()[0], set.Nodes()[1]
	ctx := context.Background()

	t.Run("commands", func(t *testing.T) {
		for _, proto := range protocols {
			t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
				c := openFailover(t, set, client.SentinelOptions{Options: client.Options{Protocol: proto}})
				key := "sentinel:basic:" + strconv.Itoa(proto)
				require.Equal(t, "OK", valueOf(t, c.Set(ctx, key, "v1", 0)))
				assert.Equal(t, "v1", valueOf(t, c.Get(ctx, key)))
				assert.Equal(t, "v1", nodeGet(t, primary, key), "the write went to the primary")

				p := c.Pipeline()
				incr := p.Incr(ctx, key+":n")
				get := p.Get(ctx, key)
				require.NoError(t, p.Exec(ctx))
				assert.Equal(t, int64(1), incr.Val())
				assert.Equal(t, "v1", get.Val())

				cn := openConn(t, c)
				require.Equal(t, "OK", valueOf(t, cn.Set(ctx, key, "v2", 0)))
				assert.Equal(t, int64(1), valueOf(t, cn.Wait(ctx, 1, time.Second)), "WAIT 1: the replica acknowledged")

				sub, err := c.Subscribe(ctx, key+":ch")
				require.NoError(t, err)
				defer sub.Close()
				assert.Equal(t, int64(1), valueOf(t, c.Publish(ctx, key+":ch", "hi")))
				m := recv(t, sub, 5*time.Second)
				assert.Equal(t, client.KindMessage, m.Kind)
				assert.Equal(t, "hi", m.Payload)
			})
		}
	})

	t.Run("wrong master name", func(t *testing.T) {
		_, err := client.NewFailover(client.SentinelOptions{MasterName: "nosuchmaster", SentinelAddrs: set.SentinelAddrs(),
			SentinelPassword: sentinelTestSentinelPassword})
		require.Error(t, err)
		assert.ErrorIs(t, err, client.ErrMasterNotFound)
		var se *client.SentinelError
		require.ErrorAs(t, err, &se)
		assert.Contains(t, err.Error(), `"nosuchmaster"`)
		assert.Contains(t, err.Error(), set.SentinelAddrs()[0])
	})

	t.Run("wrong sentinel password", func(t *testing.T) {
		c, err := client.NewFailover(client.SentinelOptions{
			MasterName: set.Name(), SentinelAddrs: set.SentinelAddrs(), SentinelPassword: "wrong-secret",
			Options: client.Options{Password: sentinelTestDataPassword, PoolTimeout: 500 * time.Millisecond},
		})
		require.NoError(t, err, "a sentinel that refuses is not an unknown master")
		defer c.Close()
		err = c.Get(ctx, "k").Err()
		assert.ErrorIs(t, err, client.ErrSentinelUnreachable)
		assert.Contains(t, err.Error(), "WRONGPASS")
		assert.NotContains(t, err.Error(), "wrong-secret")
	})

	t.Run("missing options", func(t *testing.T) {
		_, err := client.NewFailover(client.SentinelOptions{SentinelAddrs: set.SentinelAddrs()})
		assert.ErrorIs(t, err, client.ErrInvalidArg)
		_, err = client.NewFailover(client.SentinelOptions{MasterName: set.Name()})
		assert.ErrorIs(t, err, client.ErrInvalidArg)
	})

	t.Run("one sentinel down", func(t *testing.T) {
		addrs := append([]string{closedAddr(t)}, set.SentinelAddrs()...)
		c := openFailover(t, set, client.SentinelOptions{SentinelAddrs: addrs})
		require.Equal(t, "OK", valueOf(t, c.Set(ctx, "sentinel:skip", "v", 0)))
		assert.Equal(t, "v", nodeGet(t, primary, "sentinel:skip"))
	})

	t.Run("replica reads", func(t *testing.T) {
		name := "sentinel-reads"
		c := openFailover(t, set, client.SentinelOptions{ReplicaReads: true, Options: client.Options{ClientName: name}})
		cn := openConn(t, c)
		require.Equal(t, "OK", valueOf(t, cn.Set(ctx, "sentinel:rr", "x", 0)))
		require.Equal(t, int64(1), valueOf(t, cn.Wait(ctx, 1, time.Second)))
		for range 20 {
			assert.Equal(t, "x", valueOf(t, c.Get(ctx, "sentinel:rr")))
		}
		list, err := replica.Do("CLIENT", "LIST")
		require.NoError(t, err)
		assert.Contains(t, list, "name="+name+" ", "the replica has the read connections")
		assert.Contains(t, list, "cmd=get", "GETs ran on the replica")
		assert.Equal(t, 0, errorStat(t, replica, "READONLY"), "no write reached the replica")
	})

	t.Run("all sentinels down", func(t *testing.T) {
		start := time.Now()
		c, err := client.NewFailover(client.SentinelOptions{
			MasterName: set.Name(), SentinelAddrs: []string{closedAddr(t), closedAddr(t)},
			Options: client.Options{DialTimeout: 300 * time.Millisecond, PoolTimeout: 500 * time.Millisecond},
		})
		require.NoError(t, err, "unreachable sentinels are retried by every dial, not refused at once")
		defer c.Close()
		err = c.Get(ctx, "k").Err()
		elapsed := time.Since(start)
		require.Error(t, err)
		assert.ErrorIs(t, err, client.ErrPoolTimeout)
		assert.ErrorIs(t, err, client.ErrSentinelUnreachable)
		assert.Contains(t, err.Error(), "no sentinel answered")
		assert.Less(t, elapsed, 3*time.Second, "bounded by DialTimeout and PoolTimeout")
	})

	t.Run("manual failover", func(t *testing.T) {
		name := "sentinel-manual"
		c := openFailover(t, set, client.SentinelOptions{Options: client.Options{ClientName: name}})
		sub, err := c.Subscribe(ctx, "sentinel:news")
		require.NoError(t, err)
		defer sub.Close()
		require.Equal(t, "OK", valueOf(t, c.Set(ctx, "sentinel:before", "1", 0)))
		cn := openConn(t, c)
		require.Equal(t, "PONG", valueOf(t, cn.Ping(ctx)))
		readOnlyBefore := errorStat(t, primary, "READONLY")

		// The watcher follows the first sentinel that answered, the first
		// of the list: with it gone, it must move to the next one to hear
		// of the failover (only the watcher renews the subscription and
		// breaks the Conn below).
		set.Sentinels()[0].Kill9()
		_, err = set.Sentinels()[1].Do("SENTINEL", "FAILOVER", set.Name())
		require.NoError(t, err)
		next := set.AwaitFailover(primary, 15*time.Second)
		require.Equal(t, replica.Addr(), next.Addr())

		// Writes land on the new primary once the client has moved.
		deadline := time.Now().Add(10 * time.Second)
		var lastErr error
		for i := 0; ; i++ {
			key := "sentinel:after:" + strconv.Itoa(i)
			if lastErr = c.Set(ctx, key, "v", 0).Err(); lastErr == nil {
				t.Logf("first write on the new primary after %d failed attempts", i)
				assert.Equal(t, "v", nodeGet(t, next, key))
				break
			}
			require.True(t, time.Now().Before(deadline), "no write succeeded within 10 s: %v", lastErr)
			time.Sleep(10 * time.Millisecond)
		}
		assert.Equal(t, "1", valueOf(t, c.Get(ctx, "sentinel:before")))

		// The subscription was renewed on the new primary.
		m := recv(t, sub, 10*time.Second)
		require.Equal(t, client.KindReconnected, m.Kind)
		require.Eventually(t, func() bool {
			n, err := next.Do("PUBSUB", "NUMSUB", "sentinel:news")
			l, _ := n.([]any)
			return err == nil && len(l) == 2 && l[1] == int64(1)
		}, 5*time.Second, 10*time.Millisecond, "subscribed on the new primary")
		_, err = next.Do("PUBLISH", "sentinel:news", "after")
		require.NoError(t, err)
		m = recv(t, sub, 5*time.Second)
		assert.Equal(t, client.KindMessage, m.Kind)
		assert.Equal(t, "after", m.Payload)

		// The leased connection broke with the move.
		err = cn.Ping(ctx).Err()
		assert.ErrorIs(t, err, client.ErrLeaseBroken)

		// The old primary, now a replica, got no write from the client
		// and has none of its connections.
		assert.Equal(t, readOnlyBefore, errorStat(t, primary, "READONLY"))
		list, err := primary.Do("CLIENT", "LIST")
		require.NoError(t, err)
		assert.NotContains(t, list, "name="+name+" ")
	})
}

// closedAddr returns a loopback address where nothing listens.
func closedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

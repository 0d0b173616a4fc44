//go:build integration

package integration

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

func TestCoreOrderedIncrWithoutWaiting(t *testing.T) {
	for _, proto := range protocols {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			c := openClient(t, client.Options{Protocol: proto})
			ctx := context.Background()
			key := "core:order:" + strconv.Itoa(proto)
			require.NoError(t, c.Del(ctx, key).Err())
			fs := make([]*client.Future[int64], 20000)
			for i := range fs {
				fs[i] = c.Incr(ctx, key)
			}
			for i, f := range fs {
				v, err := f.Result()
				require.NoError(t, err)
				require.Equal(t, int64(i+1), v, "future %d", i)
			}
		})
	}
}

func TestCoreThousandGoroutinesIncr(t *testing.T) {
	c := openClient(t, client.Options{})
	ctx := context.Background()
	const goroutines, each = 1000, 200
	keys := []string{"core:many:a", "core:many:b", "core:many:c"}
	require.NoError(t, c.Del(ctx, keys...).Err())
	var wg sync.WaitGroup
	var failures atomic.Int64
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if err := c.Incr(ctx, keys[(g+i)%len(keys)]).Err(); err != nil {
					failures.Add(1)
				}
			}
		}(g)
	}
	wg.Wait()
	require.Zero(t, failures.Load())
	var total int64
	for _, k := range keys {
		v, err := c.Get(ctx, k).Result()
		require.NoError(t, err)
		n, err := strconv.ParseInt(v, 10, 64)
		require.NoError(t, err)
		total += n
	}
	assert.Equal(t, int64(goroutines*each), total)
}

func TestCoreHundredThousandFuturesBeforeAwait(t *testing.T) {
	c := openClient(t, client.Options{})
	ctx := context.Background()
	const n = 100000
	sets := make([]*client.Future[string], 0, n/10)
	for i := 0; i < n/10; i++ {
		sets = append(sets, c.Set(ctx, "core:100k:"+strconv.Itoa(i), "v"+strconv.Itoa(i), 0))
	}
	gets := make([]*client.Future[string], n)
	for i := range gets {
		gets[i] = c.Get(ctx, "core:100k:"+strconv.Itoa(i%(n/10)))
	}
	for _, f := range sets {
		require.Equal(t, "OK", f.Val())
	}
	for i, f := range gets {
		v, err := f.Result()
		require.NoError(t, err)
		require.Equal(t, "v"+strconv.Itoa(i%(n/10)), v)
	}
}

func TestCoreEchoNeverCrosses(t *testing.T) {
	c := openClient(t, client.Options{PoolSize: 2})
	ctx := context.Background()
	var wg sync.WaitGroup
	var mismatches atomic.Int64
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				want := fmt.Sprintf("g:%d:%d", g, i)
				if got, err := c.Echo(ctx, want).Result(); err != nil || got != want {
					mismatches.Add(1)
				}
			}
		}(g)
	}
	wg.Wait()
	assert.Zero(t, mismatches.Load())
}

// A caller that gives up while the server is busy gets ctx.Err(); its reply
// is read and discarded, and the connection answers the next commands
// correctly.
func TestCoreCancelledWhileServerBusy(t *testing.T) {
	for _, proto := range protocols {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			srv := redistest.Start(t)
			c := openClient(t, client.Options{Addr: srv.Addr(), Protocol: proto, PoolSize: 1})
			bg := context.Background()
			require.NoError(t, c.Set(bg, "k1", "one", 0).Err())
			require.NoError(t, c.Set(bg, "k2", "two", 0).Err())
			for i := 0; i < 5; i++ {
				busy := c.Do(bg, "DEBUG", "SLEEP", "0.2")
				ctx, cancel := context.WithTimeout(bg, 20*time.Millisecond)
				_, err := c.Get(ctx, "k1").Result()
				cancel()
				require.ErrorIs(t, err, context.DeadlineExceeded)
				// The next commands on the same (only) connection.
				v2, err := c.Get(bg, "k2").Result()
				require.NoError(t, err)
				require.Equal(t, "two", v2)
				require.Equal(t, "PONG", c.Ping(bg).Val())
				v1, err := c.Get(bg, "k1").Result()
				require.NoError(t, err)
				require.Equal(t, "one", v1)
				require.NoError(t, busy.Err())
			}
		})
	}
}

// CLIENT KILL of every connection under load: commands in flight fail with
// a connection error (or succeed), never with somebody else's reply; after
// recovery every command is correct.
func TestCoreClientKillMidLoad(t *testing.T) {
	srv := redistest.Start(t)
	c := openClient(t, client.Options{Addr: srv.Addr(), PoolSize: 4})
	ctx := context.Background()
	require.Equal(t, "PONG", c.Ping(ctx).Val())
	stop := make(chan struct{})
	var wg sync.WaitGroup
	stopLoad := sync.OnceFunc(func() { close(stop); wg.Wait() })
	defer stopLoad() // however the test ends, the load stops before the client closes
	var mismatches, connErrs atomic.Int64
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				want := fmt.Sprintf("g:%d:%d", g, i)
				got, err := c.Echo(ctx, want).Result()
				switch {
				case err == nil && got != want:
					mismatches.Add(1)
				case err != nil:
					var ce *client.ConnError
					if errors.As(err, &ce) || errors.Is(err, client.ErrPoolTimeout) {
						connErrs.Add(1)
					} else {
						mismatches.Add(1)
						t.Errorf("unexpected error: %v", err)
					}
				}
			}
		}(g)
	}
	for round := 0; round < 3; round++ {
		time.Sleep(100 * time.Millisecond) // let load build up between kills
		_, err := srv.Do("CLIENT", "KILL", "TYPE", "normal")
		require.NoError(t, err)
	}
	stopLoad()
	assert.Zero(t, mismatches.Load())
	// After recovery everything is correct.
	require.Eventually(t, func() bool { return c.Ping(ctx).Err() == nil }, 5*time.Second, 10*time.Millisecond)
	for i := 0; i < 1000; i++ {
		want := "after:" + strconv.Itoa(i)
		got, err := c.Echo(ctx, want).Result()
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	t.Logf("connection errors during kills: %d", connErrs.Load())
}

func TestCoreServerRestart(t *testing.T) {
	srv := redistest.Start(t)
	c := openClient(t, client.Options{Addr: srv.Addr(), PoolTimeout: 300 * time.Millisecond})
	ctx := context.Background()
	require.NoError(t, c.Set(ctx, "k", "v", 0).Err())
	srv.Kill9()
	// While the server is down commands fail with a clear error, never hang.
	err := c.Get(ctx, "k").Err()
	require.Error(t, err)
	var ce *client.ConnError
	require.True(t, errors.As(err, &ce) || errors.Is(err, client.ErrPoolTimeout), "got %v", err)
	srv.Restart()
	require.Eventually(t, func() bool { return c.Ping(ctx).Err() == nil }, 5*time.Second, 10*time.Millisecond)
	require.NoError(t, c.Set(ctx, "k", "v2", 0).Err())
	require.Equal(t, "v2", c.Get(ctx, "k").Val())
}

func TestCorePoolTimeoutWhenNothingListens(t *testing.T) {
	srv := redistest.Start(t)
	addr := srv.Addr()
	srv.Shutdown()
	c := openClient(t, client.Options{Addr: addr, PoolTimeout: 200 * time.Millisecond, DialTimeout: 100 * time.Millisecond})
	start := time.Now()
	err := c.Ping(context.Background()).Err()
	require.ErrorIs(t, err, client.ErrPoolTimeout)
	var pe *client.PoolTimeoutError
	require.ErrorAs(t, err, &pe)
	assert.Error(t, pe.LastDialErr)
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestCoreAuthDBAndName(t *testing.T) {
	const password = "S3CRET-canary-pw"
	srv := redistest.Start(t, redistest.WithArgs("--requirepass", password))
	for _, proto := range protocols {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			c := openClient(t, client.Options{Addr: srv.Addr(), Protocol: proto, Password: password, DB: 3, ClientName: "core-test"})
			ctx := context.Background()
			require.NoError(t, c.Set(ctx, "db3key", "x", 0).Err())
			info, err := c.Do(ctx, "CLIENT", "INFO").Result()
			require.NoError(t, err)
			s, _ := info.AsString()
			assert.Contains(t, s, "db=3")
			assert.Contains(t, s, "name=core-test")
			assert.Contains(t, s, "resp="+strconv.Itoa(proto))

			bad := openClient(t, client.Options{Addr: srv.Addr(), Protocol: proto, Password: "wrong-" + password,
				PoolTimeout: 300 * time.Millisecond})
			err = bad.Ping(ctx).Err()
			require.Error(t, err)
			assert.NotContains(t, err.Error(), password)
			var he *client.HandshakeError
			require.ErrorAs(t, err, &he)
			var se *client.Error
			require.ErrorAs(t, err, &se)
			assert.Equal(t, "WRONGPASS", se.Prefix())
		})
	}
}

func TestCoreUnixSocketAndURL(t *testing.T) {
	dir := t.TempDir()
	sock := dir + "/redis.sock"
	srv := redistest.Start(t, redistest.WithArgs("--unixsocket", sock, "--unixsocketperm", "700"))
	c, err := client.NewFromURL("unix://" + sock + "?db=2")
	require.NoError(t, err)
	defer c.Close()
	ctx := context.Background()
	require.NoError(t, c.Set(ctx, "u", "1", 0).Err())
	info, err := c.Do(ctx, "CLIENT", "INFO").Result()
	require.NoError(t, err)
	s, _ := info.AsString()
	assert.Contains(t, s, "db=2")

	c2, err := client.NewFromURL("redis://" + srv.Addr() + "/2")
	require.NoError(t, err)
	defer c2.Close()
	assert.Equal(t, "1", c2.Get(ctx, "u").Val())
}

func TestCoreWrongTypeIsTypedError(t *testing.T) {
	c := openClient(t, client.Options{})
	ctx := context.Background()
	require.NoError(t, c.Del(ctx, "core:list").Err())
	require.NoError(t, c.Do(ctx, "LPUSH", "core:list", "x").Err())
	err := c.Get(ctx, "core:list").Err()
	var se *client.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "WRONGTYPE", se.Prefix())
	_, err = c.Get(ctx, "core:missing").Result()
	assert.ErrorIs(t, err, client.ErrNil)
	assert.ErrorIs(t, c.Set(ctx, "k", struct{}{}, 0).Err(), client.ErrUnsupportedArg)
}

// WAIT is a blocking command: it runs on a leased dedicated connection and
// a cancelled context ends it.
func TestCoreBlockingRunsDedicated(t *testing.T) {
	c := openClient(t, client.Options{})
	ctx := context.Background()
	n, err := c.Do(ctx, "PING").Result()
	require.NoError(t, err)
	require.Equal(t, "PONG", n.Str)
	cn, err := c.Conn(ctx)
	require.NoError(t, err)
	id1, err := cn.Do(ctx, "CLIENT", "ID").Result()
	require.NoError(t, err)
	id2, err := cn.Do(ctx, "CLIENT", "ID").Result()
	require.NoError(t, err)
	assert.Equal(t, id1.Int, id2.Int, "a Conn keeps its connection")
	require.NoError(t, cn.Close())
	assert.ErrorIs(t, cn.Ping(ctx).Err(), client.ErrClosed)
}

func TestCoreIdleAndLifetime(t *testing.T) {
	srv := redistest.Start(t)
	c := openClient(t, client.Options{Addr: srv.Addr(), PoolSize: 4, MinIdle: 1, IdleTimeout: 300 * time.Millisecond,
		HealthCheckInterval: 100 * time.Millisecond})
	ctx := context.Background()
	fs := make([]*client.Future[string], 200)
	for i := range fs {
		fs[i] = c.Echo(ctx, strconv.Itoa(i))
	}
	for i, f := range fs {
		require.Equal(t, strconv.Itoa(i), f.Val())
	}
	clients := func() int {
		info, err := srv.Info("clients")
		require.NoError(t, err)
		n, _ := strconv.Atoi(info["connected_clients"])
		return n
	}
	// Idle connections beyond MinIdle close; the harness's own probe
	// connection is counted by the server too.
	require.Eventually(t, func() bool { return clients() <= 2 }, 5*time.Second, 50*time.Millisecond)
	// And they dial again on demand.
	for i := 0; i < 100; i++ {
		require.Equal(t, "x"+strconv.Itoa(i), c.Echo(ctx, "x"+strconv.Itoa(i)).Val())
	}

	r := openClient(t, client.Options{Addr: srv.Addr(), PoolSize: 1, MaxLifetime: 200 * time.Millisecond,
		HealthCheckInterval: 50 * time.Millisecond})
	first, err := r.Do(ctx, "CLIENT", "ID").Result()
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		id, err := r.Do(ctx, "CLIENT", "ID").Result()
		return err == nil && id.Int != first.Int
	}, 5*time.Second, 20*time.Millisecond, "the connection is recycled after MaxLifetime")
}

func TestCoreCloseLeavesNoGoroutines(t *testing.T) {
	srv := redistest.Start(t)
	before := goleak.IgnoreCurrent()
	for round := 0; round < 3; round++ {
		c, err := client.New(client.Options{Addr: srv.Addr(), PoolSize: 4})
		require.NoError(t, err)
		ctx := context.Background()
		fs := make([]*client.Future[int64], 1000)
		for i := range fs {
			fs[i] = c.Incr(ctx, "core:leak")
		}
		for _, f := range fs {
			require.NoError(t, f.Err())
		}
		cn, err := c.Conn(ctx)
		require.NoError(t, err)
		require.NoError(t, cn.Ping(ctx).Err())
		require.NoError(t, cn.Close())
		// A command in flight at Close completes (with its reply or
		// ErrClosed), it never hangs.
		late := c.Do(ctx, "DEBUG", "SLEEP", "0.05")
		require.NoError(t, c.Close())
		err = late.Err()
		if err != nil {
			assert.True(t, errors.Is(err, client.ErrClosed) || errors.Is(err, client.ErrConnClosed), "got %v", err)
		}
		assert.ErrorIs(t, c.Close(), client.ErrClosed)
		assert.ErrorIs(t, c.Ping(ctx).Err(), client.ErrClosed)
	}
	goleak.VerifyNone(t, before)
}

func TestCoreSecretsStayOut(t *testing.T) {
	const password = "S3CRET-canary-opts"
	opts := client.Options{Addr: "127.0.0.1:1", Password: password}
	for _, s := range []string{opts.String(), fmt.Sprintf("%v", opts), fmt.Sprintf("%+v", opts), fmt.Sprintf("%#v", opts)} {
		assert.NotContains(t, s, password)
	}
	_, err := client.ParseURL("redis://user:" + password + "@host:notaport/x")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), password)
	assert.False(t, strings.Contains(fmt.Sprint(err), password))
}

// A blocking command sent through Do runs on a dedicated connection, and a
// cancelled context really ends it: the server has no blocked client left
// and the shared connections keep answering meanwhile.
func TestCoreCancelBlockingCommand(t *testing.T) {
	srv := redistest.Start(t)
	c := openClient(t, client.Options{Addr: srv.Addr(), PoolSize: 1})
	bg := context.Background()
	for i := 0; i < 20; i++ {
		ctx, cancel := context.WithCancel(bg)
		blpop := c.Do(ctx, "BLPOP", "core:q", "0")
		require.Equal(t, "PONG", c.Ping(bg).Val(), "the shared connection is not blocked")
		require.Eventually(t, func() bool {
			info, err := srv.Info("clients")
			return err == nil && info["blocked_clients"] == "1"
		}, 2*time.Second, time.Millisecond)
		cancel()
		_, err := blpop.Result()
		require.ErrorIs(t, err, context.Canceled)
		require.Eventually(t, func() bool {
			info, err := srv.Info("clients")
			return err == nil && info["blocked_clients"] == "0"
		}, 2*time.Second, time.Millisecond)
		require.NoError(t, c.Do(bg, "LPUSH", "core:q", "x").Err())
		n, err := c.Do(bg, "LLEN", "core:q").Result()
		require.NoError(t, err)
		require.Equal(t, int64(1), n.Int, "no element was popped for the caller that left")
		require.NoError(t, c.Del(bg, "core:q").Err())
	}
	assert.Zero(t, c.Stats().Leased)
}

// A blocking command cancelled at once, before it may even have reached
// the server: by the time the caller has ctx.Err(), the server has let go
// of it, so an element pushed afterwards stays in the list.
func TestCoreCancelBlockingImmediately(t *testing.T) {
	srv := redistest.Start(t)
	c := openClient(t, client.Options{Addr: srv.Addr()})
	bg := context.Background()
	for i := 0; i < 100; i++ {
		ctx, cancel := context.WithCancel(bg)
		f := c.Do(ctx, "BLPOP", "core:now", "0")
		if i%2 == 0 {
			cancel()
		} else {
			go cancel()
		}
		_, err := f.Result()
		require.ErrorIs(t, err, context.Canceled, "round %d", i)
		require.NoError(t, c.Do(bg, "LPUSH", "core:now", "x").Err())
		n, err := c.Do(bg, "LLEN", "core:now").Result()
		require.NoError(t, err)
		require.Equal(t, int64(1), n.Int, "round %d: nothing popped for the caller that left", i)
		require.NoError(t, c.Del(bg, "core:now").Err())
	}
}

// On a Conn, a cancelled blocking command is unblocked on the server and
// the Conn stays usable.
func TestCoreCancelBlockingOnConnKeepsIt(t *testing.T) {
	c := openClient(t, client.Options{})
	bg := context.Background()
	cn, err := c.Conn(bg)
	require.NoError(t, err)
	defer cn.Close()
	id := cn.ClientID(bg).Val()
	for i := 0; i < 10; i++ {
		ctx, cancel := context.WithCancel(bg)
		f := cn.Do(ctx, "BLPOP", "core:conn:q", "0")
		require.Eventually(t, func() bool {
			s, _ := c.Do(bg, "CLIENT", "LIST", "ID", strconv.FormatInt(id, 10)).Val().AsString()
			return strings.Contains(s, "cmd=blpop")
		}, 2*time.Second, time.Millisecond)
		cancel()
		require.ErrorIs(t, f.Err(), context.Canceled)
		require.Equal(t, id, cn.ClientID(bg).Val(), "the same connection, still usable")
	}
}

// A blocking command that completed (here by its own timeout) before its
// context was cancelled returns its result at once afterwards.
func TestCoreBlockingDoneBeforeCancel(t *testing.T) {
	c := openClient(t, client.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	f := c.Do(ctx, "BLPOP", "core:empty", "0.05")
	<-f.Done()
	cancel()
	done := make(chan error, 1)
	go func() { done <- f.Err() }()
	select {
	case err := <-done:
		assert.NoError(t, err, "the timeout reply (null) is the result")
		assert.True(t, f.Val().IsNull())
	case <-time.After(5 * time.Second):
		t.Fatal("Result hung after the command had completed")
	}
}

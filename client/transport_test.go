package client_test

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/resp"
	"github.com/actoredis/actoredis/resp/resptest"
)

// Hermetic tests of the connection machinery (handshake, FIFO, failures)
// against the scripted fake server.

func fakeClient(t *testing.T, srv *resptest.Server, opts client.Options) *client.Client {
	t.Helper()
	opts.Addr = srv.Addr()
	if opts.PoolSize == 0 {
		opts.PoolSize = 1
	}
	if opts.PoolTimeout == 0 {
		opts.PoolTimeout = time.Second
	}
	c, err := client.New(opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestHandshakeFallsBackToRESP2(t *testing.T) {
	srv := resptest.New(t, resptest.Options{RESP2Only: true, Password: "pw"})
	c := fakeClient(t, srv, client.Options{Password: "pw", ClientName: "n", DB: 2})
	require.Equal(t, "PONG", c.Ping(context.Background()).Val())
	conns := srv.Conns()
	require.Len(t, conns, 1)
	assert.Equal(t, 2, conns[0].Protocol())
	assert.Equal(t, "n", conns[0].Name())
	assert.Equal(t, 2, conns[0].DB())
	assert.Equal(t, 1, srv.CommandCount("AUTH"))
}

func TestHandshakeRESP3(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	c := fakeClient(t, srv, client.Options{ClientName: "n3"})
	require.Equal(t, "PONG", c.Ping(context.Background()).Val())
	conns := srv.Conns()
	require.Len(t, conns, 1)
	assert.Equal(t, 3, conns[0].Protocol())
	assert.Equal(t, "n3", conns[0].Name())
	assert.Zero(t, srv.CommandCount("AUTH"))
}

// A malformed reply closes the connection and fails what it carried with
// ErrProtocol; the next command goes out on a new connection.
func TestProtocolErrorClosesConnection(t *testing.T) {
	for _, raw := range []string{
		"$2\r\nabcd\r\n", // wrong terminator
		":abc\r\n",       // not a number
		"$-5\r\n",        // negative length
		"*1\r\n" + strings.Repeat("*1\r\n", 70) + ":1\r\n", // too deep
		"%1\r\n*0\r\n+v\r\n", // unhashable map key
		"?\r\n",              // unknown type
	} {
		srv := resptest.New(t, resptest.Options{})
		srv.Expect("GET", "bad").ReplyRaw(raw)
		srv.Expect("GET", "good").Reply(resp.Value{Kind: resp.KindBulkString, Str: "fine"})
		c := fakeClient(t, srv, client.Options{})
		ctx := context.Background()
		_, err := c.Get(ctx, "bad").Result()
		require.ErrorIs(t, err, client.ErrProtocol, "reply %q", raw)
		var ce *client.ConnError
		require.ErrorAs(t, err, &ce)
		assert.True(t, ce.Sent)
		v, err := c.Get(ctx, "good").Result()
		require.NoError(t, err)
		assert.Equal(t, "fine", v)
		assert.Equal(t, 2, srv.Accepted())
	}
}

// A reply that no command waits for is a protocol error: the connection is
// closed (a new one is dialed) rather than keeping a reply for the next
// caller.
func TestUnsolicitedReplyIsProtocolError(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("GET", "a").ReplyRaw("$1\r\na\r\n").Delay(30 * time.Millisecond).ReplyRaw("$5\r\nextra\r\n")
	srv.Expect("GET", "b").Reply(resp.Value{Kind: resp.KindBulkString, Str: "b"})
	c := fakeClient(t, srv, client.Options{})
	ctx := context.Background()
	require.Equal(t, "a", c.Get(ctx, "a").Val())
	require.Eventually(t, func() bool { return srv.Accepted() == 2 }, 2*time.Second, time.Millisecond,
		"the connection that got a reply for nobody is replaced")
	v, err := c.Get(ctx, "b").Result()
	require.NoError(t, err)
	assert.Equal(t, "b", v)
}

// RESP3 push frames on a command connection do not take a reply's place.
func TestPushBeforeReply(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("GET", "k").ReplyRaw(">2\r\n+invalidate\r\n*1\r\n$1\r\nk\r\n$1\r\nv\r\n")
	c := fakeClient(t, srv, client.Options{})
	v, err := c.Get(context.Background(), "k").Result()
	require.NoError(t, err)
	assert.Equal(t, "v", v)
}

// A caller that gives up gets ctx.Err(); its late reply is consumed and the
// next caller gets its own.
func TestCancelledReplyIsDiscarded(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("GET", "slow").Delay(100 * time.Millisecond).Reply(resp.Value{Kind: resp.KindBulkString, Str: "slow"})
	srv.Expect("GET", "next").Reply(resp.Value{Kind: resp.KindBulkString, Str: "next"})
	c := fakeClient(t, srv, client.Options{})
	require.Equal(t, "PONG", c.Ping(context.Background()).Val()) // connected before the clock starts
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := c.Get(ctx, "slow").Result()
	require.ErrorIs(t, err, context.DeadlineExceeded)
	v, err := c.Get(context.Background(), "next").Result()
	require.NoError(t, err)
	assert.Equal(t, "next", v)
	assert.Equal(t, 1, srv.Accepted(), "the connection stayed in sync and was kept")
}

// Commands in flight on a connection that dies fail with a ConnError that
// says they may have reached the server; nothing hangs.
func TestInFlightFailOnConnectionLoss(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("GET", "x").Delay(20 * time.Millisecond).ResetConn()
	srv.Expect("GET", "y").Always().Hang()
	c := fakeClient(t, srv, client.Options{Retry: client.RetryPolicy{MaxAttempts: 1}}) // GET would be retried
	ctx := context.Background()
	fx := c.Get(ctx, "x")
	fy := c.Get(ctx, "y")
	for _, f := range []*client.Future[string]{fx, fy} {
		_, err := f.Result()
		var ce *client.ConnError
		require.ErrorAs(t, err, &ce)
		assert.True(t, ce.Sent)
		assert.ErrorIs(t, err, client.ErrConnClosed)
	}
}

// The read timeout detects a server that stops answering.
func TestReadTimeout(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("GET", "never").Hang()
	c := fakeClient(t, srv, client.Options{ReadTimeout: 100 * time.Millisecond, Retry: client.RetryPolicy{MaxAttempts: 1}})
	start := time.Now()
	_, err := c.Get(context.Background(), "never").Result()
	var ce *client.ConnError
	require.ErrorAs(t, err, &ce)
	var ne interface{ Timeout() bool }
	require.True(t, errors.As(err, &ne) && ne.Timeout(), "got %v", err)
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestServerErrorIsTyped(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("GET", "k").ReplyError("MOVED 3999 127.0.0.1:6381")
	c := fakeClient(t, srv, client.Options{})
	err := c.Get(context.Background(), "k").Err()
	var se *client.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "MOVED", se.Prefix())
}

func TestManyGoroutinesOneConnection(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	c := fakeClient(t, srv, client.Options{})
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := 0; g < 50; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				want := string(rune('a'+g%26)) + strings.Repeat("x", i)
				got, err := c.Echo(ctx, want).Result()
				if !assert.NoError(t, err) || !assert.Equal(t, want, got) {
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestOptionsValidation(t *testing.T) {
	for _, o := range []client.Options{{Protocol: 4}, {Network: "udp"}, {DB: -1}, {PoolSize: -1}, {ReadTimeout: -time.Second}} {
		_, err := client.New(o)
		assert.ErrorIs(t, err, client.ErrInvalidArg, "%v", o)
	}
}

func TestParseURL(t *testing.T) {
	o, err := client.ParseURL("redis://u:p@example.com:6380/4?protocol=2&pool_size=7&read_timeout=250ms&client_name=x")
	require.NoError(t, err)
	assert.Equal(t, "example.com:6380", o.Addr)
	assert.Equal(t, "u", o.Username)
	assert.Equal(t, "p", o.Password)
	assert.Equal(t, 4, o.DB)
	assert.Equal(t, 2, o.Protocol)
	assert.Equal(t, 7, o.PoolSize)
	assert.Equal(t, 250*time.Millisecond, o.ReadTimeout)
	assert.Equal(t, "x", o.ClientName)
	o, err = client.ParseURL("redis://secret@h")
	require.NoError(t, err)
	assert.Equal(t, "", o.Username)
	assert.Equal(t, "secret", o.Password)
	assert.Equal(t, "h:6379", o.Addr)
	o, err = client.ParseURL("unix:///tmp/r.sock?db=3")
	require.NoError(t, err)
	assert.Equal(t, "unix", o.Network)
	assert.Equal(t, "/tmp/r.sock", o.Addr)
	assert.Equal(t, 3, o.DB)
	for _, bad := range []string{"http://h", "redis://h/x", "redis://h?db=x", "redis://h?nope=1", "unix://", "redis://h?protocol=5"} {
		_, err := client.ParseURL(bad)
		assert.ErrorIs(t, err, client.ErrInvalidURL, bad)
	}
}

func TestSlot(t *testing.T) {
	// Reference values from the Redis Cluster specification.
	assert.Equal(t, uint16(12739), client.Slot("123456789")&16383)
	assert.Equal(t, client.Slot("user1000"), client.Slot("{user1000}.following"))
	assert.Equal(t, client.Slot("{}x"), client.Slot("{}x"))
	assert.NotEqual(t, client.Slot("{}x"), client.Slot("x"))
	assert.Equal(t, uint16(15495), client.Slot("a"))
}

// The read deadline outlives the last reply; when it passes on an idle
// connection the connection is kept, not failed.
func TestIdleReadDeadlineKeepsConnection(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	c := fakeClient(t, srv, client.Options{ReadTimeout: 50 * time.Millisecond, HealthCheckInterval: time.Hour})
	ctx := context.Background()
	require.Equal(t, "x", c.Echo(ctx, "x").Val())
	idle := time.NewTimer(300 * time.Millisecond) // several deadlines pass while idle
	<-idle.C
	require.Equal(t, "y", c.Echo(ctx, "y").Val())
	assert.Equal(t, 1, srv.Accepted(), "the idle connection was kept")
}

// Idle connections are checked with PING at the health-check interval.
func TestHealthCheckPingsIdleConnections(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	c := fakeClient(t, srv, client.Options{HealthCheckInterval: 20 * time.Millisecond})
	require.NoError(t, c.Echo(context.Background(), "up").Err())
	require.Eventually(t, func() bool { return srv.CommandCount("PING") >= 2 }, 5*time.Second, 5*time.Millisecond)
}

// Dedicated connections are bounded: past MaxDedicated a lease waits up to
// PoolTimeout and then fails with ErrPoolTimeout; a release frees one.
func TestDedicatedConnectionsAreBounded(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	c := fakeClient(t, srv, client.Options{MaxDedicated: 1, PoolTimeout: 50 * time.Millisecond})
	ctx := context.Background()
	first, err := c.Conn(ctx)
	require.NoError(t, err)
	_, err = c.Conn(ctx)
	require.ErrorIs(t, err, client.ErrPoolTimeout)
	require.NoError(t, first.Close())
	second, err := c.Conn(ctx)
	require.NoError(t, err)
	assert.Equal(t, "PONG", second.Ping(ctx).Val())
	require.NoError(t, second.Close())
}

// The client's logs go to Options.Logger (protoactor's included), and a
// lost connection is logged there, without secrets.
func TestLoggerReceivesConnectionEvents(t *testing.T) {
	const password = "S3CRET-canary-log"
	srv := resptest.New(t, resptest.Options{Password: password})
	srv.Expect("GET", "k").ResetConn()
	var buf syncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := fakeClient(t, srv, client.Options{Password: password, Logger: logger, Retry: client.RetryPolicy{MaxAttempts: 1}})
	require.Error(t, c.Get(context.Background(), "k").Err())
	require.Eventually(t, func() bool { return strings.Contains(buf.String(), "connection down") }, 5*time.Second, time.Millisecond)
	assert.NotContains(t, buf.String(), password)
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// writeCounter counts the writes made on a connection.
type writeCounter struct {
	net.Conn
	writes *atomic.Int64
}

func (w writeCounter) Write(p []byte) (int, error) {
	w.writes.Add(1)
	return w.Conn.Write(p)
}

// FlushDelay holds the writer back after it is woken, so the commands
// issued meanwhile leave in one write.
func TestFlushDelayGathersCommands(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	var writes atomic.Int64
	c := fakeClient(t, srv, client.Options{
		FlushDelay: 500 * time.Millisecond,
		Dialer: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return writeCounter{conn, &writes}, nil
		},
	})
	ctx := context.Background()
	require.NoError(t, c.Ping(ctx).Err())
	before := writes.Load()
	// Commands spaced out in time: without the delay each would leave in
	// a write of its own.
	futures := make([]*client.Future[string], 10)
	for i := range futures {
		futures[i] = c.Echo(ctx, strconv.Itoa(i))
		time.Sleep(2 * time.Millisecond)
	}
	for i, f := range futures {
		got, err := f.Result()
		require.NoError(t, err)
		require.Equal(t, strconv.Itoa(i), got)
	}
	// One write, unless issuing them took longer than the delay.
	assert.LessOrEqual(t, writes.Load()-before, int64(3))
}

// A command whose context has already ended is never sent.
func TestEndedContextSendsNothing(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	c := fakeClient(t, srv, client.Options{})
	require.NoError(t, c.Ping(context.Background()).Err())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Get(ctx, "k").Result()
	require.ErrorIs(t, err, context.Canceled)
	cn, err := c.Conn(context.Background())
	require.NoError(t, err)
	defer cn.Close()
	require.ErrorIs(t, cn.Set(ctx, "k", "v", 0).Err(), context.Canceled)
	require.NoError(t, c.Ping(context.Background()).Err()) // in order after the others
	assert.Zero(t, srv.CommandCount("GET"))
	assert.Zero(t, srv.CommandCount("SET"))
}

// A transaction lost with its connection fails each of its futures with a
// ConnError named after the future's own command, as a lost pipeline run
// does, not after the MULTI or EXEC that carried the failure.
func TestTxConnErrorNamesEachCommand(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("MULTI").ReplyRaw("+OK\r\n")
	srv.Expect("GET", "a").ReplyRaw("+QUEUED\r\n")
	srv.Expect("ECHO", "b").ReplyRaw("+QUEUED\r\n")
	srv.Expect("EXEC").ResetConn()
	c := fakeClient(t, srv, client.Options{})
	ctx := context.Background()
	p := c.TxPipeline()
	get, echo := p.Get(ctx, "a"), p.Echo(ctx, "b")
	require.Error(t, p.Exec(ctx))
	for name, err := range map[string]error{"GET": get.Err(), "ECHO": echo.Err()} {
		var ce *client.ConnError
		require.ErrorAs(t, err, &ce, name)
		assert.Equal(t, name, ce.Command)
		assert.True(t, ce.Sent, name)
	}
}

// A transaction whose MULTI the server refused, even for now (LOADING,
// TRYAGAIN, ...), opened no transaction: the commands after it ran on
// their own. Their futures fail with the server's refusal of MULTI, which
// SafeToRetry does not call safe, since they may have been applied.
func TestTxMultiRefusedIsNotSafeToRetry(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("MULTI").ReplyError("TRYAGAIN Multiple keys request during rehashing of slot")
	srv.Expect("INCR", "a").ReplyRaw(":1\r\n") // ran on its own
	srv.Expect("EXEC").ReplyError("ERR EXEC without MULTI")
	c := fakeClient(t, srv, client.Options{})
	p := c.TxPipeline()
	incr := p.Incr(context.Background(), "a")
	require.Error(t, p.Exec(context.Background()))
	err := incr.Err()
	var se *client.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "TRYAGAIN", se.Prefix())
	assert.False(t, client.SafeToRetry(err), "%v", err)
}

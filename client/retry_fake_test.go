package client_test

import (
	"context"
	"errors"
	"net"
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

// Hermetic tests of the retry policy, admission control, events and reader
// panic containment, against the scripted fake server.

func bulk(s string) resp.Value { return resp.Value{Kind: resp.KindBulkString, Str: s} }

// A read whose connection is lost after it was sent is retried on the next
// connection: the caller sees the reply, never the loss.
func TestRetryReadAfterConnectionLoss(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("GET", "k").ResetConn()
	srv.Expect("GET", "k").Reply(bulk("v"))
	c := fakeClient(t, srv, client.Options{ReconnectBackoff: client.NoBackoff{}})
	v, err := c.Get(context.Background(), "k").Result()
	require.NoError(t, err)
	assert.Equal(t, "v", v)
	assert.Equal(t, 2, srv.CommandCount("GET"))
	assert.Equal(t, uint64(1), c.Stats().Retries)
}

// A write that is not idempotent is never sent twice: its caller gets an
// ambiguous error, not safe to retry.
func TestNoRetryOfAmbiguousWrite(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("INCR", "n").ResetConn()
	c := fakeClient(t, srv, client.Options{ReconnectBackoff: client.NoBackoff{}})
	_, err := c.Incr(context.Background(), "n").Result()
	require.ErrorIs(t, err, client.ErrAmbiguous)
	require.ErrorIs(t, err, client.ErrConnClosed)
	assert.False(t, client.SafeToRetry(err))
	assert.Equal(t, 1, srv.CommandCount("INCR"))
	assert.Zero(t, c.Stats().Retries)
}

// An idempotent write is not sent again by default either: a SET applied
// once, overwritten by another client and applied again by a retry would
// make the history unlinearizable. The policy's ResendIdempotent opts in
// (at least once).
func TestAmbiguousSetFailsUnlessOptedIn(t *testing.T) {
	t.Run("default", func(t *testing.T) {
		srv := resptest.New(t, resptest.Options{})
		srv.Expect("SET", "k", "v").ResetConn()
		c := fakeClient(t, srv, client.Options{ReconnectBackoff: client.NoBackoff{}})
		err := c.Set(context.Background(), "k", "v", 0).Err()
		require.ErrorIs(t, err, client.ErrAmbiguous)
		assert.False(t, client.SafeToRetry(err))
		assert.Equal(t, 1, srv.CommandCount("SET"))
		assert.Zero(t, c.Stats().Retries)
	})
	t.Run("ResendIdempotent", func(t *testing.T) {
		srv := resptest.New(t, resptest.Options{})
		srv.Expect("SET", "k", "v").ResetConn()
		srv.Expect("SET", "k", "v").Reply(resp.Value{Kind: resp.KindSimpleString, Str: "OK"})
		c := fakeClient(t, srv, client.Options{ReconnectBackoff: client.NoBackoff{},
			Retry: client.RetryPolicy{ResendIdempotent: true}})
		require.NoError(t, c.Set(context.Background(), "k", "v", 0).Err())
		assert.Equal(t, 2, srv.CommandCount("SET"))
		assert.Equal(t, uint64(1), c.Stats().Retries)
	})
	t.Run("ResendIdempotent leaves INCR alone", func(t *testing.T) {
		srv := resptest.New(t, resptest.Options{})
		srv.Expect("INCR", "n").ResetConn()
		c := fakeClient(t, srv, client.Options{ReconnectBackoff: client.NoBackoff{},
			Retry: client.RetryPolicy{ResendIdempotent: true}})
		require.ErrorIs(t, c.Incr(context.Background(), "n").Err(), client.ErrAmbiguous)
		assert.Equal(t, 1, srv.CommandCount("INCR"))
	})
}

// A command whose first try may have run (its connection was lost after
// it was read) and whose retry was then refused as transient did perhaps
// run: its error is ambiguous, never safe to retry. (Found by
// FuzzConnection.)
func TestTransientRefusalAfterAmbiguousTryIsNotSafeToRetry(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("INCR", "n").ResetConn()
	srv.Expect("INCR", "n").ReplyError("LOADING Redis is loading the dataset in memory")
	c := fakeClient(t, srv, client.Options{ReconnectBackoff: client.NoBackoff{},
		Retry: client.RetryPolicy{MaxAttempts: 2, Backoff: client.NoBackoff{}}})
	err := c.Idempotent().Incr(context.Background(), "n").Err()
	require.ErrorIs(t, err, client.ErrTransient)
	require.ErrorIs(t, err, client.ErrAmbiguous)
	var te *client.TransientError
	require.ErrorAs(t, err, &te)
	assert.True(t, te.Sent)
	assert.False(t, client.SafeToRetry(err))
	assert.Equal(t, 2, srv.CommandCount("INCR"))
}

// The per-call opt-in: the same INCR through Idempotent() is retried.
func TestIdempotentOptInIsRetried(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("INCR", "n").ResetConn()
	srv.Expect("INCR", "n").Reply(resp.Value{Kind: resp.KindInteger, Int: 1})
	c := fakeClient(t, srv, client.Options{ReconnectBackoff: client.NoBackoff{}})
	n, err := c.Idempotent().Incr(context.Background(), "n").Result()
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	assert.Equal(t, 2, srv.CommandCount("INCR"))
	assert.Equal(t, uint64(1), c.Stats().Retries)
}

// LOADING is retried with the backoff for reads; with retries off, or for
// a write, the caller gets ErrLoading, which is safe to retry (the server
// ran nothing).
func TestRetryOfTransientServerErrors(t *testing.T) {
	t.Run("read retried", func(t *testing.T) {
		srv := resptest.New(t, resptest.Options{})
		srv.Expect("GET", "k").ReplyError("LOADING Redis is loading the dataset in memory").Times(2)
		srv.Expect("GET", "k").Reply(bulk("v"))
		c := fakeClient(t, srv, client.Options{Retry: client.RetryPolicy{Backoff: client.ConstantBackoff{Delay: 5 * time.Millisecond}}})
		v, err := c.Get(context.Background(), "k").Result()
		require.NoError(t, err)
		assert.Equal(t, "v", v)
		assert.Equal(t, 3, srv.CommandCount("GET"))
		assert.Equal(t, uint64(2), c.Stats().Retries)
	})
	t.Run("retries off", func(t *testing.T) {
		srv := resptest.New(t, resptest.Options{})
		srv.Expect("GET", "k").ReplyError("LOADING Redis is loading the dataset in memory")
		c := fakeClient(t, srv, client.Options{Retry: client.RetryPolicy{MaxAttempts: 1}})
		_, err := c.Get(context.Background(), "k").Result()
		require.ErrorIs(t, err, client.ErrLoading)
		require.ErrorIs(t, err, client.ErrTransient)
		var se *client.Error
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "LOADING", se.Prefix())
		assert.True(t, client.SafeToRetry(err))
	})
	t.Run("write not retried", func(t *testing.T) {
		srv := resptest.New(t, resptest.Options{})
		srv.Expect("INCR", "n").ReplyError("LOADING Redis is loading the dataset in memory")
		c := fakeClient(t, srv, client.Options{})
		_, err := c.Incr(context.Background(), "n").Result()
		require.ErrorIs(t, err, client.ErrLoading)
		assert.True(t, client.SafeToRetry(err))
		assert.Equal(t, 1, srv.CommandCount("INCR"))
	})
	t.Run("BUSY retried for reads only", func(t *testing.T) {
		srv := resptest.New(t, resptest.Options{})
		srv.Expect("GET", "k").ReplyError("BUSY Redis is busy running a script")
		srv.Expect("GET", "k").Reply(bulk("v"))
		srv.Expect("SET", "k", "v").ReplyError("BUSY Redis is busy running a script")
		c := fakeClient(t, srv, client.Options{Retry: client.RetryPolicy{Backoff: client.NoBackoff{}}})
		assert.Equal(t, "v", c.Get(context.Background(), "k").Val())
		err := c.Set(context.Background(), "k", "v", 0).Err()
		require.ErrorIs(t, err, client.ErrTransient)
		assert.NotErrorIs(t, err, client.ErrLoading)
		assert.Equal(t, 1, srv.CommandCount("SET"))
	})
	t.Run("attempts exhausted", func(t *testing.T) {
		srv := resptest.New(t, resptest.Options{})
		srv.Expect("GET", "k").ReplyError("TRYAGAIN Multiple keys request during rehashing of slot").Always()
		c := fakeClient(t, srv, client.Options{Retry: client.RetryPolicy{MaxAttempts: 3, Backoff: client.NoBackoff{}}})
		_, err := c.Get(context.Background(), "k").Result()
		var te *client.TransientError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, 3, te.Attempts)
		assert.Contains(t, err.Error(), "gave up after 3 tries")
		assert.Equal(t, 3, srv.CommandCount("GET"))
	})
	t.Run("deadline bounds the retries", func(t *testing.T) {
		srv := resptest.New(t, resptest.Options{})
		srv.Expect("GET", "k").ReplyError("LOADING Redis is loading the dataset in memory").Always()
		c := fakeClient(t, srv, client.Options{Retry: client.RetryPolicy{MaxAttempts: 1000, Backoff: client.ConstantBackoff{Delay: 20 * time.Millisecond}}})
		require.Equal(t, "PONG", c.Ping(context.Background()).Val())
		ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		defer cancel()
		f := c.Get(ctx, "k")
		<-f.Done() // completes by itself once the next retry would pass the deadline
		_, err := f.Await(context.Background())
		require.ErrorIs(t, err, client.ErrLoading)
		assert.LessOrEqual(t, srv.CommandCount("GET"), 8)
	})
	t.Run("pipelines are not retried", func(t *testing.T) {
		srv := resptest.New(t, resptest.Options{})
		srv.Expect("GET", "k").ReplyError("LOADING Redis is loading the dataset in memory")
		c := fakeClient(t, srv, client.Options{})
		p := c.Pipeline()
		f := p.Get(context.Background(), "k")
		require.ErrorIs(t, p.Exec(context.Background()), client.ErrLoading)
		require.ErrorIs(t, f.Err(), client.ErrLoading)
		assert.Equal(t, 1, srv.CommandCount("GET"))
	})
}

// A pipeline whose connection is lost after it was sent is not retried,
// not even its reads.
func TestNoRetryOfSentPipeline(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("GET", "a").Reply(bulk("1"))
	srv.Expect("GET", "b").ResetConn()
	c := fakeClient(t, srv, client.Options{ReconnectBackoff: client.NoBackoff{}})
	p := c.Pipeline()
	fa, fb := p.Get(context.Background(), "a"), p.Get(context.Background(), "b")
	require.ErrorIs(t, p.Exec(context.Background()), client.ErrAmbiguous)
	assert.Equal(t, "1", fa.Val())
	require.ErrorIs(t, fb.Err(), client.ErrAmbiguous)
	assert.Equal(t, 2, srv.CommandCount("GET"))
}

// Past MaxPending commands on a connection, the next fails at once with
// ErrQueueFull; nothing waits without bound.
func TestQueueFull(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("GET", "slow").Delay(60 * time.Millisecond).Reply(bulk("s")).Always()
	c := fakeClient(t, srv, client.Options{MaxPending: 4})
	require.Equal(t, "PONG", c.Ping(context.Background()).Val())
	var held []*client.Future[string]
	for range 4 {
		held = append(held, c.Get(context.Background(), "slow"))
	}
	require.Eventually(t, func() bool { return c.Stats().InFlight+c.Stats().Queued == 4 }, time.Second, time.Millisecond)
	start := time.Now()
	_, err := c.Get(context.Background(), "other").Result()
	require.ErrorIs(t, err, client.ErrQueueFull)
	assert.True(t, client.SafeToRetry(err))
	assert.Less(t, time.Since(start), 50*time.Millisecond)
	assert.Equal(t, uint64(1), c.Stats().QueueFull)
	for _, f := range held {
		assert.Equal(t, "s", f.Val())
	}
}

// While no connection can be had, a command waits PoolTimeout and its
// error names what the pool waits for: connections backing off until a
// time, and the last dial error.
func TestPoolTimeoutNamesTheWait(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now
	c, err := client.New(client.Options{Addr: addr, PoolSize: 2, PoolTimeout: 200 * time.Millisecond,
		ReconnectBackoff: client.ConstantBackoff{Delay: time.Second}})
	require.NoError(t, err)
	defer c.Close()
	require.Eventually(t, func() bool { return c.Stats().BackingOff == 2 }, 2*time.Second, time.Millisecond)
	_, err = c.Get(context.Background(), "k").Result()
	var pe *client.PoolTimeoutError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 2, pe.BackingOff)
	assert.False(t, pe.NextDial.IsZero())
	assert.Error(t, pe.LastDialErr)
	assert.Contains(t, err.Error(), "backing off until")
	assert.Contains(t, err.Error(), "connection refused")
	assert.True(t, client.SafeToRetry(err))
	assert.Equal(t, uint64(1), c.Stats().Timeouts)
}

// OnEvent sees the supervision at work: up, down, restart with its delay,
// up again; the events carry no secret.
func TestOnEvent(t *testing.T) {
	const password = "S3CRET-canary-event"
	srv := resptest.New(t, resptest.Options{Password: password})
	srv.Expect("GET", "k").ResetConn()
	var mu sync.Mutex
	var kinds []client.EventKind
	var restart client.Event
	c := fakeClient(t, srv, client.Options{Password: password, Retry: client.RetryPolicy{MaxAttempts: 1},
		ReconnectBackoff: client.ConstantBackoff{Delay: 10 * time.Millisecond},
		OnEvent: func(e client.Event) {
			mu.Lock()
			defer mu.Unlock()
			kinds = append(kinds, e.Kind)
			if e.Kind == client.EventRestart {
				restart = e
			}
			assert.NotContains(t, e.String(), password)
		}})
	require.Error(t, c.Get(context.Background(), "k").Err())
	want := []client.EventKind{client.EventConnUp, client.EventConnDown, client.EventRestart, client.EventConnUp}
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(kinds) >= len(want)
	}, 2*time.Second, time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, want, kinds[:len(want)])
	assert.Equal(t, 10*time.Millisecond, restart.Delay)
	assert.Equal(t, srv.Addr(), restart.Addr)
	assert.Equal(t, 0, restart.Slot)
	assert.ErrorContains(t, restart.Err, "reset")
	assert.Equal(t, "restart", restart.Kind.String())
	assert.Equal(t, uint64(1), c.Stats().Restarts)
}

// panicConn panics inside Read, on the reader goroutine, once armed.
type panicConn struct {
	net.Conn
	armed *atomic.Bool
}

func (p panicConn) Read(b []byte) (int, error) {
	n, err := p.Conn.Read(b)
	if p.armed.Load() {
		panic("injected reader panic")
	}
	return n, err
}

// A panic in the socket reader is contained: the commands in flight fail
// at once with ErrConnPanic (never retried), the connection restarts and
// the next command succeeds.
func TestReaderPanicContained(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("GET", "k").Hang()
	var armed atomic.Bool
	var d net.Dialer
	c := fakeClient(t, srv, client.Options{ReconnectBackoff: client.NoBackoff{},
		Dialer: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return panicConn{Conn: conn, armed: &armed}, nil
		}})
	require.Equal(t, "PONG", c.Ping(context.Background()).Val())
	f := c.Get(context.Background(), "k") // the reader waits in Read for its reply
	require.Eventually(t, func() bool { return srv.CommandCount("GET") == 1 }, time.Second, time.Millisecond)
	armed.Store(true)
	start := time.Now()
	srv.Conns()[0].WriteValue(bulk("wakes the reader")) // the read panics
	_, err := f.Result()
	require.ErrorIs(t, err, client.ErrConnPanic)
	assert.False(t, client.SafeToRetry(err))
	assert.Less(t, time.Since(start), 50*time.Millisecond)
	armed.Store(false)
	assert.Equal(t, "PONG", c.Ping(context.Background()).Val())
	assert.GreaterOrEqual(t, srv.Accepted(), 2) // a dial racing the panic may panic too: contained the same way
	assert.Equal(t, 1, srv.CommandCount("GET"))
}

// firstQuick is a reconnect backoff whose first delay is short and every
// later one long.
type firstQuick struct{ calls atomic.Int32 }

func (b *firstQuick) Next(int) time.Duration {
	if b.calls.Add(1) == 1 {
		return 10 * time.Millisecond
	}
	return time.Minute
}

// Once one connection is up again, the others that are backing off
// restart at once instead of waiting out their delay.
func TestRecoveryCutsTheBackoffShort(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	var down atomic.Bool
	down.Store(true)
	var d net.Dialer
	c := fakeClient(t, srv, client.Options{PoolSize: 2, ReconnectBackoff: &firstQuick{},
		Dialer: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if down.Load() {
				return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("refused by the test")}
			}
			return d.DialContext(ctx, network, addr)
		}})
	require.Eventually(t, func() bool { return c.Stats().BackingOff == 2 }, time.Second, time.Millisecond)
	down.Store(false)
	require.Eventually(t, func() bool { return c.Stats().Usable == 2 }, 2*time.Second, time.Millisecond,
		"the second connection restarts when the first is up, not after a minute")
	assert.Equal(t, uint64(2), c.Stats().Restarts)
}

// On a dedicated connection (a Conn) nothing is retried, but a transient
// refusal is still typed.
func TestTransientErrorOnConn(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("GET", "k").ReplyError("LOADING Redis is loading the dataset in memory")
	c := fakeClient(t, srv, client.Options{})
	cn, err := c.Conn(context.Background())
	require.NoError(t, err)
	defer cn.Close()
	_, err = cn.Get(context.Background(), "k").Result()
	require.ErrorIs(t, err, client.ErrLoading)
	assert.Equal(t, 1, srv.CommandCount("GET"))
	assert.Zero(t, c.Stats().Retries)
}

// A command carried from a lost connection to the next waits for it at
// most PoolTimeout from the loss, as a new command would, then fails (each
// failed dial also counts as a try against MaxAttempts); an earlier try
// that reached the server keeps the error ambiguous.
func TestCarriedCommandWaitsAtMostPoolTimeout(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("GET", "k").ResetConn()
	var down atomic.Bool
	var d net.Dialer
	c := fakeClient(t, srv, client.Options{PoolTimeout: 200 * time.Millisecond, Retry: client.RetryPolicy{MaxAttempts: 100},
		ReconnectBackoff: client.ConstantBackoff{Delay: 20 * time.Millisecond},
		Dialer: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if down.Load() {
				return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("refused by the test")}
			}
			return d.DialContext(ctx, network, addr)
		}})
	require.Equal(t, "PONG", c.Ping(context.Background()).Val())
	down.Store(true)
	start := time.Now()
	_, err := c.Get(context.Background(), "k").Result()
	elapsed := time.Since(start)
	var ce *client.ConnError
	require.ErrorAs(t, err, &ce)
	assert.True(t, ce.Sent, "its first try reached the server")
	assert.ErrorIs(t, err, client.ErrAmbiguous)
	assert.GreaterOrEqual(t, elapsed, 200*time.Millisecond)
	assert.Less(t, elapsed, 2*time.Second)
	assert.Positive(t, c.Stats().Retries)
}

// A run whose connection is lost midway: the commands whose replies came
// keep them, the others fail with a ConnError named after their own
// command, and Discard fails what was queued with ErrDiscarded.
func TestPipelineRunLostMidway(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("GET", "a").Reply(bulk("1"))
	srv.Expect("OBJECT", "ENCODING", "b").ResetConn()
	c := fakeClient(t, srv, client.Options{ReconnectBackoff: client.NoBackoff{}})
	p := c.Pipeline()
	fa, fb, fc := p.Get(context.Background(), "a"), p.ObjectEncoding(context.Background(), "b"), p.Exists(context.Background(), "c")
	require.ErrorIs(t, p.Exec(context.Background()), client.ErrAmbiguous)
	assert.Equal(t, "1", fa.Val())
	for name, err := range map[string]error{"OBJECT ENCODING": fb.Err(), "EXISTS": fc.Err()} {
		var ce *client.ConnError
		require.ErrorAs(t, err, &ce, name)
		assert.Equal(t, name, ce.Command)
		assert.True(t, ce.Sent, name)
	}
	assert.Equal(t, "Future(EXISTS, done)", fc.String())

	p = c.Pipeline()
	fd := p.Get(context.Background(), "d")
	p.Discard()
	require.ErrorIs(t, fd.Err(), client.ErrDiscarded)
	assert.Zero(t, p.Len())
}

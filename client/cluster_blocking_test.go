package client

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/resp"
	"github.com/actoredis/actoredis/resp/resptest"
)

func popReply(c *resptest.Conn, key, val string) {
	_ = c.WriteValue(resp.Value{Kind: resp.KindArray, Elems: []resp.Value{
		{Kind: resp.KindBulkString, Str: key}, {Kind: resp.KindBulkString, Str: val}}})
}

// handleAsked makes s serve name with serve right after ASKING on the same
// connection, and answer notAsked (a MOVED) otherwise.
func handleAsked(s *resptest.Server, name, notAsked string, serve func(c *resptest.Conn)) {
	var mu sync.Mutex
	asked := map[*resptest.Conn]bool{}
	s.Handle("ASKING", func(c *resptest.Conn, _ []string) {
		mu.Lock()
		asked[c] = true
		mu.Unlock()
		_ = c.WriteValue(resp.Value{Kind: resp.KindSimpleString, Str: "OK"})
	})
	s.Handle(name, func(c *resptest.Conn, _ []string) {
		mu.Lock()
		ok := asked[c]
		asked[c] = false // ASKING covers the next command only
		mu.Unlock()
		if !ok {
			_ = c.WriteError(notAsked)
			return
		}
		serve(c)
	})
}

func TestClusterBlockingFollowsMoved(t *testing.T) {
	var owner atomic.Pointer[string]
	a, b := fakeNode(t, &owner), fakeNode(t, &owner)
	owner.Store(ptr(a.Addr()))
	slot := strconv.Itoa(int(Slot("k")))
	a.Handle("BLPOP", func(c *resptest.Conn, _ []string) { _ = c.WriteError("MOVED " + slot + " " + b.Addr()) })
	b.Handle("BLPOP", func(c *resptest.Conn, _ []string) { popReply(c, "k", "from b") })
	cc := newTestCluster(t, a.Addr(), ClusterOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := cc.MasterFor(ctx, "k")
	require.NoError(t, err)
	owner.Store(ptr(b.Addr()))
	kv, err := cc.BLPop(ctx, time.Second, "k").Result()
	require.NoError(t, err)
	require.Equal(t, KeyValue{Key: "k", Value: "from b"}, kv)
	require.EqualValues(t, 1, cc.Stats().Moved)
	require.Equal(t, 1, a.CommandCount("BLPOP"))
	require.Equal(t, 1, b.CommandCount("BLPOP"))
	// The refresh moves the slot to b: the next one goes there directly.
	require.Eventually(t, func() bool { a, _ := cc.MasterFor(ctx, "k"); return a == b.Addr() }, 5*time.Second, time.Millisecond)
	require.Equal(t, "from b", cc.BLPop(ctx, time.Second, "k").Val().Value)
	require.Equal(t, 1, a.CommandCount("BLPOP"))
}

func TestClusterBlockingFollowsAskWithAsking(t *testing.T) {
	var owner atomic.Pointer[string]
	a, b := fakeNode(t, &owner), fakeNode(t, &owner)
	owner.Store(ptr(a.Addr()))
	slot := strconv.Itoa(int(Slot("k")))
	a.Handle("BLPOP", func(c *resptest.Conn, _ []string) { _ = c.WriteError("ASK " + slot + " " + b.Addr()) })
	handleAsked(b, "BLPOP", "MOVED "+slot+" "+a.Addr(), func(c *resptest.Conn) { popReply(c, "k", "imported") })
	cc := newTestCluster(t, a.Addr(), ClusterOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for range 3 {
		kv, err := cc.BLPop(ctx, time.Second, "k").Result()
		require.NoError(t, err)
		require.Equal(t, "imported", kv.Value)
	}
	st := cc.Stats()
	require.EqualValues(t, 3, st.Ask)
	require.Zero(t, st.Moved)
	require.Equal(t, 3, b.CommandCount("ASKING"))
}

func TestClusterBlockingRedirectLimit(t *testing.T) {
	var owner atomic.Pointer[string]
	a, b := fakeNode(t, &owner), fakeNode(t, &owner)
	owner.Store(ptr(a.Addr()))
	slot := strconv.Itoa(int(Slot("k")))
	a.Handle("BLPOP", func(c *resptest.Conn, _ []string) { _ = c.WriteError("MOVED " + slot + " " + b.Addr()) })
	b.Handle("BLPOP", func(c *resptest.Conn, _ []string) { _ = c.WriteError("MOVED " + slot + " " + a.Addr()) })
	cc := newTestCluster(t, a.Addr(), ClusterOptions{MaxRedirects: 3})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := cc.BLPop(ctx, time.Second, "k").Result()
	require.ErrorIs(t, err, ErrTooManyRedirects)
	var re *RedirectError
	require.ErrorAs(t, err, &re)
	require.Equal(t, 4, a.CommandCount("BLPOP")+b.CommandCount("BLPOP"))
}

// A context cancelled while the redirected attempt blocks: the caller gets
// ctx.Err() once the server let go of the command (here its connection is
// closed: the fake knows no CLIENT UNBLOCK).
func TestClusterBlockingCancelledDuringAttempt(t *testing.T) {
	var owner atomic.Pointer[string]
	a, b := fakeNode(t, &owner), fakeNode(t, &owner)
	owner.Store(ptr(a.Addr()))
	slot := strconv.Itoa(int(Slot("k")))
	a.Handle("BLPOP", func(c *resptest.Conn, _ []string) { _ = c.WriteError("MOVED " + slot + " " + b.Addr()) })
	blocked := make(chan struct{}, 1)
	b.Handle("BLPOP", func(*resptest.Conn, []string) { blocked <- struct{}{} }) // never answers
	cc := newTestCluster(t, a.Addr(), ClusterOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	bctx, bcancel := context.WithCancel(ctx)
	f := cc.BLPop(bctx, 0, "k")
	select {
	case <-blocked:
	case <-ctx.Done():
		t.Fatal("the BLPOP never reached b")
	}
	bcancel()
	_, err := f.Result()
	require.ErrorIs(t, err, context.Canceled)
	require.True(t, f.b.cmd.IsAborted())
	select {
	case <-f.b.cmd.Cancelled:
	default:
		t.Fatal("Result returned before the cancellation was done")
	}
	// The client still works.
	b.Handle("BLPOP", func(c *resptest.Conn, _ []string) { popReply(c, "k", "v") })
	require.Equal(t, "v", cc.BLPop(ctx, time.Second, "k").Val().Value)
}

// A context cancelled between attempts: the resend never leaves.
func TestClusterBlockingCancelledBetweenAttempts(t *testing.T) {
	var owner atomic.Pointer[string]
	a, b := fakeNode(t, &owner), fakeNode(t, &owner)
	owner.Store(ptr(a.Addr()))
	slot := strconv.Itoa(int(Slot("k")))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	bctx, bcancel := context.WithCancel(ctx)
	a.Handle("BLPOP", func(c *resptest.Conn, _ []string) {
		bcancel()
		_ = c.WriteError("MOVED " + slot + " " + b.Addr())
	})
	b.Handle("BLPOP", func(c *resptest.Conn, _ []string) { popReply(c, "k", "v") })
	cc := newTestCluster(t, a.Addr(), ClusterOptions{})
	_, err := cc.BLPop(bctx, 0, "k").Result()
	require.ErrorIs(t, err, context.Canceled)
	time.Sleep(50 * time.Millisecond)
	require.Zero(t, b.CommandCount("BLPOP"))
}

// Close returns while a node the topology dropped is being retired: the
// retired node's pool is closed before its parent, the cluster actor,
// stops (before, Close could wait forever for a pool actor stopped with
// its parent before it took its closing message).
func TestClusterCloseWhileANodeRetires(t *testing.T) {
	for range 10 {
		var owner atomic.Pointer[string]
		a, b := fakeNode(t, &owner), fakeNode(t, &owner)
		owner.Store(ptr(a.Addr()))
		opts := ClusterOptions{Addrs: []string{a.Addr()}}
		opts.Node.PoolSize = 1
		cc, err := NewCluster(opts)
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err = cc.MasterFor(ctx, "k")
		require.NoError(t, err)
		_, err = cc.cl.Node(ctx, b.Addr()) // b known, so that a alone is retired
		require.NoError(t, err)
		owner.Store(ptr(b.Addr()))
		cc.Refresh()
		require.Eventually(t, func() bool { m, _ := cc.MasterFor(ctx, "k"); return m == b.Addr() }, 5*time.Second, time.Millisecond)
		require.NoError(t, cc.Close()) // a's pool may still be closing
		cancel()
	}
}

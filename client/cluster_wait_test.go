package client

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/resp"
	"github.com/actoredis/actoredis/resp/resptest"
)

// A WAIT queued after a write in a ClusterPipeline counts the replicas of
// the writes sent before it on its connection. When the write is
// redirected (MOVED) and applied on another node, the WAIT's count on the
// first connection is about nothing the caller wrote: it must not be
// handed out as an acknowledgement of the write (before the fix, WAIT
// returned a's 1 while the SET had gone to b, whose replica had nothing).
func TestClusterPipelineWaitNeverCountsARedirectedWrite(t *testing.T) {
	var owner atomic.Pointer[string]
	a, b := fakeNode(t, &owner), fakeNode(t, &owner)
	owner.Store(ptr(a.Addr()))
	slot := strconv.Itoa(int(Slot("k")))
	integer := func(n int64) func(c *resptest.Conn, _ []string) {
		return func(c *resptest.Conn, _ []string) { _ = c.WriteValue(resp.Value{Kind: resp.KindInteger, Int: n}) }
	}
	a.Handle("SET", func(c *resptest.Conn, _ []string) { _ = c.WriteError("MOVED " + slot + " " + b.Addr()) })
	a.Handle("WAIT", integer(1)) // a's replica has every write of the connection: none
	b.Handle("SET", func(c *resptest.Conn, _ []string) {
		_ = c.WriteValue(resp.Value{Kind: resp.KindSimpleString, Str: "OK"})
	})
	b.Handle("WAIT", integer(0))
	cc := newTestCluster(t, a.Addr(), ClusterOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	addr, err := cc.MasterFor(ctx, "k") // the first table: a owns everything
	require.NoError(t, err)
	require.Equal(t, a.Addr(), addr)
	owner.Store(ptr(b.Addr())) // what the refresh after MOVED reads

	p := cc.Pipeline()
	set := p.Set(ctx, "k", "v", 0)
	wait := p.Wait(ctx, 1, 100*time.Millisecond)
	_ = p.Exec(ctx)
	v, err := set.Result()
	require.NoError(t, err)
	require.Equal(t, "OK", v, "the SET followed the MOVED to b")
	_, err = wait.Result()
	require.ErrorIs(t, err, ErrWaitUncovered)
	require.Equal(t, 1, b.CommandCount("SET"))
	require.Zero(t, b.CommandCount("WAIT"), "WAIT is not sent again elsewhere: its count is about its connection")

	// Once the table names b, both go to b's connection, and the count is
	// the server's.
	require.Eventually(t, func() bool { a, _ := cc.MasterFor(ctx, "k"); return a == b.Addr() }, 5*time.Second, time.Millisecond)
	p = cc.Pipeline()
	set = p.Set(ctx, "k", "v", 0)
	wait = p.Wait(ctx, 1, 100*time.Millisecond)
	require.NoError(t, p.Exec(ctx))
	require.NoError(t, set.Err())
	n, err := wait.Result()
	require.NoError(t, err)
	require.Zero(t, n)
}

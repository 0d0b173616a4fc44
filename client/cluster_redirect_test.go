package client

import (
	"context"
	"net"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/actoredis/actoredis/resp"
	"github.com/actoredis/actoredis/resp/resptest"
)

// fakeNode is a resptest server that answers CLUSTER SHARDS with a
// topology in which owner owns every slot.
func fakeNode(t testing.TB, owner *atomic.Pointer[string]) *resptest.Server {
	t.Helper()
	s := resptest.New(t, resptest.Options{})
	s.Handle("CLUSTER", func(c *resptest.Conn, args []string) {
		host, port, _ := net.SplitHostPort(*owner.Load())
		p, _ := strconv.Atoi(port)
		b := func(v string) resp.Value { return resp.Value{Kind: resp.KindBulkString, Str: v} }
		i := func(v int64) resp.Value { return resp.Value{Kind: resp.KindInteger, Int: v} }
		node := resp.Value{Kind: resp.KindMap, Elems: []resp.Value{
			b("id"), b("n1"), b("port"), i(int64(p)), b("ip"), b(host), b("endpoint"), b(host),
			b("role"), b("master"), b("health"), b("online")}}
		shard := resp.Value{Kind: resp.KindMap, Elems: []resp.Value{
			b("slots"), {Kind: resp.KindArray, Elems: []resp.Value{i(0), i(16383)}},
			b("nodes"), {Kind: resp.KindArray, Elems: []resp.Value{node}}}}
		_ = c.WriteValue(resp.Value{Kind: resp.KindArray, Elems: []resp.Value{shard}})
	})
	return s
}

func newTestCluster(t *testing.T, seed string, opts ClusterOptions) *ClusterClient {
	t.Helper()
	opts.Addrs = []string{seed}
	opts.Node.PoolSize = 1
	cc, err := NewCluster(opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = cc.Close() })
	return cc
}

func ptr(s string) *string { return &s }

func bulkReply(c *resptest.Conn, s string) {
	_ = c.WriteValue(resp.Value{Kind: resp.KindBulkString, Str: s})
}

func TestClusterFollowsMoved(t *testing.T) {
	var owner atomic.Pointer[string]
	a, b := fakeNode(t, &owner), fakeNode(t, &owner)
	owner.Store(ptr(a.Addr()))
	slot := strconv.Itoa(int(Slot("k")))
	a.Handle("GET", func(c *resptest.Conn, _ []string) { _ = c.WriteError("MOVED " + slot + " " + b.Addr()) })
	b.Handle("GET", func(c *resptest.Conn, _ []string) { bulkReply(c, "from b") })
	cc := newTestCluster(t, a.Addr(), ClusterOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	addr, err := cc.MasterFor(ctx, "k") // the first table: a owns everything
	require.NoError(t, err)
	require.Equal(t, a.Addr(), addr)
	owner.Store(ptr(b.Addr())) // what the refresh after MOVED will read
	v, err := cc.Get(ctx, "k").Result()
	require.NoError(t, err)
	require.Equal(t, "from b", v)
	require.EqualValues(t, 1, cc.Stats().Moved)
	// The refresh moves the slot to b: later commands go there directly.
	require.Eventually(t, func() bool { a, _ := cc.MasterFor(ctx, "k"); return a == b.Addr() }, 5*time.Second, time.Millisecond)
	require.Equal(t, "from b", cc.Get(ctx, "k").Val())
	require.Equal(t, 1, a.CommandCount("GET"))
	require.Equal(t, 2, b.CommandCount("GET"))
}

func TestClusterFollowsAskWithAsking(t *testing.T) {
	var owner atomic.Pointer[string]
	a, b := fakeNode(t, &owner), fakeNode(t, &owner)
	owner.Store(ptr(a.Addr()))
	slot := strconv.Itoa(int(Slot("k")))
	a.Handle("GET", func(c *resptest.Conn, _ []string) { _ = c.WriteError("ASK " + slot + " " + b.Addr()) })
	handleAsked(b, "GET", "MOVED "+slot+" "+a.Addr(), func(c *resptest.Conn) { bulkReply(c, "imported") })
	cc := newTestCluster(t, a.Addr(), ClusterOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for range 3 {
		v, err := cc.Get(ctx, "k").Result()
		require.NoError(t, err)
		require.Equal(t, "imported", v)
	}
	st := cc.Stats()
	require.EqualValues(t, 3, st.Ask)
	require.Zero(t, st.Moved)
	addr, err := cc.MasterFor(ctx, "k")
	require.NoError(t, err)
	require.Equal(t, a.Addr(), addr, "ASK leaves the table alone")
}

func TestClusterRetriesTryAgain(t *testing.T) {
	var owner atomic.Pointer[string]
	a := fakeNode(t, &owner)
	owner.Store(ptr(a.Addr()))
	var n atomic.Int32
	a.Handle("MGET", func(c *resptest.Conn, _ []string) {
		if n.Add(1) <= 2 {
			_ = c.WriteError("TRYAGAIN Multiple keys request during rehashing of slot")
			return
		}
		_ = c.WriteValue(resp.Value{Kind: resp.KindArray, Elems: []resp.Value{{Kind: resp.KindBulkString, Str: "1"}, {Kind: resp.KindBulkString, Str: "2"}}})
	})
	cc := newTestCluster(t, a.Addr(), ClusterOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	v, err := cc.MGet(ctx, "{t}1", "{t}2").Result()
	require.NoError(t, err)
	require.Equal(t, []NullString{{"1", true}, {"2", true}}, v)
	require.EqualValues(t, 2, cc.Stats().TryAgain)
	require.EqualValues(t, 3, a.CommandCount("MGET"))
}

func TestClusterDownGivesUpAtTheDeadline(t *testing.T) {
	var owner atomic.Pointer[string]
	a := fakeNode(t, &owner)
	owner.Store(ptr(a.Addr()))
	a.Handle("GET", func(c *resptest.Conn, _ []string) { _ = c.WriteError("CLUSTERDOWN The cluster is down") })
	cc := newTestCluster(t, a.Addr(), ClusterOptions{RetryTimeout: 300 * time.Millisecond})
	require.Equal(t, "PONG", cc.Ping(context.Background()).Val())
	start := time.Now()
	_, err := cc.Get(context.Background(), "k").Result()
	var re *Error
	require.ErrorAs(t, err, &re, "the last reply, once retrying would pass RetryTimeout")
	require.Equal(t, "CLUSTERDOWN", re.Prefix())
	require.Less(t, time.Since(start), 300*time.Millisecond+100*time.Millisecond)
	require.Greater(t, a.CommandCount("GET"), 1, "retried")
}

func TestClusterRedirectLimit(t *testing.T) {
	var owner atomic.Pointer[string]
	a := fakeNode(t, &owner)
	owner.Store(ptr(a.Addr()))
	slot := strconv.Itoa(int(Slot("k")))
	a.Handle("GET", func(c *resptest.Conn, _ []string) { _ = c.WriteError("MOVED " + slot + " " + a.Addr()) })
	cc := newTestCluster(t, a.Addr(), ClusterOptions{MaxRedirects: 3})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := cc.Get(ctx, "k").Result()
	require.ErrorIs(t, err, ErrTooManyRedirects)
	var rerr *RedirectError
	require.ErrorAs(t, err, &rerr)
	require.Equal(t, "GET", rerr.Command)
	require.Contains(t, rerr.Last, "MOVED")
	require.Equal(t, 4, a.CommandCount("GET"), "the first attempt and 3 redirects")
}

func TestClusterEndedContextSendsNothing(t *testing.T) {
	var owner atomic.Pointer[string]
	a := fakeNode(t, &owner)
	owner.Store(ptr(a.Addr()))
	cc := newTestCluster(t, a.Addr(), ClusterOptions{})
	require.Equal(t, "PONG", cc.Ping(context.Background()).Val())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := cc.Set(ctx, "k", "v", 0).Result()
	require.ErrorIs(t, err, context.Canceled)
	_, err = cc.MGet(ctx, "a", "b").Result()
	require.ErrorIs(t, err, context.Canceled)
	require.Zero(t, a.CommandCount("SET")+a.CommandCount("MGET"))
}

// Close while commands wait out a CLUSTERDOWN backoff: they fail with
// ErrClosed and no goroutine of the client is left when Close returns.
func TestClusterCloseDuringBackoff(t *testing.T) {
	var owner atomic.Pointer[string]
	a := fakeNode(t, &owner)
	owner.Store(ptr(a.Addr()))
	a.Handle("GET", func(c *resptest.Conn, _ []string) { _ = c.WriteError("CLUSTERDOWN The cluster is down") })
	before := goleak.IgnoreCurrent()
	cc, err := NewCluster(ClusterOptions{Addrs: []string{a.Addr()}, RetryTimeout: time.Minute, Node: Options{PoolSize: 1}})
	require.NoError(t, err)
	require.Equal(t, "PONG", cc.Ping(context.Background()).Val())
	futures := make([]*Future[string], 20)
	for i := range futures {
		futures[i] = cc.Get(context.Background(), "k"+strconv.Itoa(i))
	}
	// Five retries each: the backoffs have grown towards their 250 ms cap.
	require.Eventually(t, func() bool { return cc.Stats().TryAgain >= 5*int64(len(futures)) }, 10*time.Second, time.Millisecond)
	require.NoError(t, cc.Close())
	goleak.VerifyNone(t, before, goleak.IgnoreAnyFunction("github.com/actoredis/actoredis/resp/resptest.(*Conn).serve"))
	for _, f := range futures {
		require.ErrorIs(t, f.Err(), ErrClosed)
	}
}

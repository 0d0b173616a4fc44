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

// BenchmarkClusterGetStableSlot measures a GET on a slot that does not
// move, awaited: the common path.
func BenchmarkClusterGetStableSlot(b *testing.B) {
	var owner atomic.Pointer[string]
	a := fakeNode(b, &owner)
	owner.Store(ptr(a.Addr()))
	a.Handle("GET", func(c *resptest.Conn, _ []string) { bulkReply(c, "v") })
	cc, err := NewCluster(ClusterOptions{Addrs: []string{a.Addr()}, Node: Options{PoolSize: 1}})
	require.NoError(b, err)
	defer cc.Close()
	ctx := context.Background()
	_, err = cc.Get(ctx, "k").Result()
	require.NoError(b, err)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := cc.Get(ctx, "k").Result(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestClusterStableSlotAllocs: the per-slot order tracking costs no
// allocation when the slot is stable.
func TestClusterStableSlotAllocs(t *testing.T) {
	var owner atomic.Pointer[string]
	a := fakeNode(t, &owner)
	owner.Store(ptr(a.Addr()))
	a.Handle("GET", func(c *resptest.Conn, _ []string) { bulkReply(c, "v") })
	cc := newTestCluster(t, a.Addr(), ClusterOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := cc.Get(ctx, "k").Result()
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(200, func() { _, _ = cc.Get(ctx, "k").Result() })
	t.Logf("cluster GET: %.1f allocs/op", allocs)
}

// TestClusterKeepsOrderThroughMoved forces the reordering: the old owner
// answers MOVED to a SET only once a GET on the same key, issued after the
// SET (not awaiting it) and routed by a refreshed table to the new owner,
// has reached the new owner, or after a grace period. The GET must run
// after the SET, and read its value.
func TestClusterKeepsOrderThroughMoved(t *testing.T) {
	t.Run("command", func(t *testing.T) {
		testKeepsOrderThroughMoved(t, func(ctx context.Context, cc *ClusterClient) *Future[string] { return cc.Get(ctx, "k") })
	})
	t.Run("pipeline", func(t *testing.T) {
		testKeepsOrderThroughMoved(t, func(ctx context.Context, cc *ClusterClient) *Future[string] {
			p := cc.Pipeline()
			f := p.Get(ctx, "k")
			p.Ping(ctx) // a keyless command in another batch
			go func() { _ = p.Exec(ctx) }()
			return f
		})
	})
}

func testKeepsOrderThroughMoved(t *testing.T, issueGet func(context.Context, *ClusterClient) *Future[string]) {
	var owner atomic.Pointer[string]
	a, b := fakeNode(t, &owner), fakeNode(t, &owner)
	owner.Store(ptr(a.Addr()))
	slot := strconv.Itoa(int(Slot("k")))
	getReachedB := make(chan struct{}, 1)
	a.Handle("SET", func(c *resptest.Conn, _ []string) {
		select {
		case <-getReachedB: // the reordering happened
		case <-time.After(300 * time.Millisecond):
		}
		_ = c.WriteError("MOVED " + slot + " " + b.Addr())
	})
	var (
		mu    sync.Mutex
		value = "old"
		ran   []string
	)
	b.Handle("SET", func(c *resptest.Conn, args []string) {
		mu.Lock()
		value = args[2]
		ran = append(ran, "SET")
		mu.Unlock()
		_ = c.WriteValue(resp.Value{Kind: resp.KindSimpleString, Str: "OK"})
	})
	b.Handle("GET", func(c *resptest.Conn, _ []string) {
		mu.Lock()
		v := value
		ran = append(ran, "GET")
		mu.Unlock()
		select {
		case getReachedB <- struct{}{}:
		default:
		}
		bulkReply(c, v)
	})
	cc := newTestCluster(t, a.Addr(), ClusterOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	addr, err := cc.MasterFor(ctx, "k")
	require.NoError(t, err)
	require.Equal(t, a.Addr(), addr)

	set := cc.Set(ctx, "k", "new", 0) // to a, which holds it
	owner.Store(ptr(b.Addr()))
	cc.Refresh()
	require.Eventually(t, func() bool { a, _ := cc.MasterFor(ctx, "k"); return a == b.Addr() }, 5*time.Second, time.Millisecond)
	get := issueGet(ctx, cc) // routed to b by the new table
	require.NoError(t, set.Err())
	v, err := get.Result()
	require.NoError(t, err)
	require.Equal(t, "new", v, "the GET ran before the SET it followed")
	mu.Lock()
	require.Equal(t, []string{"SET", "GET"}, ran)
	mu.Unlock()

	// The slot is stable again: commands go straight to b.
	require.Eventually(t, func() bool { return cc.order.state[Slot("k")].Load()&orderQueueing == 0 }, 5*time.Second, time.Millisecond)
	require.Equal(t, "new", cc.Get(ctx, "k").Val())
}

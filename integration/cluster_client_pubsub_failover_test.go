//go:build integration

package integration

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

// numSub returns PUBSUB NUMSUB of channel on one node (local to it in a
// cluster), -1 when the node does not answer.
func numSub(n *redistest.Server, channel string) int64 {
	reply, err := n.Do("PUBSUB", "NUMSUB", channel)
	if err != nil {
		return -1
	}
	if a, ok := reply.([]any); ok && len(a) == 2 {
		if v, ok := a[1].(int64); ok {
			return v
		}
	}
	return -1
}

// TestClusterPubSubSurvivesNodeKill subscribes (Subscribe, then a pattern
// added with PSubscribe) through a ClusterClient of its own 6-node
// cluster, kills -9 the node the subscription lives on while a client of
// another node publishes sequence numbers, and expects exactly one Reconnected
// event, then messages again (the pattern's too), every lost sequence
// number inside the gap the event marks, and Close to end everything.
func TestClusterPubSubSurvivesNodeKill(t *testing.T) {
	rc := redistest.StartCluster(t, 3, 1)
	leaks := goleak.IgnoreCurrent()
	opts := client.ClusterOptions{Addrs: rc.Addrs(), Node: client.Options{ReadTimeout: time.Second}}
	cc := openCluster(t, rc, opts)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	sub, err := cc.Subscribe(ctx, "feed:seq")
	require.NoError(t, err)
	require.NoError(t, sub.PSubscribe(ctx, "feedp:*"))

	// The node the subscription lives on: the one that counts it.
	var victim *redistest.Server
	for _, n := range rc.Nodes {
		if numSub(n, "feed:seq") == 1 {
			require.Nil(t, victim, "subscribed on two nodes")
			victim = n
		}
	}
	require.NotNil(t, victim, "no node counts the subscriber")
	// The publisher talks to another node: PUBLISH reaches every node.
	var pubNode *redistest.Server
	for _, n := range rc.Nodes {
		if n != victim {
			pubNode = n
			break
		}
	}
	pub, err := client.New(client.Options{Addr: pubNode.Addr()})
	require.NoError(t, err)
	defer pub.Close()

	var (
		stop      atomic.Bool
		published atomic.Int64
		failedMu  sync.Mutex
		failed    = map[int64]bool{} // publishes that returned an error
		wg        sync.WaitGroup
	)
	// However the test ends, the publisher stops before its client closes.
	defer func() { stop.Store(true); wg.Wait() }()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for seq := int64(1); !stop.Load(); seq++ {
			opCtx, opCancel := context.WithTimeout(ctx, time.Second)
			err := pub.Publish(opCtx, "feed:seq", strconv.FormatInt(seq, 10)).Err()
			opCancel()
			if err != nil {
				failedMu.Lock()
				failed[seq] = true
				failedMu.Unlock()
			}
			published.Store(seq)
			time.Sleep(2 * time.Millisecond)
		}
	}()

	var (
		got          []int64 // sequence numbers in arrival order
		reconnectIdx = -1    // len(got) when Reconnected arrived
		reconnects   int
	)
	read := func(until func() bool, what string) {
		t.Helper()
		deadline := time.After(15 * time.Second)
		for !until() {
			select {
			case m, ok := <-sub.Messages():
				require.True(t, ok, "the feed ended")
				switch m.Kind {
				case client.KindReconnected:
					reconnects++
					reconnectIdx = len(got)
				case client.KindMessage:
					seq, err := strconv.ParseInt(string(m.Payload), 10, 64)
					require.NoError(t, err)
					got = append(got, seq)
				default:
					t.Fatalf("unexpected %v", m.Kind)
				}
			case <-deadline:
				t.Fatalf("%s: not within 15 s (%d messages, %d Reconnected)", what, len(got), reconnects)
			}
		}
	}
	read(func() bool { return len(got) >= 100 }, "100 messages before the kill")
	rc.Kill9(victim)
	killedAt := time.Now()
	read(func() bool { return reconnects > 0 }, "Reconnected after the kill")
	movedAfter := time.Since(killedAt)
	before := len(got)
	read(func() bool { return len(got) >= before+100 }, "100 messages after the move")

	// The subscription lives on another node, the pattern too.
	var moved *redistest.Server
	for _, n := range rc.Nodes {
		if n != victim && numSub(n, "feed:seq") == 1 {
			moved = n
		}
	}
	require.NotNil(t, moved, "no live node counts the subscriber")
	require.NoError(t, pub.Publish(ctx, "feedp:x", "pattern").Err())
	stop.Store(true)
	wg.Wait()
	sawPattern := false
	deadline := time.After(10 * time.Second)
	for !sawPattern {
		select {
		case m, ok := <-sub.Messages():
			require.True(t, ok, "the feed ended")
			switch m.Kind {
			case client.KindPMessage:
				require.Equal(t, "pattern", string(m.Payload))
				sawPattern = true
			case client.KindMessage:
				seq, err := strconv.ParseInt(string(m.Payload), 10, 64)
				require.NoError(t, err)
				got = append(got, seq)
			case client.KindReconnected:
				reconnects++
			}
		case <-deadline:
			t.Fatal("no pattern message after the move within 10 s")
		}
	}
	// Adding and dropping channels works on the new node.
	require.NoError(t, sub.Subscribe(ctx, "feed:late"))
	require.Equal(t, int64(1), numSub(moved, "feed:late"))
	sub.Unsubscribe("feed:late")
	require.Eventually(t, func() bool { return numSub(moved, "feed:late") == 0 }, 5*time.Second, 10*time.Millisecond)

	require.Equal(t, 1, reconnects, "exactly one Reconnected")
	require.GreaterOrEqual(t, reconnectIdx, 1)
	last := got[reconnectIdx-1] // last before the gap
	first := got[reconnectIdx]  // first from the new node
	require.Less(t, last, first)
	for i := 1; i < len(got); i++ {
		require.Less(t, got[i-1], got[i], "messages out of order at %d", i)
	}
	seen := map[int64]bool{}
	for _, s := range got {
		seen[s] = true
	}
	for seq := got[0]; seq <= got[len(got)-1]; seq++ {
		if !seen[seq] && !failed[seq] {
			require.True(t, seq > last && seq < first, "sequence %d lost outside the gap (%d, %d)", seq, last, first)
		}
	}
	t.Logf("kill -9 of %s: Reconnected %v after the kill, gap of %d sequence numbers (%d..%d), %d publishes failed; %d received, now on %s",
		victim.Addr(), movedAfter.Round(time.Millisecond), first-last-1, last, first, len(failed), len(got), moved.Addr())

	// Close ends the feed exactly once and leaves no goroutine. Messages
	// published before Close may still be buffered: the channel yields them
	// and then reports closed.
	require.NoError(t, sub.Close())
	require.NoError(t, sub.Close())
	for range sub.Messages() {
	}
	require.NoError(t, pub.Close())
	require.NoError(t, cc.Close())
	goleak.VerifyNone(t, leaks)
}

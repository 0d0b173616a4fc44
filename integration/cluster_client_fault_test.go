//go:build integration

package integration

import (
	"context"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

// TestClusterReshardUnderLoad moves a slot holding 200 keys to another
// primary, key by key, while 8 goroutines read those keys and write and
// read back keys of their own in the same slot (SET then GET, the GET
// issued without awaiting the SET, alone or in one pipeline); then moves
// it back, twice over. Every read must succeed with the value written:
// ASK (during the migration) and MOVED (after it) are followed, never
// seen by the caller, and a GET never overtakes the SET before it.
func TestClusterReshardUnderLoad(t *testing.T) {
	rc := redistest.SharedCluster(t)
	cc := openCluster(t, rc, client.ClusterOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	const tag, nKeys = "{reshard}", 200
	slot := int(client.Slot(tag))
	home, away := homeAndAway(t, rc, slot)
	keys := []string{}
	for i := range nKeys {
		keys = append(keys, tag+":"+strconv.Itoa(i))
	}
	for g := range 8 {
		keys = append(keys, tag+":w"+strconv.Itoa(g))
	}
	// The cluster is shared: however the test ends, a migration left
	// under way is finished, the slot goes back to its home, every node
	// agrees on it, and the keys are deleted (this runs after the load
	// has stopped, the deferred stop being registered later).
	var migration *redistest.Migration
	defer func() {
		if migration != nil {
			if err := migration.Finish(); err != nil {
				t.Errorf("finishing the migration left under way: %v", err)
			}
		}
		if p, err := rc.PrimaryOf(slot); err == nil && p.Addr() != home.Addr() {
			if err := rc.MigrateSlot(slot, home); err != nil {
				t.Errorf("moving slot %d back home: %v", slot, err)
			}
		}
		if err := rc.WaitReady(10 * time.Second); err != nil {
			t.Errorf("the shared cluster after the test: %v", err)
		}
		cleanCtx, cleanCancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cleanCancel()
		if err := cc.Del(cleanCtx, keys...).Err(); err != nil {
			t.Errorf("deleting the test's keys: %v", err)
		}
	}()
	want := make([]string, nKeys)
	p := cc.Pipeline()
	for i := range want {
		want[i] = "v:" + strconv.Itoa(i) + ":" + strconv.FormatUint(rand.Uint64(), 36)
		p.Set(ctx, tag+":"+strconv.Itoa(i), want[i], 0)
	}
	require.NoError(t, p.Exec(ctx))

	var (
		stop               atomic.Bool
		reads, writes      atomic.Int64
		mismatches, failed atomic.Int64
		wg                 sync.WaitGroup
		firstErrMu         sync.Mutex
		firstErr           error
	)
	fail := func(err error) {
		failed.Add(1)
		firstErrMu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		firstErrMu.Unlock()
	}
	// However the test ends (a failed require included), the load stops
	// before the client is closed: a load left running would spin on the
	// closed client and take the CPU from the tests after this one.
	defer func() { stop.Store(true); wg.Wait() }()
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			own := tag + ":w" + strconv.Itoa(g)
			for n := 0; !stop.Load(); n++ {
				i := rand.IntN(nKeys)
				got, err := cc.Get(ctx, tag+":"+strconv.Itoa(i)).Result()
				reads.Add(1)
				switch {
				case err != nil:
					fail(err)
				case got != want[i]:
					mismatches.Add(1)
				}
				// The GET is issued right after the SET, not awaiting it:
				// futures on one key execute in issue order, while the slot
				// moves too. Every other round, SET;GET in one pipeline.
				v := strconv.Itoa(n)
				writes.Add(1)
				var (
					set *client.Future[string]
					get *client.Future[string]
				)
				if n%2 == 0 {
					set = cc.Set(ctx, own, v, 0)
					get = cc.Get(ctx, own)
				} else {
					p := cc.Pipeline()
					set = p.Set(ctx, own, v, 0)
					get = p.Get(ctx, own)
					_ = p.Exec(ctx) // the futures carry the outcome
				}
				if _, err := set.Result(); err != nil {
					fail(err)
				} else if got, err := get.Result(); err != nil {
					fail(err)
				} else if got != v {
					mismatches.Add(1)
				}
			}
		}()
	}

	move := func(to *redistest.Server) {
		m, err := rc.StartMigration(slot, to)
		require.NoError(t, err)
		migration = m
		for {
			n, err := m.MoveKeys(5)
			require.NoError(t, err)
			if n == 0 {
				break
			}
			// Let the readers meet keys on both sides of the migration.
			waitReads(t, &reads, 20)
		}
		require.NoError(t, m.Finish())
		migration = nil
		waitReads(t, &reads, 200)
	}
	start := time.Now()
	for range 2 {
		move(away)
		// A MOVED asks for a refresh, read off the callers' path at most
		// once per MinRefreshInterval, from any node (Finish assigns the
		// slot on the primaries only: a replica may still name the old
		// owner). The reads go on meeting MOVED, each asking for another
		// refresh, until the table names the new owner.
		followFrom := time.Now()
		require.Eventually(t, func() bool {
			a, err := cc.MasterFor(ctx, tag)
			return err == nil && a == away.Addr()
		}, 10*time.Second, 5*time.Millisecond, "the client's table follows the MOVED to %s", away.Addr())
		t.Logf("the table named the new owner %v after the 200 reads", time.Since(followFrom).Round(time.Millisecond))
		move(home)
	}
	stop.Store(true)
	wg.Wait()

	st := cc.Stats()
	t.Logf("reshard: slot %d moved away and back twice in %v; %d reads, %d write+read pairs, %d ASK and %d MOVED followed, %d mismatches, %d failures",
		slot, time.Since(start).Round(time.Millisecond), reads.Load(), writes.Load(), st.Ask, st.Moved, mismatches.Load(), failed.Load())
	require.Zero(t, mismatches.Load(), "mismatched replies")
	require.Zero(t, failed.Load(), "failed operations; first: %v", firstErr)
	require.Positive(t, st.Ask, "ASK redirects seen")
	require.Positive(t, st.Moved, "MOVED redirects seen")
	require.NoError(t, rc.WaitReady(10*time.Second))
}

// waitReads waits until n more reads have been done (bounded).
func waitReads(t *testing.T, reads *atomic.Int64, n int64) {
	t.Helper()
	target := reads.Load() + n
	deadline := time.Now().Add(10 * time.Second)
	for reads.Load() < target {
		if time.Now().After(deadline) {
			t.Fatalf("the load made no progress: %d reads", reads.Load())
		}
		time.Sleep(time.Millisecond)
	}
}

// TestClusterFailoverUnderLoad kills -9 a primary of its own 6-node
// cluster while 8 goroutines write (SET then WAIT 1 100 ms, in one
// pipeline) to keys of every primary. The replica is promoted; the same
// client must resume writing to the failed primary's slots, and every
// write that WAIT acknowledged must be readable afterwards.
func TestClusterFailoverUnderLoad(t *testing.T) {
	rc := redistest.StartCluster(t, 3, 1)
	cc := openCluster(t, rc, client.ClusterOptions{Addrs: rc.Addrs(), Node: client.Options{ReadTimeout: time.Second}})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	const victimKey = "failover"
	victimSlot := int(client.Slot(victimKey))
	victim, err := rc.PrimaryOf(victimSlot)
	require.NoError(t, err)
	victimAddr := victim.Addr()

	// A shard channel of the victim's slot: its subscription must move to
	// the promoted replica.
	shardChan := "{" + victimKey + "}:events"
	sub, err := cc.SSubscribe(ctx, shardChan)
	require.NoError(t, err)
	defer sub.Close()

	var (
		stop        atomic.Bool
		killedAt    atomic.Int64 // unix nanos
		recoveredAt atomic.Int64
		mu          sync.Mutex
		acked       = map[string]string{}
		attempts    atomic.Int64
		errs        atomic.Int64
		wg          sync.WaitGroup
	)
	// However the test ends, the load stops before the client is closed
	// (see TestClusterReshardUnderLoad).
	defer func() { stop.Store(true); wg.Wait() }()
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; !stop.Load(); n++ {
				// Every fourth key hashes with the victim's tag.
				key := "fo:" + strconv.Itoa(g) + ":" + strconv.Itoa(n)
				if n%4 == 0 {
					key = "{" + victimKey + "}:" + strconv.Itoa(g) + ":" + strconv.Itoa(n)
				}
				val := strconv.FormatUint(rand.Uint64(), 36)
				issued := time.Now().UnixNano()
				opCtx, opCancel := context.WithTimeout(ctx, 3*time.Second)
				p := cc.Pipeline()
				set := p.Set(opCtx, key, val, 0)
				wait := p.Wait(opCtx, 1, 100*time.Millisecond)
				_ = p.Exec(opCtx)
				opCancel()
				attempts.Add(1)
				if _, err := set.Result(); err != nil {
					errs.Add(1)
					continue
				}
				if k := killedAt.Load(); n%4 == 0 && k != 0 && issued > k {
					// A write issued after the victim was dead: it went
					// to the promoted replica.
					recoveredAt.CompareAndSwap(0, time.Now().UnixNano())
				}
				if w, err := wait.Result(); err == nil && w >= 1 {
					mu.Lock()
					acked[key] = val
					mu.Unlock()
				}
			}
		}()
	}
	waitAttempts(t, &attempts, 200)
	rc.Kill9(victim) // returns once the process is reaped
	killedAt.Store(time.Now().UnixNano())
	// The replica takes over (cluster-node-timeout 1 s).
	deadline := time.Now().Add(15 * time.Second)
	for {
		p, err := rc.PrimaryOf(victimSlot)
		if err == nil && p.Addr() != victimAddr {
			break
		}
		require.True(t, time.Now().Before(deadline), "no replica promoted within 15 s")
		time.Sleep(20 * time.Millisecond)
	}
	promotedAfter := time.Since(time.Unix(0, killedAt.Load()))
	for recoveredAt.Load() == 0 {
		require.True(t, time.Now().Before(deadline), "the client did not write to the promoted replica within 15 s of the kill")
		time.Sleep(5 * time.Millisecond)
	}
	waitAttempts(t, &attempts, 200)
	stop.Store(true)
	wg.Wait()

	recover := time.Duration(recoveredAt.Load() - killedAt.Load())
	st := cc.Stats()
	t.Logf("failover: replica promoted %v after kill -9 (as the harness saw it); first successful write to the failed primary's slots %v after the kill (%v after the promotion); "+
		"%d writes, %d failed during the failover, %d WAIT-acknowledged; %d retries, %d MOVED, %d refreshes",
		promotedAfter.Round(time.Millisecond), recover.Round(time.Millisecond), (recover - promotedAfter).Round(time.Millisecond), attempts.Load(), errs.Load(), len(acked),
		st.Retries, st.Moved, st.Refreshes)
	a, err := cc.MasterFor(ctx, victimKey)
	require.NoError(t, err)
	require.NotEqual(t, victimAddr, a, "the client's table names the new primary")

	// The sharded subscription moved: one Reconnected event, then the
	// messages published on the new primary.
	m := nextMessage(t, sub.Messages())
	require.Equal(t, client.KindReconnected, m.Kind)
	require.Eventually(t, func() bool {
		n, err := cc.SPublish(ctx, shardChan, "after failover").Result()
		return err == nil && n == 1
	}, 10*time.Second, 10*time.Millisecond, "the subscriber is on the promoted replica")
	m = nextMessage(t, sub.Messages())
	require.Equal(t, client.KindSMessage, m.Kind)
	require.Equal(t, "after failover", string(m.Payload))

	lost := 0
	for k, v := range acked {
		got, err := cc.Get(ctx, k).Result()
		if err != nil || got != v {
			lost++
		}
	}
	require.Zero(t, lost, "WAIT-acknowledged writes lost (of %d)", len(acked))
	require.NotEmpty(t, acked)
}

func waitAttempts(t *testing.T, n *atomic.Int64, more int64) {
	t.Helper()
	target := n.Load() + more
	deadline := time.Now().Add(20 * time.Second)
	for n.Load() < target {
		require.True(t, time.Now().Before(deadline), "the load made no progress")
		time.Sleep(2 * time.Millisecond)
	}
}

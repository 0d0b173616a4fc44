//go:build integration

package integration

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

// Tests of ClusterClient against a real 6-node cluster (3 primaries, 1
// replica each), shared by the tests of this file that leave its topology
// as they found it; the failover test starts its own.

func openCluster(t testing.TB, c *redistest.Cluster, opts client.ClusterOptions) *client.ClusterClient {
	t.Helper()
	if len(opts.Addrs) == 0 {
		opts.Addrs = c.Addrs()[:1]
	}
	cc, err := client.NewCluster(opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = cc.Close() })
	return cc
}

// spreadKeys returns n keys with prefix whose slots are owned by every
// primary (at least one key per primary when n >= 3), in key order.
func spreadKeys(prefix string, n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = prefix + ":" + strconv.Itoa(i)
	}
	return keys
}

// ownersOf counts the distinct primaries owning keys.
func ownersOf(t *testing.T, cc *client.ClusterClient, keys []string) int {
	t.Helper()
	seen := map[string]bool{}
	for _, k := range keys {
		a, err := cc.MasterFor(context.Background(), k)
		require.NoError(t, err)
		seen[a] = true
	}
	return len(seen)
}

// dropClusterKeys deletes the keys whose names start with prefix (KEYS on
// every primary, DEL split per slot), so a test run again starts from
// nothing.
func dropClusterKeys(t testing.TB, cc *client.ClusterClient, prefix string) {
	t.Helper()
	ctx := context.Background()
	keys := valueOf(t, cc.Keys(ctx, prefix+"*"))
	tagged := valueOf(t, cc.Keys(ctx, "{"+prefix+"*"))
	if all := append(keys, tagged...); len(all) > 0 {
		valueOf(t, cc.Del(ctx, all...))
	}
}

func TestClusterClientSmoke(t *testing.T) {
	rc := redistest.SharedCluster(t)
	for _, proto := range protocols {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			cc := openCluster(t, rc, client.ClusterOptions{Node: client.Options{Protocol: proto}})
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			p := "smoke" + strconv.Itoa(proto)
			k := func(s string) string { return p + ":" + s }
			dropClusterKeys(t, cc, p)
			t.Cleanup(func() { dropClusterKeys(t, cc, p) })
			require.Equal(t, 3, ownersOf(t, cc, spreadKeys(p, 12)), "the keys must spread over every primary")

			// strings, on keys of every primary
			for i, key := range spreadKeys(p+":str", 12) {
				require.Equal(t, "OK", valueOf(t, cc.Set(ctx, key, "v"+strconv.Itoa(i), time.Minute)))
			}
			for i, key := range spreadKeys(p+":str", 12) {
				require.Equal(t, "v"+strconv.Itoa(i), valueOf(t, cc.Get(ctx, key)))
			}
			require.EqualValues(t, 1, valueOf(t, cc.Incr(ctx, k("ctr"))))
			require.EqualValues(t, 3, valueOf(t, cc.Append(ctx, k("app"), "abc")))
			// lists, hashes, sets, sorted sets
			require.EqualValues(t, 2, valueOf(t, cc.LPush(ctx, k("list"), "a", "b")))
			require.Equal(t, []string{"b", "a"}, valueOf(t, cc.LRange(ctx, k("list"), 0, -1)))
			require.EqualValues(t, 2, valueOf(t, cc.HSet(ctx, k("hash"), "f1", "1", "f2", "2")))
			require.Equal(t, map[string]string{"f1": "1", "f2": "2"}, valueOf(t, cc.HGetAll(ctx, k("hash"))))
			require.EqualValues(t, 2, valueOf(t, cc.SAdd(ctx, k("set"), "x", "y")))
			members := valueOf(t, cc.SMembers(ctx, k("set")))
			slices.Sort(members)
			require.Equal(t, []string{"x", "y"}, members)
			require.EqualValues(t, 2, valueOf(t, cc.ZAdd(ctx, k("zset"), client.Z{Member: "m1", Score: 1}, client.Z{Member: "m2", Score: 2})))
			require.Equal(t, []string{"m1", "m2"}, valueOf(t, cc.ZRange(ctx, k("zset"), 0, -1)))
			// streams, HyperLogLog, geo, bitmaps
			_, err := cc.XAdd(ctx, k("stream"), "f", "v").Result()
			require.NoError(t, err)
			require.EqualValues(t, 1, valueOf(t, cc.XLen(ctx, k("stream"))))
			require.True(t, valueOf(t, cc.PFAdd(ctx, k("hll"), "a", "b", "c")))
			require.EqualValues(t, 3, valueOf(t, cc.PFCount(ctx, k("hll"))))
			require.EqualValues(t, 2, valueOf(t, cc.GeoAdd(ctx, k("geo"),
				client.GeoLocation{Name: "a", Longitude: 13.361389, Latitude: 38.115556},
				client.GeoLocation{Name: "b", Longitude: 15.087269, Latitude: 37.502669})))
			require.InDelta(t, 166274, valueOf(t, cc.GeoDist(ctx, k("geo"), "a", "b", client.GeoMeters)), 1)
			require.EqualValues(t, 0, valueOf(t, cc.SetBit(ctx, k("bits"), 7, 1)))
			require.EqualValues(t, 1, valueOf(t, cc.BitCount(ctx, k("bits"))))
			// generic: same-slot rename by hash tag, expiry, type
			tagA, tagB := "{"+p+"tag}:a", "{"+p+"tag}:b"
			valueOf(t, cc.Set(ctx, tagA, "1", 0))
			require.Equal(t, "OK", valueOf(t, cc.Rename(ctx, tagA, tagB)))
			require.True(t, valueOf(t, cc.Expire(ctx, tagB, time.Minute)))
			require.Greater(t, valueOf(t, cc.TTL(ctx, tagB)), time.Duration(0))
			require.Equal(t, "string", valueOf(t, cc.Type(ctx, tagB)))
			// scripting: EVAL routed by its key, SCRIPT LOAD broadcast so
			// EVALSHA works on every primary
			sha := valueOf(t, cc.ScriptLoad(ctx, "return redis.call('GET', KEYS[1])"))
			for i, key := range spreadKeys(p+":str", 12) {
				v := valueOf(t, cc.EvalSha(ctx, sha, []string{key}))
				require.Equal(t, "v"+strconv.Itoa(i), v.Str)
			}
			require.Equal(t, []bool{true}, valueOf(t, cc.ScriptExists(ctx, sha)))
			lib := "#!lua name=" + p + "lib\nredis.register_function('" + p + "get', function(keys) return redis.call('GET', keys[1]) end)"
			require.Equal(t, p+"lib", valueOf(t, cc.FunctionLoadWith(ctx, lib, client.FunctionLoadOptions{Replace: true})))
			for i, key := range spreadKeys(p+":str", 12) {
				v := valueOf(t, cc.FCall(ctx, p+"get", []string{key}))
				require.Equal(t, "v"+strconv.Itoa(i), v.Str)
			}
			require.Equal(t, "OK", valueOf(t, cc.FunctionDelete(ctx, p+"lib")))
			// connection, server, cluster groups (keyless: any primary)
			require.Equal(t, "PONG", valueOf(t, cc.Ping(ctx)))
			require.Equal(t, "hi", valueOf(t, cc.Echo(ctx, "hi")))
			require.Equal(t, "ok", valueOf(t, cc.ClusterInfo(ctx)).State)
			require.EqualValues(t, client.Slot(k("x")), valueOf(t, cc.ClusterKeySlot(ctx, k("x"))))
			// pub/sub: PUBLISH on any node reaches a subscriber on another
			sub, err := cc.Subscribe(ctx, p+"chan")
			require.NoError(t, err)
			defer sub.Close()
			require.EqualValues(t, 0, valueOf(t, cc.Publish(ctx, p+"other", "x")))
			valueOf(t, cc.Publish(ctx, p+"chan", "hello"))
			select {
			case m := <-sub.Messages():
				require.Equal(t, client.KindMessage, m.Kind)
				require.Equal(t, "hello", string(m.Payload))
			case <-ctx.Done():
				t.Fatal("no message")
			}
			// blocking commands run on a dedicated connection of the owner
			valueOf(t, cc.LPush(ctx, k("q"), "job"))
			kv := valueOf(t, cc.BLPop(ctx, time.Second, k("q")))
			require.Equal(t, client.KeyValue{Key: k("q"), Value: "job"}, kv)
		})
	}
}

func TestClusterMultiKeySplit(t *testing.T) {
	rc := redistest.SharedCluster(t)
	cc := openCluster(t, rc, client.ClusterOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	keys := spreadKeys("split", 20)
	require.Equal(t, 3, ownersOf(t, cc, keys))
	var pairs []any
	for i, k := range keys {
		pairs = append(pairs, k, "v"+strconv.Itoa(i))
	}
	require.Equal(t, "OK", valueOf(t, cc.MSet(ctx, pairs...)))
	got := valueOf(t, cc.MGet(ctx, append(keys, "split:missing")...))
	require.Len(t, got, len(keys)+1)
	for i := range keys {
		require.Equal(t, client.NullString{Value: "v" + strconv.Itoa(i), Valid: true}, got[i], "key %d in caller order", i)
	}
	require.False(t, got[len(keys)].Valid)
	raw := valueOf(t, cc.Do(ctx, "mget", keys[0], keys[1], keys[2]))
	require.Len(t, raw.Elems, 3, "Do splits a one-word command too")
	require.Equal(t, "v2", raw.Elems[2].Str)
	require.EqualValues(t, len(keys), valueOf(t, cc.Exists(ctx, append(keys, "split:missing")...)))
	require.EqualValues(t, len(keys), valueOf(t, cc.Touch(ctx, keys...)))
	require.EqualValues(t, 10, valueOf(t, cc.Del(ctx, keys[:10]...)))
	require.EqualValues(t, 10, valueOf(t, cc.Unlink(ctx, keys...)))
	require.EqualValues(t, 0, valueOf(t, cc.Exists(ctx, keys...)))

	_, err := cc.MSetNX(ctx, keys[0], "a", keys[1], "b").Result()
	if client.Slot(keys[0]) != client.Slot(keys[1]) {
		require.ErrorIs(t, err, client.ErrCrossSlot)
	}
	require.True(t, valueOf(t, cc.MSetNX(ctx, "{nx}:a", "1", "{nx}:b", "2")), "MSETNX within one slot")
	valueOf(t, cc.Del(ctx, "{nx}:a", "{nx}:b"))

	// Other multi-key commands across slots get the server's CROSSSLOT.
	_, err = cc.SInter(ctx, keys[0], keys[1]).Result()
	var re *client.Error
	require.ErrorAs(t, err, &re)
	require.Equal(t, "CROSSSLOT", re.Prefix())
}

func TestClusterCrossSlotTransactions(t *testing.T) {
	rc := redistest.SharedCluster(t)
	cc := openCluster(t, rc, client.ClusterOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	a, b := "xs:a", "xs:b"
	require.NotEqual(t, client.Slot(a), client.Slot(b))

	var f1, f2 *client.Future[string]
	err := cc.TxPipelined(ctx, func(p *client.ClusterPipeline) error {
		f1 = p.Set(ctx, a, "1", 0)
		f2 = p.Set(ctx, b, "1", 0)
		return nil
	})
	require.ErrorIs(t, err, client.ErrCrossSlot)
	require.ErrorIs(t, f1.Err(), client.ErrCrossSlot)
	require.ErrorIs(t, f2.Err(), client.ErrCrossSlot)
	require.EqualValues(t, 0, valueOf(t, cc.Exists(ctx, a, b)), "nothing was sent")

	err = cc.Watch(ctx, func(*client.Tx) error { return nil }, a, b)
	require.ErrorIs(t, err, client.ErrCrossSlot)

	// One slot by hash tag: the transaction and Watch work.
	ta, tb := "{xs}:a", "{xs}:b"
	var incr *client.Future[int64]
	require.NoError(t, cc.TxPipelined(ctx, func(p *client.ClusterPipeline) error {
		p.Set(ctx, ta, "1", 0)
		incr = p.Incr(ctx, tb)
		return nil
	}))
	require.EqualValues(t, 1, incr.Val())
	require.NoError(t, cc.Watch(ctx, func(tx *client.Tx) error {
		n, err := tx.Get(ctx, ta).Result()
		if err != nil {
			return err
		}
		return tx.TxPipelined(ctx, func(p *client.Pipeline) error {
			p.Set(ctx, tb, n+"0", 0)
			return nil
		})
	}, ta, tb))
	require.Equal(t, "10", valueOf(t, cc.Get(ctx, tb)))
	valueOf(t, cc.Del(ctx, ta, tb))
}

func TestClusterPipelineAcrossNodes(t *testing.T) {
	rc := redistest.SharedCluster(t)
	cc := openCluster(t, rc, client.ClusterOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	keys := spreadKeys("pipe", 300)
	require.Equal(t, 3, ownersOf(t, cc, keys))
	p := cc.Pipeline()
	sets := make([]*client.Future[string], len(keys))
	for i, k := range keys {
		sets[i] = p.Set(ctx, k, "v"+strconv.Itoa(i), time.Minute)
	}
	require.NoError(t, p.Exec(ctx))
	for _, f := range sets {
		require.Equal(t, "OK", f.Val())
	}
	gets := make([]*client.Future[string], len(keys))
	incrs := make([]*client.Future[int64], len(keys))
	require.NoError(t, cc.Pipelined(ctx, func(p *client.ClusterPipeline) error {
		for i, k := range keys {
			gets[i] = p.Get(ctx, k)
			incrs[i] = p.Incr(ctx, k+":n")
		}
		return nil
	}))
	for i := range keys {
		require.Equal(t, "v"+strconv.Itoa(i), gets[i].Val(), "reply %d in the caller's order", i)
		require.EqualValues(t, 1, incrs[i].Val())
	}
	// An error reply fails its own future only.
	valueOf(t, cc.LPush(ctx, "pipe:list", "x"))
	p = cc.Pipeline()
	bad := p.Incr(ctx, "pipe:list")
	good := p.Get(ctx, keys[0])
	err := p.Exec(ctx)
	var re *client.Error
	require.ErrorAs(t, err, &re)
	require.Equal(t, "WRONGTYPE", re.Prefix())
	require.Error(t, bad.Err())
	require.Equal(t, "v0", good.Val())
	var all []string
	for _, k := range keys {
		all = append(all, k, k+":n")
	}
	valueOf(t, cc.Del(ctx, append(all, "pipe:list")...))
}

func TestClusterScanAndBroadcast(t *testing.T) {
	rc := redistest.SharedCluster(t)
	cc := openCluster(t, rc, client.ClusterOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	keys := spreadKeys("scanme", 90)
	var pairs []any
	for _, k := range keys {
		pairs = append(pairs, k, "x")
	}
	valueOf(t, cc.MSet(ctx, pairs...))
	var seen []string
	for k, err := range cc.ScanIter(ctx, client.ScanOptions{Match: "scanme:*", Count: 10}) {
		require.NoError(t, err)
		seen = append(seen, k)
	}
	slices.Sort(seen)
	want := slices.Clone(keys)
	slices.Sort(want)
	require.Equal(t, want, slices.Compact(seen), "every key of every primary, once")

	listed := valueOf(t, cc.Keys(ctx, "scanme:*"))
	slices.Sort(listed)
	require.Equal(t, want, listed, "KEYS is the union over the primaries")

	var perNode int64
	require.NoError(t, cc.ForEachPrimary(ctx, func(ctx context.Context, c *client.Client) error {
		n, err := c.DBSize(ctx).Result()
		perNode += n
		return err
	}))
	require.Equal(t, perNode, valueOf(t, cc.DBSize(ctx)), "DBSIZE is the sum over the primaries")

	require.Equal(t, "OK", valueOf(t, cc.ScriptFlush(ctx)))
	sha := valueOf(t, cc.ScriptLoad(ctx, "return 1"))
	require.NoError(t, cc.ForEachPrimary(ctx, func(ctx context.Context, c *client.Client) error {
		ok, err := c.ScriptExists(ctx, sha).Result()
		if err == nil && !ok[0] {
			err = fmt.Errorf("script missing on a primary")
		}
		return err
	}))
	valueOf(t, cc.Unlink(ctx, keys...))
}

func TestClusterOptionsRefused(t *testing.T) {
	_, err := client.NewCluster(client.ClusterOptions{})
	require.ErrorIs(t, err, client.ErrInvalidArg)
	_, err = client.NewCluster(client.ClusterOptions{Addrs: []string{"127.0.0.1:1"}, Node: client.Options{DB: 1}})
	require.ErrorIs(t, err, client.ErrInvalidArg)
}

// getCalls sums cmdstat_get calls over the nodes whose role is role
// ("master" or "slave").
func getCalls(t *testing.T, rc *redistest.Cluster, role string) int64 {
	t.Helper()
	var sum int64
	for _, n := range rc.Nodes {
		repl, err := n.Info("replication")
		require.NoError(t, err)
		if repl["role"] != role {
			continue
		}
		stats, err := n.Info("commandstats")
		require.NoError(t, err)
		for _, f := range strings.Split(stats["cmdstat_get"], ",") {
			if v, ok := strings.CutPrefix(f, "calls="); ok {
				c, err := strconv.ParseInt(v, 10, 64)
				require.NoError(t, err)
				sum += c
			}
		}
	}
	return sum
}

func TestClusterReplicaReads(t *testing.T) {
	rc := redistest.SharedCluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	keys := spreadKeys("replicaread", 30)
	writer := openCluster(t, rc, client.ClusterOptions{})
	// The cluster is shared: the keys go however the test ends.
	defer func() {
		cleanCtx, cleanCancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cleanCancel()
		if err := writer.Del(cleanCtx, append(keys, "{replicaread}:tx")...).Err(); err != nil {
			t.Errorf("deleting the test's keys: %v", err)
		}
	}()
	// No WAIT: the keys span the primaries, and a pipeline's WAIT counts
	// only the writes sent on its own connection (ErrWaitUncovered after
	// the others); the replicas' lag is waited out below.
	p := writer.Pipeline()
	for _, k := range keys {
		p.Set(ctx, k, k, time.Minute)
	}
	require.NoError(t, p.Exec(ctx))
	for _, policy := range []client.ReadPolicy{client.ReadReplicasPreferred, client.ReadRoundRobin} {
		t.Run(policy.String(), func(t *testing.T) {
			cc := openCluster(t, rc, client.ClusterOptions{ReadFrom: policy})
			replicaBefore, primaryBefore := getCalls(t, rc, "slave"), getCalls(t, rc, "master")
			const rounds = 10
			for range rounds {
				for _, k := range keys {
					// A replica may lag by a moment right after the write.
					v, err := cc.Get(ctx, k).Result()
					for err != nil && errors.Is(err, client.ErrNil) && ctx.Err() == nil {
						v, err = cc.Get(ctx, k).Result()
					}
					require.NoError(t, err)
					require.Equal(t, k, v)
				}
			}
			// Writes still go to the primaries, with no redirect, and so do
			// transactions and pipelines with a blocking command, even when
			// they begin with a read.
			require.Equal(t, "OK", valueOf(t, cc.Set(ctx, keys[0], keys[0], time.Minute)))
			tag := "{replicaread}:tx"
			require.NoError(t, cc.TxPipelined(ctx, func(p *client.ClusterPipeline) error {
				p.Exists(ctx, tag)
				p.Set(ctx, tag, "1", time.Minute)
				return nil
			}))
			p := cc.Pipeline()
			p.Get(ctx, tag)
			p.Set(ctx, tag, "2", time.Minute)
			acks := p.Wait(ctx, 1, time.Second)
			require.NoError(t, p.Exec(ctx))
			require.EqualValues(t, 1, acks.Val(), "WAIT on the primary that took the write")
			valueOf(t, cc.Del(ctx, tag))
			require.Zero(t, cc.Stats().Moved)
			replicaReads := getCalls(t, rc, "slave") - replicaBefore
			primaryReads := getCalls(t, rc, "master") - primaryBefore
			t.Logf("%s: %d GETs on replicas, %d on primaries", policy, replicaReads, primaryReads)
			require.GreaterOrEqual(t, replicaReads, int64(rounds*len(keys)/2))
			if policy == client.ReadReplicasPreferred {
				require.GreaterOrEqual(t, replicaReads, int64(rounds*len(keys)))
			} else {
				require.Positive(t, primaryReads, "round robin reads from the primaries too")
			}
		})
	}
}

// nextMessage returns the next message or event of the feed, failing the
// test after 10 s.
func nextMessage(t *testing.T, ch <-chan client.Message) client.Message {
	t.Helper()
	select {
	case m, ok := <-ch:
		require.True(t, ok, "the feed ended")
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no message within 10 s")
		return client.Message{}
	}
}

// TestClusterShardedPubSubFollowsSlots subscribes to shard channels of
// every primary, then moves one channel's slot to another primary and
// back: after each move the feed gets a Reconnected event and the
// messages published to the new owner.
func TestClusterShardedPubSubFollowsSlots(t *testing.T) {
	rc := redistest.SharedCluster(t)
	cc := openCluster(t, rc, client.ClusterOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	chans := spreadKeys("spub", 6)
	require.Equal(t, 3, ownersOf(t, cc, chans))
	sub, err := cc.SSubscribe(ctx, chans...)
	require.NoError(t, err)
	defer sub.Close()
	for _, ch := range chans {
		require.EqualValues(t, 1, valueOf(t, cc.SPublish(ctx, ch, "hello "+ch)), "one subscriber on %s's owner", ch)
		m := nextMessage(t, sub.Messages())
		require.Equal(t, client.KindSMessage, m.Kind)
		require.Equal(t, ch, m.Channel)
		require.Equal(t, "hello "+ch, string(m.Payload))
	}

	moving := chans[0]
	slot := int(client.Slot(moving))
	home, away := homeAndAway(t, rc, slot)
	for i, to := range []*redistest.Server{away, home} {
		start := time.Now()
		require.NoError(t, rc.MigrateSlot(slot, to))
		m := nextMessage(t, sub.Messages())
		require.Equal(t, client.KindReconnected, m.Kind, "move %d: the subscriber hears of the move", i)
		t.Logf("sharded pubsub: slot %d moved to %s, subscription moved %v after the migration began",
			slot, to.Addr(), time.Since(start).Round(time.Millisecond))
		require.EqualValues(t, 1, valueOf(t, cc.SPublish(ctx, moving, "after move "+strconv.Itoa(i))), "subscribed on the new owner")
		m = nextMessage(t, sub.Messages())
		require.Equal(t, client.KindSMessage, m.Kind)
		require.Equal(t, "after move "+strconv.Itoa(i), string(m.Payload))
		// The channels that did not move still work.
		require.EqualValues(t, 1, valueOf(t, cc.SPublish(ctx, chans[1], "still")))
		require.Equal(t, "still", string(nextMessage(t, sub.Messages()).Payload))
	}
	require.NoError(t, rc.WaitReady(10*time.Second))
}

// homeAndAway returns the primary that owns slot and another primary.
func homeAndAway(t *testing.T, rc *redistest.Cluster, slot int) (home, away *redistest.Server) {
	t.Helper()
	home, err := rc.PrimaryOf(slot)
	require.NoError(t, err)
	for _, p := range rc.Primaries() {
		if p != home {
			return home, p
		}
	}
	t.Fatal("a single primary")
	return nil, nil
}

// TestClusterCloseEndsEverything closes a client with a pipeline done, a
// sharded subscription and a plain one still open: every goroutine the
// client started ends, and the feeds are closed.
func TestClusterCloseEndsEverything(t *testing.T) {
	rc := redistest.SharedCluster(t)
	before := runtime.NumGoroutine()
	cc, err := client.NewCluster(client.ClusterOptions{Addrs: rc.Addrs()[:1]})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	keys := spreadKeys("closing", 30)
	require.NoError(t, cc.Pipelined(ctx, func(p *client.ClusterPipeline) error {
		for _, k := range keys {
			p.Set(ctx, k, "x", time.Minute)
		}
		return nil
	}))
	ssub, err := cc.SSubscribe(ctx, keys[:6]...)
	require.NoError(t, err)
	sub, err := cc.Subscribe(ctx, "closing:plain")
	require.NoError(t, err)
	valueOf(t, cc.Del(ctx, keys...))
	require.NoError(t, cc.Close())
	require.ErrorIs(t, cc.Close(), client.ErrClosed)
	_, err = cc.Get(ctx, keys[0]).Result()
	require.ErrorIs(t, err, client.ErrClosed)
	for _, ch := range []<-chan client.Message{ssub.Messages(), sub.Messages()} {
		select {
		case _, ok := <-ch:
			for ok {
				_, ok = <-ch
			}
		case <-time.After(5 * time.Second):
			t.Fatal("a feed was not closed with the client")
		}
	}
	// Polled here, not with require.Eventually, whose condition runs on a
	// goroutine of its own.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("goroutines: %d before, %d after Close:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

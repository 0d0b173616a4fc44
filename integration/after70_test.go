//go:build integration

package integration

import (
	"context"
	"fmt"
	"iter"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

// The commands and arguments of Redis 7.2 and 7.4 (issue 17). Each test
// reads which server it runs on and asserts what that server does: the
// command's behaviour where the server has it, the server's own error
// where it does not (Redis 7.0 has none of them; Valkey 8.0 lacks the
// hash-field TTL family; only Valkey has ZSCAN NOSCORES). make test runs
// them on every server of the matrix (SERVER_TESTS).

// serverSince reports whether the server (name and version as
// serverIdentity reads them) is at least redisVersion when it is Redis or
// valkeyVersion when it is Valkey ("" for never). Valkey's development
// tree reports 255.255.255.
func serverSince(name, version, redisVersion, valkeyVersion string) bool {
	want := redisVersion
	if name == "valkey" {
		want = valkeyVersion
	}
	if want == "" {
		return false
	}
	return !olderThan(strings.Split(version, "."), strings.Split(want, "."))
}

func olderThan(a, b []string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, _ := strconv.Atoi(a[i])
		y, _ := strconv.Atoi(b[i])
		if x != y {
			return x < y
		}
	}
	return len(a) < len(b)
}

// onEachProtocol runs test under RESP2 and RESP3, each with a client of
// the shared server and the server's name and version.
func onEachProtocol(t *testing.T, test func(t *testing.T, c *client.Client, name, version string)) {
	for _, proto := range protocols {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			c := openClient(t, client.Options{Protocol: proto})
			name, version := serverIdentity(t, c)
			test(t, c, name, version)
		})
	}
}

// requireErrReply asserts err is the server's error reply (prefix ERR)
// and that its message matches pattern.
func requireErrReply(t *testing.T, err error, pattern string) {
	t.Helper()
	var se *client.Error
	require.ErrorAs(t, err, &se, "the server's own error, not the client's")
	assert.Equal(t, "ERR", se.Prefix())
	assert.Regexp(t, regexp.MustCompile("(?i)"+pattern), err.Error())
}

// hashTTLCalls calls every method of the hash-field TTL family once, on
// key and one field, for a server without them.
func hashTTLCalls(ctx context.Context, c *client.Client, key string) map[string]error {
	at := time.Now().Add(time.Hour)
	return map[string]error{
		"hexpire":      c.HExpire(ctx, key, time.Minute, "f").Err(),
		"hpexpire":     c.HPExpireWith(ctx, key, time.Minute, client.ExpireNX, "f").Err(),
		"hexpireat":    c.HExpireAt(ctx, key, at, "f").Err(),
		"hpexpireat":   c.HPExpireAt(ctx, key, at, "f").Err(),
		"httl":         c.HTTL(ctx, key, "f").Err(),
		"hpttl":        c.HPTTL(ctx, key, "f").Err(),
		"hexpiretime":  c.HExpireTime(ctx, key, "f").Err(),
		"hpexpiretime": c.HPExpireTime(ctx, key, "f").Err(),
		"hpersist":     c.HPersist(ctx, key, "f").Err(),
	}
}

// TestHashFieldTTL runs the hash-field expiration family (Redis 7.4+,
// Valkey 9.0+) under both protocols: set, read and remove field TTLs, the
// conditions, a time in the past deleting a field, and the replies for a
// missing field and a missing hash.
func TestHashFieldTTL(t *testing.T) {
	onEachProtocol(t, func(t *testing.T, c *client.Client, name, version string) {
		ctx := t.Context()
		key := "hfttl:" + t.Name()
		require.NoError(t, c.Del(ctx, key).Err())
		require.NoError(t, c.HSet(ctx, key, "a", 1, "b", 2, "c", 3).Err())
		if !serverSince(name, version, "7.4.0", "9.0.0") {
			for cmd, err := range hashTTLCalls(ctx, c, key) {
				requireErrReply(t, err, "unknown command '"+cmd+"'")
			}
			return
		}
		now := time.Unix(valueOf(t, c.Time(ctx)).Unix(), 0)

		assert.Equal(t, []int64{1, -2}, valueOf(t, c.HExpire(ctx, key, 100*time.Second, "a", "nosuch")))
		ttl := valueOf(t, c.HTTL(ctx, key, "a", "b", "nosuch"))
		require.Len(t, ttl, 3)
		assert.InDelta(t, 100, ttl[0], 2, "seconds left of 100")
		assert.Equal(t, []int64{-1, -2}, ttl[1:], "no expiry, no field")
		pttl := valueOf(t, c.HPTTL(ctx, key, "a"))
		assert.InDelta(t, 100_000, pttl[0], 2000, "milliseconds left")
		at := valueOf(t, c.HExpireTime(ctx, key, "a", "b"))
		assert.InDelta(t, now.Add(100*time.Second).Unix(), at[0], 2, "Unix seconds")
		assert.Equal(t, int64(-1), at[1])

		// The conditions, about each field's own expiry.
		assert.Equal(t, []int64{0, 1}, valueOf(t, c.HExpireWith(ctx, key, time.Hour, client.ExpireNX, "a", "b")),
			"NX: a has an expiry, b had none")
		assert.Equal(t, []int64{1}, valueOf(t, c.HPExpireWith(ctx, key, 2*time.Hour, client.ExpireGT, "a")))
		assert.Equal(t, []int64{0}, valueOf(t, c.HExpireWith(ctx, key, time.Minute, client.ExpireGT, "a")))
		assert.Equal(t, []int64{0}, valueOf(t, c.HExpireWith(ctx, key, time.Minute, client.ExpireXX, "c")),
			"XX: c has no expiry")
		target := now.Add(3 * time.Hour).Truncate(time.Second)
		assert.Equal(t, []int64{1}, valueOf(t, c.HPExpireAtWith(ctx, key, target, client.ExpireLT, "c")),
			"LT: no expiry counts as infinite")
		assert.Equal(t, []int64{target.UnixMilli()}, valueOf(t, c.HPExpireTime(ctx, key, "c")))
		assert.Equal(t, []int64{1}, valueOf(t, c.HExpireAt(ctx, key, target, "b")))
		assert.Equal(t, []int64{target.Unix()}, valueOf(t, c.HExpireTime(ctx, key, "b")))

		// A time in the past deletes the field at once.
		assert.Equal(t, []int64{2}, valueOf(t, c.HPExpireAt(ctx, key, now.Add(-time.Hour), "c")))
		assert.False(t, valueOf(t, c.HExists(ctx, key, "c")))

		require.NoError(t, c.HSet(ctx, key, "d", 4).Err())
		assert.Equal(t, []int64{1, -1, -2}, valueOf(t, c.HPersist(ctx, key, "a", "d", "nosuch")))
		assert.Equal(t, []int64{-1}, valueOf(t, c.HTTL(ctx, key, "a")), "persisted")

		// A TTL of zero deletes the field too; the hash goes with its
		// last field.
		assert.Equal(t, []int64{2, 2, 2}, valueOf(t, c.HPExpire(ctx, key, 0, "a", "b", "d")))
		assert.Zero(t, valueOf(t, c.Exists(ctx, key)))
		assert.Equal(t, []int64{-2, -2}, valueOf(t, c.HTTL(ctx, key, "a", "b")), "a missing hash")
	})
}

// TestHashFieldTTLCluster: the family on a ClusterClient goes to each
// hash's own slot owner, with no redirect.
func TestHashFieldTTLCluster(t *testing.T) {
	ctx := t.Context()
	rc := redistest.SharedCluster(t)
	cc := openCluster(t, rc, client.ClusterOptions{})
	name, version := clusterIdentity(t, cc)
	keys := spreadKeys("hfttl:cluster", 3)
	for _, key := range keys {
		require.NoError(t, cc.Del(ctx, key).Err())
		require.NoError(t, cc.HSet(ctx, key, "f", "v").Err())
	}
	for _, key := range keys {
		if !serverSince(name, version, "7.4.0", "9.0.0") {
			requireErrReply(t, cc.HExpire(ctx, key, time.Minute, "f").Err(), "unknown command 'hexpire'")
			continue
		}
		assert.Equal(t, []int64{1}, valueOf(t, cc.HExpire(ctx, key, time.Minute, "f")), key)
		ttl := valueOf(t, cc.HTTL(ctx, key, "f"))
		assert.InDelta(t, 60, ttl[0], 2, key)
		assert.Equal(t, []int64{1}, valueOf(t, cc.HPersist(ctx, key, "f")), key)
	}
	assert.Zero(t, cc.Stats().Moved, "each command went to its key's node")
}

// clusterIdentity reads the server of the cluster's first node.
func clusterIdentity(t *testing.T, cc *client.ClusterClient) (name, version string) {
	t.Helper()
	err := cc.ForEachPrimary(t.Context(), func(ctx context.Context, c *client.Client) error {
		name, version = serverIdentity(t, c)
		return nil
	})
	require.NoError(t, err)
	return name, version
}

// TestWaitAOF: on a server with appendonly on, the writes of a Conn are
// fsynced to the local AOF (no replica to wait for); with appendonly off a
// local count is refused. Redis 7.2+, Valkey 8.0+.
func TestWaitAOF(t *testing.T) {
	ctx := t.Context()
	srv := redistest.Start(t, redistest.WithArgs("--appendonly", "yes", "--appendfsync", "everysec"))
	c := openClient(t, client.Options{Addr: srv.Addr()})
	name, version := serverIdentity(t, c)
	if !serverSince(name, version, "7.2.0", "8.0.0") {
		requireErrReply(t, c.WaitAOF(ctx, 1, 0, time.Second).Err(), "unknown command 'waitaof'")
		return
	}
	cn, err := c.Conn(ctx)
	require.NoError(t, err)
	defer cn.Close()
	require.NoError(t, cn.Set(ctx, "waitaof:"+t.Name(), "v", 0).Err())
	got, err := cn.WaitAOF(ctx, 1, 0, 10*time.Second).Result()
	require.NoError(t, err)
	assert.Equal(t, client.WaitAOFResult{Local: 1, Replicas: 0}, got)

	off := openClient(t, client.Options{})
	requireErrReply(t, off.WaitAOF(ctx, 1, 0, time.Second).Err(), "appendonly is disabled")
	assert.Equal(t, client.WaitAOFResult{}, valueOf(t, off.WaitAOF(ctx, 0, 0, time.Millisecond)),
		"nothing to wait for: no local count asked, no replica")
}

// TestWaitAOFCluster: on a ClusterClient WAITAOF, keyless and blocking
// like WAIT, runs on a dedicated connection of one primary. The shared
// cluster has no AOF: the primary counts no local fsync, and its one
// replica, with appendonly off, acknowledges by its replication offset,
// so it counts once a new connection (which wrote nothing) asks.
func TestWaitAOFCluster(t *testing.T) {
	ctx := t.Context()
	rc := redistest.SharedCluster(t)
	cc := openCluster(t, rc, client.ClusterOptions{})
	name, version := clusterIdentity(t, cc)
	if !serverSince(name, version, "7.2.0", "8.0.0") {
		requireErrReply(t, cc.WaitAOF(ctx, 0, 0, time.Millisecond).Err(), "unknown command 'waitaof'")
		return
	}
	assert.Equal(t, client.WaitAOFResult{Local: 0, Replicas: 1}, valueOf(t, cc.WaitAOF(ctx, 0, 1, 10*time.Second)))
	requireErrReply(t, cc.WaitAOF(ctx, 1, 0, time.Millisecond).Err(), "appendonly is disabled")
}

// TestClientNoTouch: under an LFU policy a read counts as an access
// (OBJECT FREQ grows from its initial 5 at the first one), but not from a
// connection with CLIENT NO-TOUCH on. Redis 7.2+, Valkey 8.0+.
func TestClientNoTouch(t *testing.T) {
	ctx := t.Context()
	// No decay: a minute boundary between two reads must not lower the
	// counter.
	srv := redistest.Start(t, redistest.WithArgs("--maxmemory-policy", "allkeys-lfu", "--lfu-decay-time", "0"))
	c := openClient(t, client.Options{Addr: srv.Addr()})
	name, version := serverIdentity(t, c)
	cn, err := c.Conn(ctx)
	require.NoError(t, err)
	defer cn.Close()
	if !serverSince(name, version, "7.2.0", "8.0.0") {
		requireErrReply(t, cn.ClientNoTouch(ctx, true).Err(), "unknown subcommand 'no-touch'")
		return
	}
	const key = "notouch"
	require.NoError(t, c.Set(ctx, key, "v", 0).Err())
	initial := valueOf(t, c.ObjectFreq(ctx, key))
	require.Equal(t, "OK", valueOf(t, cn.ClientNoTouch(ctx, true)))
	for range 5 {
		require.Equal(t, "v", valueOf(t, cn.Get(ctx, key)))
	}
	assert.Equal(t, initial, valueOf(t, c.ObjectFreq(ctx, key)), "reads under NO-TOUCH leave the key alone")
	require.Equal(t, "OK", valueOf(t, cn.ClientNoTouch(ctx, false)))
	require.Equal(t, "v", valueOf(t, cn.Get(ctx, key)))
	assert.Greater(t, valueOf(t, c.ObjectFreq(ctx, key)), initial, "a read without NO-TOUCH counts")
}

// TestClientSetInfo: a Conn renames its own connection's library, which
// CLIENT INFO shows; the client's other connections keep actoredis.
// Redis 7.2+, Valkey 8.0+.
func TestClientSetInfo(t *testing.T) {
	ctx := t.Context()
	c := openClient(t, client.Options{})
	name, version := serverIdentity(t, c)
	cn, err := c.Conn(ctx)
	require.NoError(t, err)
	defer cn.Close()
	if !serverSince(name, version, "7.2.0", "8.0.0") {
		requireErrReply(t, cn.ClientSetInfo(ctx, client.ClientLibName, "mylib").Err(), "unknown subcommand 'setinfo'")
		return
	}
	require.Equal(t, "OK", valueOf(t, cn.ClientSetInfo(ctx, client.ClientLibName, "mylib")))
	require.Equal(t, "OK", valueOf(t, cn.ClientSetInfo(ctx, client.ClientLibVer, "1.2.3")))
	info := valueOf(t, cn.ClientInfo(ctx))
	assert.Equal(t, "mylib", info.Other["lib-name"])
	assert.Equal(t, "1.2.3", info.Other["lib-ver"])
	assert.Equal(t, "actoredis", valueOf(t, c.ClientInfo(ctx)).Other["lib-name"], "a pooled connection")
	requireErrReply(t, cn.ClientSetInfo(ctx, client.ClientLibName, "has space").Err(), "cannot contain spaces")
}

// TestClusterMyShardID: every node of the cluster names its shard, one
// ID shared by a primary and its replica, distinct between primaries; a
// standalone server refuses it. Redis 7.2+, Valkey 8.0+.
func TestClusterMyShardID(t *testing.T) {
	ctx := t.Context()
	c := openClient(t, client.Options{})
	name, version := serverIdentity(t, c)
	if !serverSince(name, version, "7.2.0", "8.0.0") {
		requireErrReply(t, c.ClusterMyShardID(ctx).Err(), "unknown subcommand 'myshardid'")
		return
	}
	requireErrReply(t, c.ClusterMyShardID(ctx).Err(), "cluster support disabled")

	rc := redistest.SharedCluster(t)
	nodes := make([]*client.Client, len(rc.Addrs()))
	for i, addr := range rc.Addrs() {
		nodes[i] = openClient(t, client.Options{Addr: addr})
	}
	// A replica learns its primary's shard ID from the cluster bus: wait
	// for every node to agree.
	var shards map[string]int
	require.Eventually(t, func() bool {
		shards = map[string]int{}
		for _, n := range nodes {
			id, err := n.ClusterMyShardID(ctx).Result()
			if err != nil {
				return false
			}
			shards[id]++
		}
		return len(shards) == 3
	}, 10*time.Second, 20*time.Millisecond, "3 shards of 2 nodes each: %v", shards)
	for id, n := range shards {
		assert.Regexp(t, "^[0-9a-f]{40}$", id)
		assert.Equal(t, 2, n, "a primary and its replica share %s", id)
	}
	cc := openCluster(t, rc, client.ClusterOptions{})
	assert.Contains(t, shards, valueOf(t, cc.ClusterMyShardID(ctx)), "a ClusterClient asks one of the nodes")
}

// TestZRankWithScore: ZRANK and ZREVRANK with WITHSCORE return the score
// too, ErrNil for a missing member. Redis 7.2+, Valkey 8.0+.
func TestZRankWithScore(t *testing.T) {
	onEachProtocol(t, func(t *testing.T, c *client.Client, name, version string) {
		ctx := t.Context()
		key := "zrankws:" + t.Name()
		require.NoError(t, c.Del(ctx, key).Err())
		require.NoError(t, c.ZAdd(ctx, key, client.Z{Member: "a", Score: 1.5}, client.Z{Member: "b", Score: 2.5}).Err())
		if !serverSince(name, version, "7.2.0", "8.0.0") {
			requireErrReply(t, c.ZRankWithScore(ctx, key, "a").Err(), "wrong number of arguments for 'zrank'")
			requireErrReply(t, c.ZRevRankWithScore(ctx, key, "a").Err(), "wrong number of arguments for 'zrevrank'")
			return
		}
		assert.Equal(t, client.RankScore{Rank: 0, Score: 1.5}, valueOf(t, c.ZRankWithScore(ctx, key, "a")))
		assert.Equal(t, client.RankScore{Rank: 0, Score: 2.5}, valueOf(t, c.ZRevRankWithScore(ctx, key, "b")))
		assert.ErrorIs(t, c.ZRankWithScore(ctx, key, "nosuch").Err(), client.ErrNil)
		assert.ErrorIs(t, c.ZRevRankWithScore(ctx, key+":none", "a").Err(), client.ErrNil)
	})
}

// scanWithout is a test of a SCAN-family option that leaves out the
// elements' values: on a collection of 300 elements (past the compact
// encodings, so the scan has real pages), the walk yields every element
// once, each without its value; a server without the option refuses it.
type scanWithout struct {
	redisSince, valkeySince string // the servers that have the option
	// fill makes the collection at key, elements e0 to e299.
	fill func(ctx context.Context, c *client.Client, key string, n int) error
	// first sends the first page with the option.
	first func(ctx context.Context, c *client.Client, key string) error
	// walk yields each element's name, and an error for one that came
	// with its value.
	walk func(ctx context.Context, c *client.Client, key string) iter.Seq2[string, error]
}

func (sw scanWithout) run(t *testing.T) {
	onEachProtocol(t, func(t *testing.T, c *client.Client, name, version string) {
		ctx := t.Context()
		key := "scanwithout:" + t.Name()
		require.NoError(t, c.Del(ctx, key).Err())
		require.NoError(t, sw.fill(ctx, c, key, 300))
		if !serverSince(name, version, sw.redisSince, sw.valkeySince) {
			requireErrReply(t, sw.first(ctx, c, key), "syntax error")
			return
		}
		seen := map[string]bool{}
		for e, err := range sw.walk(ctx, c, key) {
			require.NoError(t, err)
			seen[e] = true
		}
		assert.Len(t, seen, 300)
	})
}

// TestHScanNoValues: HSCAN NOVALUES pages through the fields alone.
// Redis 7.4+, Valkey 8.0+.
func TestHScanNoValues(t *testing.T) {
	opts := client.HScanOptions{NoValues: true, Count: 50}
	scanWithout{
		redisSince: "7.4.0", valkeySince: "8.0.0",
		fill: func(ctx context.Context, c *client.Client, key string, n int) error {
			var pairs []any
			for i := range n {
				pairs = append(pairs, "e"+strconv.Itoa(i), i)
			}
			return c.HSet(ctx, key, pairs...).Err()
		},
		first: func(ctx context.Context, c *client.Client, key string) error {
			return c.HScanWith(ctx, key, 0, opts).Err()
		},
		walk: func(ctx context.Context, c *client.Client, key string) iter.Seq2[string, error] {
			return func(yield func(string, error) bool) {
				for f, err := range c.HScanIter(ctx, key, opts) {
					if err == nil && f.Value != "" {
						err = fmt.Errorf("field %s came with its value %q", f.Field, f.Value)
					}
					if !yield(f.Field, err) {
						return
					}
				}
			}
		},
	}.run(t)
}

// TestZScanNoScores: ZSCAN NOSCORES pages through the members alone.
// Valkey 8.0+ (Redis 8.0+, so neither Redis here).
func TestZScanNoScores(t *testing.T) {
	opts := client.ZScanOptions{NoScores: true, Count: 50}
	scanWithout{
		valkeySince: "8.0.0",
		fill: func(ctx context.Context, c *client.Client, key string, n int) error {
			var members []client.Z
			for i := range n {
				members = append(members, client.Z{Member: "e" + strconv.Itoa(i), Score: float64(i) + 0.5})
			}
			return c.ZAdd(ctx, key, members...).Err()
		},
		first: func(ctx context.Context, c *client.Client, key string) error {
			return c.ZScanWith(ctx, key, 0, opts).Err()
		},
		walk: func(ctx context.Context, c *client.Client, key string) iter.Seq2[string, error] {
			return func(yield func(string, error) bool) {
				for z, err := range c.ZScanIter(ctx, key, opts) {
					if err == nil && z.Score != 0 {
						err = fmt.Errorf("member %s came with its score %v", z.Member, z.Score)
					}
					if !yield(z.Member, err) {
						return
					}
				}
			}
		},
	}.run(t)
}

// TestClientKillMaxAge: CLIENT KILL MAXAGE n closes the connections
// older than n seconds, and spares the younger. Redis 7.4+, Valkey 8.0+.
func TestClientKillMaxAge(t *testing.T) {
	ctx := t.Context()
	c := openClient(t, client.Options{})
	name, version := serverIdentity(t, c)
	victim, err := c.Conn(ctx)
	require.NoError(t, err)
	defer victim.Close()
	id := valueOf(t, victim.ClientID(ctx))
	filter := client.ClientKillOptions{ID: id, MaxAge: time.Second}
	if !serverSince(name, version, "7.4.0", "8.0.0") {
		requireErrReply(t, c.ClientKillWith(ctx, filter).Err(), "syntax error")
		return
	}
	// A connection a second old or younger is spared. (The harness's
	// server is shared; the ID filter keeps the kill to the victim.)
	age := valueOf(t, victim.ClientInfo(ctx)).Age
	if age <= time.Second {
		assert.Zero(t, valueOf(t, c.ClientKillWith(ctx, client.ClientKillOptions{ID: id, MaxAge: time.Hour})),
			"younger than an hour")
	}
	// Once it is older than a second (the server counts whole seconds),
	// MAXAGE 1 closes it.
	require.Eventually(t, func() bool {
		info, err := c.ClientListWith(ctx, client.ClientListOptions{IDs: []int64{id}}).Result()
		return err == nil && len(info) == 1 && info[0].Age > time.Second
	}, 10*time.Second, 50*time.Millisecond)
	assert.Equal(t, int64(1), valueOf(t, c.ClientKillWith(ctx, filter)))
	assert.Error(t, victim.Ping(ctx).Err(), "the victim's connection is closed")
}

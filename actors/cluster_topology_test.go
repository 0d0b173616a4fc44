package actors

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/resp"
	"github.com/actoredis/actoredis/resp/resptest"
)

func bulk(s string) resp.Value   { return resp.Value{Kind: resp.KindBulkString, Str: s} }
func integer(i int64) resp.Value { return resp.Value{Kind: resp.KindInteger, Int: i} }
func arr(e ...resp.Value) resp.Value {
	return resp.Value{Kind: resp.KindArray, Elems: e}
}
func mapOf(e ...resp.Value) resp.Value { return resp.Value{Kind: resp.KindMap, Elems: e} }

func shardNodeValue(kind func(...resp.Value) resp.Value, id, ip string, port int64, role, health string) resp.Value {
	return kind(bulk("id"), bulk(id), bulk("port"), integer(port), bulk("ip"), bulk(ip),
		bulk("endpoint"), bulk(ip), bulk("role"), bulk(role), bulk("replication-offset"), integer(10),
		bulk("health"), bulk(health))
}

func TestParseClusterShards(t *testing.T) {
	for name, kind := range map[string]func(...resp.Value) resp.Value{"resp3": mapOf, "resp2": arr} {
		t.Run(name, func(t *testing.T) {
			reply := arr(
				kind(bulk("slots"), arr(integer(0), integer(5460), integer(10923), integer(10923)),
					bulk("nodes"), arr(
						shardNodeValue(kind, "a", "127.0.0.1", 7000, "master", "online"),
						shardNodeValue(kind, "b", "127.0.0.1", 7003, "replica", "online"),
						shardNodeValue(kind, "x", "127.0.0.1", 7009, "replica", "fail"),
					)),
				kind(bulk("slots"), arr(integer(5461), integer(10922), integer(10924), integer(16383)),
					bulk("nodes"), arr(shardNodeValue(kind, "c", "127.0.0.1", 7001, "master", "online"))),
				// Right after a failover: the failed old master listed first.
				kind(bulk("slots"), arr(integer(16000), integer(16000)),
					bulk("nodes"), arr(
						shardNodeValue(kind, "old", "127.0.0.1", 7005, "master", "fail"),
						shardNodeValue(kind, "new", "127.0.0.1", 7006, "master", "online"),
					)),
				// A shard without slots (a failed primary's old shard) is left out.
				kind(bulk("slots"), arr(), bulk("nodes"), arr(shardNodeValue(kind, "d", "127.0.0.1", 7002, "master", "fail"))),
			)
			shards, err := ParseClusterShards(reply)
			require.NoError(t, err)
			require.Len(t, shards, 3)
			require.Equal(t, "127.0.0.1:7006", shards[2].Primary.Addr, "the healthy master of the shard")
			require.Equal(t, []NodeInfo{{ID: "old", Addr: "127.0.0.1:7005"}}, shards[2].Replicas)
			require.Equal(t, [][2]int{{0, 5460}, {10923, 10923}}, shards[0].Slots)
			require.Equal(t, NodeInfo{ID: "a", Addr: "127.0.0.1:7000", Healthy: true}, shards[0].Primary)
			require.Equal(t, []NodeInfo{{ID: "b", Addr: "127.0.0.1:7003", Healthy: true}, {ID: "x", Addr: "127.0.0.1:7009"}}, shards[0].Replicas)
			require.Equal(t, "127.0.0.1:7001", shards[1].Primary.Addr)

			nodes := map[string]*Node{}
			for _, a := range []string{"127.0.0.1:7000", "127.0.0.1:7001", "127.0.0.1:7003", "127.0.0.1:7006", "127.0.0.1:7009"} {
				nodes[a] = &Node{Addr: a}
			}
			tab := newTable(shards, nodes, true)
			require.Equal(t, "127.0.0.1:7000", tab.Shard(0).Primary.Addr)
			require.Equal(t, "127.0.0.1:7000", tab.Shard(10923).Primary.Addr)
			require.Equal(t, "127.0.0.1:7001", tab.Shard(5461).Primary.Addr)
			require.Equal(t, "127.0.0.1:7001", tab.Shard(16383).Primary.Addr)
			require.Equal(t, "127.0.0.1:7006", tab.Shard(16000).Primary.Addr)
			require.Len(t, tab.Shard(0).Replicas, 1, "a failed replica serves no reads")
			require.Nil(t, tab.Shard(-1))
			require.Nil(t, tab.Shard(SlotCount))
			noReplicas := newTable(shards, nodes, false)
			require.Empty(t, noReplicas.Shard(0).Replicas)
		})
	}
}

func TestParseClusterShardsRefuses(t *testing.T) {
	for name, v := range map[string]resp.Value{
		"error":        {Kind: resp.KindError, Str: "ERR This instance has cluster support disabled"},
		"not an array": bulk("x"),
		"empty":        arr(),
		"odd slots":    arr(mapOf(bulk("slots"), arr(integer(1)), bulk("nodes"), arr())),
		"slot range":   arr(mapOf(bulk("slots"), arr(integer(0), integer(16384)), bulk("nodes"), arr())),
		"no port": arr(mapOf(bulk("slots"), arr(integer(0), integer(1)), bulk("nodes"),
			arr(mapOf(bulk("ip"), bulk("127.0.0.1"), bulk("role"), bulk("master"))))),
	} {
		_, err := ParseClusterShards(v)
		require.Error(t, err, name)
	}
}

func TestParseClusterSlots(t *testing.T) {
	node := func(ip string, port int64, id string) resp.Value { return arr(bulk(ip), integer(port), bulk(id)) }
	reply := arr(
		arr(integer(0), integer(100), node("127.0.0.1", 7000, "a"), node("127.0.0.1", 7003, "b")),
		arr(integer(101), integer(16383), node("127.0.0.1", 7001, "c")),
		arr(integer(200), integer(200), node("127.0.0.1", 7000, "a")), // a second range of a
	)
	shards, err := ParseClusterSlots(reply)
	require.NoError(t, err)
	require.Len(t, shards, 2)
	require.Equal(t, [][2]int{{0, 100}, {200, 200}}, shards[0].Slots)
	require.Equal(t, "127.0.0.1:7003", shards[0].Replicas[0].Addr)
	_, err = ParseClusterSlots(arr(arr(integer(5), integer(1), node("h", 1, "x"))))
	require.Error(t, err)
}

func TestParseRedirect(t *testing.T) {
	r, ok := ParseRedirect("MOVED 3999 127.0.0.1:6381")
	require.True(t, ok)
	require.Equal(t, Redirect{Slot: 3999, Addr: "127.0.0.1:6381"}, r)
	r, ok = ParseRedirect("ASK 1 [::1]:7000")
	require.True(t, ok)
	require.Equal(t, Redirect{Ask: true, Slot: 1, Addr: "[::1]:7000"}, r)
	for _, bad := range []string{"ERR x", "MOVED", "MOVED 1", "MOVED x 1.2.3.4:1", "MOVED 16384 h:1", "ASK -1 h:1", "MOVED 1 "} {
		_, ok := ParseRedirect(bad)
		require.False(t, ok, bad)
	}
}

// redis74AfterFailover is CLUSTER SHARDS as Redis 7.4.1 answered it (node
// fields in its order) once 127.0.0.1:12104 had been promoted in place of
// the killed primary 127.0.0.1:12100: the shard of 0-5460 lists the failed
// primary first, as a master, and comes without slots.
func redis74AfterFailover(kind func(...resp.Value) resp.Value) resp.Value {
	return arr(
		kind(bulk("slots"), arr(),
			bulk("nodes"), arr(
				shardNodeValue(kind, "becd7f6c", "127.0.0.1", 12100, "master", "fail"),
				shardNodeValue(kind, "6d9a2d67", "127.0.0.1", 12104, "master", "online"),
			)),
		kind(bulk("slots"), arr(integer(5461), integer(10922)),
			bulk("nodes"), arr(
				shardNodeValue(kind, "c90e6bb8", "127.0.0.1", 12101, "master", "online"),
				shardNodeValue(kind, "6f366e62", "127.0.0.1", 12105, "replica", "online"),
			)),
		kind(bulk("slots"), arr(integer(10923), integer(16383)),
			bulk("nodes"), arr(
				shardNodeValue(kind, "c7e5daea", "127.0.0.1", 12102, "master", "online"),
				shardNodeValue(kind, "7415bf9e", "127.0.0.1", 12103, "replica", "online"),
			)),
	)
}

// CLUSTER SLOTS of the same node at the same moment.
func redis74SlotsAfterFailover() resp.Value {
	node := func(port int64, id string) resp.Value { return arr(bulk("127.0.0.1"), integer(port), bulk(id)) }
	return arr(
		arr(integer(0), integer(5460), node(12104, "6d9a2d67")),
		arr(integer(5461), integer(10922), node(12101, "c90e6bb8"), node(12105, "6f366e62")),
		arr(integer(10923), integer(16383), node(12102, "c7e5daea"), node(12103, "7415bf9e")),
	)
}

// The parser does not invent the slots a Redis 7.4 reply leaves out after
// a failover: Coverage says they have no owner.
func TestParseClusterShardsLeavesSlotsHiddenAfterFailoverUncovered(t *testing.T) {
	for name, kind := range map[string]func(...resp.Value) resp.Value{"resp3": mapOf, "resp2": arr} {
		t.Run(name, func(t *testing.T) {
			shards, err := ParseClusterShards(redis74AfterFailover(kind))
			require.NoError(t, err)
			require.Len(t, shards, 2)
			require.Equal(t, SlotCount-5461, Coverage(shards))
			slots, err := ParseClusterSlots(redis74SlotsAfterFailover())
			require.NoError(t, err)
			require.Equal(t, SlotCount, Coverage(slots))
		})
	}
}

// askTopologyOf reads the topology from srv through a pool of its own.
func askTopologyOf(t *testing.T, srv *resptest.Server) ([]ShardInfo, error) {
	t.Helper()
	p := Start(Config{Addr: srv.Addr(), PoolSize: 1, Backoff: NoBackoff{}})
	defer func() { require.NoError(t, p.Close()) }()
	return askTopology(p, 5*time.Second)
}

// After a failover on Redis 7.2 to 7.4, CLUSTER SHARDS hides the promoted
// replica's slots; the topology read finds their owner with CLUSTER SLOTS,
// so the client sends the failed primary's keys to the promoted replica
// (TestClusterFailoverUnderLoad failed on 7.4.1 without this).
func TestTopologyFindsPromotedPrimaryWhenShardsHidesItsSlots(t *testing.T) {
	for name, opts := range map[string]resptest.Options{"resp3": {}, "resp2": {RESP2Only: true}} {
		t.Run(name, func(t *testing.T) {
			srv := resptest.New(t, opts)
			srv.Expect("CLUSTER", "SHARDS").Reply(redis74AfterFailover(mapOf))
			srv.Expect("CLUSTER", "SLOTS").Reply(redis74SlotsAfterFailover())
			shards, err := askTopologyOf(t, srv)
			require.NoError(t, err)
			require.Equal(t, SlotCount, Coverage(shards))
			nodes := map[string]*Node{}
			for _, s := range shards {
				nodes[s.Primary.Addr] = &Node{Addr: s.Primary.Addr}
			}
			tab := newTable(shards, nodes, false)
			require.Equal(t, "127.0.0.1:12104", tab.Shard(0).Primary.Addr)
			require.Equal(t, "127.0.0.1:12104", tab.Shard(5460).Primary.Addr)
			require.Equal(t, "127.0.0.1:12101", tab.Shard(5461).Primary.Addr)
		})
	}
}

// A CLUSTER SHARDS reply that covers every slot is the whole answer: no
// second round trip. One that covers fewer, on a cluster that really lost
// slots, stays the answer when CLUSTER SLOTS knows no more.
func TestTopologyAsksSlotsOnlyForUncoveredSlots(t *testing.T) {
	full := arr(
		mapOf(bulk("slots"), arr(integer(0), integer(16383)),
			bulk("nodes"), arr(shardNodeValue(mapOf, "a", "127.0.0.1", 7000, "master", "online"))),
	)
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("CLUSTER", "SHARDS").Reply(full)
	shards, err := askTopologyOf(t, srv)
	require.NoError(t, err)
	require.Equal(t, SlotCount, Coverage(shards))
	require.NotContains(t, srv.Commands(), []string{"CLUSTER", "SLOTS"})

	half := arr(
		mapOf(bulk("slots"), arr(integer(0), integer(8191)),
			bulk("nodes"), arr(shardNodeValue(mapOf, "a", "127.0.0.1", 7000, "master", "online"))),
	)
	srv = resptest.New(t, resptest.Options{})
	srv.Expect("CLUSTER", "SHARDS").Reply(half)
	srv.Expect("CLUSTER", "SLOTS").Reply(arr(arr(integer(0), integer(8191), arr(bulk("127.0.0.1"), integer(7000), bulk("a")))))
	shards, err = askTopologyOf(t, srv)
	require.NoError(t, err)
	require.Equal(t, 8192, Coverage(shards))
	require.True(t, shards[0].Primary.Healthy)
	require.Equal(t, "a", shards[0].Primary.ID)

	// Before Redis 7.0: no CLUSTER SHARDS at all.
	srv = resptest.New(t, resptest.Options{})
	srv.Expect("CLUSTER", "SHARDS").ReplyError("ERR unknown subcommand 'SHARDS'. Try CLUSTER HELP.")
	srv.Expect("CLUSTER", "SLOTS").Reply(redis74SlotsAfterFailover())
	shards, err = askTopologyOf(t, srv)
	require.NoError(t, err)
	require.Equal(t, SlotCount, Coverage(shards))
}

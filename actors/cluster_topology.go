package actors

import (
	"errors"
	"net"
	"sort"
	"strconv"
	"strings"

	"github.com/actoredis/actoredis/resp"
)

// SlotCount is the number of hash slots of a Redis Cluster.
const SlotCount = 16384

// ShardInfo is one shard of a cluster as a node reported it: the slot
// ranges it owns (inclusive pairs), its primary and its replicas.
type ShardInfo struct {
	Slots    [][2]int
	Primary  NodeInfo
	Replicas []NodeInfo
}

// NodeInfo is one node of a shard. Healthy is false for a node the
// cluster marked failed (CLUSTER SHARDS health "fail"; CLUSTER SLOTS
// lists no failed node).
type NodeInfo struct {
	ID      string
	Addr    string
	Healthy bool
}

// errTopology: a reply that does not describe a usable cluster.
var errTopology = errors.New("actoredis: cluster topology reply not understood")

// ParseClusterShards reads a CLUSTER SHARDS reply (Redis 7.0+), RESP2 or
// RESP3. Shards without slots (a primary being added, or a failed one
// whose replica was promoted) are left out.
//
// Redis 7.2 to 7.4 (and Valkey 7.2) take a shard's slots from the first
// node they list, and after a failover list the failed primary, which no
// longer owns any slot, first: the shard of the promoted replica comes
// without slots (redis/redis#13414; Valkey 8.0 fixed it). Its slots are
// then owned by no shard of the result: Coverage tells, and the topology
// read asks CLUSTER SLOTS as well.
func ParseClusterShards(v resp.Value) ([]ShardInfo, error) {
	if e := v.Err(); e != nil {
		return nil, e
	}
	shards, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	var out []ShardInfo
	for _, sv := range shards {
		m, err := sv.AsMap()
		if err != nil {
			return nil, err
		}
		bounds, err := m["slots"].AsInt64s()
		if err != nil || len(bounds)%2 != 0 {
			return nil, errTopology
		}
		var s ShardInfo
		for i := 0; i < len(bounds); i += 2 {
			if bounds[i] < 0 || bounds[i+1] >= SlotCount || bounds[i] > bounds[i+1] {
				return nil, errTopology
			}
			s.Slots = append(s.Slots, [2]int{int(bounds[i]), int(bounds[i+1])})
		}
		nodes, err := m["nodes"].AsValues()
		if err != nil {
			return nil, errTopology
		}
		havePrimary := false
		for _, nv := range nodes {
			nm, err := nv.AsMap()
			if err != nil {
				return nil, err
			}
			n, role, err := shardNode(nm)
			if err != nil {
				return nil, err
			}
			switch {
			case role == "master" && !havePrimary:
				s.Primary, havePrimary = n, true
			case role == "master" && !s.Primary.Healthy && n.Healthy:
				// Right after a failover the old primary, failed, may
				// still be listed as a master of the shard.
				s.Replicas = append(s.Replicas, s.Primary)
				s.Primary = n
			default:
				s.Replicas = append(s.Replicas, n)
			}
		}
		if len(s.Slots) == 0 || !havePrimary {
			continue
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, errTopology
	}
	return out, nil
}

// Coverage returns how many hash slots the shards own between them.
func Coverage(shards []ShardInfo) int {
	n := 0
	for _, s := range shards {
		for _, r := range s.Slots {
			n += r[1] - r[0] + 1
		}
	}
	return n
}

func shardNode(m map[string]resp.Value) (NodeInfo, string, error) {
	str := func(k string) string { s, _ := m[k].AsString(); return s }
	host := str("endpoint")
	if host == "" || host == "?" {
		host = str("ip")
	}
	port, err := m["port"].AsInt64()
	if err != nil || host == "" {
		// A TLS-only node reports tls-port instead of port.
		if port, err = m["tls-port"].AsInt64(); err != nil || host == "" {
			return NodeInfo{}, "", errTopology
		}
	}
	n := NodeInfo{ID: str("id"), Addr: net.JoinHostPort(host, strconv.FormatInt(port, 10)), Healthy: str("health") != "fail"}
	return n, str("role"), nil
}

// ParseClusterSlots reads a CLUSTER SLOTS reply, the fallback for servers
// before 7.0: one entry per slot range, grouped here into shards by their
// primary.
func ParseClusterSlots(v resp.Value) ([]ShardInfo, error) {
	if e := v.Err(); e != nil {
		return nil, e
	}
	ranges, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	byPrimary := map[string]*ShardInfo{}
	var order []string
	for _, rv := range ranges {
		r, err := rv.AsValues()
		if err != nil || len(r) < 3 {
			return nil, errTopology
		}
		lo, err1 := r[0].AsInt64()
		hi, err2 := r[1].AsInt64()
		if err1 != nil || err2 != nil || lo < 0 || hi >= SlotCount || lo > hi {
			return nil, errTopology
		}
		var nodes []NodeInfo
		for _, nv := range r[2:] {
			n, err := slotsNode(nv)
			if err != nil {
				return nil, err
			}
			nodes = append(nodes, n)
		}
		s := byPrimary[nodes[0].Addr]
		if s == nil {
			s = &ShardInfo{Primary: nodes[0], Replicas: nodes[1:]}
			byPrimary[nodes[0].Addr] = s
			order = append(order, nodes[0].Addr)
		}
		s.Slots = append(s.Slots, [2]int{int(lo), int(hi)})
	}
	if len(order) == 0 {
		return nil, errTopology
	}
	out := make([]ShardInfo, 0, len(order))
	for _, a := range order {
		out = append(out, *byPrimary[a])
	}
	return out, nil
}

func slotsNode(v resp.Value) (NodeInfo, error) {
	f, err := v.AsValues()
	if err != nil || len(f) < 2 {
		return NodeInfo{}, errTopology
	}
	host, err := f[0].AsString()
	if err != nil {
		return NodeInfo{}, errTopology
	}
	port, err := f[1].AsInt64()
	if err != nil {
		return NodeInfo{}, errTopology
	}
	n := NodeInfo{Addr: net.JoinHostPort(host, strconv.FormatInt(port, 10)), Healthy: true}
	if len(f) > 2 {
		n.ID, _ = f[2].AsString()
	}
	return n, nil
}

// Node is one cluster node the client talks to: its address and the pool
// of connections to it. Value holds what the cluster's NewNode hook
// attached (the client's handle on the node).
type Node struct {
	Addr    string
	ID      string
	Primary bool
	Pool    *Pool
	Value   any
	ready   <-chan struct{}
}

// Ready returns a channel closed once the node's pool actor has started:
// subscriptions on the pool wait for it (commands need not).
func (n *Node) Ready() <-chan struct{} { return n.ready }

// Shard is a primary and the replicas the client may read from.
type Shard struct {
	Primary  *Node
	Replicas []*Node
}

// Table is an immutable slot table: the owner of every hash slot. The
// cluster publishes a new one on every topology change; senders read it
// without a lock.
type Table struct {
	slots   [SlotCount]int16 // index into Shards, -1: no owner known
	Shards  []*Shard         // sorted by primary address
	changed chan struct{}    // closed when a newer table replaces this one
}

// Shard returns the shard that owns slot, or nil when no node owns it.
func (t *Table) Shard(slot int) *Shard {
	if slot < 0 || slot >= SlotCount {
		return nil
	}
	if i := t.slots[slot]; i >= 0 {
		return t.Shards[i]
	}
	return nil
}

// Changed returns a channel closed once a newer table is published.
func (t *Table) Changed() <-chan struct{} { return t.changed }

// newTable builds the table of shards with the node of every address from
// nodes (which the caller has filled for every address the shards name).
func newTable(shards []ShardInfo, nodes map[string]*Node, replicas bool) *Table {
	t := &Table{changed: make(chan struct{})}
	for i := range t.slots {
		t.slots[i] = -1
	}
	sorted := append([]ShardInfo(nil), shards...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Primary.Addr < sorted[j].Primary.Addr })
	for _, si := range sorted {
		s := &Shard{Primary: nodes[si.Primary.Addr]}
		if replicas {
			for _, r := range si.Replicas {
				if r.Healthy && nodes[r.Addr] != nil {
					s.Replicas = append(s.Replicas, nodes[r.Addr])
				}
			}
		}
		idx := int16(len(t.Shards))
		t.Shards = append(t.Shards, s)
		for _, r := range si.Slots {
			for slot := r[0]; slot <= r[1]; slot++ {
				t.slots[slot] = idx
			}
		}
	}
	return t
}

// Redirect is a MOVED or ASK error reply, parsed: "MOVED 3999 127.0.0.1:6381".
type Redirect struct {
	Ask  bool
	Slot int
	Addr string
}

// ParseRedirect reads a MOVED or ASK error message; ok is false for any
// other error.
func ParseRedirect(msg string) (r Redirect, ok bool) {
	switch {
	case strings.HasPrefix(msg, "MOVED "):
		msg = msg[len("MOVED "):]
	case strings.HasPrefix(msg, "ASK "):
		msg, r.Ask = msg[len("ASK "):], true
	default:
		return r, false
	}
	sp := strings.IndexByte(msg, ' ')
	if sp <= 0 {
		return r, false
	}
	slot, err := strconv.Atoi(msg[:sp])
	if err != nil || slot < 0 || slot >= SlotCount {
		return r, false
	}
	addr := msg[sp+1:]
	if addr == "" {
		return r, false
	}
	// Redis 7 may announce ":port" when the node does not know its
	// address: the caller substitutes the host it asked.
	r.Slot, r.Addr = slot, addr
	return r, true
}

package client

import (
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// The result types of the cluster group and their decoders. Each decoder
// gives the same Go value for a RESP2 and a RESP3 reply.

// ClusterBumpEpochResult is the answer of CLUSTER BUMPEPOCH.
type ClusterBumpEpochResult struct {
	// Bumped is true when the epoch changed ("BUMPED"), false when the
	// node's was already the greatest ("STILL").
	Bumped bool
	// Epoch is the node's config epoch after the command.
	Epoch int64
}

func clusterToBumpEpoch(v resp.Value) (ClusterBumpEpochResult, error) {
	s, err := v.AsString()
	if err != nil {
		return ClusterBumpEpochResult{}, err
	}
	word, num, _ := strings.Cut(s, " ")
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || (word != "BUMPED" && word != "STILL") {
		return ClusterBumpEpochResult{}, unexpected(v, "ClusterBumpEpochResult")
	}
	return ClusterBumpEpochResult{Bumped: word == "BUMPED", Epoch: n}, nil
}

// ClusterInfo is the reply of CLUSTER INFO. Each field names its Redis
// field; every field, those included, is in Fields as the server wrote it.
type ClusterInfo struct {
	State         string // cluster_state: "ok" or "fail"
	SlotsAssigned int64  // cluster_slots_assigned
	SlotsOK       int64  // cluster_slots_ok
	SlotsPFail    int64  // cluster_slots_pfail
	SlotsFail     int64  // cluster_slots_fail
	KnownNodes    int64  // cluster_known_nodes
	Size          int64  // cluster_size: masters serving at least one slot
	CurrentEpoch  int64  // cluster_current_epoch
	MyEpoch       int64  // cluster_my_epoch
	Fields        map[string]string
}

func clusterToInfo(v resp.Value) (ClusterInfo, error) {
	s, err := v.AsString()
	if err != nil {
		return ClusterInfo{}, err
	}
	ci := ClusterInfo{Fields: map[string]string{}}
	for line := range strings.SplitSeq(s, "\n") {
		k, val, ok := strings.Cut(strings.TrimRight(line, "\r"), ":")
		if ok {
			ci.Fields[k] = val
		}
	}
	ci.State = ci.Fields["cluster_state"]
	for k, p := range map[string]*int64{"cluster_slots_assigned": &ci.SlotsAssigned, "cluster_slots_ok": &ci.SlotsOK,
		"cluster_slots_pfail": &ci.SlotsPFail, "cluster_slots_fail": &ci.SlotsFail, "cluster_known_nodes": &ci.KnownNodes,
		"cluster_size": &ci.Size, "cluster_current_epoch": &ci.CurrentEpoch, "cluster_my_epoch": &ci.MyEpoch} {
		if val, ok := ci.Fields[k]; ok {
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				return ClusterInfo{}, unexpected(v, "ClusterInfo")
			}
			*p = n
		}
	}
	return ci, nil
}

// ClusterNode is one line of CLUSTER NODES (and CLUSTER REPLICAS).
type ClusterNode struct {
	ID          string
	Addr        string   // "ip:port" for clients; ":port" while the node does not know its IP
	BusPort     int      // the cluster bus port
	Hostname    string   // Redis 7.0, when announced
	Flags       []string // "myself", "master", "slave", "fail?", "handshake", ...
	MasterID    string   // the master of a replica; "" for a master
	PingSent    time.Time
	PongRecv    time.Time
	ConfigEpoch int64
	Connected   bool // link-state "connected"
	Slots       []SlotRange
	// MigratingSlots and ImportingSlots map a slot being moved to the ID
	// of the other node ("[slot->-id]" and "[slot-<-id]"), on the myself
	// line only; nil when none.
	MigratingSlots map[int]string
	ImportingSlots map[int]string
}

// HasFlag reports whether the node has flag ("master", "myself", ...).
func (n ClusterNode) HasFlag(flag string) bool {
	for _, f := range n.Flags {
		if f == flag {
			return true
		}
	}
	return false
}

func clusterToNodes(v resp.Value) ([]ClusterNode, error) {
	var lines []string
	if v.Kind == resp.KindArray || v.Kind == resp.KindSet {
		ss, err := v.AsStrings()
		if err != nil {
			return nil, err
		}
		lines = ss
	} else {
		s, err := v.AsString()
		if err != nil {
			return nil, err
		}
		lines = strings.Split(s, "\n")
	}
	out := []ClusterNode{}
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		n, ok := clusterParseNode(line)
		if !ok {
			return nil, unexpected(v, "ClusterNode")
		}
		out = append(out, n)
	}
	return out, nil
}

func clusterParseNode(line string) (ClusterNode, bool) {
	f := strings.Fields(line)
	if len(f) < 8 {
		return ClusterNode{}, false
	}
	n := ClusterNode{ID: f[0], Flags: strings.Split(f[2], ","), Connected: f[7] == "connected"}
	addr, rest, _ := strings.Cut(f[1], "@")
	n.Addr = addr
	bus, host, _ := strings.Cut(rest, ",")
	if bus != "" {
		p, err := strconv.Atoi(bus)
		if err != nil {
			return ClusterNode{}, false
		}
		n.BusPort = p
	}
	n.Hostname = host
	if f[3] != "-" {
		n.MasterID = f[3]
	}
	var ns [3]int64
	for i := range ns {
		x, err := strconv.ParseInt(f[4+i], 10, 64)
		if err != nil {
			return ClusterNode{}, false
		}
		ns[i] = x
	}
	if ns[0] > 0 {
		n.PingSent = time.UnixMilli(ns[0])
	}
	if ns[1] > 0 {
		n.PongRecv = time.UnixMilli(ns[1])
	}
	n.ConfigEpoch = ns[2]
	for _, s := range f[8:] {
		if inner, ok := strings.CutPrefix(s, "["); ok {
			inner = strings.TrimSuffix(inner, "]")
			if slot, id, ok := strings.Cut(inner, "->-"); ok {
				x, err := strconv.Atoi(slot)
				if err != nil {
					return ClusterNode{}, false
				}
				if n.MigratingSlots == nil {
					n.MigratingSlots = map[int]string{}
				}
				n.MigratingSlots[x] = id
			} else if slot, id, ok := strings.Cut(inner, "-<-"); ok {
				x, err := strconv.Atoi(slot)
				if err != nil {
					return ClusterNode{}, false
				}
				if n.ImportingSlots == nil {
					n.ImportingSlots = map[int]string{}
				}
				n.ImportingSlots[x] = id
			}
			continue
		}
		lo, hi, isRange := strings.Cut(s, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return ClusterNode{}, false
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil {
				return ClusterNode{}, false
			}
		}
		n.Slots = append(n.Slots, SlotRange{Start: a, End: b})
	}
	return n, true
}

// ClusterLink is one link on the cluster bus (CLUSTER LINKS).
type ClusterLink struct {
	Direction           string // "to" or "from"
	Node                string // the peer's node ID
	Created             time.Time
	Events              string // "r", "w" or "rw"
	SendBufferAllocated int64
	SendBufferUsed      int64
}

func clusterToLinks(v resp.Value) ([]ClusterLink, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]ClusterLink, len(elems))
	for i, e := range elems {
		m, err := e.AsMap()
		if err != nil {
			return nil, err
		}
		l := &out[i]
		for k, p := range map[string]*string{"direction": &l.Direction, "node": &l.Node, "events": &l.Events} {
			if *p, err = m[k].AsString(); err != nil {
				return nil, err
			}
		}
		var created int64
		for k, p := range map[string]*int64{"create-time": &created, "send-buffer-allocated": &l.SendBufferAllocated,
			"send-buffer-used": &l.SendBufferUsed} {
			if *p, err = m[k].AsInt64(); err != nil {
				return nil, err
			}
		}
		l.Created = time.UnixMilli(created)
	}
	return out, nil
}

// ClusterShard is one shard of CLUSTER SHARDS: its slots and its nodes.
type ClusterShard struct {
	Slots []SlotRange
	Nodes []ClusterShardNode
}

// ClusterShardNode is one node of a ClusterShard.
type ClusterShardNode struct {
	ID                string
	Port              int // 0 when the node serves TLS only
	TLSPort           int // 0 without TLS
	IP                string
	Endpoint          string
	Hostname          string
	Role              string // "master" or "replica"
	ReplicationOffset int64
	Health            string // "online", "failed" or "loading"
}

func clusterToShards(v resp.Value) ([]ClusterShard, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]ClusterShard, len(elems))
	for i, e := range elems {
		m, err := e.AsMap()
		if err != nil {
			return nil, err
		}
		bounds, err := m["slots"].AsInt64s()
		if err != nil || len(bounds)%2 != 0 {
			return nil, unexpected(e, "ClusterShard")
		}
		for j := 0; j < len(bounds); j += 2 {
			out[i].Slots = append(out[i].Slots, SlotRange{Start: int(bounds[j]), End: int(bounds[j+1])})
		}
		nodes, err := m["nodes"].AsValues()
		if err != nil {
			return nil, err
		}
		for _, nv := range nodes {
			nm, err := nv.AsMap()
			if err != nil {
				return nil, err
			}
			var n ClusterShardNode
			for k, p := range map[string]*string{"id": &n.ID, "ip": &n.IP, "endpoint": &n.Endpoint,
				"hostname": &n.Hostname, "role": &n.Role, "health": &n.Health} {
				if x, ok := nm[k]; ok {
					if *p, err = x.AsString(); err != nil {
						return nil, err
					}
				}
			}
			var port, tls int64
			for k, p := range map[string]*int64{"port": &port, "tls-port": &tls, "replication-offset": &n.ReplicationOffset} {
				if x, ok := nm[k]; ok {
					if *p, err = x.AsInt64(); err != nil {
						return nil, err
					}
				}
			}
			n.Port, n.TLSPort = int(port), int(tls)
			out[i].Nodes = append(out[i].Nodes, n)
		}
	}
	return out, nil
}

// ClusterSlot is one slot range of CLUSTER SLOTS and the nodes serving
// it, master first.
type ClusterSlot struct {
	Start int
	End   int
	Nodes []ClusterSlotNode
}

// ClusterSlotNode is one node of a ClusterSlot.
type ClusterSlotNode struct {
	Host string // its endpoint: an IP, a hostname, or "" when unknown
	Port int
	ID   string
	// Metadata holds the networking metadata of Redis 7.0 ("hostname",
	// ...); nil when none.
	Metadata map[string]string
}

// Addr returns "host:port".
func (n ClusterSlotNode) Addr() string { return net.JoinHostPort(n.Host, strconv.Itoa(n.Port)) }

func clusterToSlots(v resp.Value) ([]ClusterSlot, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]ClusterSlot, len(elems))
	for i, e := range elems {
		parts, err := e.AsValues()
		if err != nil {
			return nil, err
		}
		if len(parts) < 2 {
			return nil, unexpected(e, "ClusterSlot")
		}
		start, err1 := parts[0].AsInt64()
		end, err2 := parts[1].AsInt64()
		if err1 != nil || err2 != nil {
			return nil, unexpected(e, "ClusterSlot")
		}
		out[i].Start, out[i].End = int(start), int(end)
		for _, nv := range parts[2:] {
			np, err := nv.AsValues()
			if err != nil {
				return nil, err
			}
			if len(np) < 2 {
				return nil, unexpected(nv, "ClusterSlotNode")
			}
			var n ClusterSlotNode
			if !np[0].IsNull() {
				if n.Host, err = np[0].AsString(); err != nil {
					return nil, err
				}
			}
			port, err := np[1].AsInt64()
			if err != nil {
				return nil, err
			}
			n.Port = int(port)
			if len(np) > 2 {
				if n.ID, err = np[2].AsString(); err != nil {
					return nil, err
				}
			}
			if len(np) > 3 {
				md, err := np[3].AsStringMap()
				if err != nil {
					return nil, err
				}
				if len(md) > 0 {
					n.Metadata = md
				}
			}
			out[i].Nodes = append(out[i].Nodes, n)
		}
	}
	return out, nil
}

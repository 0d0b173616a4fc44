package client

import (
	"context"
)

// Commands of the cluster group: the CLUSTER subcommands, each joined to
// its container (CLUSTER INFO is ClusterInfo). They act on the node the
// command reaches; send them through a Client connected to that node. Their
// result types and decoders live in reply_cluster.go.

// SlotRange is a range of hash slots, Start to End inclusive.
type SlotRange struct {
	Start int
	End   int
}

// ClusterAddSlots assigns slots to the node and returns "OK". Since Redis
// 3.0.0.
func (c cmds) ClusterAddSlots(ctx context.Context, slots ...int) *Future[string] {
	return c.clusterSlots(ctx, "CLUSTER ADDSLOTS", slots)
}

// ClusterAddSlotsRange assigns every slot of ranges to the node and
// returns "OK". Since Redis 7.0.0.
func (c cmds) ClusterAddSlotsRange(ctx context.Context, ranges ...SlotRange) *Future[string] {
	return c.clusterRanges(ctx, "CLUSTER ADDSLOTSRANGE", ranges)
}

// ClusterDelSlots unassigns slots from the node and returns "OK". Since
// Redis 3.0.0.
func (c cmds) ClusterDelSlots(ctx context.Context, slots ...int) *Future[string] {
	return c.clusterSlots(ctx, "CLUSTER DELSLOTS", slots)
}

// ClusterDelSlotsRange unassigns every slot of ranges from the node and
// returns "OK". Since Redis 7.0.0.
func (c cmds) ClusterDelSlotsRange(ctx context.Context, ranges ...SlotRange) *Future[string] {
	return c.clusterRanges(ctx, "CLUSTER DELSLOTSRANGE", ranges)
}

func (c cmds) clusterSlots(ctx context.Context, name string, slots []int) *Future[string] {
	f := newFuture(c.s, ctx, name, 0, toStatus)
	if len(slots) == 0 {
		f.b.fail(name + " needs at least one slot")
	}
	for _, s := range slots {
		f.b.int(int64(s))
	}
	return send(c.s, f)
}

func (c cmds) clusterRanges(ctx context.Context, name string, ranges []SlotRange) *Future[string] {
	f := newFuture(c.s, ctx, name, 0, toStatus)
	if len(ranges) == 0 {
		f.b.fail(name + " needs at least one range")
	}
	for _, r := range ranges {
		f.b.int(int64(r.Start)).int(int64(r.End))
	}
	return send(c.s, f)
}

// ClusterBumpEpoch gives the node a new, greater config epoch unless its
// own is already the greatest. Since Redis 3.0.0.
func (c cmds) ClusterBumpEpoch(ctx context.Context) *Future[ClusterBumpEpochResult] {
	return send(c.s, newFuture(c.s, ctx, "CLUSTER BUMPEPOCH", 0, clusterToBumpEpoch))
}

// ClusterCountFailureReports returns how many failure reports the node
// holds about the node with ID nodeID. Since Redis 3.0.0.
func (c cmds) ClusterCountFailureReports(ctx context.Context, nodeID string) *Future[int64] {
	f := newFuture(c.s, ctx, "CLUSTER COUNT-FAILURE-REPORTS", ro, toInt64)
	f.b.str(nodeID)
	return send(c.s, f)
}

// ClusterCountKeysInSlot returns the number of keys the node holds in
// slot. Since Redis 3.0.0.
func (c cmds) ClusterCountKeysInSlot(ctx context.Context, slot int) *Future[int64] {
	f := newFuture(c.s, ctx, "CLUSTER COUNTKEYSINSLOT", ro, toInt64)
	f.b.int(int64(slot))
	return send(c.s, f)
}

// ClusterGetKeysInSlot returns up to count keys the node holds in slot.
// Since Redis 3.0.0.
func (c cmds) ClusterGetKeysInSlot(ctx context.Context, slot int, count int64) *Future[[]string] {
	f := newFuture(c.s, ctx, "CLUSTER GETKEYSINSLOT", ro, toStrings)
	f.b.int(int64(slot)).int(count)
	return send(c.s, f)
}

// ClusterFailoverMode is how CLUSTER FAILOVER proceeds. The zero value,
// ClusterFailoverDefault, sends no token: a manual failover agreed with
// the master.
type ClusterFailoverMode uint8

// The modes of CLUSTER FAILOVER.
const (
	ClusterFailoverDefault  ClusterFailoverMode = iota // no token
	ClusterFailoverForce                               // FORCE: without the master's agreement
	ClusterFailoverTakeover                            // TAKEOVER: without the cluster's agreement either
)

var clusterFailoverTokens = tokens[ClusterFailoverMode]{typ: "ClusterFailoverMode", zero: "default", list: []string{
	ClusterFailoverDefault: "", ClusterFailoverForce: "FORCE", ClusterFailoverTakeover: "TAKEOVER",
}}

// String returns "FORCE", "TAKEOVER" or "default".
func (m ClusterFailoverMode) String() string { return clusterFailoverTokens.name(m) }

// ClusterFailoverOptions are the optional argument of CLUSTER FAILOVER.
type ClusterFailoverOptions struct {
	Mode ClusterFailoverMode
}

// ClusterFailover, sent to a replica, starts a manual failover of its
// master and returns "OK". Since Redis 3.0.0.
func (c cmds) ClusterFailover(ctx context.Context) *Future[string] {
	return c.ClusterFailoverWith(ctx, ClusterFailoverOptions{})
}

// ClusterFailoverWith sends CLUSTER FAILOVER [FORCE|TAKEOVER]. Since Redis
// 3.0.0.
func (c cmds) ClusterFailoverWith(ctx context.Context, opts ClusterFailoverOptions) *Future[string] {
	f := newFuture(c.s, ctx, "CLUSTER FAILOVER", 0, toStatus)
	f.b.token(clusterFailoverTokens.of(opts.Mode))
	return send(c.s, f)
}

// ClusterFlushSlots unassigns every slot of the node and returns "OK".
// Since Redis 3.0.0.
func (c cmds) ClusterFlushSlots(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "CLUSTER FLUSHSLOTS", idem, toStatus))
}

// ClusterForget removes the node with ID nodeID from the node's table
// (and keeps it out for 60 seconds) and returns "OK". Since Redis 3.0.0.
func (c cmds) ClusterForget(ctx context.Context, nodeID string) *Future[string] {
	f := newFuture(c.s, ctx, "CLUSTER FORGET", 0, toStatus)
	f.b.str(nodeID)
	return send(c.s, f)
}

// ClusterInfo returns the node's view of the cluster. Since Redis 3.0.0.
func (c cmds) ClusterInfo(ctx context.Context) *Future[ClusterInfo] {
	return send(c.s, newFuture(c.s, ctx, "CLUSTER INFO", ro, clusterToInfo))
}

// ClusterKeySlot returns the hash slot of key. Since Redis 3.0.0.
func (c cmds) ClusterKeySlot(ctx context.Context, key string) *Future[int64] {
	f := newFuture(c.s, ctx, "CLUSTER KEYSLOT", ro, toInt64)
	f.b.str(key)
	return send(c.s, f)
}

// ClusterLinks describes the node's links on the cluster bus. Since Redis
// 7.0.0.
func (c cmds) ClusterLinks(ctx context.Context) *Future[[]ClusterLink] {
	return send(c.s, newFuture(c.s, ctx, "CLUSTER LINKS", ro, clusterToLinks))
}

// ClusterMeet connects the node to the node at host:port (its client
// port; the bus port is port+10000) and returns "OK". Since Redis 3.0.0.
func (c cmds) ClusterMeet(ctx context.Context, host string, port int) *Future[string] {
	return c.ClusterMeetWith(ctx, host, port, ClusterMeetOptions{})
}

// ClusterMeetOptions are the optional argument of CLUSTER MEET.
type ClusterMeetOptions struct {
	// BusPort is the other node's cluster bus port; 0 means port+10000
	// (Redis 4.0).
	BusPort int
}

// ClusterMeetWith sends CLUSTER MEET host port [bus-port]. Since Redis
// 3.0.0.
func (c cmds) ClusterMeetWith(ctx context.Context, host string, port int, opts ClusterMeetOptions) *Future[string] {
	f := newFuture(c.s, ctx, "CLUSTER MEET", idem, toStatus)
	f.b.str(host).int(int64(port))
	if opts.BusPort != 0 {
		f.b.int(int64(opts.BusPort))
	}
	return send(c.s, f)
}

// ClusterMyID returns the node's ID. Since Redis 3.0.0.
func (c cmds) ClusterMyID(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "CLUSTER MYID", ro, toString))
}

// ClusterMyShardID returns the ID of the shard the node belongs to (a
// primary and its replicas share it), as CLUSTER SHARDS names it. On a
// ClusterClient it asks any primary; ask a node's own client (see
// ClusterClient.ForEachPrimary) for that node's. Redis 7.2+, Valkey 8.0+.
func (c cmds) ClusterMyShardID(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "CLUSTER MYSHARDID", ro, toString))
}

// ClusterNodes returns the node's table of the cluster's nodes. Since
// Redis 3.0.0.
func (c cmds) ClusterNodes(ctx context.Context) *Future[[]ClusterNode] {
	return send(c.s, newFuture(c.s, ctx, "CLUSTER NODES", ro, clusterToNodes))
}

// ClusterReplicas returns the replicas of the master with ID nodeID, in
// the CLUSTER NODES format. Since Redis 5.0.0.
func (c cmds) ClusterReplicas(ctx context.Context, nodeID string) *Future[[]ClusterNode] {
	f := newFuture(c.s, ctx, "CLUSTER REPLICAS", ro, clusterToNodes)
	f.b.str(nodeID)
	return send(c.s, f)
}

// ClusterSlaves is ClusterReplicas under its older name. Since Redis 3.0.0.
func (c cmds) ClusterSlaves(ctx context.Context, nodeID string) *Future[[]ClusterNode] {
	f := newFuture(c.s, ctx, "CLUSTER SLAVES", ro, clusterToNodes)
	f.b.str(nodeID)
	return send(c.s, f)
}

// ClusterReplicate makes the node a replica of the master with ID nodeID
// and returns "OK". Since Redis 3.0.0.
func (c cmds) ClusterReplicate(ctx context.Context, nodeID string) *Future[string] {
	f := newFuture(c.s, ctx, "CLUSTER REPLICATE", idem, toStatus)
	f.b.str(nodeID)
	return send(c.s, f)
}

// ClusterResetMode is how far CLUSTER RESET goes. The zero value,
// ClusterResetDefault, sends no token (a soft reset).
type ClusterResetMode uint8

// The modes of CLUSTER RESET.
const (
	ClusterResetDefault ClusterResetMode = iota // no token
	ClusterResetSoft                            // SOFT
	ClusterResetHard                            // HARD: also a new node ID and epochs reset to 0
)

var clusterResetTokens = tokens[ClusterResetMode]{typ: "ClusterResetMode", zero: "default", list: []string{
	ClusterResetDefault: "", ClusterResetSoft: "SOFT", ClusterResetHard: "HARD",
}}

// String returns "SOFT", "HARD" or "default".
func (m ClusterResetMode) String() string { return clusterResetTokens.name(m) }

// ClusterResetOptions are the optional argument of CLUSTER RESET.
type ClusterResetOptions struct {
	Mode ClusterResetMode
}

// ClusterReset forgets every other node and the node's slots (a master
// must hold no keys) and returns "OK". Since Redis 3.0.0.
func (c cmds) ClusterReset(ctx context.Context) *Future[string] {
	return c.ClusterResetWith(ctx, ClusterResetOptions{})
}

// ClusterResetWith sends CLUSTER RESET [HARD|SOFT]. Since Redis 3.0.0.
func (c cmds) ClusterResetWith(ctx context.Context, opts ClusterResetOptions) *Future[string] {
	f := newFuture(c.s, ctx, "CLUSTER RESET", 0, toStatus)
	f.b.token(clusterResetTokens.of(opts.Mode))
	return send(c.s, f)
}

// ClusterSaveConfig writes the node's cluster configuration file and
// returns "OK". Since Redis 3.0.0.
func (c cmds) ClusterSaveConfig(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "CLUSTER SAVECONFIG", idem, toStatus))
}

// ClusterSetConfigEpoch sets the config epoch of a new node (one whose
// epoch is 0 and that knows no other node) and returns "OK". Since Redis
// 3.0.0.
func (c cmds) ClusterSetConfigEpoch(ctx context.Context, epoch int64) *Future[string] {
	f := newFuture(c.s, ctx, "CLUSTER SET-CONFIG-EPOCH", 0, toStatus)
	f.b.int(epoch)
	return send(c.s, f)
}

// ClusterSlotState is the subcommand of CLUSTER SETSLOT.
type ClusterSlotState uint8

// The states of CLUSTER SETSLOT. ClusterSetSlotStable, the zero value, takes
// no node ID; the others need one.
const (
	ClusterSetSlotStable    ClusterSlotState = iota // STABLE: clear importing and migrating
	ClusterSetSlotImporting                         // IMPORTING node: import the slot from node
	ClusterSetSlotMigrating                         // MIGRATING node: migrate the slot to node
	ClusterSetSlotNode                              // NODE node: assign the slot to node
)

var clusterSlotStateTokens = tokens[ClusterSlotState]{typ: "ClusterSlotState", list: []string{
	ClusterSetSlotStable: "STABLE", ClusterSetSlotImporting: "IMPORTING",
	ClusterSetSlotMigrating: "MIGRATING", ClusterSetSlotNode: "NODE",
}}

// String returns the state's Redis token ("STABLE", "IMPORTING", ...).
func (s ClusterSlotState) String() string { return clusterSlotStateTokens.name(s) }

// ClusterSetSlot sends CLUSTER SETSLOT slot IMPORTING|MIGRATING|NODE
// nodeID, or CLUSTER SETSLOT slot STABLE (nodeID empty), and returns "OK".
// Since Redis 3.0.0.
func (c cmds) ClusterSetSlot(ctx context.Context, slot int, state ClusterSlotState, nodeID string) *Future[string] {
	f := newFuture(c.s, ctx, "CLUSTER SETSLOT", 0, toStatus)
	f.b.int(int64(slot)).token(clusterSlotStateTokens.of(state))
	switch {
	case state == ClusterSetSlotStable && nodeID != "":
		f.b.fail("ClusterSetSlot STABLE takes no node ID")
	case state != ClusterSetSlotStable && nodeID == "":
		f.b.fail("ClusterSetSlot needs a node ID")
	}
	f.b.strIf(nodeID != "", nodeID)
	return send(c.s, f)
}

// ClusterShards describes the cluster's shards. Since Redis 7.0.0.
func (c cmds) ClusterShards(ctx context.Context) *Future[[]ClusterShard] {
	return send(c.s, newFuture(c.s, ctx, "CLUSTER SHARDS", ro, clusterToShards))
}

// ClusterSlots maps the cluster's slot ranges to their nodes (deprecated
// by the server in favour of ClusterShards since Redis 7.0). Since Redis
// 3.0.0.
func (c cmds) ClusterSlots(ctx context.Context) *Future[[]ClusterSlot] {
	return send(c.s, newFuture(c.s, ctx, "CLUSTER SLOTS", ro, clusterToSlots))
}

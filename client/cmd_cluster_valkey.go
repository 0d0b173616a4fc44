package client

import (
	"context"
	"iter"
)

// The cluster commands Valkey added: CLUSTER SLOT-STATS (Valkey 8.0, and
// Redis 8.2 with the same grammar), CLUSTERSCAN (Valkey 9.1) and the atomic
// slot migration of Valkey 9.0 (CLUSTER MIGRATESLOTS, GETSLOTMIGRATIONS,
// CANCELSLOTMIGRATIONS; Redis 8.4 has its own, CLUSTER MIGRATION). A
// server without cluster mode answers each with an error.

// ClusterSlotStats sends CLUSTER SLOT-STATS SLOTSRANGE start end and
// returns the usage statistics of each slot from start to end, both
// inclusive, that the node serves. On a ClusterClient every primary is
// asked and their entries are joined, in the order of the primaries.
// Valkey 8.0 and Redis 8.2 have it. Since Redis 8.2.0.
func (c cmds) ClusterSlotStats(ctx context.Context, start, end int) *Future[[]SlotStats] {
	f := newFuture(c.s, ctx, "CLUSTER SLOT-STATS", ro, toSlotStats)
	if start < 0 || end < start || end > 16383 {
		f.b.fail("ClusterSlotStats needs 0 <= start <= end <= 16383")
	}
	f.b.str("SLOTSRANGE").int(int64(start)).int(int64(end))
	return send(c.s, f)
}

// ClusterSlotStatsOptions are the arguments of CLUSTER SLOT-STATS
// ORDERBY.
type ClusterSlotStatsOptions struct {
	// OrderBy is the metric to order by: "key-count", "cpu-usec",
	// "network-bytes-in" or "network-bytes-out" (the last three need
	// cluster-slot-stats-enabled yes). Required.
	OrderBy string
	// Limit is how many slots to return; 0 leaves the server's 16384.
	Limit int64
	// Order is SortDesc (the server's default) or SortAsc.
	Order SortOrder
}

// ClusterSlotStatsWith sends CLUSTER SLOT-STATS ORDERBY metric [LIMIT n]
// [ASC|DESC] and returns the slots the node serves, ordered by the
// metric. On a ClusterClient every primary is asked and their lists are
// joined, in the order of the primaries: each is ordered and limited on
// its own. Valkey 8.0 and Redis 8.2 have it. Since Redis 8.2.0.
func (c cmds) ClusterSlotStatsWith(ctx context.Context, opts ClusterSlotStatsOptions) *Future[[]SlotStats] {
	f := newFuture(c.s, ctx, "CLUSTER SLOT-STATS", ro, toSlotStats)
	switch {
	case opts.OrderBy == "":
		f.b.fail("ClusterSlotStatsOptions.OrderBy is required")
	case opts.Limit < 0:
		f.b.fail("ClusterSlotStatsOptions.Limit must not be negative")
	}
	f.b.str("ORDERBY").str(opts.OrderBy)
	if opts.Limit > 0 {
		f.b.str("LIMIT").int(opts.Limit)
	}
	f.b.token(sortTokens.of(opts.Order))
	return send(c.s, f)
}

// ClusterScanOptions are the optional arguments of CLUSTERSCAN.
type ClusterScanOptions struct {
	// Match keeps the keys that match the glob-style pattern (MATCH); a
	// pattern whose hash tag names one slot scans that slot only.
	Match string
	// Count hints how many keys to look at per call (COUNT); 0 leaves the
	// server's 10.
	Count int64
	// Type keeps the keys of one type ("string", "hash", ...: TYPE).
	Type string
	// SingleSlot scans only the slot Slot (SLOT).
	SingleSlot bool
	Slot       int
}

// ClusterScan sends CLUSTERSCAN cursor [MATCH ...] [COUNT n] [TYPE t]
// [SLOT s] and returns one page of the cluster-wide scan: some keys and
// the cursor of the next page. Start with cursor "0"; the scan is over
// when the returned cursor is "0" again. The cursor names the slot it has
// reached (a hash tag), and the command is routed like a key to the node
// that owns that slot, following MOVED when the slot moves, so one walk
// crosses every primary of the cluster; ClusterScanIter walks it.
// Valkey 9.1.0 and later, in cluster mode only.
func (c cmds) ClusterScan(ctx context.Context, cursor string, opts ClusterScanOptions) *Future[ClusterScanPage] {
	f := newFuture(c.s, ctx, "CLUSTERSCAN", ro, toClusterScanPage)
	if cursor == "" {
		f.b.fail("ClusterScan needs a cursor; the first is \"0\"")
	}
	f.b.key(cursor) // routes by the slot the cursor names
	f.b.scanMatchCount(opts.Match, opts.Count)
	if opts.Type != "" {
		f.b.str("TYPE").str(opts.Type)
	}
	if opts.SingleSlot {
		if opts.Slot < 0 || opts.Slot > 16383 {
			f.b.fail("ClusterScanOptions.Slot must be a slot, 0 to 16383")
		}
		f.b.str("SLOT").int(int64(opts.Slot))
	}
	return send(c.s, f)
}

// ClusterScanIter walks the whole cluster's keyspace with CLUSTERSCAN,
// from cursor "0" to the end, one key at a time; see ClusterScan. An error
// is yielded once and ends the walk. Keys written or moved during the walk
// may be missed or seen twice, as with SCAN. Valkey 9.1.0 and later, in
// cluster mode only.
func (c cmds) ClusterScanIter(ctx context.Context, opts ClusterScanOptions) iter.Seq2[string, error] {
	return walkCursorFrom("0", func(cur string) *Future[ClusterScanPage] { return c.ClusterScan(ctx, cur, opts) },
		func(p ClusterScanPage) (string, []string) { return p.Cursor, p.Keys })
}

// SlotMigration is one group of CLUSTER MIGRATESLOTS: slot ranges and the
// node they go to.
type SlotMigration struct {
	Slots []SlotRange
	// Node is the 40-character ID of the node to migrate them to.
	Node string
}

// ClusterMigrateSlots sends CLUSTER MIGRATESLOTS SLOTSRANGE start end ...
// NODE id ...: it starts the atomic migration of each group's slots to
// its node, in the background, and returns "OK"; ClusterGetSlotMigrations
// follows it. The node that receives it must own the slots: on a
// ClusterClient, send it through ForEachPrimary to the owner, as a keyless
// command goes to any primary. Valkey 9.0.0 and later only (Redis 8.4 has
// CLUSTER MIGRATION instead).
func (c cmds) ClusterMigrateSlots(ctx context.Context, migrations ...SlotMigration) *Future[string] {
	f := newFuture(c.s, ctx, "CLUSTER MIGRATESLOTS", 0, toStatus)
	if len(migrations) == 0 {
		f.b.fail("ClusterMigrateSlots needs at least one migration")
	}
	for _, m := range migrations {
		if len(m.Slots) == 0 || m.Node == "" {
			f.b.fail("ClusterMigrateSlots: each SlotMigration needs slots and a node")
			break
		}
		f.b.str("SLOTSRANGE")
		for _, r := range m.Slots {
			f.b.int(int64(r.Start)).int(int64(r.End))
		}
		f.b.str("NODE").str(m.Node)
	}
	return send(c.s, f)
}

// ClusterGetSlotMigrations sends CLUSTER GETSLOTMIGRATIONS and returns the
// slot migrations the node takes part in (as source or target), recent
// finished ones included. On a ClusterClient it asks one primary: use
// ForEachPrimary to ask each. Valkey 9.0.0 and later only.
func (c cmds) ClusterGetSlotMigrations(ctx context.Context) *Future[[]SlotMigrationJob] {
	return send(c.s, newFuture(c.s, ctx, "CLUSTER GETSLOTMIGRATIONS", ro, toSlotMigrationJobs))
}

// ClusterCancelSlotMigrations sends CLUSTER CANCELSLOTMIGRATIONS: it
// cancels the slot migrations the node is exporting and returns "OK"
// (an error when none is ongoing). On
// a ClusterClient it goes to one primary: use ForEachPrimary to reach the
// source. Valkey 9.0.0 and later only.
func (c cmds) ClusterCancelSlotMigrations(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "CLUSTER CANCELSLOTMIGRATIONS", 0, toStatus))
}

// ClusterFlushSlot sends CLUSTER FLUSHSLOT slot: it deletes every key the
// node holds in slot and returns "OK". It acts on the node it reaches: on
// a ClusterClient, send it to the slot's owner (ForEachPrimary, or the
// owner's Client). Valkey 9.0.0 and later only.
func (c cmds) ClusterFlushSlot(ctx context.Context, slot int) *Future[string] {
	return c.ClusterFlushSlotWith(ctx, slot, FlushOptions{})
}

// ClusterFlushSlotWith sends CLUSTER FLUSHSLOT slot [ASYNC|SYNC]. Valkey
// 9.0.0 and later only.
func (c cmds) ClusterFlushSlotWith(ctx context.Context, slot int, opts FlushOptions) *Future[string] {
	f := newFuture(c.s, ctx, "CLUSTER FLUSHSLOT", 0, toStatus)
	if slot < 0 || slot > 16383 {
		f.b.fail("ClusterFlushSlot needs 0 <= slot <= 16383")
	}
	f.b.int(int64(slot)).token(flushModeTokens.of(opts.Mode))
	return send(c.s, f)
}

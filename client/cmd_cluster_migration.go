package client

import (
	"context"

	"github.com/actoredis/actoredis/resp"
)

// CLUSTER MIGRATION (Redis 8.4): atomic slot migration, started on the
// node that imports the slots. Valkey 9.0 has its own, started on the
// node that exports them (ClusterMigrateSlots). Each acts on the node it
// reaches: on a ClusterClient, send it to the right node with
// ForEachPrimary or that node's Client.

// ClusterMigrationImport sends CLUSTER MIGRATION IMPORT start end...: the
// node imports the slot ranges from their owners, atomically, and returns
// the ID of the migration task, for ClusterMigrationStatus and
// ClusterMigrationCancel. Since Redis 8.4.0.
func (c cmds) ClusterMigrationImport(ctx context.Context, ranges ...SlotRange) *Future[string] {
	f := newFuture(c.s, ctx, "CLUSTER MIGRATION", 0, toString)
	f.b.str("IMPORT")
	if len(ranges) == 0 {
		f.b.fail("ClusterMigrationImport needs at least one slot range")
	}
	for _, r := range ranges {
		if r.Start < 0 || r.End < r.Start || r.End > 16383 {
			f.b.fail("ClusterMigrationImport needs 0 <= start <= end <= 16383")
		}
		f.b.int(int64(r.Start)).int(int64(r.End))
	}
	return send(c.s, f)
}

// ClusterMigrationCancel sends CLUSTER MIGRATION CANCEL ID id, or CANCEL
// ALL for the empty id, and returns how many tasks it cancelled. A task
// cancelled on the source goes on retrying on the destination until it is
// cancelled there too. Since Redis 8.4.0.
func (c cmds) ClusterMigrationCancel(ctx context.Context, id string) *Future[int64] {
	f := newFuture(c.s, ctx, "CLUSTER MIGRATION", 0, toInt64)
	f.b.str("CANCEL").migrationTask(id)
	return send(c.s, f)
}

// ClusterMigrationStatus sends CLUSTER MIGRATION STATUS ID id, or STATUS
// ALL for the empty id, and returns the state of that task or of every
// task the node knows, current and finished. Since Redis 8.4.0.
func (c cmds) ClusterMigrationStatus(ctx context.Context, id string) *Future[[]MigrationTask] {
	// Not ReadOnly: the state is the node's own, so a replica must not
	// answer for it.
	f := newFuture(c.s, ctx, "CLUSTER MIGRATION", 0, toMigrationTasks)
	f.b.str("STATUS").migrationTask(id)
	return send(c.s, f)
}

// migrationTask appends ID id, or ALL for the empty id.
func (b *builder) migrationTask(id string) {
	if id == "" {
		b.str("ALL")
		return
	}
	b.str("ID").str(id)
}

// MigrationTask is one task of CLUSTER MIGRATION STATUS.
type MigrationTask struct {
	ID string
	// Slots are the task's slot ranges as the server writes them
	// ("0-100,200-300").
	Slots string
	// Source and Destination are the IDs of the nodes the slots move
	// from and to.
	Source, Destination string
	// Operation is "import" on the destination, "migrate" on the source.
	Operation string
	// State is the task's state ("completed", "canceled", "failed", ...).
	State string
	// LastError is the last error the task met; empty for none.
	LastError string
	// Retries is how often the task was retried.
	Retries int64
	// CreateTime, StartTime and EndTime are when the task was created,
	// started and ended, and WritePause how long writes to its slots were
	// paused, in milliseconds, as the server reports them.
	CreateTime, StartTime, EndTime, WritePause int64
}

// toMigrationTasks reads an array of maps (RESP3) or of flat field/value
// arrays (RESP2).
func toMigrationTasks(v resp.Value) ([]MigrationTask, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]MigrationTask, len(elems))
	for i, e := range elems {
		t := &out[i]
		_, err := readFields(e, map[string]*string{"id": &t.ID, "slots": &t.Slots, "source": &t.Source,
			"dest": &t.Destination, "operation": &t.Operation, "state": &t.State, "last_error": &t.LastError},
			map[string]*int64{"retries": &t.Retries, "create_time": &t.CreateTime, "start_time": &t.StartTime,
				"end_time": &t.EndTime, "write_pause_ms": &t.WritePause})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readFields reads a map (RESP3) or a flat field/value array (RESP2) into
// the string and integer fields named, and returns the whole map for the
// fields of other types. Fields not named are left alone; a named field
// missing from the reply keeps its zero value.
func readFields(v resp.Value, strs map[string]*string, ints map[string]*int64) (map[string]resp.Value, error) {
	m, err := v.AsMap()
	if err != nil {
		return nil, err
	}
	for name, dst := range strs {
		if fv, ok := m[name]; ok {
			if *dst, err = fv.AsString(); err != nil {
				return nil, err
			}
		}
	}
	for name, dst := range ints {
		if fv, ok := m[name]; ok {
			if *dst, err = fv.AsInt64(); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

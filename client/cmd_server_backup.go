package client

import (
	"context"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// BACKUP (Redis 8.10): an online backup of the node, built on the
// multi-part AOF. BACKUP START snapshots (BASE) and then keeps the writes
// (INCR) until BACKUP SEAL freezes the file set; BACKUP LIST names the
// files for the data plane to copy, BACKUP CLEANUP releases them, BACKUP
// ABORT gives up an unsealed backup. A backup belongs to the node: on a
// ClusterClient, send these to each node (ForEachPrimary) or its Client.

// BackupStart sends BACKUP START: it starts a backup into the directory
// named by the backupdirname setting, which must be empty, and returns
// "OK"; a backup in progress is an error. Since Redis 8.10.0.
func (c cmds) BackupStart(ctx context.Context) *Future[string] {
	return c.backup(ctx, "BACKUP START")
}

// BackupSeal sends BACKUP SEAL: it freezes the backup (BASE, INCR and a
// manifest) and returns "OK". Since Redis 8.10.0.
func (c cmds) BackupSeal(ctx context.Context) *Future[string] {
	return c.backup(ctx, "BACKUP SEAL")
}

// BackupAbort sends BACKUP ABORT: it gives up a backup not sealed yet and
// returns "OK". Since Redis 8.10.0.
func (c cmds) BackupAbort(ctx context.Context) *Future[string] {
	return c.backup(ctx, "BACKUP ABORT")
}

// BackupCleanup sends BACKUP CLEANUP: it removes the files of a sealed or
// failed backup, back to idle, and returns "OK". Since Redis 8.10.0.
func (c cmds) BackupCleanup(ctx context.Context) *Future[string] {
	return c.backup(ctx, "BACKUP CLEANUP")
}

func (c cmds) backup(ctx context.Context, name string) *Future[string] {
	f := newFuture(c.s, ctx, name, 0, toStatus)
	return send(c.s, f)
}

// BackupList sends BACKUP LIST and returns the absolute paths of the
// backup's files pinned so far: the BASE file, and after BackupSeal the
// INCR file and the manifest. Since Redis 8.10.0.
func (c cmds) BackupList(ctx context.Context) *Future[[]string] {
	// Not ReadOnly: the files are the node's own.
	f := newFuture(c.s, ctx, "BACKUP LIST", idem, toStrings)
	return send(c.s, f)
}

// BackupStatus sends BACKUP STATUS and returns the state of the node's
// backup. Since Redis 8.10.0.
func (c cmds) BackupStatus(ctx context.Context) *Future[BackupState] {
	f := newFuture(c.s, ctx, "BACKUP STATUS", idem, toBackupState)
	return send(c.s, f)
}

// BackupState is the reply of BACKUP STATUS.
type BackupState struct {
	// State is "idle", "pending", "snapshotting", "incrementing",
	// "sealed" or "failed".
	State string
	// Error is why the backup failed; empty otherwise.
	Error string
	// Started is when the backup started and Sealed when it was sealed;
	// the zero time for not yet.
	Started, Sealed time.Time
}

// toBackupState reads a map (RESP3) or flat field/value array (RESP2);
// the times are Unix seconds, 0 for none.
func toBackupState(v resp.Value) (BackupState, error) {
	var s BackupState
	var start, end int64
	if _, err := readFields(v, map[string]*string{"state": &s.State, "error": &s.Error},
		map[string]*int64{"start_time": &start, "end_time": &end}); err != nil {
		return BackupState{}, err
	}
	if start != 0 {
		s.Started = time.Unix(start, 0)
	}
	if end != 0 {
		s.Sealed = time.Unix(end, 0)
	}
	return s, nil
}

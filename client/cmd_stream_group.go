package client

import (
	"context"
	"time"

	"github.com/actoredis/actoredis/messages"
)

// Commands of the stream group that work with consumer groups: XREADGROUP,
// XACK, XCLAIM, XAUTOCLAIM, XGROUP, XPENDING, XINFO GROUPS and CONSUMERS.
// The others are in cmd_stream.go.

// XReadGroupOptions are the optional arguments of XREADGROUP.
type XReadGroupOptions struct {
	// Count returns at most this many entries per stream (COUNT); 0: no
	// limit.
	Count int64
	// Block waits up to this long for entries, as XReadOptions.Block.
	Block time.Duration
	// NoAck does not add the entries to the pending list (NOACK): they
	// count as acknowledged once delivered.
	NoAck bool
	// MaxCount and MaxSize bound the whole reply, as in XReadOptions.
	// Since Redis 8.10.0.
	MaxCount, MaxSize int64
	// Claim first takes over the group's pending entries idle at least
	// this long (CLAIM, in milliseconds), then reads new ones; the claimed
	// entries come with their Idle time and Deliveries count. 0: not
	// sent. Since Redis 8.4.0.
	Claim time.Duration
}

// XReadGroup reads the streams at keys as consumer of group: an id of ">"
// gives entries never delivered to the group (and makes them pending for
// consumer), any other id gives consumer's pending entries after it.
// keys and ids have the same length. Streams without entries are left
// out; none at all gives an empty result and no error. Since Redis 5.0.0.
func (c cmds) XReadGroup(ctx context.Context, group, consumer string, keys, ids []string) *Future[[]XStream] {
	return c.XReadGroupWith(ctx, group, consumer, keys, ids, XReadGroupOptions{})
}

// XReadGroupWith is XReadGroup with options; with Block it waits for
// entries (see XReadOptions.Block). Since Redis 5.0.0.
func (c cmds) XReadGroupWith(ctx context.Context, group, consumer string, keys, ids []string, opts XReadGroupOptions) *Future[[]XStream] {
	var flags messages.Flags
	if opts.Block != 0 {
		flags = messages.Blocking
	}
	f := newFuture(c.s, ctx, "XREADGROUP", flags, streamToStreams)
	f.b.str("GROUP").str(group).str(consumer)
	streamReadTail(&f.b, "XReadGroup", streamRead{count: opts.Count, maxCount: opts.MaxCount, maxSize: opts.MaxSize,
		block: opts.Block, claim: opts.Claim, noAck: opts.NoAck}, keys, ids)
	return send(c.s, f)
}

// XAck acknowledges the entries ids of the stream at key for group,
// removing them from its pending list, and returns how many were pending.
// Since Redis 5.0.0.
func (c cmds) XAck(ctx context.Context, key, group string, ids ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "XACK", idem, toInt64)
	f.b.key(key).str(group)
	if len(ids) == 0 {
		f.b.fail("XAck needs at least one ID")
	}
	for _, id := range ids {
		f.b.str(id)
	}
	return send(c.s, f)
}

// XClaim gives consumer the pending entries ids of group that have been
// idle for at least minIdle, and returns those it took. Since Redis 5.0.0.
func (c cmds) XClaim(ctx context.Context, key, group, consumer string, minIdle time.Duration, ids ...string) *Future[[]XMessage] {
	f := newFuture(c.s, ctx, "XCLAIM", 0, streamToMessages)
	streamClaimArgs(&f.b, key, group, consumer, minIdle, ids, XClaimOptions{})
	return send(c.s, f)
}

// XClaimOptions are the optional arguments of XCLAIM.
type XClaimOptions struct {
	// Idle sets the entries' idle time (IDLE, in milliseconds); 0: reset.
	Idle time.Duration
	// Time sets the entries' last delivery time (TIME, Unix milliseconds);
	// the zero time: now.
	Time time.Time
	// RetryCount sets the entries' delivery count (RETRYCOUNT); 0: add one.
	RetryCount int64
	// Force claims IDs that are not pending, if they exist in the stream
	// (FORCE).
	Force bool
	// JustID claims without incrementing the delivery count and returns
	// only the IDs (JUSTID): XClaimResult.Messages stays nil.
	JustID bool
	// LastID sets the group's last delivered ID (LASTID).
	LastID string
}

// XClaimWith is XClaim with options. Since Redis 5.0.0.
func (c cmds) XClaimWith(ctx context.Context, key, group, consumer string, minIdle time.Duration, ids []string, opts XClaimOptions) *Future[XClaimResult] {
	conv := streamToClaimed
	if opts.JustID {
		conv = streamToClaimedIDs
	}
	f := newFuture(c.s, ctx, "XCLAIM", 0, conv)
	streamClaimArgs(&f.b, key, group, consumer, minIdle, ids, opts)
	return send(c.s, f)
}

func streamClaimArgs(b *builder, key, group, consumer string, minIdle time.Duration, ids []string, opts XClaimOptions) {
	b.key(key).str(group).str(consumer)
	if minIdle < 0 {
		b.fail("XClaim needs a minimum idle time of zero or more")
	}
	b.ms(minIdle)
	if len(ids) == 0 {
		b.fail("XClaim needs at least one ID")
	}
	for _, id := range ids {
		b.str(id)
	}
	if opts.Idle < 0 || opts.RetryCount < 0 {
		b.fail("XClaim needs an idle time and retry count of zero or more")
	}
	if opts.Idle > 0 {
		b.str("IDLE").ms(opts.Idle)
	}
	if !opts.Time.IsZero() {
		b.str("TIME").int(opts.Time.UnixMilli())
	}
	if opts.RetryCount > 0 {
		b.str("RETRYCOUNT").int(opts.RetryCount)
	}
	b.strIf(opts.Force, "FORCE").strIf(opts.JustID, "JUSTID")
	if opts.LastID != "" {
		b.str("LASTID").str(opts.LastID)
	}
}

// XAutoClaim gives consumer up to 100 pending entries of group that have
// been idle for at least minIdle, scanning from start ("0-0" for the
// beginning). Since Redis 6.2.0.
func (c cmds) XAutoClaim(ctx context.Context, key, group, consumer string, minIdle time.Duration, start string) *Future[XAutoClaimResult] {
	return c.XAutoClaimWith(ctx, key, group, consumer, minIdle, start, XAutoClaimOptions{})
}

// XAutoClaimOptions are the optional arguments of XAUTOCLAIM.
type XAutoClaimOptions struct {
	// Count claims at most this many entries (COUNT); 0: the server's
	// default of 100.
	Count int64
	// JustID claims without incrementing the delivery count and returns
	// only the IDs (JUSTID).
	JustID bool
}

// XAutoClaimWith is XAutoClaim with options. Since Redis 6.2.0.
func (c cmds) XAutoClaimWith(ctx context.Context, key, group, consumer string, minIdle time.Duration, start string, opts XAutoClaimOptions) *Future[XAutoClaimResult] {
	conv := streamToAutoClaim
	if opts.JustID {
		conv = streamToAutoClaimIDs
	}
	f := newFuture(c.s, ctx, "XAUTOCLAIM", 0, conv)
	f.b.key(key).str(group).str(consumer)
	if minIdle < 0 || opts.Count < 0 {
		f.b.fail("XAutoClaim needs a minimum idle time and count of zero or more")
	}
	f.b.ms(minIdle).str(start)
	if opts.Count > 0 {
		f.b.str("COUNT").int(opts.Count)
	}
	f.b.strIf(opts.JustID, "JUSTID")
	return send(c.s, f)
}

// XGroupCreate creates group on the stream at key, starting after id ("$"
// for the last entry, "0" for the beginning), and returns "OK". A missing
// stream or an existing group is an error (BUSYGROUP). Since Redis 5.0.0.
func (c cmds) XGroupCreate(ctx context.Context, key, group, id string) *Future[string] {
	return c.XGroupCreateWith(ctx, key, group, id, XGroupCreateOptions{})
}

// XGroupCreateOptions are the optional arguments of XGROUP CREATE.
type XGroupCreateOptions struct {
	// MkStream creates an empty stream when key does not exist (MKSTREAM).
	MkStream bool
	// EntriesRead sets the group's entries-read counter (ENTRIESREAD,
	// Redis 7.0), for lag tracking; 0: not sent.
	EntriesRead int64
}

// XGroupCreateWith is XGroupCreate with options. Since Redis 5.0.0.
func (c cmds) XGroupCreateWith(ctx context.Context, key, group, id string, opts XGroupCreateOptions) *Future[string] {
	f := newFuture(c.s, ctx, "XGROUP CREATE", 0, toStatus)
	f.b.key(key).str(group).str(id).strIf(opts.MkStream, "MKSTREAM")
	streamEntriesRead(&f.b, opts.EntriesRead)
	return send(c.s, f)
}

func streamEntriesRead(b *builder, n int64) {
	if n < 0 {
		b.fail("EntriesRead needs a count of zero or more")
	}
	if n > 0 {
		b.str("ENTRIESREAD").int(n)
	}
}

// XGroupCreateConsumer creates consumer in group and reports whether it
// was new. Since Redis 6.2.0.
func (c cmds) XGroupCreateConsumer(ctx context.Context, key, group, consumer string) *Future[bool] {
	f := newFuture(c.s, ctx, "XGROUP CREATECONSUMER", 0, toBool)
	f.b.key(key).str(group).str(consumer)
	return send(c.s, f)
}

// XGroupDelConsumer deletes consumer from group and returns the number of
// entries it still had pending (they are dropped). Since Redis 5.0.0.
func (c cmds) XGroupDelConsumer(ctx context.Context, key, group, consumer string) *Future[int64] {
	f := newFuture(c.s, ctx, "XGROUP DELCONSUMER", 0, toInt64)
	f.b.key(key).str(group).str(consumer)
	return send(c.s, f)
}

// XGroupDestroy deletes group and reports whether it existed. Since Redis
// 5.0.0.
func (c cmds) XGroupDestroy(ctx context.Context, key, group string) *Future[bool] {
	f := newFuture(c.s, ctx, "XGROUP DESTROY", 0, toBool)
	f.b.key(key).str(group)
	return send(c.s, f)
}

// XGroupSetID sets the last delivered ID of group ("$" for the stream's
// last entry) and returns "OK". Since Redis 5.0.0.
func (c cmds) XGroupSetID(ctx context.Context, key, group, id string) *Future[string] {
	return c.XGroupSetIDWith(ctx, key, group, id, XGroupSetIDOptions{})
}

// XGroupSetIDOptions are the optional arguments of XGROUP SETID.
type XGroupSetIDOptions struct {
	// EntriesRead sets the group's entries-read counter (ENTRIESREAD,
	// Redis 7.0); 0: not sent.
	EntriesRead int64
}

// XGroupSetIDWith is XGroupSetID with options. Since Redis 5.0.0.
func (c cmds) XGroupSetIDWith(ctx context.Context, key, group, id string, opts XGroupSetIDOptions) *Future[string] {
	f := newFuture(c.s, ctx, "XGROUP SETID", idem, toStatus)
	f.b.key(key).str(group).str(id)
	streamEntriesRead(&f.b, opts.EntriesRead)
	return send(c.s, f)
}

// XPending returns the summary of the pending entries of group. Since
// Redis 5.0.0.
func (c cmds) XPending(ctx context.Context, key, group string) *Future[XPending] {
	f := newFuture(c.s, ctx, "XPENDING", ro, streamToPending)
	f.b.key(key).str(group)
	return send(c.s, f)
}

// XPendingExt lists pending entries of group (the extended form of
// XPENDING). Since Redis 5.0.0.
func (c cmds) XPendingExt(ctx context.Context, key, group string, opts XPendingExtOptions) *Future[[]XPendingExt] {
	f := newFuture(c.s, ctx, "XPENDING", ro, streamToPendingExt)
	f.b.key(key).str(group)
	if opts.Idle < 0 {
		f.b.fail("XPendingExt needs an idle time of zero or more")
	}
	if opts.Idle > 0 {
		f.b.str("IDLE").ms(opts.Idle)
	}
	start, end := opts.Start, opts.End
	if start == "" {
		start = "-"
	}
	if end == "" {
		end = "+"
	}
	if opts.Count <= 0 {
		f.b.fail("XPendingExt needs a positive Count")
	}
	f.b.str(start).str(end).int(opts.Count)
	if opts.Consumer != "" {
		f.b.str(opts.Consumer)
	}
	return send(c.s, f)
}

// XPendingExtOptions select the pending entries XPendingExt lists.
type XPendingExtOptions struct {
	// Start and End bound the IDs, both inclusive ("(" before an ID makes
	// it exclusive); "" stands for "-" and "+".
	Start, End string
	// Count is the most entries returned; it must be positive.
	Count int64
	// Consumer lists only that consumer's entries; "": all.
	Consumer string
	// Idle lists only entries idle for at least this long (IDLE, Redis
	// 6.2, in milliseconds); 0: all.
	Idle time.Duration
}

// XInfoGroups describes the consumer groups of the stream at key. Since
// Redis 5.0.0.
func (c cmds) XInfoGroups(ctx context.Context, key string) *Future[[]XInfoGroup] {
	f := newFuture(c.s, ctx, "XINFO GROUPS", ro, streamToGroups)
	f.b.key(key)
	return send(c.s, f)
}

// XInfoConsumers describes the consumers of group. Since Redis 5.0.0.
func (c cmds) XInfoConsumers(ctx context.Context, key, group string) *Future[[]XInfoConsumer] {
	f := newFuture(c.s, ctx, "XINFO CONSUMERS", ro, streamToConsumers)
	f.b.key(key).str(group)
	return send(c.s, f)
}

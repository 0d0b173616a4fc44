package client

import (
	"context"
	"time"
)

// More commands of the stream group (see cmd_stream.go).

// XClaimWith is XClaim with options. Since Redis 5.0.
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

// XAutoClaimResult is the answer of XAUTOCLAIM: the ID to start the next
// call from ("0-0" when the scan is complete), the IDs claimed with their
// entries (Messages is nil under JustID), and the IDs of pending entries
// that no longer existed and were dropped from the pending list (Redis
// 7.0; nil before).
type XAutoClaimResult struct {
	Next     string
	IDs      []string
	Messages []XMessage
	Deleted  []string
}

// XAutoClaim gives consumer up to 100 pending entries of group that have
// been idle for at least minIdle, scanning from start ("0-0" for the
// beginning). Since Redis 6.2.
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

// XAutoClaimWith is XAutoClaim with options. Since Redis 6.2.
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

// XSetID sets the last ID of the stream at key, which must exist, and
// returns "OK". Since Redis 5.0.
func (c cmds) XSetID(ctx context.Context, key, lastID string) *Future[string] {
	return c.XSetIDWith(ctx, key, lastID, XSetIDOptions{})
}

// XSetIDOptions are the optional arguments of XSETID (Redis 7.0).
type XSetIDOptions struct {
	// EntriesAdded sets the count of entries ever added (ENTRIESADDED);
	// 0: not sent.
	EntriesAdded int64
	// MaxDeletedID sets the highest deleted ID (MAXDELETEDID); "": not
	// sent.
	MaxDeletedID string
}

// XSetIDWith is XSetID with options. Since Redis 5.0 (options since 7.0).
func (c cmds) XSetIDWith(ctx context.Context, key, lastID string, opts XSetIDOptions) *Future[string] {
	f := newFuture(c.s, ctx, "XSETID", idem, toStatus)
	f.b.key(key).str(lastID)
	if opts.EntriesAdded < 0 {
		f.b.fail("XSetID needs a count of zero or more")
	}
	if opts.EntriesAdded > 0 {
		f.b.str("ENTRIESADDED").int(opts.EntriesAdded)
	}
	if opts.MaxDeletedID != "" {
		f.b.str("MAXDELETEDID").str(opts.MaxDeletedID)
	}
	return send(c.s, f)
}

// XGroupCreate creates group on the stream at key, starting after id ("$"
// for the last entry, "0" for the beginning), and returns "OK". A missing
// stream or an existing group is an error (BUSYGROUP). Since Redis 5.0.
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

// XGroupCreateWith is XGroupCreate with options. Since Redis 5.0.
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
// was new. Since Redis 6.2.
func (c cmds) XGroupCreateConsumer(ctx context.Context, key, group, consumer string) *Future[bool] {
	f := newFuture(c.s, ctx, "XGROUP CREATECONSUMER", 0, toBool)
	f.b.key(key).str(group).str(consumer)
	return send(c.s, f)
}

// XGroupDelConsumer deletes consumer from group and returns the number of
// entries it still had pending (they are dropped). Since Redis 5.0.
func (c cmds) XGroupDelConsumer(ctx context.Context, key, group, consumer string) *Future[int64] {
	f := newFuture(c.s, ctx, "XGROUP DELCONSUMER", 0, toInt64)
	f.b.key(key).str(group).str(consumer)
	return send(c.s, f)
}

// XGroupDestroy deletes group and reports whether it existed. Since Redis
// 5.0.
func (c cmds) XGroupDestroy(ctx context.Context, key, group string) *Future[bool] {
	f := newFuture(c.s, ctx, "XGROUP DESTROY", 0, toBool)
	f.b.key(key).str(group)
	return send(c.s, f)
}

// XGroupSetID sets the last delivered ID of group ("$" for the stream's
// last entry) and returns "OK". Since Redis 5.0.
func (c cmds) XGroupSetID(ctx context.Context, key, group, id string) *Future[string] {
	return c.XGroupSetIDWith(ctx, key, group, id, XGroupSetIDOptions{})
}

// XGroupSetIDOptions are the optional arguments of XGROUP SETID.
type XGroupSetIDOptions struct {
	// EntriesRead sets the group's entries-read counter (ENTRIESREAD,
	// Redis 7.0); 0: not sent.
	EntriesRead int64
}

// XGroupSetIDWith is XGroupSetID with options. Since Redis 5.0.
func (c cmds) XGroupSetIDWith(ctx context.Context, key, group, id string, opts XGroupSetIDOptions) *Future[string] {
	f := newFuture(c.s, ctx, "XGROUP SETID", idem, toStatus)
	f.b.key(key).str(group).str(id)
	streamEntriesRead(&f.b, opts.EntriesRead)
	return send(c.s, f)
}

// XPending is the summary of a group's pending entries: their number, the
// lowest and highest pending IDs ("" when none) and the count per
// consumer.
type XPending struct {
	Count     int64
	Lowest    string
	Highest   string
	Consumers map[string]int64
}

// XPending returns the summary of the pending entries of group. Since
// Redis 5.0. Since Redis 5.0.0.
func (c cmds) XPending(ctx context.Context, key, group string) *Future[XPending] {
	f := newFuture(c.s, ctx, "XPENDING", ro, streamToPending)
	f.b.key(key).str(group)
	return send(c.s, f)
}

// XPendingExt is one pending entry: its ID, the consumer it was delivered
// to, the time since that delivery and how many times it was delivered.
type XPendingExt struct {
	ID            string
	Consumer      string
	Idle          time.Duration
	DeliveryCount int64
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

// XPendingExt lists pending entries of group (the extended form of
// XPENDING). Since Redis 5.0.
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

// XInfoStream describes a stream (XINFO STREAM). FirstEntry and LastEntry
// are the zero XMessage for an empty stream. MaxDeletedEntryID,
// EntriesAdded and RecordedFirstEntryID come with Redis 7.0.
type XInfoStream struct {
	Length               int64
	RadixTreeKeys        int64
	RadixTreeNodes       int64
	Groups               int64
	LastGeneratedID      string
	MaxDeletedEntryID    string
	EntriesAdded         int64
	RecordedFirstEntryID string
	FirstEntry           XMessage
	LastEntry            XMessage
}

// XInfoStream describes the stream at key. Since Redis 5.0.
func (c cmds) XInfoStream(ctx context.Context, key string) *Future[XInfoStream] {
	f := newFuture(c.s, ctx, "XINFO STREAM", ro, streamToInfo)
	f.b.key(key)
	return send(c.s, f)
}

// XInfoStreamFullOptions are the optional arguments of XINFO STREAM FULL.
type XInfoStreamFullOptions struct {
	// Count is the most entries, and pending entries per group and
	// consumer, returned (COUNT); 0: the server's default of 10.
	Count int64
	// All returns everything (COUNT 0); it overrides Count.
	All bool
}

// XInfoStreamFull is the full description of a stream (XINFO STREAM
// FULL): its entries and its groups with their pending entries and
// consumers.
type XInfoStreamFull struct {
	Length               int64
	RadixTreeKeys        int64
	RadixTreeNodes       int64
	LastGeneratedID      string
	MaxDeletedEntryID    string
	EntriesAdded         int64
	RecordedFirstEntryID string
	Entries              []XMessage
	Groups               []XInfoGroupFull
}

// XInfoGroupFull is one group in XInfoStreamFull. EntriesRead and Lag are
// valid only when Redis knows them (EntriesReadValid, LagValid; Redis
// 7.0).
type XInfoGroupFull struct {
	Name             string
	LastDeliveredID  string
	EntriesRead      int64
	EntriesReadValid bool
	Lag              int64
	LagValid         bool
	PendingCount     int64
	Pending          []XPendingEntry
	Consumers        []XInfoConsumerFull
}

// XPendingEntry is a pending entry in XInfoStreamFull: delivered to
// Consumer (empty in a consumer's own list) at DeliveryTime,
// DeliveryCount times.
type XPendingEntry struct {
	ID            string
	Consumer      string
	DeliveryTime  time.Time
	DeliveryCount int64
}

// XInfoConsumerFull is one consumer in XInfoGroupFull. SeenTime is its
// last attempted interaction; ActiveTime its last successful one (Redis
// 7.2; the zero time before).
type XInfoConsumerFull struct {
	Name         string
	SeenTime     time.Time
	ActiveTime   time.Time
	PendingCount int64
	Pending      []XPendingEntry
}

// XInfoStreamFull describes the stream at key in full (XINFO STREAM
// FULL). Since Redis 6.0.
func (c cmds) XInfoStreamFull(ctx context.Context, key string, opts XInfoStreamFullOptions) *Future[XInfoStreamFull] {
	f := newFuture(c.s, ctx, "XINFO STREAM", ro, streamToInfoFull)
	f.b.key(key).str("FULL")
	switch {
	case opts.All:
		f.b.str("COUNT").int(0)
	case opts.Count < 0:
		f.b.fail("XInfoStreamFull needs a count of zero or more")
	case opts.Count > 0:
		f.b.str("COUNT").int(opts.Count)
	}
	return send(c.s, f)
}

// XInfoGroup describes one consumer group (XINFO GROUPS). EntriesRead and
// Lag are valid only when Redis knows them (EntriesReadValid, LagValid;
// Redis 7.0).
type XInfoGroup struct {
	Name             string
	Consumers        int64
	Pending          int64
	LastDeliveredID  string
	EntriesRead      int64
	EntriesReadValid bool
	Lag              int64
	LagValid         bool
}

// XInfoGroups describes the consumer groups of the stream at key. Since
// Redis 5.0. Since Redis 5.0.0.
func (c cmds) XInfoGroups(ctx context.Context, key string) *Future[[]XInfoGroup] {
	f := newFuture(c.s, ctx, "XINFO GROUPS", ro, streamToInfoGroups)
	f.b.key(key)
	return send(c.s, f)
}

// XInfoConsumer describes one consumer of a group (XINFO CONSUMERS): its
// pending entries, the time since its last attempted interaction (Idle)
// and since its last successful one (Inactive, Redis 7.2; 0 before).
type XInfoConsumer struct {
	Name     string
	Pending  int64
	Idle     time.Duration
	Inactive time.Duration
}

// XInfoConsumers describes the consumers of group. Since Redis 5.0.
func (c cmds) XInfoConsumers(ctx context.Context, key, group string) *Future[[]XInfoConsumer] {
	f := newFuture(c.s, ctx, "XINFO CONSUMERS", ro, streamToInfoConsumers)
	f.b.key(key).str(group)
	return send(c.s, f)
}

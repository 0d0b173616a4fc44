package client

import (
	"context"
	"math"
	"strconv"
	"time"

	"github.com/actoredis/actoredis/messages"
)

// Commands of the stream group.

// XMessage is one stream entry: its ID and its field/value pairs in the
// order they were added (Redis keeps that order, so they are not a map;
// Map gives one). Values is nil for an entry that was deleted while it was
// pending, as XREADGROUP reports the history of a consumer.
type XMessage struct {
	ID     string
	Values []string // field0, value0, field1, value1, ...
}

// Map returns the entry's fields as a map (a field given twice keeps its
// last value).
func (m XMessage) Map() map[string]string {
	out := make(map[string]string, len(m.Values)/2)
	for i := 0; i+1 < len(m.Values); i += 2 {
		out[m.Values[i]] = m.Values[i+1]
	}
	return out
}

// XStream is the entries read from one stream by XREAD or XREADGROUP.
type XStream struct {
	Stream   string
	Messages []XMessage
}

// XTrimRule is a trimming threshold for XADD and XTRIM. Make one with
// XMaxLen or XMinID, and refine it with Approx or Limit. The zero value
// trims nothing (XAddWith sends no trimming tokens; XTrim refuses it).
type XTrimRule struct {
	kind   xTrimKind
	maxLen int64
	minID  string
	approx bool
	limit  int64
}

type xTrimKind uint8

const (
	xTrimNone xTrimKind = iota
	xTrimMaxLen
	xTrimMinID
)

// XMaxLen keeps at most n entries, the newest (MAXLEN = n); n must not be
// negative.
func XMaxLen(n int64) XTrimRule { return XTrimRule{kind: xTrimMaxLen, maxLen: n} }

// XMinID evicts the entries whose IDs are lower than id (MINID = id).
func XMinID(id string) XTrimRule { return XTrimRule{kind: xTrimMinID, minID: id} }

// Approx makes the trimming approximate (~ instead of =): Redis trims only
// whole radix-tree nodes, which is much cheaper, and may keep a few more
// entries than asked.
func (r XTrimRule) Approx() XTrimRule { r.approx = true; return r }

// Limit caps the number of entries evicted by one call (LIMIT n). It
// implies Approx, since Redis accepts LIMIT only with ~; n must be
// positive.
func (r XTrimRule) Limit(n int64) XTrimRule {
	r.approx = true
	r.limit = n
	if n == 0 {
		r.limit = -1 // refused by streamAppendTrim: 0 is not "no limit" here
	}
	return r
}

// String describes the rule: "none", "MAXLEN = 10", "MINID ~ 5-0 LIMIT 100".
func (r XTrimRule) String() string {
	var s string
	switch r.kind {
	case xTrimMaxLen:
		s = "MAXLEN"
	case xTrimMinID:
		s = "MINID"
	default:
		return "none"
	}
	if r.approx {
		s += " ~ "
	} else {
		s += " = "
	}
	if r.kind == xTrimMaxLen {
		s += strconv.FormatInt(r.maxLen, 10)
	} else {
		s += r.minID
	}
	if r.limit != 0 {
		s += " LIMIT " + strconv.FormatInt(r.limit, 10)
	}
	return s
}

// streamAppendTrim adds the tokens of r; the zero rule adds nothing.
func streamAppendTrim(b *builder, r XTrimRule) {
	switch r.kind {
	case xTrimNone:
		return
	case xTrimMaxLen:
		if r.maxLen < 0 {
			b.fail("XMaxLen needs a length of zero or more")
			return
		}
		b.str("MAXLEN")
	case xTrimMinID:
		if r.minID == "" {
			b.fail("XMinID needs an ID")
			return
		}
		b.str("MINID")
	default:
		b.fail("unknown XTrimRule")
		return
	}
	if r.approx {
		b.str("~")
	} else {
		b.str("=")
	}
	if r.kind == xTrimMaxLen {
		b.int(r.maxLen)
	} else {
		b.str(r.minID)
	}
	if r.limit < 0 {
		b.fail("XTrimRule.Limit needs a positive count")
		return
	}
	if r.limit > 0 {
		b.str("LIMIT").int(r.limit)
	}
}

// XAdd appends an entry with the field/value pairs given (field1, value1,
// field2, value2, ...) to the stream at key, creating it, under an ID the
// server generates (*), and returns that ID. Since Redis 5.0.
func (c cmds) XAdd(ctx context.Context, key string, values ...any) *Future[string] {
	return c.XAddWith(ctx, key, XAddOptions{}, values...)
}

// XAddOptions are the optional arguments of XADD.
type XAddOptions struct {
	// NoMkStream leaves a missing stream missing (NOMKSTREAM, Redis 6.2):
	// nothing is added and the ID returned is "".
	NoMkStream bool
	// Trim trims the stream after the addition (MAXLEN or MINID).
	Trim XTrimRule
	// ID is the new entry's ID; "" lets the server generate one (*).
	ID string
}

// XAddWith is XAdd with options. It returns the new entry's ID, or "" when
// NoMkStream found no stream. Since Redis 5.0.
func (c cmds) XAddWith(ctx context.Context, key string, opts XAddOptions, values ...any) *Future[string] {
	f := newFuture(ctx, "XADD", 0, toOptionalString)
	f.b.key(key).strIf(opts.NoMkStream, "NOMKSTREAM")
	streamAppendTrim(&f.b, opts.Trim)
	if opts.ID == "" {
		f.b.str("*")
	} else {
		f.b.str(opts.ID)
	}
	if len(values) == 0 || len(values)%2 != 0 {
		f.b.fail("XAdd needs field/value pairs")
	}
	for _, v := range values {
		f.b.any(v)
	}
	return send(c.s, f)
}

// XTrim trims the stream at key by rule and returns the number of entries
// evicted. Since Redis 5.0 (MINID and LIMIT since 6.2).
func (c cmds) XTrim(ctx context.Context, key string, rule XTrimRule) *Future[int64] {
	f := newFuture(ctx, "XTRIM", 0, toInt64)
	f.b.key(key)
	if rule.kind == xTrimNone {
		f.b.fail("XTrim needs XMaxLen or XMinID")
	}
	streamAppendTrim(&f.b, rule)
	return send(c.s, f)
}

// XDel deletes the entries with the given IDs from the stream at key and
// returns how many existed. Since Redis 5.0.
func (c cmds) XDel(ctx context.Context, key string, ids ...string) *Future[int64] {
	f := newFuture(ctx, "XDEL", idem, toInt64)
	f.b.key(key)
	if len(ids) == 0 {
		f.b.fail("XDel needs at least one ID")
	}
	for _, id := range ids {
		f.b.str(id)
	}
	return send(c.s, f)
}

// XLen returns the number of entries of the stream at key (0 when it does
// not exist). Since Redis 5.0.
func (c cmds) XLen(ctx context.Context, key string) *Future[int64] {
	f := newFuture(ctx, "XLEN", ro, toInt64)
	f.b.key(key)
	return send(c.s, f)
}

// XRange returns the entries of the stream at key with IDs from start to
// end, both inclusive ("-" and "+" stand for the lowest and highest; an
// ID prefixed with "(" is exclusive). Since Redis 5.0.
func (c cmds) XRange(ctx context.Context, key, start, end string) *Future[[]XMessage] {
	return c.XRangeWith(ctx, key, start, end, XRangeOptions{})
}

// XRangeOptions are the optional arguments of XRANGE and XREVRANGE.
type XRangeOptions struct {
	// Count returns at most this many entries (COUNT); 0 returns all.
	Count int64
}

// XRangeWith is XRange with options. Since Redis 5.0.
func (c cmds) XRangeWith(ctx context.Context, key, start, end string, opts XRangeOptions) *Future[[]XMessage] {
	return streamRange(c, ctx, "XRANGE", key, start, end, opts)
}

// XRevRange returns the entries of the stream at key from end down to
// start, both inclusive, highest ID first (note the order of the
// arguments: end first, as Redis takes them). Since Redis 5.0.
func (c cmds) XRevRange(ctx context.Context, key, end, start string) *Future[[]XMessage] {
	return c.XRevRangeWith(ctx, key, end, start, XRangeOptions{})
}

// XRevRangeWith is XRevRange with options. Since Redis 5.0.
func (c cmds) XRevRangeWith(ctx context.Context, key, end, start string, opts XRangeOptions) *Future[[]XMessage] {
	return streamRange(c, ctx, "XREVRANGE", key, end, start, opts)
}

func streamRange(c cmds, ctx context.Context, name, key, from, to string, opts XRangeOptions) *Future[[]XMessage] {
	f := newFuture(ctx, name, ro, streamToMessages)
	f.b.key(key).str(from).str(to)
	if opts.Count < 0 {
		f.b.fail(name + " needs a count of zero or more")
	}
	if opts.Count > 0 {
		f.b.str("COUNT").int(opts.Count)
	}
	return send(c.s, f)
}

// XBlockForever, as XReadOptions.Block or XReadGroupOptions.Block, waits
// for entries with no time limit (BLOCK 0).
const XBlockForever time.Duration = math.MaxInt64

// XReadOptions are the optional arguments of XREAD.
type XReadOptions struct {
	// Count returns at most this many entries per stream (COUNT); 0: no
	// limit.
	Count int64
	// Block waits up to this long for entries when there are none
	// (BLOCK, in whole milliseconds; at least one millisecond). 0 does not
	// wait; XBlockForever waits with no limit. A call that may block runs
	// on a dedicated connection leased for it, and a context that ends
	// first closes that connection, so the server gives nothing to a
	// caller that has gone.
	Block time.Duration
}

// XRead returns the entries of the streams at keys with IDs greater than
// the matching ids ("$" for only entries added from now on, "+" for the
// last entry, Redis 7.4). keys and ids have the same length. Streams
// without new entries are left out; none at all gives an empty result and
// no error. Since Redis 5.0.
func (c cmds) XRead(ctx context.Context, keys, ids []string) *Future[[]XStream] {
	return c.XReadWith(ctx, keys, ids, XReadOptions{})
}

// XReadWith is XRead with options; with Block it waits for entries (see
// XReadOptions.Block). Since Redis 5.0.
func (c cmds) XReadWith(ctx context.Context, keys, ids []string, opts XReadOptions) *Future[[]XStream] {
	flags := ro
	if opts.Block != 0 {
		flags = messages.Blocking
	}
	f := newFuture(ctx, "XREAD", flags, streamToStreams)
	streamReadTail(&f.b, "XRead", opts.Count, opts.Block, false, keys, ids)
	return send(c.s, f)
}

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
}

// XReadGroup reads the streams at keys as consumer of group: an id of ">"
// gives entries never delivered to the group (and makes them pending for
// consumer), any other id gives consumer's pending entries after it.
// keys and ids have the same length. Streams without entries are left
// out; none at all gives an empty result and no error. Since Redis 5.0.
func (c cmds) XReadGroup(ctx context.Context, group, consumer string, keys, ids []string) *Future[[]XStream] {
	return c.XReadGroupWith(ctx, group, consumer, keys, ids, XReadGroupOptions{})
}

// XReadGroupWith is XReadGroup with options; with Block it waits for
// entries (see XReadOptions.Block). Since Redis 5.0.
func (c cmds) XReadGroupWith(ctx context.Context, group, consumer string, keys, ids []string, opts XReadGroupOptions) *Future[[]XStream] {
	var flags messages.Flags
	if opts.Block != 0 {
		flags = messages.Blocking
	}
	f := newFuture(ctx, "XREADGROUP", flags, streamToStreams)
	f.b.str("GROUP").str(group).str(consumer)
	streamReadTail(&f.b, "XReadGroup", opts.Count, opts.Block, opts.NoAck, keys, ids)
	return send(c.s, f)
}

// streamReadTail appends COUNT, BLOCK, NOACK and STREAMS of XREAD and
// XREADGROUP.
func streamReadTail(b *builder, method string, count int64, block time.Duration, noAck bool, keys, ids []string) {
	if count < 0 {
		b.fail(method + " needs a count of zero or more")
	}
	if count > 0 {
		b.str("COUNT").int(count)
	}
	switch {
	case block == XBlockForever:
		b.str("BLOCK").int(0)
	case block < 0:
		b.fail(method + " needs a block time of zero or more")
	case block > 0 && block < time.Millisecond:
		b.fail(method + " blocks for at least one millisecond")
	case block > 0:
		b.str("BLOCK").ms(block)
	}
	b.strIf(noAck, "NOACK")
	if len(keys) == 0 || len(keys) != len(ids) {
		b.fail(method + " needs as many IDs as keys, and at least one")
	}
	b.str("STREAMS").keys(keys...)
	for _, id := range ids {
		b.str(id)
	}
}

// XAck acknowledges the entries ids of the stream at key for group,
// removing them from its pending list, and returns how many were pending.
// Since Redis 5.0.
func (c cmds) XAck(ctx context.Context, key, group string, ids ...string) *Future[int64] {
	f := newFuture(ctx, "XACK", idem, toInt64)
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
// idle for at least minIdle, and returns those it took. Since Redis 5.0.
func (c cmds) XClaim(ctx context.Context, key, group, consumer string, minIdle time.Duration, ids ...string) *Future[[]XMessage] {
	f := newFuture(ctx, "XCLAIM", 0, streamToMessages)
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

// XClaimResult is the answer of XClaimWith: the IDs claimed and, without
// JustID, their entries.
type XClaimResult struct {
	IDs      []string
	Messages []XMessage
}

// XClaimWith is XClaim with options. Since Redis 5.0.
func (c cmds) XClaimWith(ctx context.Context, key, group, consumer string, minIdle time.Duration, ids []string, opts XClaimOptions) *Future[XClaimResult] {
	conv := streamToClaimed
	if opts.JustID {
		conv = streamToClaimedIDs
	}
	f := newFuture(ctx, "XCLAIM", 0, conv)
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
	f := newFuture(ctx, "XAUTOCLAIM", 0, conv)
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
	f := newFuture(ctx, "XSETID", idem, toStatus)
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
	f := newFuture(ctx, "XGROUP CREATE", 0, toStatus)
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
	f := newFuture(ctx, "XGROUP CREATECONSUMER", 0, toBool)
	f.b.key(key).str(group).str(consumer)
	return send(c.s, f)
}

// XGroupDelConsumer deletes consumer from group and returns the number of
// entries it still had pending (they are dropped). Since Redis 5.0.
func (c cmds) XGroupDelConsumer(ctx context.Context, key, group, consumer string) *Future[int64] {
	f := newFuture(ctx, "XGROUP DELCONSUMER", 0, toInt64)
	f.b.key(key).str(group).str(consumer)
	return send(c.s, f)
}

// XGroupDestroy deletes group and reports whether it existed. Since Redis
// 5.0.
func (c cmds) XGroupDestroy(ctx context.Context, key, group string) *Future[bool] {
	f := newFuture(ctx, "XGROUP DESTROY", 0, toBool)
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
	f := newFuture(ctx, "XGROUP SETID", idem, toStatus)
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
// Redis 5.0.
func (c cmds) XPending(ctx context.Context, key, group string) *Future[XPending] {
	f := newFuture(ctx, "XPENDING", ro, streamToPending)
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
	f := newFuture(ctx, "XPENDING", ro, streamToPendingExt)
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
	f := newFuture(ctx, "XINFO STREAM", ro, streamToInfo)
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
	f := newFuture(ctx, "XINFO STREAM", ro, streamToInfoFull)
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
// Redis 5.0.
func (c cmds) XInfoGroups(ctx context.Context, key string) *Future[[]XInfoGroup] {
	f := newFuture(ctx, "XINFO GROUPS", ro, streamToInfoGroups)
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
	f := newFuture(ctx, "XINFO CONSUMERS", ro, streamToInfoConsumers)
	f.b.key(key).str(group)
	return send(c.s, f)
}

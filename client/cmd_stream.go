package client

import (
	"context"
	"math"
	"strconv"
	"time"

	"github.com/actoredis/actoredis/messages"
)

// Commands of the stream group: XADD, XRANGE, XREVRANGE, XREAD, XTRIM,
// XDEL, XLEN, XSETID, XINFO STREAM. The consumer-group commands are in
// cmd_stream_group.go; the result types in reply_stream.go.

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
// server generates (*), and returns that ID. Since Redis 5.0.0.
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
	// Refs is what the trimming does with the consumer groups'
	// references to the entries it evicts (KEEPREF, DELREF, ACKED). Redis
	// 8.2 and later.
	Refs XRefPolicy
	// Producer makes the addition idempotent (Redis 8.6): at most once
	// per producer and idempotent ID, so that a producer may resend after
	// a lost reply. With IdempotentID it sends IDMP producer iid; alone,
	// IDMPAUTO producer, the server deriving the ID from the fields. A
	// resend adds nothing and returns the first entry's ID, so such an
	// XAdd is Idempotent (retried after a lost connection). ID must be "".
	// XCfgSet sets how long and how many IDs the stream remembers.
	Producer string
	// IdempotentID is the producer's ID of this entry (IDMP); "" sends
	// IDMPAUTO. Needs Producer.
	IdempotentID string
}

// XAddWith is XAdd with options. It returns the new entry's ID, or "" when
// NoMkStream found no stream. Since Redis 5.0.0.
func (c cmds) XAddWith(ctx context.Context, key string, opts XAddOptions, values ...any) *Future[string] {
	var flags messages.Flags
	if opts.Producer != "" {
		flags = idem
	}
	f := newFuture(c.s, ctx, "XADD", flags, toOptionalString)
	f.b.key(key).strIf(opts.NoMkStream, "NOMKSTREAM")
	f.b.token(xRefTokens.of(opts.Refs))
	switch {
	case opts.Producer == "" && opts.IdempotentID != "":
		f.b.fail("XAddOptions.IdempotentID needs a Producer")
	case opts.Producer != "" && opts.ID != "":
		f.b.fail("XAddOptions.Producer needs a server-generated ID")
	case opts.IdempotentID != "":
		f.b.str("IDMP").str(opts.Producer).str(opts.IdempotentID)
	case opts.Producer != "":
		f.b.str("IDMPAUTO").str(opts.Producer)
	}
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
// evicted. MINID and LIMIT need Redis 6.2.0. Since Redis 5.0.0.
func (c cmds) XTrim(ctx context.Context, key string, rule XTrimRule) *Future[int64] {
	return c.XTrimWith(ctx, key, rule, XTrimOptions{})
}

// XDel deletes the entries with the given IDs from the stream at key and
// returns how many existed. Since Redis 5.0.0.
func (c cmds) XDel(ctx context.Context, key string, ids ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "XDEL", idem, toInt64)
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
// not exist). Since Redis 5.0.0.
func (c cmds) XLen(ctx context.Context, key string) *Future[int64] {
	f := newFuture(c.s, ctx, "XLEN", ro, toInt64)
	f.b.key(key)
	return send(c.s, f)
}

// XRange returns the entries of the stream at key with IDs from start to
// end, both inclusive ("-" and "+" stand for the lowest and highest; an
// ID prefixed with "(" is exclusive). Since Redis 5.0.0.
func (c cmds) XRange(ctx context.Context, key, start, end string) *Future[[]XMessage] {
	return c.XRangeWith(ctx, key, start, end, XRangeOptions{})
}

// XRangeOptions are the optional arguments of XRANGE and XREVRANGE.
type XRangeOptions struct {
	// Count returns at most this many entries (COUNT); 0 returns all.
	Count int64
}

// XRangeWith is XRange with options. Since Redis 5.0.0.
func (c cmds) XRangeWith(ctx context.Context, key, start, end string, opts XRangeOptions) *Future[[]XMessage] {
	return streamRange(c, ctx, "XRANGE", key, start, end, opts)
}

// XRevRange returns the entries of the stream at key from end down to
// start, both inclusive, highest ID first (note the order of the
// arguments: end first, as Redis takes them). Since Redis 5.0.0.
func (c cmds) XRevRange(ctx context.Context, key, end, start string) *Future[[]XMessage] {
	return c.XRevRangeWith(ctx, key, end, start, XRangeOptions{})
}

// XRevRangeWith is XRevRange with options. Since Redis 5.0.0.
func (c cmds) XRevRangeWith(ctx context.Context, key, end, start string, opts XRangeOptions) *Future[[]XMessage] {
	return streamRange(c, ctx, "XREVRANGE", key, end, start, opts)
}

func streamRange(c cmds, ctx context.Context, name, key, from, to string, opts XRangeOptions) *Future[[]XMessage] {
	f := newFuture(c.s, ctx, name, ro, streamToMessages)
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
	// MaxCount returns at most this many entries in all (MAXCOUNT); 0: no
	// limit. Since Redis 8.10.0.
	MaxCount int64
	// MaxSize stops adding entries once the reply holds this many bytes
	// of them (MAXSIZE); 0: no limit. Since Redis 8.10.0.
	MaxSize int64
}

// XRead returns the entries of the streams at keys with IDs greater than
// the matching ids ("$" for only entries added from now on, "+" for the
// last entry, Redis 7.4). keys and ids have the same length. Streams
// without new entries are left out; none at all gives an empty result and
// no error. Since Redis 5.0.0.
func (c cmds) XRead(ctx context.Context, keys, ids []string) *Future[[]XStream] {
	return c.XReadWith(ctx, keys, ids, XReadOptions{})
}

// XReadWith is XRead with options; with Block it waits for entries (see
// XReadOptions.Block). Since Redis 5.0.0.
func (c cmds) XReadWith(ctx context.Context, keys, ids []string, opts XReadOptions) *Future[[]XStream] {
	flags := ro
	if opts.Block != 0 {
		flags = messages.Blocking
	}
	f := newFuture(c.s, ctx, "XREAD", flags, streamToStreams)
	streamReadTail(&f.b, "XRead", streamRead{count: opts.Count, maxCount: opts.MaxCount, maxSize: opts.MaxSize, block: opts.Block}, keys, ids)
	return send(c.s, f)
}

// streamRead are the options XREAD and XREADGROUP share.
type streamRead struct {
	count, maxCount, maxSize int64
	block, claim             time.Duration
	noAck                    bool
}

// streamReadTail appends COUNT, MAXCOUNT, MAXSIZE, BLOCK, CLAIM, NOACK and
// STREAMS of XREAD and XREADGROUP.
func streamReadTail(b *builder, method string, o streamRead, keys, ids []string) {
	if o.count < 0 || o.maxCount < 0 || o.maxSize < 0 {
		b.fail(method + " needs counts and sizes of zero or more")
	}
	if o.count > 0 {
		b.str("COUNT").int(o.count)
	}
	if o.maxCount > 0 {
		b.str("MAXCOUNT").int(o.maxCount)
	}
	if o.maxSize > 0 {
		b.str("MAXSIZE").int(o.maxSize)
	}
	switch block := o.block; {
	case block == XBlockForever:
		b.str("BLOCK").int(0)
	case block < 0:
		b.fail(method + " needs a block time of zero or more")
	case block > 0 && block < time.Millisecond:
		b.fail(method + " blocks for at least one millisecond")
	case block > 0:
		b.str("BLOCK").ms(block)
	}
	switch {
	case o.claim < 0:
		b.fail(method + " needs a claim idle time of zero or more")
	case o.claim > 0:
		b.str("CLAIM").ms(o.claim)
	}
	b.strIf(o.noAck, "NOACK")
	if len(keys) == 0 || len(keys) != len(ids) {
		b.fail(method + " needs as many IDs as keys, and at least one")
	}
	b.str("STREAMS").keys(keys...)
	for _, id := range ids {
		b.str(id)
	}
}

// XSetID sets the last ID of the stream at key, which must exist, and
// returns "OK". Since Redis 5.0.0.
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

// XSetIDWith is XSetID with options. The options need Redis 7.0.0. Since
// Redis 5.0.0.
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

// XInfoStream describes the stream at key. Since Redis 5.0.0.
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

// XInfoStreamFull describes the stream at key in full (XINFO STREAM
// FULL). Since Redis 6.0.0.
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

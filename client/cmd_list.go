package client

import (
	"context"
	"strconv"
	"time"

	"github.com/actoredis/actoredis/messages"
)

// Commands of the list group.

// ListDirection is the end of a list an element is taken from or put at.
// It has no default: the zero value is not a direction and fails the
// command with ErrInvalidArg.
type ListDirection uint8

// The ends of a list, for LMOVE, BLMOVE, LMPOP and BLMPOP.
const (
	// ListLeft is the head of the list (LEFT).
	ListLeft ListDirection = iota + 1
	// ListRight is the tail of the list (RIGHT).
	ListRight
)

var listDirectionTokens = tokens[ListDirection]{typ: "ListDirection", list: []string{
	ListLeft: "LEFT", ListRight: "RIGHT",
}}

// String returns the direction's Redis token ("LEFT", "RIGHT").
func (d ListDirection) String() string { return listDirectionTokens.name(d) }

// InsertPosition tells LINSERT on which side of the pivot to insert. It
// has no default: the zero value fails the command with ErrInvalidArg.
type InsertPosition uint8

// The positions of LINSERT.
const (
	// InsertBefore inserts the element before the pivot (BEFORE).
	InsertBefore InsertPosition = iota + 1
	// InsertAfter inserts the element after the pivot (AFTER).
	InsertAfter
)

var insertPositionTokens = tokens[InsertPosition]{typ: "InsertPosition", list: []string{
	InsertBefore: "BEFORE", InsertAfter: "AFTER",
}}

// String returns the position's Redis token ("BEFORE", "AFTER").
func (p InsertPosition) String() string { return insertPositionTokens.name(p) }

// listTimeout appends the timeout of a blocking list command in seconds:
// an integer for whole seconds, else a decimal fraction (Redis 6+) rounded
// up to the millisecond, so a positive timeout never becomes 0 (which
// blocks forever). A negative timeout fails the command.
func (b *builder) listTimeout(d time.Duration, method string) *builder {
	switch {
	case d < 0:
		return b.fail(method + " timeout must not be negative")
	case d%time.Second == 0:
		return b.sec(d)
	}
	ms := (d + time.Millisecond - 1) / time.Millisecond
	return b.str(strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64))
}

// BLMove is LMove that blocks until src has an element or timeout passes
// (zero: forever; fractions of a second are sent to the millisecond). It
// sends BLMOVE src dst <srcDir> <dstDir> timeout and returns the element
// moved; a timeout gives ErrNil. It runs on a dedicated connection, closed
// if ctx ends first, so nothing is popped for a caller that has gone.
// Since Redis 6.2.0.
func (c cmds) BLMove(ctx context.Context, src, dst string, srcDir, dstDir ListDirection, timeout time.Duration) *Future[string] {
	f := newFuture(c.s, ctx, "BLMOVE", messages.Blocking, toString)
	f.b.key(src).key(dst).token(listDirectionTokens.of(srcDir)).token(listDirectionTokens.of(dstDir)).listTimeout(timeout, "BLMove")
	return send(c.s, f)
}

// LMPopOptions are the optional arguments of LMPOP and BLMPOP.
type LMPopOptions struct {
	// Count pops up to this many elements (COUNT); 0 pops one.
	Count int64
}

// BLMPop is LMPop that blocks until one of keys has an element or timeout
// passes (zero: forever; fractions of a second are sent to the
// millisecond). It sends BLMPOP timeout numkeys key... <dir> and returns
// the element popped from the first non-empty list; a timeout gives
// ErrNil. It runs on a dedicated connection, closed if ctx ends first.
// Since Redis 7.0.0.
func (c cmds) BLMPop(ctx context.Context, timeout time.Duration, dir ListDirection, keys ...string) *Future[KeyValues] {
	return c.BLMPopWith(ctx, timeout, dir, keys, LMPopOptions{})
}

// BLMPopWith is BLMPop with options (COUNT). Since Redis 7.0.0.
func (c cmds) BLMPopWith(ctx context.Context, timeout time.Duration, dir ListDirection, keys []string, opts LMPopOptions) *Future[KeyValues] {
	f := newFuture(c.s, ctx, "BLMPOP", messages.Blocking, listToKeyValues)
	f.b.listTimeout(timeout, "BLMPop")
	listMPopArgs(&f.b, "BLMPop", dir, keys, opts)
	return send(c.s, f)
}

// listMPopArgs appends numkeys key... <dir> [COUNT n] of LMPOP and BLMPOP.
func listMPopArgs(b *builder, method string, dir ListDirection, keys []string, opts LMPopOptions) {
	switch {
	case len(keys) == 0:
		b.fail(method + " needs at least one key")
	case opts.Count < 0:
		b.fail("LMPopOptions.Count must not be negative")
	}
	b.int(int64(len(keys))).keys(keys...).token(listDirectionTokens.of(dir))
	if opts.Count > 0 {
		b.str("COUNT").int(opts.Count)
	}
}

// BLPop pops the first element of the first non-empty list among keys,
// blocking until there is one or timeout passes (zero: forever; fractions
// of a second are sent to the millisecond). It sends BLPOP key... timeout
// and returns the element and its list's key; a timeout gives ErrNil. It
// runs on a dedicated connection, closed if ctx ends first, so nothing is
// popped for a caller that has gone. Since Redis 2.0.0.
func (c cmds) BLPop(ctx context.Context, timeout time.Duration, keys ...string) *Future[KeyValue] {
	return c.listBPop(ctx, "BLPOP", "BLPop", timeout, keys)
}

// BRPop is BLPop taking the last element of the list (BRPOP). Since Redis
// 2.0.0.
func (c cmds) BRPop(ctx context.Context, timeout time.Duration, keys ...string) *Future[KeyValue] {
	return c.listBPop(ctx, "BRPOP", "BRPop", timeout, keys)
}

func (c cmds) listBPop(ctx context.Context, name, method string, timeout time.Duration, keys []string) *Future[KeyValue] {
	f := newFuture(c.s, ctx, name, messages.Blocking, listToKeyValue)
	if len(keys) == 0 {
		f.b.fail(method + " needs at least one key")
	}
	f.b.keys(keys...).listTimeout(timeout, method)
	return send(c.s, f)
}

// BRPopLPush is RPopLPush that blocks until src has an element or timeout
// passes (zero: forever; fractions of a second are sent to the
// millisecond). It sends BRPOPLPUSH src dst timeout and returns the
// element moved; a timeout gives ErrNil. It runs on a dedicated
// connection, closed if ctx ends first. Redis deprecates it for BLMOVE
// (see BLMove). Since Redis 2.2.0.
func (c cmds) BRPopLPush(ctx context.Context, src, dst string, timeout time.Duration) *Future[string] {
	f := newFuture(c.s, ctx, "BRPOPLPUSH", messages.Blocking, toString)
	f.b.key(src).key(dst).listTimeout(timeout, "BRPopLPush")
	return send(c.s, f)
}

// LIndex sends LINDEX key index and returns the element at index (negative
// counts from the tail, -1 being the last); an index out of range or a
// missing key gives ErrNil. Since Redis 1.0.0.
func (c cmds) LIndex(ctx context.Context, key string, index int64) *Future[string] {
	f := newFuture(c.s, ctx, "LINDEX", ro, toString)
	f.b.key(key).int(index)
	return send(c.s, f)
}

// LInsert sends LINSERT key BEFORE|AFTER pivot element: it inserts element
// next to the first occurrence of pivot and returns the new length of the
// list, -1 when pivot was not found, 0 when key does not exist. Since
// Redis 2.2.0.
func (c cmds) LInsert(ctx context.Context, key string, pos InsertPosition, pivot, element any) *Future[int64] {
	f := newFuture(c.s, ctx, "LINSERT", 0, toInt64)
	f.b.key(key)
	f.b.token(insertPositionTokens.of(pos)).any(pivot).any(element)
	return send(c.s, f)
}

// LLen sends LLEN key and returns the length of the list (0 for a missing
// key). Since Redis 1.0.0.
func (c cmds) LLen(ctx context.Context, key string) *Future[int64] {
	f := newFuture(c.s, ctx, "LLEN", ro, toInt64)
	f.b.key(key)
	return send(c.s, f)
}

// LMove sends LMOVE src dst <srcDir> <dstDir>: it pops an element from one
// end of src, pushes it at one end of dst and returns it; an empty src
// gives ErrNil. src and dst may be the same list (a rotation). Since
// Redis 6.2.0.
func (c cmds) LMove(ctx context.Context, src, dst string, srcDir, dstDir ListDirection) *Future[string] {
	f := newFuture(c.s, ctx, "LMOVE", 0, toString)
	f.b.key(src).key(dst).token(listDirectionTokens.of(srcDir)).token(listDirectionTokens.of(dstDir))
	return send(c.s, f)
}

// LMPop sends LMPOP numkeys key... <dir>: it pops one element from the
// given end of the first non-empty list among keys and returns it with its
// list's key; all lists empty gives ErrNil. Since Redis 7.0.0.
func (c cmds) LMPop(ctx context.Context, dir ListDirection, keys ...string) *Future[KeyValues] {
	return c.LMPopWith(ctx, dir, keys, LMPopOptions{})
}

// LMPopWith is LMPop with options (COUNT). Since Redis 7.0.0.
func (c cmds) LMPopWith(ctx context.Context, dir ListDirection, keys []string, opts LMPopOptions) *Future[KeyValues] {
	f := newFuture(c.s, ctx, "LMPOP", 0, listToKeyValues)
	listMPopArgs(&f.b, "LMPop", dir, keys, opts)
	return send(c.s, f)
}

// LPop sends LPOP key and returns the first element of the list, removing
// it; a missing key gives ErrNil. Since Redis 1.0.0.
func (c cmds) LPop(ctx context.Context, key string) *Future[string] {
	f := newFuture(c.s, ctx, "LPOP", 0, toString)
	f.b.key(key)
	return send(c.s, f)
}

// LPopWith sends LPOP key count and returns up to count elements from the
// head of the list, removing them; a missing key gives ErrNil. count must
// not be negative. Since Redis 6.2.0.
func (c cmds) LPopWith(ctx context.Context, key string, count int64) *Future[[]string] {
	return c.listPopCount(ctx, "LPOP", "LPopWith", key, count)
}

func (c cmds) listPopCount(ctx context.Context, name, method, key string, count int64) *Future[[]string] {
	f := newFuture(c.s, ctx, name, 0, listToPopped)
	if count < 0 {
		f.b.fail(method + " count must not be negative")
	}
	f.b.key(key).int(count)
	return send(c.s, f)
}

// LPosOptions are the optional arguments of LPOS.
type LPosOptions struct {
	// Rank skips matches: 2 returns from the second match on, -1 searches
	// from the tail (RANK); 0 starts at the first match from the head.
	Rank int64
	// Count returns up to this many matches (COUNT n); 0 returns one.
	Count int64
	// All returns every match (COUNT 0). Count and All exclude each other.
	All bool
	// MaxLen compares at most this many elements (MAXLEN); 0 compares all.
	MaxLen int64
}

// LPos sends LPOS key element and returns the index of the first element
// equal to element; no match gives ErrNil. Since Redis 6.0.6.
func (c cmds) LPos(ctx context.Context, key string, element any) *Future[int64] {
	f := newFuture(c.s, ctx, "LPOS", ro, toInt64)
	f.b.key(key).any(element)
	return send(c.s, f)
}

// LPosWith is LPos with options (RANK, COUNT, MAXLEN). It returns the
// indexes of the matches, in the order found, empty (not ErrNil) when
// nothing matches. Since Redis 6.0.6.
func (c cmds) LPosWith(ctx context.Context, key string, element any, opts LPosOptions) *Future[[]int64] {
	f := newFuture(c.s, ctx, "LPOS", ro, listToPositions)
	f.b.key(key).any(element)
	switch {
	case opts.Count < 0:
		f.b.fail("LPosOptions.Count must not be negative")
	case opts.Count > 0 && opts.All:
		f.b.fail("LPosOptions.Count and All exclude each other")
	case opts.MaxLen < 0:
		f.b.fail("LPosOptions.MaxLen must not be negative")
	}
	if opts.Rank != 0 {
		f.b.str("RANK").int(opts.Rank)
	}
	switch {
	case opts.All:
		f.b.str("COUNT").int(0)
	case opts.Count > 0:
		f.b.str("COUNT").int(opts.Count)
	}
	if opts.MaxLen > 0 {
		f.b.str("MAXLEN").int(opts.MaxLen)
	}
	return send(c.s, f)
}

// LPush sends LPUSH key element...: it inserts the elements at the head of
// the list, one after the other (so the last ends up first), creating the
// list, and returns its new length. Since Redis 1.0.0.
func (c cmds) LPush(ctx context.Context, key string, elements ...any) *Future[int64] {
	return c.listPush(ctx, "LPUSH", "LPush", key, elements)
}

// LPushX is LPush only when the list exists (LPUSHX); it returns the new
// length, 0 when key does not exist. Several elements need Redis 4.0.0.
// Since Redis 2.2.0.
func (c cmds) LPushX(ctx context.Context, key string, elements ...any) *Future[int64] {
	return c.listPush(ctx, "LPUSHX", "LPushX", key, elements)
}

// RPush sends RPUSH key element...: it appends the elements at the tail of
// the list, creating it, and returns its new length. Since Redis 1.0.0.
func (c cmds) RPush(ctx context.Context, key string, elements ...any) *Future[int64] {
	return c.listPush(ctx, "RPUSH", "RPush", key, elements)
}

// RPushX is RPush only when the list exists (RPUSHX); it returns the new
// length, 0 when key does not exist. Several elements need Redis 4.0.0.
// Since Redis 2.2.0.
func (c cmds) RPushX(ctx context.Context, key string, elements ...any) *Future[int64] {
	return c.listPush(ctx, "RPUSHX", "RPushX", key, elements)
}

func (c cmds) listPush(ctx context.Context, name, method, key string, elements []any) *Future[int64] {
	f := newFuture(c.s, ctx, name, 0, toInt64)
	if len(elements) == 0 {
		f.b.fail(method + " needs at least one element")
	}
	f.b.key(key)
	for _, e := range elements {
		f.b.any(e)
	}
	return send(c.s, f)
}

// LRange sends LRANGE key start stop and returns the elements from start
// to stop, both inclusive; negative offsets count from the tail (-1 is the
// last). A missing key gives an empty slice. Since Redis 1.0.0.
func (c cmds) LRange(ctx context.Context, key string, start, stop int64) *Future[[]string] {
	f := newFuture(c.s, ctx, "LRANGE", ro, toStrings)
	f.b.key(key).int(start).int(stop)
	return send(c.s, f)
}

// LRem sends LREM key count element: it removes the first count
// occurrences of element from the head (count > 0), from the tail (count
// < 0) or all of them (count 0), and returns how many it removed. Since
// Redis 1.0.0.
func (c cmds) LRem(ctx context.Context, key string, count int64, element any) *Future[int64] {
	f := newFuture(c.s, ctx, "LREM", 0, toInt64)
	f.b.key(key).int(count).any(element)
	return send(c.s, f)
}

// LSet sends LSET key index element: it replaces the element at index
// (negative counts from the tail) and returns "OK". An index out of range
// or a missing key is a server error. Since Redis 1.0.0.
func (c cmds) LSet(ctx context.Context, key string, index int64, element any) *Future[string] {
	f := newFuture(c.s, ctx, "LSET", idem, toStatus)
	f.b.key(key).int(index).any(element)
	return send(c.s, f)
}

// LTrim sends LTRIM key start stop: it keeps only the elements from start
// to stop, both inclusive (negative offsets count from the tail), and
// returns "OK". Since Redis 1.0.0.
func (c cmds) LTrim(ctx context.Context, key string, start, stop int64) *Future[string] {
	f := newFuture(c.s, ctx, "LTRIM", 0, toStatus)
	f.b.key(key).int(start).int(stop)
	return send(c.s, f)
}

// RPop sends RPOP key and returns the last element of the list, removing
// it; a missing key gives ErrNil. Since Redis 1.0.0.
func (c cmds) RPop(ctx context.Context, key string) *Future[string] {
	f := newFuture(c.s, ctx, "RPOP", 0, toString)
	f.b.key(key)
	return send(c.s, f)
}

// RPopWith sends RPOP key count and returns up to count elements from the
// tail of the list, the last first, removing them; a missing key gives
// ErrNil. count must not be negative. Since Redis 6.2.0.
func (c cmds) RPopWith(ctx context.Context, key string, count int64) *Future[[]string] {
	return c.listPopCount(ctx, "RPOP", "RPopWith", key, count)
}

// RPopLPush sends RPOPLPUSH src dst: it pops the last element of src,
// pushes it at the head of dst and returns it; an empty src gives ErrNil.
// Redis deprecates it for LMOVE (see LMove). Since Redis 1.2.0.
func (c cmds) RPopLPush(ctx context.Context, src, dst string) *Future[string] {
	f := newFuture(c.s, ctx, "RPOPLPUSH", 0, toString)
	f.b.key(src).key(dst)
	return send(c.s, f)
}

package client

import (
	"context"
	"strconv"

	"github.com/actoredis/actoredis/resp"
)

// The array type of Redis 8.8: a sparse array of strings addressed by an
// unsigned 64-bit index, whose gaps cost nothing. ARLEN is the highest
// index in use plus one, ARCOUNT the number of slots holding a value. An
// insert cursor, moved by ARINSERT and ARRING and set by ARSEEK, makes it
// a log or a ring buffer. Indexes are uint64 here, as on the server.

// ArrayEntry is one slot of an array: its index and its value.
type ArrayEntry struct {
	Index uint64
	Value string
}

// ArrayRange is an inclusive range of indexes, for ARDELRANGE.
type ArrayRange struct {
	Start, End uint64
}

// ARSet sends ARSET key index value...: it stores values at consecutive
// indexes from index and returns how many of those slots were empty.
// Since Redis 8.8.0.
func (c cmds) ARSet(ctx context.Context, key string, index uint64, values ...any) *Future[int64] {
	f := newFuture(c.s, ctx, "ARSET", idem, toInt64)
	f.b.key(key).uint(index).arrayValues("ARSet", values)
	return send(c.s, f)
}

// ARMSet sends ARMSET key index value...: it stores each entry's value at
// its index, in any order, and returns how many of those slots were
// empty. Since Redis 8.8.0.
func (c cmds) ARMSet(ctx context.Context, key string, entries ...ArrayEntry) *Future[int64] {
	f := newFuture(c.s, ctx, "ARMSET", idem, toInt64)
	f.b.key(key)
	if len(entries) == 0 {
		f.b.fail("ARMSet needs at least one entry")
	}
	for _, e := range entries {
		f.b.uint(e.Index).str(e.Value)
	}
	return send(c.s, f)
}

// ARGet sends ARGET key index and returns the value at index; an empty
// slot or a missing key gives ErrNil. Since Redis 8.8.0.
func (c cmds) ARGet(ctx context.Context, key string, index uint64) *Future[string] {
	f := newFuture(c.s, ctx, "ARGET", ro, toString)
	f.b.key(key).uint(index)
	return send(c.s, f)
}

// ARMGet sends ARMGET key index... and returns the value at each index,
// an invalid NullString for an empty slot. Since Redis 8.8.0.
func (c cmds) ARMGet(ctx context.Context, key string, indexes ...uint64) *Future[[]NullString] {
	f := newFuture(c.s, ctx, "ARMGET", ro, toNullStrings)
	f.b.key(key).arrayIndexes("ARMGet", indexes)
	return send(c.s, f)
}

// ARGetRange sends ARGETRANGE key start end and returns the value of each
// slot from start to end inclusive, an invalid NullString for an empty
// one. Since Redis 8.8.0.
func (c cmds) ARGetRange(ctx context.Context, key string, start, end uint64) *Future[[]NullString] {
	f := newFuture(c.s, ctx, "ARGETRANGE", ro, toNullStrings)
	f.b.key(key).uint(start).uint(end)
	return send(c.s, f)
}

// ARDel sends ARDEL key index... and returns how many of the slots held a
// value it deleted. Since Redis 8.8.0.
func (c cmds) ARDel(ctx context.Context, key string, indexes ...uint64) *Future[int64] {
	f := newFuture(c.s, ctx, "ARDEL", idem, toInt64)
	f.b.key(key).arrayIndexes("ARDel", indexes)
	return send(c.s, f)
}

// ARDelRange sends ARDELRANGE key start end...: it deletes the values of
// each inclusive range and returns how many it deleted. Since Redis 8.8.0.
func (c cmds) ARDelRange(ctx context.Context, key string, ranges ...ArrayRange) *Future[int64] {
	f := newFuture(c.s, ctx, "ARDELRANGE", idem, toInt64)
	f.b.key(key)
	if len(ranges) == 0 {
		f.b.fail("ARDelRange needs at least one range")
	}
	for _, r := range ranges {
		if r.End < r.Start {
			f.b.fail("ARDelRange needs start <= end")
		}
		f.b.uint(r.Start).uint(r.End)
	}
	return send(c.s, f)
}

// ARLen sends ARLEN key: the highest index in use plus one, 0 for a
// missing key. Since Redis 8.8.0.
func (c cmds) ARLen(ctx context.Context, key string) *Future[uint64] {
	f := newFuture(c.s, ctx, "ARLEN", ro, toArrayIndex)
	f.b.key(key)
	return send(c.s, f)
}

// ARCount sends ARCOUNT key: how many slots hold a value. Since Redis
// 8.8.0.
func (c cmds) ARCount(ctx context.Context, key string) *Future[uint64] {
	f := newFuture(c.s, ctx, "ARCOUNT", ro, toArrayIndex)
	f.b.key(key)
	return send(c.s, f)
}

// ARInsert sends ARINSERT key value...: it stores values at consecutive
// indexes from the insert cursor, which moves past them, and returns the
// last index it wrote. Since Redis 8.8.0.
func (c cmds) ARInsert(ctx context.Context, key string, values ...any) *Future[uint64] {
	f := newFuture(c.s, ctx, "ARINSERT", 0, toArrayIndex)
	f.b.key(key).arrayValues("ARInsert", values)
	return send(c.s, f)
}

// ARRing sends ARRING key size value...: ARInsert into a ring of size
// slots, each value landing at the cursor modulo size, so that the newest
// values overwrite the oldest; a size smaller than the array truncates it.
// It returns the last index it wrote. Since Redis 8.8.0.
func (c cmds) ARRing(ctx context.Context, key string, size uint64, values ...any) *Future[uint64] {
	f := newFuture(c.s, ctx, "ARRING", 0, toArrayIndex)
	if size == 0 {
		f.b.fail("ARRing needs a size of at least 1")
	}
	f.b.key(key).uint(size).arrayValues("ARRing", values)
	return send(c.s, f)
}

// ARNext sends ARNEXT key: the index ARInsert would write next (0 for a
// missing key); an exhausted cursor gives ErrNil. Since Redis 8.8.0.
func (c cmds) ARNext(ctx context.Context, key string) *Future[uint64] {
	f := newFuture(c.s, ctx, "ARNEXT", ro, toArrayIndex)
	f.b.key(key)
	return send(c.s, f)
}

// ARSeek sends ARSEEK key index: it moves the insert cursor to index and
// returns true, or false for a missing key. Since Redis 8.8.0.
func (c cmds) ARSeek(ctx context.Context, key string, index uint64) *Future[bool] {
	f := newFuture(c.s, ctx, "ARSEEK", idem, toBool)
	f.b.key(key).uint(index)
	return send(c.s, f)
}

// ARScanOptions are the optional arguments of ARSCAN.
type ARScanOptions struct {
	// Limit returns at most this many entries (LIMIT); 0: all.
	Limit int64
}

// ARScan sends ARSCAN key start end and returns the slots holding a value
// from start to end inclusive, in order, skipping the gaps. Since Redis
// 8.8.0.
func (c cmds) ARScan(ctx context.Context, key string, start, end uint64) *Future[[]ArrayEntry] {
	return c.ARScanWith(ctx, key, start, end, ARScanOptions{})
}

// ARScanWith is ARScan with options (LIMIT). Since Redis 8.8.0.
func (c cmds) ARScanWith(ctx context.Context, key string, start, end uint64, opts ARScanOptions) *Future[[]ArrayEntry] {
	f := newFuture(c.s, ctx, "ARSCAN", ro, toArrayEntries)
	f.b.key(key).uint(start).uint(end).arrayLimit("ARScanOptions", opts.Limit)
	return send(c.s, f)
}

// ARLastItems sends ARLASTITEMS key count: the count values inserted last
// (by ARInsert or ARRing), oldest first. Since Redis 8.8.0.
func (c cmds) ARLastItems(ctx context.Context, key string, count int64) *Future[[]string] {
	return c.ARLastItemsWith(ctx, key, count, ARLastItemsOptions{})
}

// ARLastItemsOptions are the optional arguments of ARLASTITEMS.
type ARLastItemsOptions struct {
	// Reverse returns the newest first (REV).
	Reverse bool
}

// ARLastItemsWith is ARLastItems with options (REV). Since Redis 8.8.0.
func (c cmds) ARLastItemsWith(ctx context.Context, key string, count int64, opts ARLastItemsOptions) *Future[[]string] {
	f := newFuture(c.s, ctx, "ARLASTITEMS", ro, toStrings)
	if count <= 0 {
		f.b.fail("ARLastItems needs a count of at least 1")
	}
	f.b.key(key).int(count).strIf(opts.Reverse, "REV")
	return send(c.s, f)
}

// ArrayInfo is the reply of ARINFO. The slice statistics after SliceSize
// are reported with ARInfoOptions.Full only.
type ArrayInfo struct {
	// Count is the number of slots holding a value, Len the highest index
	// in use plus one, NextInsertIndex where ARInsert writes next.
	Count, Len, NextInsertIndex uint64
	// Slices, DirectorySize, SuperDirectoryEntries and SliceSize describe
	// how the array is stored.
	Slices, DirectorySize, SuperDirectoryEntries, SliceSize int64
	// DenseSlices and SparseSlices count the slices of each layout;
	// AvgDenseSize, AvgDenseFill and AvgSparseSize are their averages.
	DenseSlices, SparseSlices                 int64
	AvgDenseSize, AvgDenseFill, AvgSparseSize float64
}

// ARInfoOptions are the optional arguments of ARINFO.
type ARInfoOptions struct {
	// Full adds the slice statistics (FULL), walking every slice.
	Full bool
}

// ARInfo sends ARINFO key and returns how the array at key is stored; a
// missing key is an error. Since Redis 8.8.0.
func (c cmds) ARInfo(ctx context.Context, key string) *Future[ArrayInfo] {
	return c.ARInfoWith(ctx, key, ARInfoOptions{})
}

// ARInfoWith is ARInfo with options (FULL). Since Redis 8.8.0.
func (c cmds) ARInfoWith(ctx context.Context, key string, opts ARInfoOptions) *Future[ArrayInfo] {
	f := newFuture(c.s, ctx, "ARINFO", ro, toArrayInfo)
	f.b.key(key).strIf(opts.Full, "FULL")
	return send(c.s, f)
}

// ArrayOp is the aggregate of AROP. Make one with ArraySum, ArrayMin,
// ArrayMax, ArrayAnd, ArrayOr, ArrayXor, ArrayUsed or ArrayMatch; the zero
// value is no operation and is refused.
type ArrayOp struct {
	token string
	value any
}

// ArraySum adds the numeric values (SUM).
func ArraySum() ArrayOp { return ArrayOp{token: "SUM"} }

// ArrayMin is the least numeric value (MIN).
func ArrayMin() ArrayOp { return ArrayOp{token: "MIN"} }

// ArrayMax is the greatest numeric value (MAX).
func ArrayMax() ArrayOp { return ArrayOp{token: "MAX"} }

// ArrayAnd is the bitwise AND of the values as integers (AND).
func ArrayAnd() ArrayOp { return ArrayOp{token: "AND"} }

// ArrayOr is their bitwise OR (OR).
func ArrayOr() ArrayOp { return ArrayOp{token: "OR"} }

// ArrayXor is their bitwise XOR (XOR).
func ArrayXor() ArrayOp { return ArrayOp{token: "XOR"} }

// ArrayUsed counts the slots holding a value (USED).
func ArrayUsed() ArrayOp { return ArrayOp{token: "USED"} }

// ArrayMatch counts the values equal to value (MATCH), any argument type
// resp.AppendArg accepts.
func ArrayMatch(value any) ArrayOp { return ArrayOp{token: "MATCH", value: value} }

// String returns the operation's token ("SUM", "MATCH", ...), or "none".
func (o ArrayOp) String() string {
	if o.token == "" {
		return "none"
	}
	return o.token
}

// AROp sends AROP key start end <op> and returns the aggregate of the
// values from start to end inclusive as the server writes it: a number
// for SUM, MIN and MAX, an integer for the others. A range with nothing to
// aggregate gives ErrNil. Since Redis 8.8.0.
func (c cmds) AROp(ctx context.Context, key string, start, end uint64, op ArrayOp) *Future[string] {
	f := newFuture(c.s, ctx, "AROP", ro, toString)
	f.b.key(key).uint(start).uint(end)
	switch {
	case op.token == "":
		f.b.fail("AROp needs an ArrayOp")
	case op.token == "MATCH" && op.value == nil:
		f.b.fail("ArrayMatch needs a value")
	default:
		f.b.str(op.token)
		if op.token == "MATCH" {
			f.b.any(op.value)
		}
	}
	return send(c.s, f)
}

// ArrayPredicate is a test of ARGREP on a value. Make one with
// ArrayExact, ArrayContains, ArrayGlob or ArrayRegexp.
type ArrayPredicate struct {
	token, arg string
}

// ArrayExact holds for a value equal to s (EXACT).
func ArrayExact(s string) ArrayPredicate { return ArrayPredicate{"EXACT", s} }

// ArrayContains holds for a value containing s (MATCH).
func ArrayContains(s string) ArrayPredicate { return ArrayPredicate{"MATCH", s} }

// ArrayGlob holds for a value matching the glob-style pattern (GLOB), as
// SCAN's MATCH has them.
func ArrayGlob(pattern string) ArrayPredicate { return ArrayPredicate{"GLOB", pattern} }

// ArrayRegexp holds for a value matching the regular expression (RE).
func ArrayRegexp(re string) ArrayPredicate { return ArrayPredicate{"RE", re} }

// ARGrepOptions are the predicates and options of ARGREP.
type ARGrepOptions struct {
	// Predicates are the tests; at least one. A value matches when any
	// holds, or all with All.
	Predicates []ArrayPredicate
	// All matches the values every predicate holds for (AND) rather than
	// any (OR, the server's default).
	All bool
	// Limit stops after this many matches (LIMIT); 0: no limit.
	Limit int64
	// NoCase compares without regard to case (NOCASE).
	NoCase bool
}

// ARGrep sends ARGREP key start end <predicates> [AND] [LIMIT n]
// [NOCASE] and returns the indexes of the matching values from start to
// end ("-" for the first index, "+" for the last; start after end walks
// backwards). Since Redis 8.8.0.
func (c cmds) ARGrep(ctx context.Context, key, start, end string, opts ARGrepOptions) *Future[[]uint64] {
	f := newFuture(c.s, ctx, "ARGREP", ro, toArrayIndexes)
	opts.append(&f.b, key, start, end, false)
	return send(c.s, f)
}

// ARGrepWithValues is ARGrep that returns each matching value with its
// index (WITHVALUES). Since Redis 8.8.0.
func (c cmds) ARGrepWithValues(ctx context.Context, key, start, end string, opts ARGrepOptions) *Future[[]ArrayEntry] {
	f := newFuture(c.s, ctx, "ARGREP", ro, toArrayEntries)
	opts.append(&f.b, key, start, end, true)
	return send(c.s, f)
}

func (o ARGrepOptions) append(b *builder, key, start, end string, withValues bool) {
	b.key(key).str(start).str(end)
	if len(o.Predicates) == 0 {
		b.fail("ARGrep needs at least one predicate")
	}
	for _, p := range o.Predicates {
		if p.token == "" {
			b.fail("ARGrep needs predicates made by ArrayExact, ArrayContains, ArrayGlob or ArrayRegexp")
			return
		}
		b.str(p.token).str(p.arg)
	}
	b.strIf(o.All, "AND").arrayLimit("ARGrepOptions", o.Limit).strIf(withValues, "WITHVALUES").strIf(o.NoCase, "NOCASE")
}

// arrayValues appends values, at least one.
func (b *builder) arrayValues(method string, values []any) *builder {
	if len(values) == 0 {
		return b.fail(method + " needs at least one value")
	}
	for _, v := range values {
		b.any(v)
	}
	return b
}

// arrayIndexes appends indexes, at least one.
func (b *builder) arrayIndexes(method string, indexes []uint64) *builder {
	if len(indexes) == 0 {
		return b.fail(method + " needs at least one index")
	}
	for _, i := range indexes {
		b.uint(i)
	}
	return b
}

// arrayLimit appends LIMIT n for a positive n and refuses a negative one.
func (b *builder) arrayLimit(opts string, limit int64) *builder {
	switch {
	case limit < 0:
		b.fail(opts + ".Limit must not be negative")
	case limit > 0:
		b.str("LIMIT").int(limit)
	}
	return b
}

// toArrayIndex reads an index or a count: an integer, or its decimal
// digits past the range of an int64; null is ErrNil.
func toArrayIndex(v resp.Value) (uint64, error) {
	if v.Kind == resp.KindInteger {
		if v.Int < 0 {
			return 0, unexpected(v, "index")
		}
		return uint64(v.Int), nil
	}
	s, err := v.AsString()
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, unexpected(v, "index")
	}
	return n, nil
}

// toArrayIndexes reads an array of indexes.
func toArrayIndexes(v resp.Value) ([]uint64, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]uint64, len(elems))
	for i, e := range elems {
		if out[i], err = toArrayIndex(e); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// toArrayEntries reads index/value pairs, flat ([i, v, i, v, ...]) or
// nested ([[i, v], ...]).
func toArrayEntries(v resp.Value) ([]ArrayEntry, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	if len(elems) > 0 && elems[0].Kind == resp.KindArray {
		flat := make([]resp.Value, 0, 2*len(elems))
		for _, e := range elems {
			if len(e.Elems) != 2 {
				return nil, unexpected(e, "index/value pair")
			}
			flat = append(flat, e.Elems...)
		}
		elems = flat
	}
	if len(elems)%2 != 0 {
		return nil, unexpected(v, "index/value pairs")
	}
	out := make([]ArrayEntry, len(elems)/2)
	for i := range out {
		if out[i].Index, err = toArrayIndex(elems[2*i]); err != nil {
			return nil, err
		}
		if out[i].Value, err = elems[2*i+1].AsString(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// toArrayInfo reads ARINFO: a map (RESP3) or a flat field/value array
// (RESP2).
func toArrayInfo(v resp.Value) (ArrayInfo, error) {
	var a ArrayInfo
	m, err := readFields(v, nil, map[string]*int64{"slices": &a.Slices, "directory-size": &a.DirectorySize,
		"super-dir-entries": &a.SuperDirectoryEntries, "slice-size": &a.SliceSize,
		"dense-slices": &a.DenseSlices, "sparse-slices": &a.SparseSlices})
	if err != nil {
		return ArrayInfo{}, err
	}
	for name, dst := range map[string]*uint64{"count": &a.Count, "len": &a.Len, "next-insert-index": &a.NextInsertIndex} {
		if fv, ok := m[name]; ok {
			if *dst, err = toArrayIndex(fv); err != nil {
				return ArrayInfo{}, err
			}
		}
	}
	for name, dst := range map[string]*float64{"avg-dense-size": &a.AvgDenseSize, "avg-dense-fill": &a.AvgDenseFill,
		"avg-sparse-size": &a.AvgSparseSize} {
		if fv, ok := m[name]; ok {
			if *dst, err = fv.AsFloat64(); err != nil {
				return ArrayInfo{}, err
			}
		}
	}
	return a, nil
}

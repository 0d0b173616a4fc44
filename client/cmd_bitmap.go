package client

import (
	"context"
	"strconv"

	"github.com/actoredis/actoredis/messages"
)

// Commands of the bitmap group.

// BitUnit is what BITCOUNT's and BITPOS's range counts in. The zero value,
// BitUnitDefault, sends no token: bytes.
type BitUnit uint8

// The units of BITCOUNT and BITPOS.
const (
	// BitUnitDefault sends no unit; the server counts in bytes.
	BitUnitDefault BitUnit = iota
	// BitUnitByte counts in bytes (BYTE).
	BitUnitByte
	// BitUnitBit counts in bits (BIT). Since Redis 7.0.
	BitUnitBit
)

var bitUnitTokens = tokens[BitUnit]{typ: "BitUnit", zero: "default", list: []string{
	BitUnitDefault: "", BitUnitByte: "BYTE", BitUnitBit: "BIT",
}}

// String returns the unit's Redis token ("BYTE", "BIT"), or "default".
func (u BitUnit) String() string { return bitUnitTokens.name(u) }

// BitRange is the optional range of BITCOUNT and BITPOS. Its zero value
// sends nothing: the whole string.
type BitRange struct {
	// Start is the first byte (or bit) of the range, negative from the
	// end.
	Start int64
	// End, when not nil, is the last byte (or bit), inclusive, negative
	// from the end; nil is the end of the string (-1). With Go 1.26:
	// End: new(int64(3)).
	End *int64
	// Unit is what Start and End count: bytes (BYTE) or bits (BIT). A
	// Unit without an End sends End -1, which for BitPos makes a 0 not
	// found give -1.
	Unit BitUnit
}

// append writes start end [unit] when the range says anything; needEnd
// forces an end (BITCOUNT takes start and end together).
func (r BitRange) append(b *builder, needEnd bool) {
	if r.Start == 0 && r.End == nil && r.Unit == BitUnitDefault {
		return
	}
	b.int(r.Start)
	end := int64(-1)
	if r.End != nil {
		end = *r.End
	}
	if r.End != nil || needEnd || r.Unit != BitUnitDefault {
		b.int(end)
	}
	b.token(bitUnitTokens.of(r.Unit))
}

// BitCount sends BITCOUNT key: the number of bits set in the string at
// key (0 for a missing key). Since Redis 2.6.0.
func (c cmds) BitCount(ctx context.Context, key string) *Future[int64] {
	return c.BitCountWith(ctx, key, BitRange{})
}

// BitCountWith is BitCount over a range: BITCOUNT key start end
// [BYTE|BIT]. BYTE and BIT need Redis 7.0.0. Since Redis 2.6.0.
func (c cmds) BitCountWith(ctx context.Context, key string, r BitRange) *Future[int64] {
	f := newFuture(c.s, ctx, "BITCOUNT", ro, toInt64)
	f.b.key(key)
	r.append(&f.b, true)
	return send(c.s, f)
}

// BitPos sends BITPOS key bit: the position of the first bit set to bit
// (0 or 1). For a bit of 1 with none set, and for a missing key, it
// returns -1; for 0 in a string of only ones, the bit just past its end.
// Since Redis 2.8.7.
func (c cmds) BitPos(ctx context.Context, key string, bit int) *Future[int64] {
	return c.BitPosWith(ctx, key, bit, BitRange{})
}

// BitPosWith is BitPos within a range: BITPOS key bit start [end
// [BYTE|BIT]]. With an End, a 0 that is not found gives -1. BYTE and BIT
// need Redis 7.0.0. Since Redis 2.8.7.
func (c cmds) BitPosWith(ctx context.Context, key string, bit int, r BitRange) *Future[int64] {
	f := newFuture(c.s, ctx, "BITPOS", ro, toInt64)
	f.b.key(key)
	if bit != 0 && bit != 1 {
		f.b.fail("BitPos bit must be 0 or 1")
	}
	f.b.int(int64(bit))
	r.append(&f.b, false)
	return send(c.s, f)
}

// BitOperation is the operation of BITOP.
type BitOperation uint8

// The operations of BITOP.
const (
	// BitAnd is the bitwise AND of the sources.
	BitAnd BitOperation = iota
	// BitOr is their bitwise OR.
	BitOr
	// BitXor is their bitwise XOR.
	BitXor
	// BitNot is the bitwise NOT of the one source.
	BitNot
	// BitDiff keeps the bits of the first source set in none of the
	// others (DIFF; two sources or more). Since Redis 8.2.0.
	BitDiff
	// BitDiff1 keeps the bits set in one of the other sources but not in
	// the first (DIFF1; two sources or more). Since Redis 8.2.0.
	BitDiff1
	// BitAndOr keeps the bits of the first source set in at least one of
	// the others (ANDOR; two sources or more). Since Redis 8.2.0.
	BitAndOr
	// BitOne keeps the bits set in exactly one source (ONE). Since Redis
	// 8.2.0.
	BitOne
)

var bitOperationTokens = tokens[BitOperation]{typ: "BitOperation", list: []string{
	BitAnd: "AND", BitOr: "OR", BitXor: "XOR", BitNot: "NOT",
	BitDiff: "DIFF", BitDiff1: "DIFF1", BitAndOr: "ANDOR", BitOne: "ONE",
}}

// String returns the operation's Redis token: "AND", "OR", "XOR", "NOT",
// "DIFF", "DIFF1", "ANDOR", "ONE".
func (o BitOperation) String() string { return bitOperationTokens.name(o) }

// BitOp sends BITOP op dst key ...: it stores at dst (replacing it) the
// result of op over the strings at keys (BitNot takes exactly one;
// BitDiff, BitDiff1 and BitAndOr at least two) and returns its length in
// bytes. BitDiff, BitDiff1, BitAndOr and BitOne need Redis 8.2.0. Since
// Redis 2.6.0.
func (c cmds) BitOp(ctx context.Context, op BitOperation, dst string, keys ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "BITOP", idem, toInt64)
	f.b.token(bitOperationTokens.of(op))
	switch {
	case len(keys) == 0:
		f.b.fail("BitOp needs at least one source key")
	case op == BitNot && len(keys) != 1:
		f.b.fail("BitOp with BitNot takes exactly one source key")
	case (op == BitDiff || op == BitDiff1 || op == BitAndOr) && len(keys) < 2:
		f.b.fail("BitOp with " + op.String() + " needs at least two source keys")
	}
	f.b.key(dst).keys(keys...)
	return send(c.s, f)
}

// GetBit sends GETBIT key offset: the bit at offset (0 past the end of the
// string or for a missing key). Since Redis 2.2.0.
func (c cmds) GetBit(ctx context.Context, key string, offset int64) *Future[int64] {
	f := newFuture(c.s, ctx, "GETBIT", ro, toInt64)
	f.b.key(key).int(offset)
	return send(c.s, f)
}

// SetBit sends SETBIT key offset value: it sets the bit at offset to value
// (0 or 1), growing the string as needed, and returns the bit's old
// value. Since Redis 2.2.0.
func (c cmds) SetBit(ctx context.Context, key string, offset int64, value int) *Future[int64] {
	f := newFuture(c.s, ctx, "SETBIT", idem, toInt64)
	if value != 0 && value != 1 {
		f.b.fail("SetBit value must be 0 or 1")
	}
	f.b.key(key).int(offset).int(int64(value))
	return send(c.s, f)
}

// BitOverflow is how BITFIELD's SET and INCRBY treat an overflow. The zero
// value, BitOverflowWrap, is the server's default.
type BitOverflow uint8

// The overflow behaviours of BITFIELD.
const (
	// BitOverflowWrap wraps around (WRAP).
	BitOverflowWrap BitOverflow = iota
	// BitOverflowSat saturates at the type's minimum or maximum (SAT).
	BitOverflowSat
	// BitOverflowFail does nothing and gives a null result (FAIL).
	BitOverflowFail
)

var bitOverflowTokens = tokens[BitOverflow]{typ: "BitOverflow", list: []string{
	BitOverflowWrap: "WRAP", BitOverflowSat: "SAT", BitOverflowFail: "FAIL",
}}

// String returns the behaviour's Redis token: "WRAP", "SAT", "FAIL".
func (o BitOverflow) String() string { return bitOverflowTokens.name(o) }

type bitFieldKind uint8

const (
	bitFieldGet bitFieldKind = iota + 1
	bitFieldSet
	bitFieldIncrBy
	bitFieldOverflow
)

// BitFieldOp is one operation of BITFIELD, made by BitFieldGet,
// BitFieldSet, BitFieldIncrBy or BitFieldOverflow. Encodings are "i" or
// "u" and a width: "i8", "u16", "i64"... Offsets are in bits; for the
// server's "#n" form (n times the width) multiply yourself.
type BitFieldOp struct {
	kind     bitFieldKind
	encoding string
	offset   int64
	value    int64
	overflow BitOverflow
}

// BitFieldGet reads the integer of encoding at offset (GET).
func BitFieldGet(encoding string, offset int64) BitFieldOp {
	return BitFieldOp{kind: bitFieldGet, encoding: encoding, offset: offset}
}

// BitFieldSet writes value as the integer of encoding at offset; its
// result is the old value (SET).
func BitFieldSet(encoding string, offset, value int64) BitFieldOp {
	return BitFieldOp{kind: bitFieldSet, encoding: encoding, offset: offset, value: value}
}

// BitFieldIncrBy adds increment to the integer of encoding at offset; its
// result is the new value (INCRBY).
func BitFieldIncrBy(encoding string, offset, increment int64) BitFieldOp {
	return BitFieldOp{kind: bitFieldIncrBy, encoding: encoding, offset: offset, value: increment}
}

// BitFieldOverflow sets how the SET and INCRBY operations after it treat
// an overflow (OVERFLOW); it has no result of its own.
func BitFieldOverflow(o BitOverflow) BitFieldOp {
	return BitFieldOp{kind: bitFieldOverflow, overflow: o}
}

// String describes the operation as Redis writes it, "GET u8 0".
func (op BitFieldOp) String() string {
	pos := op.encoding + " " + strconv.FormatInt(op.offset, 10)
	switch op.kind {
	case bitFieldGet:
		return "GET " + pos
	case bitFieldSet:
		return "SET " + pos + " " + strconv.FormatInt(op.value, 10)
	case bitFieldIncrBy:
		return "INCRBY " + pos + " " + strconv.FormatInt(op.value, 10)
	case bitFieldOverflow:
		return "OVERFLOW " + op.overflow.String()
	}
	return "BitFieldOp(invalid)"
}

func (op BitFieldOp) append(b *builder) {
	switch op.kind {
	case bitFieldGet:
		b.str("GET").str(op.encoding).int(op.offset)
	case bitFieldSet:
		b.str("SET").str(op.encoding).int(op.offset).int(op.value)
	case bitFieldIncrBy:
		b.str("INCRBY").str(op.encoding).int(op.offset).int(op.value)
	case bitFieldOverflow:
		b.str("OVERFLOW").token(bitOverflowTokens.of(op.overflow))
	default:
		b.fail("BitFieldOp must be made by BitFieldGet, BitFieldSet, BitFieldIncrBy or BitFieldOverflow")
	}
}

// BitField sends BITFIELD key op ...: it runs the operations in order on
// the string at key (growing it as needed) and returns one result per
// GET, SET and INCRBY, in order (OVERFLOW has none). Since Redis 3.2.0.
func (c cmds) BitField(ctx context.Context, key string, ops ...BitFieldOp) *Future[[]NullInt64] {
	flags := ro
	for _, op := range ops {
		if op.kind != bitFieldGet {
			flags = messages.Flags(0)
			break
		}
	}
	f := newFuture(c.s, ctx, "BITFIELD", flags, bitmapToNullInt64s)
	f.b.key(key)
	for _, op := range ops {
		op.append(&f.b)
	}
	return send(c.s, f)
}

// BitFieldRO sends BITFIELD_RO key GET ...: BitField limited to GET
// operations, which replicas accept; any other operation fails with
// ErrInvalidArg. Since Redis 6.0.0.
func (c cmds) BitFieldRO(ctx context.Context, key string, ops ...BitFieldOp) *Future[[]NullInt64] {
	f := newFuture(c.s, ctx, "BITFIELD_RO", ro, bitmapToNullInt64s)
	f.b.key(key)
	for _, op := range ops {
		if op.kind != bitFieldGet {
			f.b.fail("BitFieldRO takes only BitFieldGet operations")
		}
		op.append(&f.b)
	}
	return send(c.s, f)
}

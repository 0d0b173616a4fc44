package client

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

func TestBitmapEncoding(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"BitCount", func(c cmds) error { return c.BitCount(ctx, "k").Err() }, "BITCOUNT k", ro},
		{"BitCountWith", func(c cmds) error {
			return c.BitCountWith(ctx, "k", BitRange{Start: 1, End: new(int64(-2))}).Err()
		}, "BITCOUNT k 1 -2", ro},
		{"BitCountWith start", func(c cmds) error { return c.BitCountWith(ctx, "k", BitRange{Start: 3}).Err() }, "BITCOUNT k 3 -1", ro},
		{"BitCountWith unit", func(c cmds) error {
			return c.BitCountWith(ctx, "k", BitRange{Start: 0, End: new(int64(9)), Unit: BitUnitBit}).Err()
		}, "BITCOUNT k 0 9 BIT", ro},
		{"BitCountWith zero", func(c cmds) error { return c.BitCountWith(ctx, "k", BitRange{}).Err() }, "BITCOUNT k", ro},
		{"BitPos", func(c cmds) error { return c.BitPos(ctx, "k", 1).Err() }, "BITPOS k 1", ro},
		{"BitPosWith start", func(c cmds) error { return c.BitPosWith(ctx, "k", 0, BitRange{Start: 2}).Err() }, "BITPOS k 0 2", ro},
		{"BitPosWith end", func(c cmds) error {
			return c.BitPosWith(ctx, "k", 0, BitRange{End: new(int64(5)), Unit: BitUnitByte}).Err()
		}, "BITPOS k 0 0 5 BYTE", ro},
		{"BitPosWith unit", func(c cmds) error {
			return c.BitPosWith(ctx, "k", 1, BitRange{Start: 7, Unit: BitUnitBit}).Err()
		}, "BITPOS k 1 7 -1 BIT", ro},
		{"BitOp", func(c cmds) error { return c.BitOp(ctx, BitXor, "d", "a", "b").Err() }, "BITOP XOR d a b", idem},
		{"BitOp not", func(c cmds) error { return c.BitOp(ctx, BitNot, "d", "a").Err() }, "BITOP NOT d a", idem},
		{"BitOp diff", func(c cmds) error { return c.BitOp(ctx, BitDiff, "d", "x", "y1", "y2").Err() }, "BITOP DIFF d x y1 y2", idem},
		{"BitOp diff1", func(c cmds) error { return c.BitOp(ctx, BitDiff1, "d", "x", "y").Err() }, "BITOP DIFF1 d x y", idem},
		{"BitOp andor", func(c cmds) error { return c.BitOp(ctx, BitAndOr, "d", "x", "y").Err() }, "BITOP ANDOR d x y", idem},
		{"BitOp one", func(c cmds) error { return c.BitOp(ctx, BitOne, "d", "a").Err() }, "BITOP ONE d a", idem},
		{"GetBit", func(c cmds) error { return c.GetBit(ctx, "k", 9).Err() }, "GETBIT k 9", ro},
		{"SetBit", func(c cmds) error { return c.SetBit(ctx, "k", 9, 1).Err() }, "SETBIT k 9 1", idem},
		{"BitField", func(c cmds) error {
			return c.BitField(ctx, "k", BitFieldOverflow(BitOverflowFail), BitFieldSet("i8", 0, -3),
				BitFieldIncrBy("u4", 8, 2), BitFieldGet("u16", 16)).Err()
		}, "BITFIELD k OVERFLOW FAIL SET i8 0 -3 INCRBY u4 8 2 GET u16 16", 0},
		{"BitField gets", func(c cmds) error { return c.BitField(ctx, "k", BitFieldGet("u8", 0)).Err() }, "BITFIELD k GET u8 0", ro},
		{"BitFieldRO", func(c cmds) error {
			return c.BitFieldRO(ctx, "k", BitFieldGet("u8", 0), BitFieldGet("i5", 3)).Err()
		}, "BITFIELD_RO k GET u8 0 GET i5 3", ro},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindInteger, Int: 1} })
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
		})
	}
}

func TestBitmapArgErrors(t *testing.T) {
	ctx := context.Background()
	s, c := replying(t, ":1")
	for name, err := range map[string]error{
		"BitPos bit":         c.BitPos(ctx, "k", 2).Err(),
		"BitCountWith unit":  c.BitCountWith(ctx, "k", BitRange{Unit: 7}).Err(),
		"BitOp op":           c.BitOp(ctx, BitOperation(8), "d", "a").Err(),
		"BitOp no keys":      c.BitOp(ctx, BitAnd, "d").Err(),
		"BitOp not two":      c.BitOp(ctx, BitNot, "d", "a", "b").Err(),
		"BitOp diff one":     c.BitOp(ctx, BitDiff, "d", "a").Err(),
		"BitOp diff1 one":    c.BitOp(ctx, BitDiff1, "d", "a").Err(),
		"BitOp andor one":    c.BitOp(ctx, BitAndOr, "d", "a").Err(),
		"SetBit value":       c.SetBit(ctx, "k", 0, -1).Err(),
		"BitField zero op":   c.BitField(ctx, "k", BitFieldOp{}).Err(),
		"BitField overflow":  c.BitField(ctx, "k", BitFieldOverflow(9)).Err(),
		"BitFieldRO set":     c.BitFieldRO(ctx, "k", BitFieldIncrBy("u8", 0, 1)).Err(),
		"BitFieldRO overflo": c.BitFieldRO(ctx, "k", BitFieldOverflow(BitOverflowSat)).Err(),
	} {
		assert.ErrorIs(t, err, ErrInvalidArg, name)
	}
	assert.Empty(t, s.sent)
}

func TestBitmapStrings(t *testing.T) {
	assert.Equal(t, "default", BitUnitDefault.String())
	assert.Equal(t, "BIT", BitUnitBit.String())
	assert.Equal(t, "BitUnit(5)", BitUnit(5).String())
	assert.Equal(t, "NOT", BitNot.String())
	assert.Equal(t, "BitOperation(9)", BitOperation(9).String())
	assert.Equal(t, "SAT", BitOverflowSat.String())
	assert.Equal(t, "BitOverflow(5)", BitOverflow(5).String())
	assert.Equal(t, "GET u8 0", BitFieldGet("u8", 0).String())
	assert.Equal(t, "SET i8 4 -1", BitFieldSet("i8", 4, -1).String())
	assert.Equal(t, "INCRBY u2 1 3", BitFieldIncrBy("u2", 1, 3).String())
	assert.Equal(t, "OVERFLOW FAIL", BitFieldOverflow(BitOverflowFail).String())
	assert.Equal(t, "BitFieldOp(invalid)", BitFieldOp{}.String())
}

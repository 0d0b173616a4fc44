//go:build integration

package integration

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
)

func TestBitmapBits(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k, missing := key("k"), key("missing")
		assert.Equal(t, int64(0), valueOf(t, c.SetBit(ctx, k, 7, 1)))
		assert.Equal(t, int64(1), valueOf(t, c.SetBit(ctx, k, 7, 0)))
		assert.Equal(t, int64(0), valueOf(t, c.GetBit(ctx, k, 7)))
		assert.Equal(t, int64(0), valueOf(t, c.GetBit(ctx, k, 1000)))
		assert.Equal(t, int64(0), valueOf(t, c.GetBit(ctx, missing, 3)))
		assert.ErrorIs(t, c.SetBit(ctx, k, 1, 2).Err(), client.ErrInvalidArg)

		b := key("b")
		require.NoError(t, c.Set(ctx, b, "foobar", 0).Err())
		assert.Equal(t, int64(26), valueOf(t, c.BitCount(ctx, b)))
		assert.Equal(t, int64(0), valueOf(t, c.BitCount(ctx, missing)))
		assert.Equal(t, int64(4), valueOf(t, c.BitCountWith(ctx, b, client.BitRange{Start: 0, End: new(int64(0))})))
		assert.Equal(t, int64(6), valueOf(t, c.BitCountWith(ctx, b, client.BitRange{Start: 1, End: new(int64(1))})))
		assert.Equal(t, int64(6), valueOf(t, c.BitCountWith(ctx, b, client.BitRange{Start: 1, End: new(int64(1)), Unit: client.BitUnitByte})))
		assert.Equal(t, int64(17), valueOf(t, c.BitCountWith(ctx, b, client.BitRange{Start: 5, End: new(int64(30)), Unit: client.BitUnitBit})))
		assert.Equal(t, int64(22), valueOf(t, c.BitCountWith(ctx, b, client.BitRange{Start: 1})), "to the end")

		p := key("p")
		require.NoError(t, c.Set(ctx, p, "\xff\xf0\x00", 0).Err())
		assert.Equal(t, int64(12), valueOf(t, c.BitPos(ctx, p, 0)))
		assert.Equal(t, int64(0), valueOf(t, c.BitPos(ctx, p, 1)))
		assert.Equal(t, int64(-1), valueOf(t, c.BitPos(ctx, missing, 1)))
		assert.Equal(t, int64(8), valueOf(t, c.BitPosWith(ctx, p, 1, client.BitRange{Start: 1})))
		assert.Equal(t, int64(16), valueOf(t, c.BitPosWith(ctx, p, 0, client.BitRange{Start: 2, End: new(int64(-1))})))
		assert.Equal(t, int64(-1), valueOf(t, c.BitPosWith(ctx, p, 1, client.BitRange{Start: 2, End: new(int64(2)), Unit: client.BitUnitByte})))
		assert.Equal(t, int64(7), valueOf(t, c.BitPosWith(ctx, p, 1, client.BitRange{Start: 7, End: new(int64(15)), Unit: client.BitUnitBit})))
		assert.Equal(t, int64(12), valueOf(t, c.BitPosWith(ctx, p, 0, client.BitRange{Start: 7, Unit: client.BitUnitBit})))
		assert.ErrorIs(t, c.BitPos(ctx, p, 3).Err(), client.ErrInvalidArg)
	})
}

func TestBitmapBitOp(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		a, b, dst := key("a"), key("b"), key("dst")
		require.NoError(t, c.Set(ctx, a, "\x0f\xf0", 0).Err())
		require.NoError(t, c.Set(ctx, b, "\xff", 0).Err())
		for _, tc := range []struct {
			op   client.BitOperation
			keys []string
			want string
		}{
			{client.BitAnd, []string{a, b}, "\x0f\x00"},
			{client.BitOr, []string{a, b}, "\xff\xf0"},
			{client.BitXor, []string{a, b}, "\xf0\xf0"},
			{client.BitNot, []string{a}, "\xf0\x0f"},
		} {
			assert.Equal(t, int64(2), valueOf(t, c.BitOp(ctx, tc.op, dst, tc.keys...)), tc.op.String())
			assert.Equal(t, tc.want, valueOf(t, c.Get(ctx, dst)), tc.op.String())
		}
		assert.ErrorIs(t, c.BitOp(ctx, client.BitNot, dst, a, b).Err(), client.ErrInvalidArg)
		assert.ErrorIs(t, c.BitOp(ctx, client.BitAnd, dst).Err(), client.ErrInvalidArg)
		assert.ErrorIs(t, c.BitOp(ctx, client.BitOperation(9), dst, a).Err(), client.ErrInvalidArg)
	})
}

func TestBitmapBitField(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k := key("k")
		v := func(n int64) client.NullInt64 { return client.NullInt64{Value: n, Valid: true} }
		assert.Equal(t, []client.NullInt64{v(0), v(0)}, valueOf(t, c.BitField(ctx, k,
			client.BitFieldSet("u8", 0, 200), client.BitFieldGet("i4", 100))))
		assert.Equal(t, []client.NullInt64{v(200), v(-56)}, valueOf(t, c.BitField(ctx, k,
			client.BitFieldGet("u8", 0), client.BitFieldGet("i8", 0))))
		assert.Equal(t, []client.NullInt64{v(4), v(255), {}, v(255)}, valueOf(t, c.BitField(ctx, k,
			client.BitFieldIncrBy("u8", 0, 60),
			client.BitFieldOverflow(client.BitOverflowSat), client.BitFieldIncrBy("u8", 0, 300),
			client.BitFieldOverflow(client.BitOverflowFail), client.BitFieldIncrBy("u8", 0, 1),
			client.BitFieldGet("u8", 0))))
		assert.Equal(t, []client.NullInt64{v(0)}, valueOf(t, c.BitField(ctx, k,
			client.BitFieldOverflow(client.BitOverflowWrap), client.BitFieldIncrBy("u8", 0, 1))))
		assert.Equal(t, []client.NullInt64{}, valueOf(t, c.BitField(ctx, k)))
		assert.Equal(t, []client.NullInt64{v(0), v(0)}, valueOf(t, c.BitFieldRO(ctx, k,
			client.BitFieldGet("u8", 0), client.BitFieldGet("u16", 8))))
		assert.ErrorIs(t, c.BitFieldRO(ctx, k, client.BitFieldSet("u8", 0, 1)).Err(), client.ErrInvalidArg)
		assert.ErrorIs(t, c.BitField(ctx, k, client.BitFieldOp{}).Err(), client.ErrInvalidArg)
		var se *client.Error
		assert.ErrorAs(t, c.BitField(ctx, k, client.BitFieldGet("x9", 0)).Err(), &se)
	})
}

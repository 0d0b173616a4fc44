package client

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The WITHSCORES forms: RESP2 flat with string scores, RESP3 pairs with
// doubles, and RESP3 flat (ZPOPMIN without count) all give the same []Z.
func TestSortedSetToZs(t *testing.T) {
	want := []Z{{Member: "a", Score: 1.5}, {Member: "b", Score: math.Inf(1)}}
	for _, wire := range []string{
		"*4\n$1\na\n$3\n1.5\n$1\nb\n$3\ninf\n",
		"*2\n*2\n$1\na\n,1.5\n*2\n$1\nb\n,inf\n",
		"*4\n$1\na\n,1.5\n$1\nb\n,inf\n",
	} {
		got, err := convert(t, zsetToZs, wire)
		require.NoError(t, err, wire)
		assert.Equal(t, want, got, wire)
	}
	got, err := convert(t, zsetToZs, "*0\n")
	require.NoError(t, err)
	assert.Equal(t, []Z{}, got)
	for _, bad := range []string{"*3\n$1\na\n$1\n1\n$1\nb\n", "*1\n*1\n$1\na\n", "*2\n$1\na\n$1\nx\n", ":1\n"} {
		_, err := convert(t, zsetToZs, bad)
		assert.ErrorIs(t, err, ErrUnexpectedType, bad)
	}
	_, err = convert(t, zsetToZs, "-ERR no\n")
	var se *Error
	assert.ErrorAs(t, err, &se)
}

func TestSortedSetConversions(t *testing.T) {
	wk, err := convert(t, zsetToWithKey, "*3\n$1\nk\n$1\nm\n$1\n2\n")
	require.NoError(t, err)
	assert.Equal(t, ZWithKey{Key: "k", Z: Z{Member: "m", Score: 2}}, wk)
	wk3, err := convert(t, zsetToWithKey, "*3\n$1\nk\n$1\nm\n,2\n")
	require.NoError(t, err)
	assert.Equal(t, wk, wk3)
	_, err = convert(t, zsetToWithKey, "_\n")
	assert.ErrorIs(t, err, ErrNil)
	_, err = convert(t, zsetToWithKey, "*2\n$1\nk\n$1\nm\n")
	assert.ErrorIs(t, err, ErrUnexpectedType)

	mp, err := convert(t, zsetToMPop, "*2\n$1\nk\n*1\n*2\n$1\nm\n$3\n1.5\n")
	require.NoError(t, err)
	assert.Equal(t, ZMPopResult{Key: "k", Members: []Z{{Member: "m", Score: 1.5}}}, mp)
	_, err = convert(t, zsetToMPop, "*-1\n")
	assert.ErrorIs(t, err, ErrNil)

	nf, err := convert(t, zsetToNullFloats, "*3\n$1\n1\n$-1\n,2.5\n")
	require.NoError(t, err)
	assert.Equal(t, []NullFloat64{{Value: 1, Valid: true}, {}, {Value: 2.5, Valid: true}}, nf)

	page, err := convert(t, zsetToScanPage, "*2\n$2\n17\n*2\n$1\na\n$1\n3\n")
	require.NoError(t, err)
	assert.Equal(t, ZScanPage{Cursor: 17, Members: []Z{{Member: "a", Score: 3}}}, page)
	_, err = convert(t, zsetToScanPage, "*2\n$1\nx\n*0\n")
	assert.ErrorIs(t, err, ErrUnexpectedType)
}

package client

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScanPageReply(t *testing.T) {
	// Both protocols send SCAN's reply as a two-element array.
	p, err := convert(t, toScanPage, "*2\n$2\n17\n*2\n$1\na\n$1\nb\n")
	require.NoError(t, err)
	assert.Equal(t, ScanPage{Cursor: 17, Keys: []string{"a", "b"}}, p)
	p, err = convert(t, toScanPage, "*2\n$1\n0\n*0\n")
	require.NoError(t, err)
	assert.Equal(t, ScanPage{Cursor: 0, Keys: []string{}}, p)
	_, err = convert(t, toScanPage, "*1\n$1\n0\n")
	assert.ErrorIs(t, err, ErrUnexpectedType)
	_, err = convert(t, toScanPage, "*2\n$2\nxx\n*0\n")
	assert.ErrorIs(t, err, ErrUnexpectedType)
}

func TestMGetReply(t *testing.T) {
	want := []NullString{{Value: "a", Valid: true}, {}, {Value: "", Valid: true}}
	for _, wire := range []string{
		"*3\n$1\na\n$-1\n$0\n\n", // RESP2
		"*3\n$1\na\n_\n$0\n\n",   // RESP3
	} {
		got, err := convert(t, toNullStrings, wire)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
}

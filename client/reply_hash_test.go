package client

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHashReplies(t *testing.T) {
	m, err := convert(t, hashToMap, "*4\n$1\na\n$1\n1\n$1\nb\n$1\n2")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"a": "1", "b": "2"}, m)
	m3, err := convert(t, hashToMap, "%2\n$1\na\n$1\n1\n$1\nb\n$1\n2")
	require.NoError(t, err)
	assert.Equal(t, m, m3, "RESP3 map")
	m, err = convert(t, hashToMap, "*0")
	require.NoError(t, err)
	assert.Empty(t, m)

	want := []HashField{{"a", "1"}, {"b", "2"}}
	flat, err := convert(t, hashToFields, "*4\n$1\na\n$1\n1\n$1\nb\n$1\n2")
	require.NoError(t, err)
	assert.Equal(t, want, flat, "RESP2 flat")
	nested, err := convert(t, hashToFields, "*2\n*2\n$1\na\n$1\n1\n*2\n$1\nb\n$1\n2")
	require.NoError(t, err)
	assert.Equal(t, want, nested, "RESP3 pairs")
	_, err = convert(t, hashToFields, "*3\n$1\na\n$1\n1\n$1\nb")
	assert.ErrorIs(t, err, ErrUnexpectedType)
	_, err = convert(t, hashToFields, "*1\n*1\n$1\na")
	assert.ErrorIs(t, err, ErrUnexpectedType)
	empty, err := convert(t, hashToFields, "*0")
	require.NoError(t, err)
	assert.Empty(t, empty)

	names, err := convert(t, hashToFieldNames, "*2\n$1\na\n$1\nb")
	require.NoError(t, err)
	assert.Equal(t, []HashField{{Field: "a"}, {Field: "b"}}, names)

	page, err := convert(t, hashToScanPage, "*2\n$2\n12\n*2\n$1\nf\n$1\nv")
	require.NoError(t, err)
	assert.Equal(t, HScanPage{Cursor: 12, Fields: []HashField{{"f", "v"}}}, page)
	_, err = convert(t, hashToScanPage, "*2\n$1\nx\n*0")
	assert.ErrorIs(t, err, ErrUnexpectedType)
	_, err = convert(t, hashToScanPage, "*1\n$1\n0")
	assert.ErrorIs(t, err, ErrUnexpectedType)
}

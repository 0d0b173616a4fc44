package client

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListReplies(t *testing.T) {
	kv, err := convert(t, listToKeyValue, "*2\n$1\nk\n$1\nv")
	require.NoError(t, err)
	assert.Equal(t, KeyValue{Key: "k", Value: "v"}, kv)
	_, err = convert(t, listToKeyValue, "*-1")
	assert.ErrorIs(t, err, ErrNil, "RESP2 timeout")
	_, err = convert(t, listToKeyValue, "_")
	assert.ErrorIs(t, err, ErrNil, "RESP3 timeout")
	_, err = convert(t, listToKeyValue, "*1\n$1\nk")
	assert.ErrorIs(t, err, ErrUnexpectedType)

	kvs, err := convert(t, listToKeyValues, "*2\n$1\nk\n*2\n$1\na\n$1\nb")
	require.NoError(t, err)
	assert.Equal(t, KeyValues{Key: "k", Values: []string{"a", "b"}}, kvs)
	_, err = convert(t, listToKeyValues, "*-1")
	assert.ErrorIs(t, err, ErrNil)
	_, err = convert(t, listToKeyValues, "_")
	assert.ErrorIs(t, err, ErrNil)
	_, err = convert(t, listToKeyValues, "*3\n$1\nk\n*0\n:1")
	assert.ErrorIs(t, err, ErrUnexpectedType)

	for wire, want := range map[string][]int64{
		":3":           {3},
		"$-1":          {},
		"_":            {},
		"*0":           {},
		"*2\n:1\n:4":   {1, 4},
		"*1\n$1\n9":    {9},
		"*2\n:-1\n:10": {-1, 10},
	} {
		got, err := convert(t, listToPositions, wire)
		require.NoError(t, err, wire)
		assert.Equal(t, want, got, wire)
	}

	popped, err := convert(t, listToPopped, "*2\n$1\na\n$1\nb")
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, popped)
	_, err = convert(t, listToPopped, "*-1")
	assert.ErrorIs(t, err, ErrNil)
}

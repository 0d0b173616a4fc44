package client

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPubSubCountReplies(t *testing.T) {
	want := map[string]int64{"a": 2, "b": 0}
	for _, wire := range []string{
		"*4\n$1\na\n:2\n$1\nb\n:0\n", // RESP2
		"%2\n$1\na\n:2\n$1\nb\n:0\n", // RESP3
	} {
		got, err := convert(t, pubsubToCounts, wire)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := convert(t, pubsubToCounts, "*1\n$1\na\n")
	assert.ErrorIs(t, err, ErrUnexpectedType)
}

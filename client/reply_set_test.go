package client

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSetGroupReplies(t *testing.T) {
	b, err := convert(t, setToBools, "*3\n:1\n:0\n:1")
	require.NoError(t, err)
	assert.Equal(t, []bool{true, false, true}, b)
	_, err = convert(t, setToBools, "*1\n:2")
	assert.ErrorIs(t, err, ErrUnexpectedType)

	// A RESP3 set reply converts like a RESP2 array.
	members, err := convert(t, toStrings, "~2\n$1\na\n$1\nb")
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, members)
}

package client

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStreamPendingReplies(t *testing.T) {
	got, err := convert(t, streamToPending, "*4\n:3\n$3\n1-0\n$3\n5-0\n*2\n*2\n$1\na\n$1\n2\n*2\n$1\nb\n$1\n1\n")
	require.NoError(t, err)
	assert.Equal(t, XPending{Count: 3, Lowest: "1-0", Highest: "5-0", Consumers: map[string]int64{"a": 2, "b": 1}}, got)
	for _, wire := range []string{"*4\n:0\n$-1\n$-1\n*-1\n", "*4\n:0\n_\n_\n_\n"} {
		got, err = convert(t, streamToPending, wire)
		require.NoError(t, err)
		assert.Equal(t, XPending{}, got)
	}
	ext, err := convert(t, streamToPendingExt, "*1\n*4\n$3\n1-0\n$1\na\n:1500\n:2\n")
	require.NoError(t, err)
	assert.Equal(t, []XPendingExt{{ID: "1-0", Consumer: "a", Idle: 1500 * time.Millisecond, DeliveryCount: 2}}, ext)
}

func TestStreamAutoClaimReplies(t *testing.T) {
	got, err := convert(t, streamToAutoClaim, "*3\n$3\n0-0\n*1\n*2\n$3\n1-0\n*2\n$1\nf\n$1\nv\n*1\n$3\n2-0\n")
	require.NoError(t, err)
	assert.Equal(t, XAutoClaimResult{Next: "0-0", IDs: []string{"1-0"},
		Messages: []XMessage{{ID: "1-0", Values: []string{"f", "v"}}}, Deleted: []string{"2-0"}}, got)
	// Redis 6.2 sends no deleted list.
	got, err = convert(t, streamToAutoClaimIDs, "*2\n$3\n3-0\n*2\n$3\n1-0\n$3\n2-0\n")
	require.NoError(t, err)
	assert.Equal(t, XAutoClaimResult{Next: "3-0", IDs: []string{"1-0", "2-0"}}, got)
	_, err = convert(t, streamToAutoClaim, "*1\n$3\n0-0\n")
	assert.ErrorIs(t, err, ErrUnexpectedType)
	cl, err := convert(t, streamToClaimed, "*2\n*2\n$3\n1-0\n*2\n$1\nf\n$1\nv\n$-1\n")
	require.NoError(t, err)
	assert.Equal(t, XClaimResult{IDs: []string{"1-0"}, Messages: []XMessage{{ID: "1-0", Values: []string{"f", "v"}}}}, cl)
}

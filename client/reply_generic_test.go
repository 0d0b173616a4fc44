package client

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMigrateReply(t *testing.T) {
	ok, err := convert(t, toMigrated, "+OK")
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = convert(t, toMigrated, "+NOKEY")
	require.NoError(t, err)
	assert.False(t, ok)
	_, err = convert(t, toMigrated, "+WHAT")
	assert.ErrorIs(t, err, ErrUnexpectedType)
	_, err = convert(t, toMigrated, "-IOERR error or timeout")
	var se *Error
	assert.ErrorAs(t, err, &se)
}

func TestTTLReplies(t *testing.T) {
	tests := []struct {
		wire    string
		seconds time.Duration
		millis  time.Duration
		err     error
	}{
		{":42", 42 * time.Second, 42 * time.Millisecond, nil},
		{":0", 0, 0, nil},
		{":-1", NoExpiry, NoExpiry, nil},
		{":-2", 0, 0, ErrNil},
		{":-3", 0, 0, ErrUnexpectedType},
	}
	for _, tt := range tests {
		d, err := convert(t, toTTLSeconds, tt.wire)
		assert.ErrorIs(t, err, tt.err, tt.wire)
		assert.Equal(t, tt.seconds, d, tt.wire)
		d, err = convert(t, toTTLMillis, tt.wire)
		assert.ErrorIs(t, err, tt.err, tt.wire)
		assert.Equal(t, tt.millis, d, tt.wire)
	}
}

func TestExpireTimeReplies(t *testing.T) {
	tm, err := convert(t, toUnixSeconds, ":1700000000")
	require.NoError(t, err)
	assert.True(t, tm.Equal(time.Unix(1700000000, 0)))
	tm, err = convert(t, toUnixMillis, ":1700000000123")
	require.NoError(t, err)
	assert.True(t, tm.Equal(time.UnixMilli(1700000000123)))
	tm, err = convert(t, toUnixSeconds, ":-1")
	require.NoError(t, err)
	assert.True(t, tm.IsZero(), "no expiry is the zero time")
	_, err = convert(t, toUnixMillis, ":-2")
	assert.ErrorIs(t, err, ErrNil, "a missing key is ErrNil")
}

package client

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBitmapToNullInt64s(t *testing.T) {
	got, err := convert(t, bitmapToNullInt64s, "*3\n:5\n_\n:-2\n")
	require.NoError(t, err)
	assert.Equal(t, []NullInt64{{Value: 5, Valid: true}, {}, {Value: -2, Valid: true}}, got)
	got2, err := convert(t, bitmapToNullInt64s, "*3\n:5\n*-1\n:-2\n")
	require.NoError(t, err)
	assert.Equal(t, got, got2)
	_, err = convert(t, bitmapToNullInt64s, "*1\n$1\nx\n")
	assert.ErrorIs(t, err, ErrUnexpectedType)
}

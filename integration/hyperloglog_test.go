//go:build integration

package integration

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
)

func TestHyperLogLog(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		h1, h2, h3, dst := key("h1"), key("h2"), key("h3"), key("dst")
		assert.True(t, valueOf(t, c.PFAdd(ctx, h1, "a", "b", "c", 4, []byte("e"))))
		assert.False(t, valueOf(t, c.PFAdd(ctx, h1, "a", 4)))
		assert.True(t, valueOf(t, c.PFAdd(ctx, h3)), "creates the key")
		assert.False(t, valueOf(t, c.PFAdd(ctx, h3)))
		assert.Equal(t, int64(5), valueOf(t, c.PFCount(ctx, h1)))
		assert.Equal(t, int64(0), valueOf(t, c.PFCount(ctx, key("missing"))))
		valueOf(t, c.PFAdd(ctx, h2, "c", "x", "y"))
		assert.Equal(t, int64(7), valueOf(t, c.PFCount(ctx, h1, h2)))
		assert.Equal(t, "OK", valueOf(t, c.PFMerge(ctx, dst, h1, h2)))
		assert.Equal(t, int64(7), valueOf(t, c.PFCount(ctx, dst)))
		assert.Equal(t, "OK", valueOf(t, c.PFMerge(ctx, dst)))
		assert.Equal(t, int64(7), valueOf(t, c.PFCount(ctx, dst)), "dst alone is kept")

		assert.ErrorIs(t, c.PFCount(ctx).Err(), client.ErrInvalidArg)
		require.NoError(t, c.Set(ctx, key("s"), "not an hll", 0).Err())
		var se *client.Error
		assert.ErrorAs(t, c.PFCount(ctx, key("s")).Err(), &se)
	})
}

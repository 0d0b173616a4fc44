package client

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestReconnectBackoffReachesThePool: the option drives the pool's
// supervisor, and its zero value gives the documented default.
func TestReconnectBackoffReachesThePool(t *testing.T) {
	b := ConstantBackoff{Delay: 7 * time.Millisecond}
	assert.Equal(t, Backoff(b), Options{ReconnectBackoff: b}.config().Backoff)

	c, err := New(Options{Addr: "127.0.0.1:1", DialTimeout: 10 * time.Millisecond})
	assert.NoError(t, err)
	defer c.Close()
	assert.Equal(t, Backoff(ExponentialBackoff{Base: 50 * time.Millisecond, Cap: time.Second}), c.pool.Config().Backoff)
}

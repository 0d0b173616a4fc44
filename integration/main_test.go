//go:build integration

// Package integration tests actoredis against a real redis-server started
// by integration/redistest (or REDIS_ADDR). Run with:
//
//	go test -race -tags integration ./integration/...
package integration

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

func TestMain(m *testing.M) { os.Exit(redistest.Main(m)) }

// protocols are the RESP versions every behaviour is checked under.
var protocols = []int{2, 3}

// openClient connects to addr (the shared server when empty) with opts and
// closes the client when the test ends.
func openClient(t testing.TB, opts client.Options) *client.Client {
	t.Helper()
	if opts.Addr == "" {
		opts.Addr = redistest.Shared(t).Addr()
	}
	c, err := client.New(opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

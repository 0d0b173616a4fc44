//go:build integration

package integration

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
)

// Helpers of the command-group tests (generic_test.go, string_test.go,
// connection_test.go).

// eachProtocol runs fn once per protocol, as subtests "resp2" and "resp3",
// with a client made from opts (the shared server when opts.Addr is empty)
// and a key maker whose keys are unique to the subtest and share one hash
// slot. The same assertions run under both protocols, so each method must
// give the same Go value under RESP2 and RESP3.
func eachProtocol(t *testing.T, opts client.Options, fn func(t *testing.T, c *client.Client, key func(string) string)) {
	t.Helper()
	for _, proto := range protocols {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			o := opts
			o.Protocol = proto
			c := openClient(t, o)
			prefix := "{" + t.Name() + "}:"
			dropKeys(t, c, prefix)
			t.Cleanup(func() { dropKeys(t, c, prefix) })
			fn(t, c, func(name string) string { return prefix + name })
		})
	}
}

// dropKeys deletes every key starting with prefix, so that a test run
// again (-count) on the shared server starts from nothing and leaves
// nothing behind.
func dropKeys(t testing.TB, c *client.Client, prefix string) {
	t.Helper()
	ctx := context.Background()
	pattern := globEscaper.Replace(prefix) + "*"
	keys := valueOf(t, c.Keys(ctx, pattern))
	if len(keys) > 0 {
		valueOf(t, c.Del(ctx, keys...))
	}
}

var globEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`, "]", `\]`)

// valueOf waits for f and fails the test on an error.
func valueOf[T any](t testing.TB, f *client.Future[T]) T {
	t.Helper()
	v, err := f.Result()
	require.NoError(t, err, "%v", f)
	return v
}

// openConn leases a dedicated connection, closed when the test ends.
func openConn(t testing.TB, c *client.Client) *client.Conn {
	t.Helper()
	cn, err := c.Conn(t.Context())
	require.NoError(t, err)
	t.Cleanup(func() { _ = cn.Close() })
	return cn
}

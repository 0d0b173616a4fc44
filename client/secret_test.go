package client

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The password never appears when a Client, its Options or a Future are
// printed, whatever the verb (R17's secret canary found %#v of a *Client
// printing the Options field by field, and %#v of a Future its arguments
// and reply).
func TestPrintingHidesThePassword(t *testing.T) {
	const secret = "pw-canary-3141"
	opts := Options{Addr: "127.0.0.1:1", Username: "u", Password: secret, PoolTimeout: 50 * time.Millisecond}
	c, err := New(opts)
	require.NoError(t, err)
	defer c.Close()
	auth := c.Do(t.Context(), "AUTH", "u", secret)
	echo := c.Echo(t.Context(), secret)
	for _, v := range []any{c, opts, &opts, c.Options(), auth, echo} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			out := fmt.Sprintf(verb, v)
			require.False(t, strings.Contains(out, secret), "%s of %T shows the password: %s", verb, v, out)
		}
	}
}

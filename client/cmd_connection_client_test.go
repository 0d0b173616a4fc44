package client_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/resp/resptest"
)

// On a Client, per-connection commands are refused before anything is
// sent, with an error that says to use a Conn.
func TestPerConnectionCommandsRefusedOnClient(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	c := fakeClient(t, srv, client.Options{})
	ctx := context.Background()
	require.Equal(t, "PONG", c.Ping(ctx).Val())
	for _, err := range []error{
		c.ClientSetName(ctx, "x").Err(),
		c.ClientNoEvict(ctx, true).Err(),
		c.ClientGetRedir(ctx).Err(),
		c.ClientTracking(ctx, true).Err(),
		c.ClientTrackingWith(ctx, true, client.TrackingOptions{}).Err(),
		c.ClientCaching(ctx, true).Err(),
		c.ClientReply(ctx, client.ReplyOff).Err(),
	} {
		assert.ErrorIs(t, err, client.ErrNeedsConn)
	}
	assert.Zero(t, srv.CommandCount("CLIENT"), "nothing was sent")
}

package client

import (
	"context"
	"errors"
)

// The per-connection commands of the connection group on *Client. A
// Client spreads commands over shared connections, where such state would
// land on whichever connection carried the command and surprise every
// other caller; so on a Client these methods send nothing and fail with
// ErrNeedsConn. Lease a Conn (Client.Conn) and call them there.

// ErrNeedsConn: the command changes per-connection state, which a
// Client's shared connections cannot keep; use it on a Conn.
var ErrNeedsConn = errors.New("actoredis: the command changes per-connection state: call it on a Conn (Client.Conn)")

func needsConn[T any](ctx context.Context, name string) *Future[T] {
	return failed[T](ctx, name, ErrNeedsConn)
}

// ClientSetName fails with ErrNeedsConn: use Options.ClientName for every
// connection, or Conn.ClientSetName for one. Since Redis 2.6.9.
func (c *Client) ClientSetName(ctx context.Context, name string) *Future[string] {
	return needsConn[string](ctx, "CLIENT SETNAME")
}

// ClientNoEvict fails with ErrNeedsConn: use Conn.ClientNoEvict.
// Since Redis 7.0.0.
func (c *Client) ClientNoEvict(ctx context.Context, on bool) *Future[string] {
	return needsConn[string](ctx, "CLIENT NO-EVICT")
}

// ClientGetRedir fails with ErrNeedsConn: use Conn.ClientGetRedir.
// Since Redis 6.0.0.
func (c *Client) ClientGetRedir(ctx context.Context) *Future[int64] {
	return needsConn[int64](ctx, "CLIENT GETREDIR")
}

// ClientTracking fails with ErrNeedsConn: use Conn.ClientTracking.
// Since Redis 6.0.0.
func (c *Client) ClientTracking(ctx context.Context, on bool) *Future[string] {
	return needsConn[string](ctx, "CLIENT TRACKING")
}

// ClientTrackingWith fails with ErrNeedsConn: use Conn.ClientTrackingWith.
// Since Redis 6.0.0.
func (c *Client) ClientTrackingWith(ctx context.Context, on bool, opts TrackingOptions) *Future[string] {
	return needsConn[string](ctx, "CLIENT TRACKING")
}

// ClientCaching fails with ErrNeedsConn: use Conn.ClientCaching.
// Since Redis 6.0.0.
func (c *Client) ClientCaching(ctx context.Context, yes bool) *Future[string] {
	return needsConn[string](ctx, "CLIENT CACHING")
}

// ClientReply fails with ErrNeedsConn: use Conn.ClientReply.
// Since Redis 3.2.0.
func (c *Client) ClientReply(ctx context.Context, mode ReplyMode) *Future[string] {
	return needsConn[string](ctx, "CLIENT REPLY")
}

package client

import (
	"context"

	"github.com/actoredis/actoredis/messages"
)

// Commands of the connection group.

const ro = messages.ReadOnly | messages.Idempotent

// Ping asks the server for "PONG".
func (c cmds) Ping(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(ctx, "PING", ro, toStatus))
}

// Echo returns message as the server sent it back.
func (c cmds) Echo(ctx context.Context, message string) *Future[string] {
	f := newFuture(ctx, "ECHO", ro, toString)
	f.b.str(message)
	return send(c.s, f)
}

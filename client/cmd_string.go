package client

import (
	"context"
	"time"

	"github.com/actoredis/actoredis/messages"
)

// Commands of the string group.

// Get returns the value of key; a missing key gives ErrNil.
func (c cmds) Get(ctx context.Context, key string) *Future[string] {
	f := newFuture(ctx, "GET", ro, toString)
	f.b.key(key)
	return send(c.s, f)
}

// Set sets key to value (any argument type resp.AppendArg accepts), with
// an expiration when it is positive (in milliseconds: PX), and returns
// "OK".
func (c cmds) Set(ctx context.Context, key string, value any, expiration time.Duration) *Future[string] {
	f := newFuture(ctx, "SET", messages.Idempotent, toStatus)
	f.b.key(key).any(value)
	if expiration > 0 {
		f.b.str("PX").ms(expiration)
	}
	return send(c.s, f)
}

// Incr increments the integer at key by one and returns the new value.
func (c cmds) Incr(ctx context.Context, key string) *Future[int64] {
	f := newFuture(ctx, "INCR", 0, toInt64)
	f.b.key(key)
	return send(c.s, f)
}

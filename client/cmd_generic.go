package client

import (
	"context"

	"github.com/actoredis/actoredis/messages"
)

// Commands of the generic group (keys).

// Del removes keys and returns how many existed.
func (c cmds) Del(ctx context.Context, keys ...string) *Future[int64] {
	f := newFuture(ctx, "DEL", messages.Idempotent, toInt64)
	f.b.keys(keys...)
	return send(c.s, f)
}

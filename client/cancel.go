package client

import (
	"context"
	"strconv"
	"time"

	"github.com/actoredis/actoredis/actors"
	"github.com/actoredis/actoredis/messages"
)

// watchBlocking arranges for a blocking command whose caller's context
// ends first to be ended on the server before the caller hears of it:
// CLIENT UNBLOCK from a shared connection when the server has it blocked
// (its connection stays usable), else the leased connection is closed and
// the server is asked until it no longer lists that client. Only then is
// cmd.Cancelled closed and the caller given ctx.Err(), so nothing can be
// popped for a caller that has gone. It returns the function that stops
// the watch once the command completed normally.
func (c *Client) watchBlocking(ctx context.Context, lease *actors.Lease, cmd *messages.Command, onBroken func()) (stop func() bool) {
	if ctx == nil || ctx.Done() == nil {
		return func() bool { return true }
	}
	done := make(chan struct{})
	cmd.Cancelled = done
	stopAfter := context.AfterFunc(ctx, func() {
		defer close(done)
		if cmd.IsDone() {
			return
		}
		cmd.Abort()
		c.endBlocked(lease, cmd, onBroken)
	})
	return func() bool {
		if stopAfter() {
			close(done) // completed first: nothing to end on the server
			return true
		}
		return false
	}
}

// cancelWait bounds each step of ending a blocked command.
const cancelWait = 2 * time.Second

func (c *Client) endBlocked(lease *actors.Lease, cmd *messages.Command, onBroken func()) {
	ctx, cancel := context.WithTimeout(context.Background(), cancelWait)
	defer cancel()
	id := lease.ClientID()
	if id > 0 {
		f := newFuture(clientSender{c}, ctx, "CLIENT UNBLOCK", 0, toInt64)
		f.b.int(id)
		if n, err := send(clientSender{c}, f).Result(); err == nil && n == 1 {
			// Unblocked: the command gets its timeout reply (null) and
			// the connection stays in sync.
			_ = cmd.Wait(ctx)
			return
		}
	}
	// Not blocked (yet, or any more): close the connection, and make sure
	// the server has let go of it before the caller is told.
	lease.Discard()
	if onBroken != nil {
		onBroken()
	}
	_ = cmd.Wait(ctx)
	if id <= 0 {
		return
	}
	idArg := strconv.FormatInt(id, 10)
	for ctx.Err() == nil {
		v, err := c.Do(ctx, "CLIENT", "LIST", "ID", idArg).Result()
		if err != nil {
			return
		}
		if s, _ := v.AsString(); s == "" {
			return
		}
		t := time.NewTimer(time.Millisecond)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
}

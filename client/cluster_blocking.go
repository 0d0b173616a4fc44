package client

import (
	"context"
	"strings"

	"github.com/actoredis/actoredis/actors"
	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// blockingCall is a blocking or stateful command (BLPOP, XREAD BLOCK,
// WAIT, CLIENT SETNAME...) on a ClusterClient. Each attempt is a copy of
// the caller's command run on a dedicated connection leased from the
// node's pool, watched as Client watches its own (watchBlocking): a
// caller that gives up gets the command ended on the server (CLIENT
// UNBLOCK, or its connection closed) before it hears of it.
//
// A MOVED reply refreshes the table and resends to the node named; an ASK
// reply sends ASKING and the command, adjacent on one leased connection,
// to the node named; up to MaxRedirects, then ErrTooManyRedirects. Both
// replies come before the server blocks, so nothing was popped and the
// resend is safe. A context that ends between attempts stops the resend.
//
// The caller's command is completed from the final attempt only. When its
// context can end, cmd.Cancelled is cancelled, a channel closed once the
// call is over: after the caller's command is complete and, when the
// final attempt was being cancelled, after the server let go of it; the
// attempt's Aborted is copied to cmd before. So Future.Await keeps its
// guarantee: nothing is popped for a caller that has gone.
type blockingCall struct {
	cc        *ClusterClient
	ctx       context.Context
	cmd       *messages.Command
	slot      int
	redirects int
	cancelled chan struct{} // cmd.Cancelled; nil when ctx cannot end
}

// sendBlocking runs cmd, a blocking or stateful command, on a dedicated
// connection of its slot's owner, following MOVED and ASK. The first
// attempt is leased on the calling goroutine, as Client does.
func (cc *ClusterClient) sendBlocking(ctx context.Context, cmd *messages.Command, slot int) {
	if ctx == nil {
		ctx = context.Background()
	}
	k := &blockingCall{cc: cc, ctx: ctx, cmd: cmd, slot: slot}
	if ctx.Done() != nil {
		k.cancelled = make(chan struct{})
		cmd.Cancelled = k.cancelled
	}
	t, err := cc.table(ctx)
	if err != nil {
		k.finish(resp.Value{}, err)
		return
	}
	n := (&clusterCall{cc: cc, ctx: ctx, cmd: cmd, slot: slot}).route(t)
	if n == nil {
		k.finish(resp.Value{}, errSlotUncovered(slot))
		return
	}
	k.send(n, false)
}

// send runs one attempt on a connection leased from n's pool, after
// ASKING when asking.
func (k *blockingCall) send(n *actors.Node, asking bool) {
	if err := k.ctx.Err(); err != nil {
		k.cmd.Abort()
		k.finish(resp.Value{}, err)
		return
	}
	c := nodeClient(n)
	lease, err := c.pool.Lease(k.ctx)
	if err != nil {
		if k.ctx.Err() != nil {
			k.cmd.Abort()
		}
		k.finish(resp.Value{}, err)
		return
	}
	in := &messages.Command{Name: k.cmd.Name, Args: k.cmd.Args, Flags: k.cmd.Flags}
	stop := c.watchBlocking(k.ctx, lease, in, nil)
	in.OnComplete(func() {
		stopped := stop()
		lease.Release()
		if stopped {
			k.completed(in, n)
			return
		}
		// The caller's context ended while the attempt ran: its
		// cancellation closes in.Cancelled once the server let go of it
		// (at once when the reply had come first). Not on this reader
		// goroutine.
		k.cc.goTracked(func() {
			<-in.Cancelled
			k.completed(in, n)
		})
	})
	if asking {
		lease.SendBatch(&messages.Batch{Commands: []*messages.Command{{Name: "ASKING", Args: askingArgs}, in}})
		return
	}
	lease.Send(in)
}

// completed looks at an attempt's outcome: a MOVED or ASK reply leads to
// another attempt (unless the caller has gone); anything else completes
// the caller's command.
func (k *blockingCall) completed(in *messages.Command, from *actors.Node) {
	v, err := in.Result()
	var r actors.Redirect
	redirected := false
	if err == nil && v.IsError() {
		r, redirected = actors.ParseRedirect(v.Str)
	}
	if in.IsAborted() {
		// Being ended for a caller that has gone: a redirect popped
		// nothing, and is not resent.
		k.cmd.Abort()
		if redirected {
			v, err = resp.Value{}, k.ctx.Err()
		}
		k.finish(v, err)
		return
	}
	if !redirected {
		k.finish(v, err)
		return
	}
	k.redirects++
	if k.redirects > k.cc.opts.MaxRedirects {
		k.finish(resp.Value{}, &RedirectError{Command: k.cmd.Name, Last: v.Str})
		return
	}
	if strings.HasPrefix(r.Addr, ":") {
		// The node does not know its own host: it is the one we asked.
		if h, _, ok := strings.Cut(from.Addr, ":"); ok {
			r.Addr = h + r.Addr
		}
	}
	if r.Ask {
		k.cc.ask.Add(1)
	} else {
		k.cc.moved.Add(1)
		k.cc.cl.Refresh()
	}
	// Leasing may wait, and the node may be new to the client: off the
	// reader goroutine.
	k.cc.goTracked(func() {
		if err := k.ctx.Err(); err != nil {
			k.cmd.Abort()
			k.finish(resp.Value{}, err)
			return
		}
		n, err := k.cc.cl.Node(k.ctx, r.Addr)
		if err != nil {
			if k.ctx.Err() != nil {
				k.cmd.Abort()
			}
			k.finish(resp.Value{}, err)
			return
		}
		k.send(n, r.Ask)
	})
}

// finish completes the caller's command, then closes its Cancelled.
func (k *blockingCall) finish(v resp.Value, err error) {
	if err != nil {
		k.cmd.Fail(err)
	} else {
		k.cmd.Complete(v, nil)
	}
	if k.cancelled != nil {
		close(k.cancelled)
	}
}

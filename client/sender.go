package client

import (
	"context"

	"github.com/actoredis/actoredis/actors"
	"github.com/actoredis/actoredis/messages"
)

// The senders: where a command goes once builder has encoded it (send, in
// builder.go). Each type with command methods embeds cmds with its own:
//
//	Client (and NewFailover's)  clientSender      the pool's multiplexed connections, a lease for a blocking command
//	Client.Idempotent           idempotentSender  clientSender, every command marked Resend
//	Conn                        connSender        the Conn's connection (replySender for CLIENT REPLY)
//	Tx                          leaseSender       the transaction's connection
//	Pipeline, ClusterPipeline   pipeSender        the pipeline's queue, until Exec
//	ClusterClient               clusterSender     the pool of the slot's owner, through cluster.go
//
// A sender hands the command on and returns; the caller waits for the
// reply on the future.

// sender is where a command goes: the client (multiplexed connections, or
// a lease for blocking ones), a Conn (its dedicated connection) or a
// pipeline (its queue).
type sender interface {
	send(ctx context.Context, cmd *messages.Command, rt route)
	closedChan() <-chan struct{}
}

// endedBefore fails cmd with ctx.Err() when its context ended before it
// was sent: a command whose caller has already gone is never sent (queued
// pipeline commands are not checked here; Exec checks its own context).
func endedBefore(ctx context.Context, cmd *messages.Command) bool {
	if ctx == nil {
		return false
	}
	if err := ctx.Err(); err != nil {
		cmd.Fail(err)
		return true
	}
	return false
}

// clientSender sends ordinary commands to the multiplexed connections and
// blocking ones to a dedicated connection leased for the call.
type clientSender struct{ c *Client }

func (s clientSender) closedChan() <-chan struct{} { return s.c.pool.ClosedSpread() }

func (s clientSender) send(ctx context.Context, cmd *messages.Command, rt route) {
	if endedBefore(ctx, cmd) {
		return
	}
	if cmd.Flags&(messages.Blocking|messages.Stateful) != 0 {
		s.sendDedicated(ctx, cmd)
		return
	}
	if s.c.reads != nil && cmd.Flags.Has(messages.ReadOnly) {
		s.c.reads.Send(ctx, cmd, rt.slot())
		return
	}
	s.c.pool.Send(ctx, cmd, rt.slot())
}

// sendDedicated runs cmd on a leased connection, released when the reply
// arrives. A context that ends first closes that connection, so the server
// stops the command and hands nothing to a caller that has gone.
func (s clientSender) sendDedicated(ctx context.Context, cmd *messages.Command) {
	if ctx == nil {
		ctx = context.Background()
	}
	lease, err := s.c.pool.Lease(ctx)
	if err != nil {
		cmd.Fail(err)
		return
	}
	stop := s.c.watchBlocking(ctx, lease, cmd, nil)
	cmd.OnComplete(func() {
		stop()
		lease.Release()
	})
	lease.Send(cmd)
}

// idempotentSender marks every command Resend before sending it: sent
// again after an ambiguous loss (at least once).
type idempotentSender struct{ clientSender }

func (s idempotentSender) send(ctx context.Context, cmd *messages.Command, rt route) {
	cmd.Flags |= messages.Resend
	s.clientSender.send(ctx, cmd, rt)
}

// connSender sends every command on a Conn's connection, marked NoReply
// while the Conn's replies are off (see replySender).
type connSender struct {
	cn     *Conn
	closed <-chan struct{}
}

func (s connSender) closedChan() <-chan struct{} { return s.closed }

func (s connSender) send(ctx context.Context, cmd *messages.Command, _ route) {
	if endedBefore(ctx, cmd) {
		return
	}
	cn := s.cn
	// The reply mode is read and the command sent in one critical section,
	// so a command cannot slip past a CLIENT REPLY switch unmarked.
	cn.mu.Lock()
	defer cn.mu.Unlock()
	switch cn.reply {
	case replyOff:
		cmd.Flags |= messages.NoReply
	case replySkipNext:
		cmd.Flags |= messages.NoReply
		cn.reply = replyOn
	}
	if cmd.Flags.Has(messages.Blocking) {
		// A cancelled blocking command is unblocked on the server (the
		// Conn stays usable) or, failing that, its connection is closed.
		stop := cn.c.watchBlocking(ctx, cn.lease, cmd, nil)
		chain(cmd, func() { stop() })
	}
	cn.lease.Send(cmd)
}

// replySender sends CLIENT REPLY on a Conn and switches the Conn's reply
// mode in the same critical section, so that the Conn's sender marks the
// commands that follow it, and only those, as NoReply.
type replySender struct {
	cn   *Conn
	mode ReplyMode
}

func (s replySender) closedChan() <-chan struct{} { return s.cn.s.closedChan() }

func (s replySender) send(_ context.Context, cmd *messages.Command, _ route) {
	cn := s.cn
	cn.mu.Lock()
	defer cn.mu.Unlock()
	switch s.mode {
	case ReplyOn:
		// ON is answered even while replies are off or skipped: the
		// server clears both flags before replying.
		cmd.Flags &^= messages.NoReply
		cn.reply = replyOn
	case ReplyOff:
		cmd.Flags |= messages.NoReply
		cn.reply = replyOff
	case ReplySkip:
		cmd.Flags |= messages.NoReply
		if cn.reply != replyOff {
			cn.reply = replySkipNext
		}
	}
	cn.lease.Send(cmd)
}

// leaseSender sends every command on one leased connection, as they are:
// the lease's owner (Watch) manages its state.
type leaseSender struct {
	lease  *actors.Lease
	closed <-chan struct{}
}

func (s leaseSender) closedChan() <-chan struct{} { return s.closed }

func (s leaseSender) send(ctx context.Context, cmd *messages.Command, _ route) {
	if endedBefore(ctx, cmd) {
		return
	}
	s.lease.Send(cmd)
}

// pipeSender queues every command in a pipeline's queue.
type pipeSender struct{ p *pipeQueue }

func (s pipeSender) closedChan() <-chan struct{} { return s.p.pool.ClosedSpread() }

func (s pipeSender) send(_ context.Context, cmd *messages.Command, rt route) {
	p := s.p
	p.mu.Lock()
	p.closeRun()
	p.queue(cmd)
	p.n++
	if p.slot < 0 {
		p.slot = int32(rt.slot())
	}
	p.mu.Unlock()
}

// clusterSender routes each command to the pool of its slot's owner.
type clusterSender struct{ cc *ClusterClient }

func (s clusterSender) closedChan() <-chan struct{} { return s.cc.cl.ClosedSpread() }

func (s clusterSender) send(ctx context.Context, cmd *messages.Command, rt route) {
	if endedBefore(ctx, cmd) {
		return
	}
	cc := s.cc
	if kind := specialKind(cmd.Name); kind != plainCmd && cmd.Flags&(messages.Blocking|messages.Stateful) == 0 {
		// Split or broadcast (typed methods, and Do with such a name).
		cc.sendSpecial(ctx, cmd, kind)
		return
	}
	if cmd.Flags&(messages.Blocking|messages.Stateful) != 0 {
		// A dedicated connection of the owner, following MOVED and ASK.
		cc.sendBlocking(ctx, cmd, rt.slot())
		return
	}
	k := &clusterCall{cc: cc, ctx: ctx, cmd: cmd, slot: rt.slot()}
	k.dispatchFirst()
}

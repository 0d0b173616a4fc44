package client

import (
	"context"
	"errors"

	"github.com/actoredis/actoredis/actors"
	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// Pipeline queues commands and sends them together when Exec is called:
// one batch message to one connection actor, written in one flush, each
// future completed in order as its reply arrives. It has every command
// method of Client (the same code); each returns its future at once,
// completed by Exec.
//
// A transactional pipeline (TxPipeline) wraps the commands in MULTI/EXEC:
// they execute atomically, and their futures complete from EXEC's reply.
//
// A Pipeline may be filled from several goroutines; Exec sends what was
// queued before it started, and the pipeline can be reused afterwards.
type Pipeline struct {
	cmds
	pipeQueue
	c     *Client
	lease *actors.Lease // set for the pipelines of a Tx: its connection
	// first is the first scratch command and its buffer: most pipelines
	// are filled by one goroutine and need no other.
	first struct {
		cmd messages.Command
		buf [64]byte
	}
}

// largePipeline is the number of commands from which a non-transactional
// pipeline runs on a dedicated connection: written without copying (writev
// from each command's own buffer), it does not hold up the callers that
// share the multiplexed connections while the server works through it.
const largePipeline = 10000

// Pipeline returns an empty pipeline.
func (c *Client) Pipeline() *Pipeline { return c.newPipeline(false, nil) }

// TxPipeline returns an empty transactional pipeline (MULTI/EXEC).
func (c *Client) TxPipeline() *Pipeline { return c.newPipeline(true, nil) }

func (c *Client) newPipeline(tx bool, lease *actors.Lease) *Pipeline {
	p := &Pipeline{c: c, lease: lease}
	p.init(c.pool, c.pipe, tx, !tx)
	p.first.cmd.Args = p.first.buf[:0]
	p.scratch = &p.first.cmd
	p.cmds = cmds{s: pipeSender{&p.pipeQueue}}
	return p
}

// Pipelined queues commands with fn and executes them; it returns fn's
// error (nothing is sent then) or Exec's.
func (c *Client) Pipelined(ctx context.Context, fn func(p *Pipeline) error) error {
	return pipelined(ctx, c.Pipeline(), fn)
}

// TxPipelined is Pipelined in a MULTI/EXEC transaction.
func (c *Client) TxPipelined(ctx context.Context, fn func(p *Pipeline) error) error {
	return pipelined(ctx, c.TxPipeline(), fn)
}

// Exec sends the queued commands as one batch and waits for every reply
// (or for ctx to end). It returns the first error among the commands —
// a transport error, or a server error reply — while each future keeps its
// own. A transaction whose watched keys changed returns ErrTxFailed. An
// empty pipeline returns nil at once. A context that ends while the
// replies are on their way returns ctx.Err(); the replies are still read
// and discarded, so the connection stays in sync.
func (p *Pipeline) Exec(ctx context.Context) error { return p.exec(ctx, p.dispatch) }

// dispatch sends the queued commands as one batch (wrapped in MULTI/EXEC
// for a transaction): through the Tx's lease, on a dedicated connection
// when a command needs one (blocking, stateful) or the pipeline is large,
// else to the multiplexed connection of slot, the first key's. The futures
// carry the outcome: it returns nil.
func (p *Pipeline) dispatch(ctx context.Context, queued []*messages.Command, n, slot int) error {
	batch := queued
	if p.tx {
		batch = wrapTx(queued)
	}
	// A caller that cannot give up (no Done channel) may read its replies
	// itself: see the actors' sync read.
	b := &messages.Batch{Commands: batch, Sync: ctx.Done() == nil}
	if p.lease != nil {
		p.lease.SendBatch(b)
		return nil
	}
	dedicated := n >= largePipeline
	for _, cmd := range batch {
		if cmd.Flags&(messages.Blocking|messages.Stateful) != 0 {
			dedicated = true
			break
		}
	}
	if !dedicated {
		p.c.pool.SendBatch(ctx, b, slot)
		return nil
	}
	lease, err := p.c.pool.Lease(ctx)
	if err != nil {
		for _, cmd := range batch {
			cmd.Fail(err)
		}
		return nil
	}
	last := batch[len(batch)-1]
	stop := context.AfterFunc(ctx, func() {
		if !last.IsDone() {
			lease.Discard()
		}
	})
	chain(last, func() {
		stop()
		lease.Release()
	})
	lease.SendBatch(b)
	return nil
}

// chain adds fn to run after cmd's completion hook (if any).
func chain(cmd *messages.Command, fn func()) {
	prev := cmd.Then()
	if prev == nil {
		cmd.OnComplete(fn)
		return
	}
	cmd.OnComplete(func() {
		prev()
		fn()
	})
}

var (
	multiArgs = resp.AppendBulkString(resp.AppendArrayHeader(nil, 1), "MULTI")
	execArgs  = resp.AppendBulkString(resp.AppendArrayHeader(nil, 1), "EXEC")
)

// wrapTx builds MULTI, a copy of each command (whose reply is QUEUED), and
// EXEC, whose reply completes the original commands in order.
func wrapTx(queued []*messages.Command) []*messages.Command {
	batch := make([]*messages.Command, 0, len(queued)+2)
	multi := &messages.Command{Name: "MULTI", Args: multiArgs}
	batch = append(batch, multi)
	queuedReplies := make([]*messages.Command, len(queued))
	for i, cmd := range queued {
		q := &messages.Command{Name: cmd.Name, Args: cmd.Args, Flags: cmd.Flags &^ messages.Blocking}
		queuedReplies[i] = q
		batch = append(batch, q)
	}
	exec := &messages.Command{Name: "EXEC", Args: execArgs}
	exec.OnComplete(func() { completeTx(multi, queuedReplies, exec, queued) })
	return append(batch, exec)
}

// namedFailure returns err for the command name: a transport failure of
// what carried it (a run, a transaction's MULTI or EXEC) is renamed after
// the command; anything else is err.
func namedFailure(err error, name string) error {
	if ce, ok := err.(*ConnError); ok && ce.Command != name {
		named := *ce
		named.Command = name
		return &named
	}
	return err
}

// completeTx hands EXEC's outcome to the user's futures. It runs on the
// reader goroutine once EXEC's reply arrived, after MULTI's and every
// QUEUED reply (one connection completes in order).
func completeTx(multi *messages.Command, queuedReplies []*messages.Command, exec *messages.Command, queued []*messages.Command) {
	if err := commandErr(multi); err != nil {
		// A refused MULTI opened no transaction: the commands after it
		// ran on their own, so a refusal for now (a *TransientError,
		// which SafeToRetry calls safe) is theirs only as the server's
		// error: they may have been applied.
		var te *TransientError
		if errors.As(err, &te) {
			err = te.Err
		}
		for _, cmd := range queued {
			cmd.Fail(namedFailure(err, cmd.Name))
		}
		return
	}
	v, err := exec.Result()
	if err != nil {
		for _, cmd := range queued {
			cmd.Fail(namedFailure(err, cmd.Name))
		}
		return
	}
	switch {
	case v.IsError():
		// EXECABORT: name the command Redis refused.
		aborted := error(&TxAbortedError{Command: "EXEC", Err: v.Err()})
		for i, q := range queuedReplies {
			if qerr := commandErr(q); qerr != nil {
				aborted = &TxAbortedError{Command: queued[i].Name, Err: qerr}
				break
			}
		}
		for _, cmd := range queued {
			cmd.Fail(aborted)
		}
	case v.IsNull():
		for _, cmd := range queued {
			cmd.Fail(ErrTxFailed)
		}
	default:
		elems, err := v.AsValues()
		if err == nil && len(elems) != len(queued) {
			err = &resp.ProtocolError{Reason: "EXEC returned the wrong number of replies"}
		}
		for i, cmd := range queued {
			if err != nil {
				cmd.Fail(err)
			} else {
				cmd.Complete(elems[i], nil)
			}
		}
	}
}

package client

import (
	"context"
	"errors"
	"sync"

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
	c     *Client
	lease *actors.Lease // set for the pipelines of a Tx: its connection
	tx    bool

	mu       sync.Mutex
	queued   []*messages.Command
	slot     int         // hash slot of the first keyed command, -1 when none
	slabs    futureSlabs // where the futures come from
	ownQueue bool        // queued was made by send (see take)
}

// ErrTxFailed: EXEC returned null because a WATCHed key changed; nothing
// of the transaction was applied.
var ErrTxFailed = errors.New("actoredis: transaction failed: a watched key changed")

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
	p := &Pipeline{c: c, tx: tx, lease: lease, slot: -1}
	if c.pipeLen != nil {
		p.slabs.reset(int(c.pipeLen.Load()))
	}
	p.cmds = cmds{s: pipeSender{p}}
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

// pipelined queues commands on p with fn and executes them; fn's error
// discards them (nothing is sent) and is returned.
func pipelined[P interface {
	Discard()
	Exec(context.Context) error
}](ctx context.Context, p P, fn func(P) error) error {
	if err := fn(p); err != nil {
		p.Discard()
		return err
	}
	return p.Exec(ctx)
}

// Len returns the number of queued commands.
func (p *Pipeline) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.queued)
}

// Discard drops the queued commands; their futures fail with
// ErrDiscarded.
func (p *Pipeline) Discard() {
	q, _ := p.take()
	for _, cmd := range q {
		cmd.Fail(ErrDiscarded)
	}
}

// ErrDiscarded: the command was queued in a pipeline that was discarded.
var ErrDiscarded = errors.New("actoredis: pipeline discarded")

// take takes the queued commands, and reports whether their slice was
// made by send (from queuedPool; a cluster transaction hands in its own),
// so that Exec may give it back once every command is complete.
func (p *Pipeline) take() ([]*messages.Command, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	q, own := p.queued, p.ownQueue
	p.queued, p.slot, p.ownQueue = nil, -1, false
	p.slabs.reset(len(q))
	return q, own
}

type pipeSender struct{ p *Pipeline }

func (s pipeSender) closedChan() <-chan struct{} { return s.p.c.pool.ClosedSpread() }

func (s pipeSender) send(_ context.Context, cmd *messages.Command, rt route) {
	p := s.p
	p.mu.Lock()
	if p.queued == nil {
		if q, ok := queuedPool.Get().(*[]*messages.Command); ok {
			p.queued = *q
		}
		p.ownQueue = true
	}
	p.queued = append(p.queued, cmd)
	if p.slot < 0 {
		p.slot = rt.slot()
	}
	p.mu.Unlock()
}

// Exec sends the queued commands as one batch and waits for every reply
// (or for ctx to end). It returns the first error among the commands —
// a transport error, or a server error reply — while each future keeps its
// own. A transaction whose watched keys changed returns ErrTxFailed. An
// empty pipeline returns nil at once. A context that ends while the
// replies are on their way returns ctx.Err(); the replies are still read
// and discarded, so the connection stays in sync.
func (p *Pipeline) Exec(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	queued, recycle := p.take()
	if len(queued) == 0 {
		return nil
	}
	if p.c.pipeLen != nil {
		p.c.pipeLen.Store(int32(min(len(queued), 1<<30)))
	}
	select {
	case <-p.c.pool.Closed():
		for _, cmd := range queued {
			cmd.Fail(ErrClosed)
		}
		return ErrClosed
	default:
	}
	batch := queued
	if p.tx {
		batch = wrapTx(queued)
	}
	p.dispatch(ctx, batch, len(queued))
	// One connection completes in order: once the last is done, so are
	// the others, and waiting on them costs no wake-up channel each.
	if err := queued[len(queued)-1].Wait(ctx); err != nil {
		return err
	}
	var first error
	for _, cmd := range queued {
		if err := cmd.Wait(ctx); err != nil {
			return err
		}
		if first == nil {
			first = commandErr(cmd)
		}
	}
	if recycle {
		recycleQueue(queued)
	}
	return first
}

// queuedPool keeps the queues of executed pipelines (emptied) for the next
// ones: a pipeline's queue grows to its length by doubling, so a fresh one
// per pipeline allocates about twice its final size.
var queuedPool sync.Pool // *[]*messages.Command, length 0

// recycleQueue gives q back once every command in it is complete: nothing
// holds the slice then (the batch has been taken apart by the connection).
func recycleQueue(q []*messages.Command) {
	if cap(q) > maxRecycledQueue {
		return
	}
	clear(q)
	q = q[:0]
	queuedPool.Put(&q)
}

// maxRecycledQueue bounds the queues kept for reuse (256 KB of pointers).
const maxRecycledQueue = 1 << 15

// commandErr returns the error a completed command carries: its failure or
// its server error reply.
func commandErr(cmd *messages.Command) error {
	v, err := cmd.Result()
	if err != nil {
		return err
	}
	return v.Err()
}

// dispatch sends batch: through the Tx's lease, on a dedicated connection
// when a command needs one (blocking, stateful) or the pipeline is large,
// else to the multiplexed connection of the first key.
func (p *Pipeline) dispatch(ctx context.Context, batch []*messages.Command, n int) {
	b := &messages.Batch{Commands: batch}
	if p.lease != nil {
		p.lease.SendBatch(b)
		return
	}
	dedicated := n >= largePipeline
	for _, cmd := range batch {
		if cmd.Flags&(messages.Blocking|messages.Stateful) != 0 {
			dedicated = true
			break
		}
	}
	if !dedicated {
		p.c.pool.SendBatch(ctx, b, p.slot)
		return
	}
	lease, err := p.c.pool.Lease(ctx)
	if err != nil {
		for _, cmd := range batch {
			cmd.Fail(err)
		}
		return
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

// TxAbortedError is what every future of a transaction gets when Redis
// refused one of its commands at queue time (EXECABORT): Command names
// the refused command and Err is the server's reason.
type TxAbortedError struct {
	Command string
	Err     error
}

func (e *TxAbortedError) Error() string {
	return "actoredis: transaction aborted: " + e.Command + " was refused: " + e.Err.Error()
}

func (e *TxAbortedError) Unwrap() error { return e.Err }

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

// completeTx hands EXEC's outcome to the user's futures. It runs on the
// reader goroutine once EXEC's reply arrived, after MULTI's and every
// QUEUED reply (one connection completes in order).
func completeTx(multi *messages.Command, queuedReplies []*messages.Command, exec *messages.Command, queued []*messages.Command) {
	if err := commandErr(multi); err != nil {
		for _, cmd := range queued {
			cmd.Fail(err)
		}
		return
	}
	v, err := exec.Result()
	if err != nil {
		for _, cmd := range queued {
			cmd.Fail(err)
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

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

	mu      sync.Mutex
	queued  []*messages.Command
	n       int                  // commands queued, each command of a run counted
	run     *messages.RunCommand // the open run (queued once closed), nil when none
	scratch *messages.Command    // where a run's next command is built; nil while one is
	// first is the first scratch command and its buffer: most pipelines
	// are filled by one goroutine and need no other.
	first struct {
		cmd messages.Command
		buf [64]byte
	}
	slot     int         // hash slot of the first keyed command, -1 when none
	slabs    futureSlabs // where the futures come from
	ownQueue bool        // queued was made by send (see take)
}

// Runs: the commands queued one after the other that need nothing of
// their own (see runnable) travel as one run (a messages.RunCommand):
// their encodings in one buffer, their replies in one slice and one
// completion for all (see messages.StartRun). Each future then costs 80
// bytes (a Future[string]) instead of 320: the promise, the reply's slot
// and the inline buffer of a lone command are gone.

// runReply returns the reply of the run's command i, or the run's
// failure, named after that command, when the run failed before it. Call
// it once the run is complete. A transient error reply (marked by the
// connection) is a TransientError, as for a lone command.
func runReply(r *messages.RunCommand, i int) (resp.Value, error) {
	if v, ok := r.Reply(i); ok {
		if v.IsError() && v.Int > 0 {
			return v, &TransientError{Command: r.CommandName(i), Attempts: int(v.Int), Err: &resp.Error{Message: v.Str}}
		}
		return v, nil
	}
	_, err := r.Result()
	var ce *ConnError
	if errors.As(err, &ce) && ce.Command == r.Name {
		named := *ce
		named.Command = r.CommandName(i)
		err = &named
	}
	return resp.Value{}, err
}

// runName names a run's command in the errors of the connection until a
// future renames it after its own command.
const runName = "pipeline"

// runFuture returns a future for a command of p's run, to be built in p's
// scratch command (or a new one while another goroutine builds in it).
func runFuture[T any](p *Pipeline) *Future[T] {
	p.mu.Lock()
	f := slabGet[Future[T]](&p.slabs)
	sc := p.scratch
	p.scratch = nil
	p.mu.Unlock()
	if sc == nil {
		sc = new(messages.Command)
	}
	f.b.cmd, f.b.pos = sc, inRun
	return f
}

// addToRun appends the command b has built to p's open run (opening one
// if none is), and points b at the run. A command whose arguments were
// refused fails on its own, without being queued.
func (p *Pipeline) addToRun(b *builder) {
	sc := b.cmd
	if b.err != nil {
		b.nOrState = notDecoded
		cmd := &messages.Command{Name: sc.Name}
		cmd.Fail(b.err)
		b.cmd, b.pos, b.err = cmd, 0, nil
		sc.KeyArg = 0
		p.mu.Lock()
		p.scratch = sc
		p.mu.Unlock()
		return
	}
	enc := b.finish()
	b.nOrState = notDecoded // the count is in the header now
	p.mu.Lock()
	r := p.run
	if r == nil {
		r = messages.NewRunCommand(runName, p.runBytes())
		p.run = r
	}
	i := r.Append(enc)
	if p.slot < 0 {
		p.slot = route{args: enc, keyArg: sc.KeyArg}.slot()
	}
	b.cmd, b.pos = &r.Command, uint32(i+1)
	p.n++
	sc.KeyArg = 0
	p.scratch = sc
	p.mu.Unlock()
}

// runBytes is the capacity of a new run's buffer: the commands the
// pipeline is still expected to queue, at the client's last pipeline's
// bytes per command.
func (p *Pipeline) runBytes() int {
	per := 64
	if p.c.pipe != nil {
		if b := int(p.c.pipe.bytes.Load()); b > 0 {
			per = b
		}
	}
	return max(p.slabs.expect-p.n, minSlab) * per
}

// closeRun queues the open run, under p.mu: before a command of its own is
// queued after it, and when the pipeline is executed.
func (p *Pipeline) closeRun() {
	r := p.run
	if r == nil {
		return
	}
	p.run = nil
	r.Seal()
	p.queue(&r.Command)
}

// queue appends cmd to the queue, under p.mu.
func (p *Pipeline) queue(cmd *messages.Command) {
	if p.queued == nil {
		if q, ok := queuedPool.Get().(*[]*messages.Command); ok {
			p.queued = *q
		}
		p.ownQueue = true
	}
	p.queued = append(p.queued, cmd)
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
	p.first.cmd.Args = p.first.buf[:0]
	p.scratch = &p.first.cmd
	if c.pipe != nil {
		p.slabs.reset(int(c.pipe.len.Load()))
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
	return p.n
}

// Discard drops the queued commands; their futures fail with
// ErrDiscarded.
func (p *Pipeline) Discard() {
	q, _, _ := p.take()
	for _, cmd := range q {
		cmd.Fail(ErrDiscarded)
	}
}

// ErrDiscarded: the command was queued in a pipeline that was discarded.
var ErrDiscarded = errors.New("actoredis: pipeline discarded")

// take takes the queued commands (the open run closed) and their number,
// each command of a run counted, and reports whether their slice was made
// by send (from queuedPool), so that Exec may give it back once every
// command is complete.
func (p *Pipeline) take() (q []*messages.Command, n int, own bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closeRun()
	q, n, own = p.queued, p.n, p.ownQueue
	p.queued, p.n, p.slot, p.ownQueue = nil, 0, -1, false
	p.slabs.reset(n)
	return q, n, own
}

type pipeSender struct{ p *Pipeline }

func (s pipeSender) closedChan() <-chan struct{} { return s.p.c.pool.ClosedSpread() }

func (s pipeSender) send(_ context.Context, cmd *messages.Command, rt route) {
	p := s.p
	p.mu.Lock()
	p.closeRun()
	p.queue(cmd)
	p.n++
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
	queued, n, recycle := p.take()
	if len(queued) == 0 {
		return nil
	}
	if p.c.pipe != nil {
		p.c.pipe.len.Store(int32(min(n, 1<<30)))
		p.c.pipe.bytes.Store(int32(runBytesPerCommand(queued)))
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
	p.dispatch(ctx, batch, n)
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

// runBytesPerCommand returns the mean size of an encoded command in the
// runs of queued (0 when there is none), for the next pipeline's runs.
func runBytesPerCommand(queued []*messages.Command) int {
	bytes, n := 0, 0
	for _, cmd := range queued {
		if cmd.Flags.Has(messages.Run) {
			bytes += len(cmd.Args)
			n += cmd.RunLen()
		}
	}
	if n == 0 {
		return 0
	}
	return min(bytes/n+1, 1<<20)
}

// commandErr returns the error a completed command carries: its failure or
// its server error reply; for a run, the first of its commands'.
func commandErr(cmd *messages.Command) error {
	if cmd.Flags.Has(messages.Run) {
		r := messages.RunOf(cmd)
		for i := range cmd.RunLen() {
			v, err := runReply(r, i)
			if err != nil {
				return err
			}
			if e := v.Err(); e != nil {
				return e
			}
		}
		return nil
	}
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
	// A caller that cannot give up (no Done channel) may read its replies
	// itself: see the actors' sync read.
	b := &messages.Batch{Commands: batch, Sync: ctx.Done() == nil}
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

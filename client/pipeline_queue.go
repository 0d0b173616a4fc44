package client

import (
	"context"
	"sync"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// pipeQueue is what Pipeline and ClusterPipeline have in common: the
// queue their command methods fill (through pipeSender), the slabs their
// futures come from, Len, Discard, and the frame of Exec (take the queue,
// hand it to the owner's dispatch, wait for every reply). They differ in
// where the queue goes: one connection of a client's pool, or the nodes
// of a topology.
type pipeQueue struct {
	mu      sync.Mutex
	queued  []*messages.Command
	n       int                  // commands queued, each command of a run counted
	run     *messages.RunCommand // the open run (queued once closed), nil when none
	scratch *messages.Command    // where a run's next command is built; nil while one is
	slabs   futureSlabs          // where the futures come from
	// last is the owner's last pipeline, to size this one's slabs and
	// runs; nil when the owner keeps none.
	last *lastPipeline
	// pool is what closes under the pipeline: its futures and Exec fail
	// with ErrClosed once it has.
	pool closeNotifier
	// The fields below share one word, which keeps a Pipeline in the size
	// class it had before it shared this type.
	slot int32 // hash slot of the first keyed command, -1 when none
	tx   bool  // MULTI/EXEC
	// runs tells whether commands that need nothing of their own join
	// runs: a plain pipeline's do; a transaction's, and a pipeline whose
	// commands are split by node, do not.
	runs     bool
	ownQueue bool // queued was made by send (see take)
}

// closeNotifier is the part of a pool (or of a set of pools) that a
// pipeline watches: Closed for Exec, ClosedSpread for the futures.
type closeNotifier interface {
	Closed() <-chan struct{}
	ClosedSpread() <-chan struct{}
}

// init readies an empty queue for pool, sized by last (may be nil).
func (p *pipeQueue) init(pool closeNotifier, last *lastPipeline, tx, runs bool) {
	p.pool, p.last, p.tx, p.runs, p.slot = pool, last, tx, runs, -1
	if last != nil {
		p.slabs.reset(int(last.len.Load()))
	}
}

// Runs: the commands queued one after the other that need nothing of
// their own (see runnable) travel as one run (a messages.RunCommand):
// their encodings in one buffer, their replies in one slice and one
// completion for all (see messages.StartRun). Each future then costs 80
// bytes (a Future[string]) instead of 320: the promise, the reply's slot
// and the inline buffer of a lone command are gone.

// runName names a run's command in the errors of the connection until a
// future renames it after its own command.
const runName = "pipeline"

// runFuture returns a future for a command of p's run, to be built in p's
// scratch command (or a new one while another goroutine builds in it).
func runFuture[T any](p *pipeQueue) *Future[T] {
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
func (p *pipeQueue) addToRun(b *builder) {
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
		p.slot = int32(route{args: enc, keyArg: sc.KeyArg}.slot())
	}
	b.cmd, b.pos = &r.Command, uint32(i+1)
	p.n++
	sc.KeyArg = 0
	p.scratch = sc
	p.mu.Unlock()
}

// runBytes is the capacity of a new run's buffer: the commands the
// pipeline is still expected to queue, at the owner's last pipeline's
// bytes per command.
func (p *pipeQueue) runBytes() int {
	per := 64
	if p.last != nil {
		if b := int(p.last.bytes.Load()); b > 0 {
			per = b
		}
	}
	return max(p.slabs.expect-p.n, minSlab) * per
}

// closeRun queues the open run, under p.mu: before a command of its own is
// queued after it, and when the pipeline is executed.
func (p *pipeQueue) closeRun() {
	r := p.run
	if r == nil {
		return
	}
	p.run = nil
	r.Seal()
	p.queue(&r.Command)
}

// queue appends cmd to the queue, under p.mu.
func (p *pipeQueue) queue(cmd *messages.Command) {
	if p.queued == nil {
		if q, ok := queuedPool.Get().(*[]*messages.Command); ok {
			p.queued = *q
		}
		p.ownQueue = true
	}
	p.queued = append(p.queued, cmd)
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
func (p *pipeQueue) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

// Discard drops the queued commands; their futures fail with
// ErrDiscarded.
func (p *pipeQueue) Discard() {
	q, _, _, _ := p.take()
	for _, cmd := range q {
		cmd.Fail(ErrDiscarded)
	}
}

// take takes the queued commands (the open run closed), their number,
// each command of a run counted, and the hash slot of the first keyed one
// (-1 when none), and reports whether their slice was made by send (from
// queuedPool), so that Exec may give it back once every command is
// complete.
func (p *pipeQueue) take() (q []*messages.Command, n int, slot int, own bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closeRun()
	q, n, slot, own = p.queued, p.n, int(p.slot), p.ownQueue
	p.queued, p.n, p.slot, p.ownQueue = nil, 0, -1, false
	p.slabs.reset(n)
	return q, n, slot, own
}

// exec is Exec's frame: it takes the queued commands, hands them to
// dispatch (which sends them, or returns an error for Exec at once, the
// commands failed or completed) and waits for every reply; it returns the
// first error among the commands.
func (p *pipeQueue) exec(ctx context.Context, dispatch func(ctx context.Context, queued []*messages.Command, n, slot int) error) error {
	if ctx == nil {
		ctx = context.Background()
	}
	queued, n, slot, recycle := p.take()
	if len(queued) == 0 {
		return nil
	}
	if p.last != nil {
		p.last.len.Store(int32(min(n, 1<<30)))
		p.last.bytes.Store(int32(runBytesPerCommand(queued)))
	}
	select {
	case <-p.pool.Closed():
		for _, cmd := range queued {
			cmd.Fail(ErrClosed)
		}
		return ErrClosed
	default:
	}
	if err := dispatch(ctx, queued, n, slot); err != nil {
		return err
	}
	// One connection completes in order: once the last is done, so are
	// the others, and waiting on them costs no wake-up channel each.
	// (Over several nodes, one order to wait in is as good as another.)
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
	return resp.Value{}, namedFailure(err, r.CommandName(i))
}

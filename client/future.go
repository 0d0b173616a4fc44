package client

import (
	"context"
	"runtime"
	"sync/atomic"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// Future is the pending result of one command. Command methods return it at
// once; the reply is decoded into T on the goroutine that asks for it, the
// first time it is asked. A Future is safe for concurrent use.
//
// Cancelling the context given to the command makes Result return
// ctx.Err() without waiting; the reply is still read off the connection
// and discarded, so the connection stays in sync.
type Future[T any] struct {
	b      builder // the command, its encoding and the decoded error
	ctx    context.Context
	conv   func(resp.Value) (T, error)
	closed <-chan struct{}
	val    T
}

// The states of builder.nOrState once the command is sent.
const (
	notDecoded uint32 = iota
	decoding
	isDecoded
)

// Result waits for the reply (or for the command's context to end) and
// returns it decoded.
func (f *Future[T]) Result() (T, error) { return f.Await(f.ctx) }

// Await is Result with its own context to wait on.
func (f *Future[T]) Await(ctx context.Context) (T, error) {
	var zero T
	if !f.b.cmd.IsDone() {
		var done <-chan struct{}
		if ctx != nil {
			done = ctx.Done()
		}
		if !f.b.cmd.WaitOr(done, f.closed) {
			switch {
			case ctx != nil && ctx.Err() != nil:
				if !f.cancelledBlocking() {
					return zero, ctx.Err()
				}
			default:
				return zero, ErrClosed
			}
		}
	}
	if f.cancelledBlocking() {
		// A blocking command whose caller gave up: wait until the server
		// has let go of it. A reply that arrived anyway is returned (it
		// was already popped); a timeout reply or a failure caused by the
		// cancellation is the caller's ctx.Err().
		<-f.b.cmd.Cancelled
		if v, err := f.b.cmd.Result(); f.b.cmd.IsAborted() && (!f.b.cmd.IsDone() || err != nil || v.IsNull()) {
			return zero, f.ctx.Err()
		}
	}
	f.decodeOnce()
	return f.val, f.b.err
}

// decodeOnce converts the reply into T the first time it is asked for; a
// concurrent caller waits for that conversion, which never blocks.
func (f *Future[T]) decodeOnce() {
	for {
		switch atomic.LoadUint32(&f.b.nOrState) {
		case isDecoded:
			return
		case notDecoded:
			if atomic.CompareAndSwapUint32(&f.b.nOrState, notDecoded, decoding) {
				f.decode()
				atomic.StoreUint32(&f.b.nOrState, isDecoded)
				return
			}
		default:
			runtime.Gosched()
		}
	}
}

// cancelledBlocking reports whether this is a blocking command whose own
// context has ended (its cancellation on the server is under way or done).
func (f *Future[T]) cancelledBlocking() bool {
	return f.b.cmd.Cancelled != nil && f.ctx != nil && f.ctx.Err() != nil
}

func (f *Future[T]) decode() {
	v, err := f.reply()
	if err == ErrNoReply && f.b.pos&noReplyOK != 0 {
		v, err = resp.Value{Kind: resp.KindNull}, nil
	}
	if err != nil {
		f.b.err = err
		return
	}
	if e := v.Err(); e != nil {
		f.b.err = e
		return
	}
	f.val, f.b.err = f.conv(v)
}

// reply returns the command's reply, or its failure: its own command's,
// or for a command of a run, its reply in the run or the run's failure
// (named after this command).
func (f *Future[T]) reply() (resp.Value, error) {
	i := f.b.index()
	if i < 0 {
		return f.b.cmd.Result()
	}
	return runReply(messages.RunOf(f.b.cmd), i)
}

// name returns the command's name. A command of a run has it only in the
// run's encoding, which is read once the run is complete: until then it
// is "pipelined".
func (f *Future[T]) name() string {
	if i := f.b.index(); i >= 0 {
		if !f.b.cmd.IsDone() {
			return "pipelined"
		}
		return messages.RunOf(f.b.cmd).CommandName(i)
	}
	return f.b.cmd.Name
}

// Done returns a channel closed when the reply (or a failure) has arrived.
func (f *Future[T]) Done() <-chan struct{} { return f.b.cmd.Done() }

// Val returns the result, or T's zero value when the command failed: it
// drops the error, so a failure and a zero result look alike. Use Result
// (or Err) wherever the error matters.
func (f *Future[T]) Val() T {
	v, _ := f.Result()
	return v
}

// Err returns the command's error, or nil.
func (f *Future[T]) Err() error {
	_, err := f.Result()
	return err
}

// String describes the future by its command name, never its arguments.
func (f *Future[T]) String() string {
	state := "pending"
	if f.b.cmd.IsDone() {
		state = "done"
	}
	return "Future(" + f.name() + ", " + state + ")"
}

// GoString keeps %#v from printing the command's arguments and reply.
func (f *Future[T]) GoString() string { return f.String() }

package client

import (
	"context"
	"time"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// headerRoom is reserved in front of the arguments for the array header,
// written right-aligned once the number of arguments is known. Eight bytes
// hold the header of up to 99,999 arguments; a longer command gets its
// header in a new buffer.
const headerRoom = 8

// builder encodes a command's arguments. Methods chain; the first error
// (an unsupported argument type) is kept and fails the command before
// anything is sent.
type builder struct {
	buf   []byte
	first string // the first key, which picks the connection (see route)
	err   error
	n     int32 // arguments so far
	keyed bool  // key is set
}

// route returns the first key of the command.
func (b *builder) route() route { return route{key: b.first, keyed: b.keyed} }

// firstKey makes k the first key, the one that routes the command.
func (b *builder) firstKey(k string) { b.first, b.keyed = k, true }

// route names the first key of a command; its hash slot is computed only
// by the senders that need it (a pipeline needs its first command's only).
type route struct {
	key   string
	keyed bool
}

// slot returns the hash slot of the first key, or -1 for a keyless
// command.
func (r route) slot() int {
	if !r.keyed {
		return -1
	}
	return int(Slot(r.key))
}

// finish writes the header and returns the complete encoding.
func (b *builder) finish() []byte {
	var tmp [24]byte
	h := resp.AppendArrayHeader(tmp[:0], int(b.n))
	if len(h) > headerRoom {
		out := make([]byte, 0, len(h)+len(b.buf)-headerRoom)
		return append(append(out, h...), b.buf[headerRoom:]...)
	}
	at := headerRoom - len(h)
	copy(b.buf[at:], h)
	return b.buf[at:]
}

func (b *builder) str(s string) *builder {
	b.buf = resp.AppendBulkString(b.buf, s)
	b.n++
	return b
}

func (b *builder) key(k string) *builder {
	if !b.keyed {
		b.firstKey(k)
	}
	return b.str(k)
}

func (b *builder) keys(ks ...string) *builder {
	for _, k := range ks {
		b.key(k)
	}
	return b
}

func (b *builder) bytes(p []byte) *builder {
	b.buf = resp.AppendBulk(b.buf, p)
	b.n++
	return b
}

func (b *builder) int(i int64) *builder {
	b.buf = resp.AppendBulkInt(b.buf, i)
	b.n++
	return b
}

func (b *builder) uint(u uint64) *builder {
	b.buf = resp.AppendBulkUint(b.buf, u)
	b.n++
	return b
}

func (b *builder) float(f float64) *builder {
	b.buf = resp.AppendBulkFloat(b.buf, f)
	b.n++
	return b
}

// any appends a value argument of any accepted type (see resp.AppendArg).
func (b *builder) any(v any) *builder {
	if b.err != nil {
		return b
	}
	var err error
	b.buf, err = resp.AppendArg(b.buf, int(b.n), v)
	if err != nil {
		b.err = err
		return b
	}
	b.n++
	return b
}

// ms appends d in whole milliseconds.
func (b *builder) ms(d time.Duration) *builder { return b.int(d.Milliseconds()) }

// sec appends d in whole seconds.
func (b *builder) sec(d time.Duration) *builder { return b.int(int64(d / time.Second)) }

// strIf appends s when cond holds.
func (b *builder) strIf(cond bool, s string) *builder {
	if cond {
		b.str(s)
	}
	return b
}

// fail records an argument error found by the method itself.
func (b *builder) fail(msg string) *builder {
	if b.err == nil {
		b.err = &argError{msg: msg}
	}
	return b
}

// sender is where a command goes: the client (multiplexed connections, or
// a lease for blocking ones), a Conn (its dedicated connection) or a
// pipeline (its queue).
type sender interface {
	send(ctx context.Context, cmd *messages.Command, rt route)
	closedChan() <-chan struct{}
}

// newFuture starts a command: the future with its builder ready for
// arguments after the command name (which may hold a space for container
// commands: "CLIENT LIST" becomes two arguments).
func newFuture[T any](ctx context.Context, name string, flags messages.Flags, conv func(resp.Value) (T, error)) *Future[T] {
	f := &Future[T]{ctx: ctx, conv: conv}
	f.cmd.Name = name
	f.cmd.Flags = flags
	f.b.buf = append(f.inline[:0], make([]byte, headerRoom)...)
	for i := 0; i < len(name); i++ {
		if name[i] == ' ' {
			f.b.str(name[:i]).str(name[i+1:])
			return f
		}
	}
	f.b.str(name)
	return f
}

// send finishes the encoding and hands the command to s.
func send[T any](s sender, f *Future[T]) *Future[T] {
	f.closed = s.closedChan()
	if f.b.err != nil {
		f.cmd.Fail(f.b.err)
		return f
	}
	f.cmd.Args = f.b.finish()
	s.send(f.ctx, &f.cmd, f.b.route())
	return f
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

// failed returns a future already failed with err.
func failed[T any](ctx context.Context, name string, err error) *Future[T] {
	f := &Future[T]{ctx: ctx}
	f.cmd.Name = name
	f.cmd.Fail(err)
	return f
}

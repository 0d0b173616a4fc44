package client

import (
	"context"
	"sync"
	"time"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// headerRoom is reserved in front of the arguments for the array header,
// written right-aligned once the number of arguments is known. Eight bytes
// hold the header of up to 99,999 arguments; a longer command gets its
// header in a new buffer.
const headerRoom = 8

// builder encodes a command's arguments into the command its future
// points at. Methods chain; the first error (an unsupported argument type)
// is kept and fails the command before anything is sent.
//
// The fields are laid out for size: every command allocates a future, so
// err is the argument error before the command is sent and the future's
// decoded error after its reply, and nOrState is the number of arguments
// while the command is built and the future's decoding state once it is
// sent.
type builder struct {
	// cmd is the command: a lone command's own (see single), or, for a
	// command of a pipeline's run, the pipeline's scratch command while
	// it is built and the run once it is queued.
	cmd *messages.Command
	err error
	// nOrState counts the arguments until send has finished the encoding;
	// from then on it is the future's decoding state (notDecoded,
	// decoding, isDecoded), read and written atomically.
	nOrState uint32
	// pos is 1 + the command's index in its run (0: a command of its
	// own; inRun while a run's command is built), and the noReplyOK bit.
	pos uint32
}

// The bits of builder.pos beside the index.
const (
	// noReplyOK makes ErrNoReply a success, for CLIENT REPLY OFF and SKIP
	// themselves (their conv turns the null into "OK").
	noReplyOK uint32 = 1 << 31
	// inRun marks a command built for a pipeline's run, not queued yet.
	inRun uint32 = 1<<31 - 1
)

// index returns the command's index in its run, or -1 for a command of
// its own.
func (b *builder) index() int { return int(b.pos&^noReplyOK) - 1 }

// single is a command of its own and its future in one allocation, the
// encoding inline when it fits: headerRoom bytes and 56 of arguments
// (SET of a 17-byte key and a 16-byte value, GET of a 40-byte key,
// PUBLISH of a 16-byte payload on a 13-byte channel). A Future[string]
// then costs 320 bytes, a size class of its own (see TestFutureSize).
type single[T any] struct {
	f      Future[T]
	cmd    messages.Command
	inline [headerRoom + 56]byte
}

// init points the future at its own command and the inline buffer.
func (s *single[T]) init() *Future[T] {
	s.f.b.cmd = &s.cmd
	s.cmd.Args = s.inline[:0]
	return &s.f
}

// newSingle returns a future with a command of its own.
func newSingle[T any]() *Future[T] { return new(single[T]).init() }

// start reserves headerRoom in front of the arguments.
func (b *builder) start() { b.cmd.Args = append(b.cmd.Args[:0], make([]byte, headerRoom)...) }

// route returns where the command goes: call it once Args is finished.
func (b *builder) route() route { return routeOf(b.cmd) }

// routeOf returns where cmd goes, its encoding finished: what its sender
// was handed.
func routeOf(cmd *messages.Command) route { return route{args: cmd.Args, keyArg: cmd.KeyArg} }

// firstKey makes the next argument the first key: the one that routes the
// command. No command has its first key past index 65,534; one that did
// would be routed as keyless.
func (b *builder) firstKey() {
	if b.nOrState < 1<<16-1 {
		b.cmd.KeyArg = uint16(b.nOrState + 1)
	}
}

// route is where a command goes: the hash slot of its first key, read
// from the encoding when a sender asks for it (a pipeline asks for its
// first command's only), so a future keeps 4 bytes, not the key.
type route struct {
	args   []byte // the command's complete encoding
	keyArg uint16 // 1 + the first key's argument index, 0: keyless
}

// slot returns the hash slot of the first key, or -1 for a keyless
// command.
func (r route) slot() int {
	if r.keyArg == 0 {
		return -1
	}
	return int(slotOf(messages.EncodedArg(r.args, int(r.keyArg-1))))
}

// finish writes the header and returns the complete encoding.
func (b *builder) finish() []byte {
	var tmp [24]byte
	h := resp.AppendArrayHeader(tmp[:0], int(b.nOrState))
	buf := b.cmd.Args
	if len(h) > headerRoom {
		out := make([]byte, 0, len(h)+len(buf)-headerRoom)
		return append(append(out, h...), buf[headerRoom:]...)
	}
	at := headerRoom - len(h)
	copy(buf[at:], h)
	return buf[at:]
}

func (b *builder) str(s string) *builder {
	b.cmd.Args = resp.AppendBulkString(b.cmd.Args, s)
	b.nOrState++
	return b
}

func (b *builder) key(k string) *builder {
	if b.cmd.KeyArg == 0 {
		b.firstKey()
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
	b.cmd.Args = resp.AppendBulk(b.cmd.Args, p)
	b.nOrState++
	return b
}

func (b *builder) int(i int64) *builder {
	b.cmd.Args = resp.AppendBulkInt(b.cmd.Args, i)
	b.nOrState++
	return b
}

func (b *builder) uint(u uint64) *builder {
	b.cmd.Args = resp.AppendBulkUint(b.cmd.Args, u)
	b.nOrState++
	return b
}

func (b *builder) float(f float64) *builder {
	b.cmd.Args = resp.AppendBulkFloat(b.cmd.Args, f)
	b.nOrState++
	return b
}

// any appends a value argument of any accepted type (see resp.AppendArg).
func (b *builder) any(v any) *builder {
	if b.err != nil {
		return b
	}
	var err error
	b.cmd.Args, err = resp.AppendArg(b.cmd.Args, int(b.nOrState), v)
	if err != nil {
		b.err = err
		return b
	}
	b.nOrState++
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

// newFuture starts a command about to be sent to s: the future with its
// builder ready for arguments after the command name (which may hold a
// space for container commands: "CLIENT LIST" becomes two arguments). A
// pipeline hands out its futures from slabs (see slabGet), and puts the
// commands that need nothing of their own (see runnable) in runs; s may
// be nil for a future that is never sent.
func newFuture[T any](s sender, ctx context.Context, name string, flags messages.Flags, conv func(resp.Value) (T, error)) *Future[T] {
	return makeFuture(s, ctx, name, flags, conv, runnable(flags))
}

// runnable reports whether a command of these flags may join a
// pipeline's run: it is neither blocking nor stateful, nor anything else
// the connection treats apart. A method that hooks its command's
// completion (ShutdownWith) asks for a command of its own instead.
func runnable(flags messages.Flags) bool {
	return flags&^(messages.ReadOnly|messages.Idempotent) == 0
}

// makeFuture is newFuture, with the choice of a run made by the caller.
func makeFuture[T any](s sender, ctx context.Context, name string, flags messages.Flags, conv func(resp.Value) (T, error), mayRun bool) *Future[T] {
	var f *Future[T]
	if ps, ok := s.(pipeSender); ok {
		if mayRun && ps.p.runs {
			f = runFuture[T](ps.p)
		} else {
			f = slabSingle[T](&ps.p.mu, &ps.p.slabs)
		}
	} else {
		f = newSingle[T]()
	}
	f.ctx, f.conv = ctx, conv
	f.b.cmd.Name = name
	f.b.cmd.Flags = flags
	f.b.start()
	for i := 0; i < len(name); i++ {
		if name[i] == ' ' {
			f.b.str(name[:i]).str(name[i+1:])
			return f
		}
	}
	f.b.str(name)
	return f
}

// slabSingle returns a future with a command of its own from a pipeline's
// slabs, under mu.
func slabSingle[T any](mu *sync.Mutex, fs *futureSlabs) *Future[T] {
	mu.Lock()
	s := slabGet[single[T]](fs)
	mu.Unlock()
	return s.init()
}

// send finishes the encoding and hands the command to s.
func send[T any](s sender, f *Future[T]) *Future[T] {
	f.closed = s.closedChan()
	if f.b.pos == inRun {
		s.(pipeSender).p.addToRun(&f.b)
		return f
	}
	if f.b.err != nil {
		f.b.nOrState = notDecoded
		f.b.cmd.Fail(f.b.err)
		f.b.err = nil // decode takes it from the command
		return f
	}
	f.b.cmd.Args = f.b.finish()
	f.b.nOrState = notDecoded // the count is in the header now
	s.send(f.ctx, f.b.cmd, f.b.route())
	return f
}

// failed returns a future already failed with err.
func failed[T any](ctx context.Context, name string, err error) *Future[T] {
	f := newSingle[T]()
	f.ctx = ctx
	f.b.cmd.Name = name
	f.b.cmd.Fail(err)
	return f
}

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

// builder encodes a command's arguments into its command, in the future
// that embeds it. Methods chain; the first error (an unsupported argument
// type) is kept and fails the command before anything is sent.
//
// The fields are laid out for size: every command allocates one, so the
// arguments are built in cmd.Args itself (on inline while they fit), err is
// the argument error before the command is sent and the future's decoded
// error after its reply, and nOrState is the number of arguments while the
// command is built and the future's decoding state once it is sent. A
// Future[string] is then 320 bytes, a size class of its own (see
// TestFutureSize).
type builder struct {
	cmd messages.Command
	err error
	// nOrState counts the arguments until send has finished the encoding;
	// from then on it is the future's decoding state (notDecoded,
	// decoding, isDecoded), read and written atomically.
	nOrState uint32
	// noReplyOK makes ErrNoReply a success, for CLIENT REPLY OFF and SKIP
	// themselves (their conv turns the null into "OK").
	noReplyOK bool
	// inline holds the encoded command when it fits: headerRoom bytes and
	// 67 of arguments (SET of a 28-byte key and a 16-byte value, PUBLISH of
	// a 16-byte payload on a 24-byte channel), so such a command costs one
	// allocation, the Future itself.
	inline [headerRoom + 67]byte
}

// start makes the inline buffer, with headerRoom reserved, the encoding
// buffer.
func (b *builder) start() { b.cmd.Args = append(b.inline[:0], make([]byte, headerRoom)...) }

// route returns where the command goes: call it once Args is finished.
func (b *builder) route() route { return route{args: b.cmd.Args, keyArg: b.cmd.KeyArg} }

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
	return int(slotOf(encodedArg(r.args, int(r.keyArg-1))))
}

// encodedArg returns argument k of enc, a command's RESP encoding (an
// array of bulk strings, as the builder writes it).
func encodedArg(enc []byte, k int) []byte {
	i := indexByte(enc, '\n') + 1 // past the array header
	for a := 0; i > 0 && i < len(enc) && enc[i] == '$'; a++ {
		n, j := 0, i+1
		for ; j < len(enc) && enc[j] != '\r'; j++ {
			n = n*10 + int(enc[j]-'0')
		}
		start := j + 2
		if start+n > len(enc) {
			break
		}
		if a == k {
			return enc[start : start+n]
		}
		i = start + n + 2
	}
	return nil
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

// sender is where a command goes: the client (multiplexed connections, or
// a lease for blocking ones), a Conn (its dedicated connection) or a
// pipeline (its queue).
type sender interface {
	send(ctx context.Context, cmd *messages.Command, rt route)
	closedChan() <-chan struct{}
}

// newFuture starts a command about to be sent to s: the future with its
// builder ready for arguments after the command name (which may hold a
// space for container commands: "CLIENT LIST" becomes two arguments). A
// pipeline hands out its futures from slabs (see slabFuture); s may be nil
// for a future that is never sent.
func newFuture[T any](s sender, ctx context.Context, name string, flags messages.Flags, conv func(resp.Value) (T, error)) *Future[T] {
	var f *Future[T]
	switch ps := s.(type) {
	case pipeSender:
		f = slabFuture[T](&ps.p.mu, &ps.p.slabs)
	case clusterPipeSender:
		f = slabFuture[T](&ps.p.mu, &ps.p.slabs)
	default:
		f = new(Future[T])
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

// send finishes the encoding and hands the command to s.
func send[T any](s sender, f *Future[T]) *Future[T] {
	f.closed = s.closedChan()
	if f.b.err != nil {
		f.b.nOrState = notDecoded
		f.b.cmd.Fail(f.b.err)
		f.b.err = nil // decode takes it from the command
		return f
	}
	f.b.cmd.Args = f.b.finish()
	f.b.nOrState = notDecoded // the count is in the header now
	s.send(f.ctx, &f.b.cmd, f.b.route())
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
	f.b.cmd.Name = name
	f.b.cmd.Fail(err)
	return f
}

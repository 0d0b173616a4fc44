package actors

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// wire is one open socket and the two goroutines that do its blocking I/O:
// a writer that sends whatever the connection actor queued each time the
// actor's mailbox runs empty, and a reader that decodes replies in order and
// completes the head of the in-flight FIFO. The actor, the writer and the
// reader share only the fields under mu. A wire is never reused once it has
// failed: its owner is told through onLost, exactly once.
type wire struct {
	conn   net.Conn
	cfg    *Config
	addr   string // the server this socket went to
	rd     *resp.Reader
	onLost func(w *wire, err error) // called once, from the goroutine that saw the failure
	onPush func(v resp.Value)       // RESP3 push frames that are not replies
	// retry types the replies of commands refused with a transient
	// server error and, on multiplexed connections (slot set: where they
	// are resent), retries those that are safe to repeat.
	retry    *retrier
	slot     *connSlot
	inflight *atomic.Int64 // the slot's count of commands in fifo and noReply

	mu        sync.Mutex
	out       []byte   // bytes queued and not yet handed to the writer
	segs      [][]byte // large batches: queued before out, written in place (writev)
	segBytes  int
	spare     []byte              // the writer's previous buffer, reused
	fifo      ring                // commands awaiting replies, oldest first
	unwritten int                 // entries at the tail of fifo whose bytes are still in out
	noReply   []*messages.Command // NoReply commands in out, completed once written
	blocking  int                 // Blocking commands in flight (no read deadline while > 0)
	deadline  bool                // a read deadline is set
	readBy    time.Time           // ... and when it expires
	closed    bool
	lostErr   error
	streaming bool // after MONITOR: every value goes to onPush
	// recyclePush: onPush keeps nothing of a value's Elems, so the reader
	// may decode the next value into them (the pubsub actor's router).
	recyclePush bool
	clientID    int64 // the server's id of this connection (dedicated connections only)

	writing   bool      // the writer or a direct write holds bytes taken from out
	writeBy   time.Time // the socket's write deadline (the holder of writing sets it)
	batchOut  bool      // out holds a batch (a pipeline): see writeDirect
	raw       rawConn   // the socket's descriptor, for the direct write (nil: none)
	rawWrite  func(uintptr) bool
	rawPeek   func(uintptr) bool
	direct    []byte // the direct write's bytes, its count and error
	directN   int
	directErr error
	peekN     int // the peek's count and error (under mu)
	peekErr   error

	// The sync read (see syncRead): syncWanted is set while the last
	// message queued was a Sync batch, whose last command is syncLast; the
	// reader goroutine then parks (readerParked) once nothing is in
	// flight, and the goroutine that posts the next Sync batch writes it
	// and reads its replies itself (syncReading), then hands the reading
	// back (readTurn) if anything else is due.
	syncWanted   bool
	syncLast     *messages.Command
	readerParked bool
	syncReading  bool
	readTurn     chan struct{} // capacity 1

	wake     chan struct{} // capacity 1: "out has bytes"
	stop     chan struct{} // closed by close
	lostOnce sync.Once
}

// maxRetainedBuffer caps the write buffers a wire keeps between flushes.
const maxRetainedBuffer = 1 << 20

// eagerFlushBytes wakes the writer before the mailbox runs empty once this
// much is queued, so a mailbox that never drains still writes, and the
// buffer stays bounded while the writer is busy.
const eagerFlushBytes = 256 << 10

func newWire(conn net.Conn, rd *resp.Reader, cfg *Config, addr string) *wire {
	w := &wire{
		conn:     conn,
		cfg:      cfg,
		addr:     addr,
		rd:       rd,
		inflight: new(atomic.Int64),
		wake:     make(chan struct{}, 1),
		stop:     make(chan struct{}),
		readTurn: make(chan struct{}, 1),
	}
	w.initDirect()
	return w
}

// start launches the reader and writer goroutines through goTracked; when
// the pool is closing it closes the socket instead.
func (w *wire) start(p *Pool) {
	if !p.goTracked(w.writeLoop) {
		_ = w.conn.Close()
		return
	}
	if !p.goTracked(w.readLoop) {
		w.lost(ErrClosed) // stops the writer
	}
}

// enqueue appends cmd to the write buffer and the FIFO. It reports false
// when the wire is already closed (the command was not sent).
func (w *wire) enqueue(cmd *messages.Command) bool {
	w.mu.Lock()
	if !w.admit() {
		w.mu.Unlock()
		return false
	}
	w.out = append(w.out, cmd.Args...)
	if cmd.Flags.Has(messages.NoReply) {
		w.noReply = append(w.noReply, cmd)
	} else {
		w.fifo.push(cmd)
		w.unwritten++
		if cmd.Flags.Has(messages.Blocking) {
			w.blocking++
		}
	}
	eager := len(w.out) >= eagerFlushBytes
	w.mu.Unlock()
	w.inflight.Add(1)
	if eager {
		w.flush()
	}
	return true
}

// admit reports whether the wire takes a message (it is neither closed nor
// lost, see checkParked), and forgets the last one's Sync: the caller sets
// it again for a Sync batch. Called with mu held.
func (w *wire) admit() bool {
	if w.closed || w.lostErr != nil || !w.checkParked() {
		return false
	}
	w.syncWanted, w.syncLast = false, nil
	return true
}

// batchInPlaceBytes is the size from which a batch's commands are written
// from their own buffers (writev) instead of being copied into the write
// buffer, so a large pipeline is never held twice in memory; smaller
// batches are cheaper to copy than to hand to writev piece by piece.
const batchInPlaceBytes = 1 << 20

// enqueueBatch appends every command of b with nothing in between; sync
// is the batch's Sync.
func (w *wire) enqueueBatch(cmds []*messages.Command, sync bool) bool {
	w.mu.Lock()
	if !w.admit() {
		w.mu.Unlock()
		return false
	}
	if sync && w.raw != nil && w.onPush == nil && !w.streaming {
		w.syncWanted, w.syncLast = true, cmds[len(cmds)-1]
	}
	total := 0
	for _, cmd := range cmds {
		total += len(cmd.Args)
	}
	inPlace := total >= batchInPlaceBytes
	if inPlace && len(w.out) > 0 {
		w.segs = append(w.segs, w.out)
		w.segBytes += len(w.out)
		w.out = nil
	}
	w.batchOut = w.batchOut || ((len(cmds) > 1 || cmds[0].Flags.Has(messages.Run)) && !inPlace)
	n := 0
	for _, cmd := range cmds {
		n += cmd.RunLen()
		cmd.Flags |= messages.Batched
		if inPlace {
			w.segs = append(w.segs, cmd.Args)
			w.segBytes += len(cmd.Args)
		} else {
			w.out = append(w.out, cmd.Args...)
		}
		if cmd.Flags.Has(messages.NoReply) {
			w.noReply = append(w.noReply, cmd)
			continue
		}
		w.fifo.push(cmd)
		w.unwritten++
		if cmd.Flags.Has(messages.Blocking) {
			w.blocking++
		}
	}
	eager := len(w.out)+w.segBytes >= eagerFlushBytes
	w.mu.Unlock()
	w.inflight.Add(int64(n))
	if eager {
		w.flush()
	}
	return true
}

// flush wakes the writer; called when the actor's mailbox runs empty.
func (w *wire) flush() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// pending returns the number of commands awaiting replies.
func (w *wire) pending() int {
	w.mu.Lock()
	n := w.fifo.len()
	w.mu.Unlock()
	return n
}

func (w *wire) writeLoop() {
	defer w.recoverPanic("writer", nil)
	for {
		select {
		case <-w.wake:
		case <-w.stop:
			return
		}
		// Yield once before taking the buffer: the callers the reader has
		// just woken are runnable and queue their next commands, so one
		// write carries many (on 2 cores this multiplies the commands per
		// write by 5-10 at 128 goroutines and halves CPU per command; with
		// nothing else runnable it returns at once).
		if w.cfg.FlushDelay > 0 {
			time.Sleep(w.cfg.FlushDelay)
		} else {
			runtime.Gosched()
		}
		w.mu.Lock()
		if w.writing || (len(w.out) == 0 && len(w.segs) == 0) {
			// A direct write is under way (it wakes the writer when done if
			// more was queued meanwhile), or a wake-up whose bytes an
			// earlier pass took (flush runs on an eager threshold and again
			// when the mailbox drains): keep both buffers. Swapping here
			// would drop one, and the next write would grow a new buffer
			// from nothing.
			w.mu.Unlock()
			continue
		}
		w.resumeReader()
		buf, segs, noReply := w.takeOut()
		var err error
		if len(segs) > 0 {
			bufs := net.Buffers(append(segs, buf))
			_, err = bufs.WriteTo(w.conn)
		} else {
			_, err = w.conn.Write(buf)
		}
		w.inflight.Add(-int64(len(noReply)))
		if err != nil {
			for _, cmd := range noReply {
				cmd.Fail(&ConnError{Command: cmd.Name, Addr: w.addr, Sent: true, Err: err})
			}
			w.lost(err)
			return
		}
		for _, cmd := range noReply {
			cmd.Fail(ErrNoReply)
		}
		w.wrote(buf)
	}
}

// takeOut takes everything queued for one write (the bytes, the large
// batches' segments written in place, the NoReply commands the write
// completes) and marks the wire as writing, which keeps any other write
// away until wrote. It is called with w.mu held and returns with it
// released, the read and write deadlines armed.
func (w *wire) takeOut() (buf []byte, segs [][]byte, noReply []*messages.Command) {
	buf, segs, noReply = w.out, w.segs, w.noReply
	w.out, w.spare = w.spare[:0], nil
	w.segs, w.segBytes, w.noReply = nil, 0, nil
	w.unwritten = 0
	w.writing, w.batchOut = true, false
	now := time.Now()
	w.armReadDeadline(now)
	w.mu.Unlock()
	w.refreshWriteDeadline(now)
	return buf, segs, noReply
}

// wrote ends a write that takeOut began and that wrote all of buf: buf
// becomes the spare buffer, and the writer is woken for whatever was
// queued meanwhile (a direct write holds it back while the writer writes,
// and the other way round).
func (w *wire) wrote(buf []byte) {
	w.mu.Lock()
	w.writing = false
	if cap(buf) <= maxRetainedBuffer && w.spare == nil {
		w.spare = buf[:0]
	}
	more := len(w.out) > 0 || len(w.segs) > 0
	w.mu.Unlock()
	if more {
		w.flush()
	}
}

// refreshWriteDeadline moves the socket's write deadline WriteTimeout past
// now once half of it has passed. Only the holder of writing calls it: the
// writer, or a direct write, whose system call the deadline also guards
// (an expired one fails it with a timeout).
func (w *wire) refreshWriteDeadline(now time.Time) {
	if w.writeBy.Sub(now) < w.cfg.WriteTimeout/2 {
		w.writeBy = now.Add(w.cfg.WriteTimeout)
		_ = w.conn.SetWriteDeadline(w.writeBy)
	}
}

// recoverPanic contains a panic of the goroutine it is deferred in: the
// command being completed (if any) and then every other one the wire
// carries fail with an error matching ErrConnPanic, and the connection is
// closed and reported lost, so its actor restarts. The process goes on.
func (w *wire) recoverPanic(where string, current **messages.Command) {
	r := recover()
	if r == nil {
		return
	}
	err := &connPanic{where: where}
	w.cfg.Logger.Error("actoredis: connection "+where+" panicked", "addr", w.addr, "panic", r, "stack", string(debug.Stack()))
	if current != nil && *current != nil {
		cmd := *current
		cmd.Fail(&ConnError{Command: cmd.Name, Addr: w.addr, Sent: true, Err: err})
	}
	w.lost(err)
}

// testReaderHook, when set by a test, runs in the reader goroutine after
// each reply is taken off the FIFO (to inject a panic there).
var testReaderHook atomic.Pointer[func()]

func (w *wire) readLoop() {
	var cmd *messages.Command // being completed
	defer w.recoverPanic("reader", &cmd)
	for w.awaitTurn() && w.readOne(&cmd) {
	}
}

// readOne reads one reply (or out-of-band value) and hands it on; it
// reports false once the wire is lost. *current is the command being
// completed, for a panic's report. The reader goroutine calls it, or a
// sync reader (syncRead) while the reader goroutine is parked.
func (w *wire) readOne(current **messages.Command) bool {
	for {
		v, err := w.rd.ReadValue()
		if err != nil {
			if w.idleTimeout(err) {
				continue
			}
			w.lost(err)
			return false
		}
		w.mu.Lock()
		written := w.fifo.len() - w.unwritten
		if w.streaming || v.Kind == resp.KindPush && (written <= 0 || !w.fifo.peek().Flags.Has(messages.PushReply)) {
			// Out-of-band data (pub/sub messages, invalidations): it never
			// takes a reply's place.
			w.mu.Unlock()
			if w.onPush != nil {
				w.onPush(v)
			}
			if w.recyclePush {
				w.rd.Recycle(v)
			}
			return true
		}
		if written <= 0 {
			w.mu.Unlock()
			w.lost(&resp.ProtocolError{Reason: "reply with no command waiting for it"})
			return false
		}
		if head := w.fifo.peek(); head.Flags.Has(messages.Run) {
			return !w.addToRun(head, v)
		}
		cmd := w.fifo.pop()
		*current = cmd
		if cmd.Flags.Has(messages.Blocking) {
			w.blocking--
		}
		if cmd.Flags.Has(messages.Streams) && !v.IsError() {
			w.streaming = true
			w.blocking++ // no read deadline from now on
			if w.deadline {
				_ = w.conn.SetReadDeadline(time.Time{})
				w.deadline = false
			}
		}
		w.mu.Unlock()
		w.inflight.Add(-1)
		if hook := testReaderHook.Load(); hook != nil {
			(*hook)()
		}
		if v.IsError() && w.retry != nil {
			if retried, err := w.retry.afterErrorReply(cmd, v, w.slot); retried {
				*current = nil
				return true
			} else if err != nil {
				cmd.Fail(err)
				*current = nil
				return true
			}
		}
		cmd.Complete(v, nil)
		*current = nil
		return !w.demoted(v)
	}
}

// The sync read. A caller that executes one pipeline after another waits,
// with the reader goroutine, for two goroutine hand-offs per pipeline: the
// network wakes the reader, the reader wakes the caller. When nothing else
// is in flight and the caller's batch is Sync (its context never ends), the
// reader goroutine parks instead of reading, and the caller's goroutine,
// which writes the batch directly (writeDirect), reads the replies itself:
// the network wakes the caller, and the batch costs one hand-off. At 1
// goroutine and pipelines of 10, that took a third off the client's CPU
// per SET.
//
// The reader goroutine owns the socket's reading whenever something else is
// due: the writer resumes it before writing anything (a lone command, a
// batch that is not Sync), and a sync reader hands the reading back when
// more than its batch was in flight. A parked reader does not see the
// server close an idle connection, so whoever queues on a wire whose
// reader is parked peeks at the socket first (checkParked): a closed
// connection is lost there, and the message goes to the next one, as it
// would had the reader seen the close.

// awaitTurn parks the reader goroutine while nothing is in flight and the
// last message queued was a Sync batch, until the reading is handed back
// (resumeReader). It reports false when the wire is closed meanwhile.
func (w *wire) awaitTurn() bool {
	w.mu.Lock()
	if !w.mayPark() {
		w.mu.Unlock()
		return true
	}
	w.readerParked = true
	w.mu.Unlock()
	select {
	case <-w.readTurn:
		return true
	case <-w.stop:
		return false
	}
}

// mayPark reports whether the reader goroutine may leave the reading to a
// sync reader: the last message queued was a Sync batch, nothing is in
// flight or buffered, and the wire is still up (a lost wire's reader must
// read its closed socket to end). Called with mu held, by whoever owns the
// reading (rd) at that moment.
func (w *wire) mayPark() bool {
	return w.syncWanted && w.fifo.len() == 0 && w.rd.Buffered() == 0 &&
		!w.closed && w.lostErr == nil && !w.streaming
}

// resumeReader hands the reading back to a parked reader goroutine, unless
// a sync reader has it (that one hands it back when done). Called with mu
// held.
func (w *wire) resumeReader() {
	if w.readerParked && !w.syncReading {
		w.readerParked = false
		w.readTurn <- struct{}{} // capacity 1, and one token per park
	}
}

// checkParked peeks at the socket before something is queued on a wire
// whose reader is parked, and reports false when the connection turned out
// closed (the wire is lost: the caller queues elsewhere). Data the server
// sent meanwhile (an error, a push) is for the reader goroutine: it is
// resumed. Called with mu held.
func (w *wire) checkParked() bool {
	if !w.readerParked || w.syncReading {
		return true
	}
	pending, err := w.peek()
	if err != nil {
		w.mu.Unlock()
		w.lost(err)
		w.mu.Lock()
		return false
	}
	if pending {
		w.resumeReader()
	}
	return true
}

// syncRead reads replies on the calling goroutine, which has just written
// the batch whose last command is last, until that command is complete
// (or the wire lost), then hands the reading back if needed.
func (w *wire) syncRead(last *messages.Command) {
	defer w.endSyncRead()
	var cmd *messages.Command // being completed
	defer w.recoverPanic("reader", &cmd)
	for !last.IsDone() && w.readOne(&cmd) {
	}
}

// endSyncRead ends a sync read: the reader goroutine takes the reading
// back when anything is still due (or the wire is gone, to end), else it
// stays parked for the next Sync batch.
func (w *wire) endSyncRead() {
	w.mu.Lock()
	w.syncReading = false
	if !w.mayPark() {
		w.resumeReader()
	}
	w.mu.Unlock()
}

// addToRun gives v to run, the command at the head of the FIFO, and takes
// the run off the FIFO and completes it with its last reply. It is called
// with mu held and releases it. A transient error reply is marked (its Int
// is the one attempt made: a run is never retried), so that its command's
// future reports a TransientError as a lone command's would. It reports
// whether the wire was lost (a demoted primary).
func (w *wire) addToRun(run *messages.Command, v resp.Value) (lost bool) {
	if v.IsError() && w.retry != nil && w.retry.transient((&resp.Error{Message: v.Str}).Prefix()) {
		v.Int = 1
	}
	last := run.AddReply(v)
	if last {
		w.fifo.pop()
	}
	w.mu.Unlock()
	if last {
		w.inflight.Add(-int64(run.RunLen()))
		run.CompleteRun()
	}
	return w.demoted(v)
}

// demoted reports whether reply v says the server is no longer the primary
// this wire wants (a READONLY error): the wire is lost then, and dialled
// again through Resolve.
func (w *wire) demoted(v resp.Value) bool {
	if v.IsError() && w.cfg.Role == roleMaster && isReadOnly(v) {
		w.lost(&RoleError{Addr: w.addr, Want: roleMaster, Got: roleSlave})
		return true
	}
	return false
}

// armReadDeadline keeps a read deadline of ReadTimeout+WriteTimeout after
// the latest write, so a server that stops answering is detected; it is
// refreshed only once half of it has passed (setting it costs more than a
// write of a few commands), and lifted while a blocking command is in
// flight. Called with mu held.
func (w *wire) armReadDeadline(now time.Time) {
	if w.blocking > 0 {
		if w.deadline {
			_ = w.conn.SetReadDeadline(time.Time{})
			w.deadline = false
		}
		return
	}
	window := w.cfg.ReadTimeout + w.cfg.WriteTimeout
	if !w.deadline || w.readBy.Sub(now) < window/2 {
		w.readBy = now.Add(window)
		_ = w.conn.SetReadDeadline(w.readBy)
		w.deadline = true
	}
}

// idleTimeout reports whether err is a read deadline that passed while no
// reply was due (the deadline outlived the last reply): then the deadline
// is lifted and reading goes on. A timeout with replies due is a failure.
func (w *wire) idleTimeout(err error) bool {
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fifo.len()-w.unwritten > 0 || w.closed {
		return false
	}
	_ = w.conn.SetReadDeadline(time.Time{})
	w.deadline = false
	return true
}

// lost reports the first failure to the owner; later ones are ignored.
func (w *wire) lost(err error) {
	w.lostOnce.Do(func() {
		w.mu.Lock()
		w.lostErr = err
		w.mu.Unlock()
		_ = w.conn.Close() // unblocks the other goroutines
		w.mu.Lock()
		w.resumeReader() // a parked reader reads the closed socket and ends
		w.mu.Unlock()
		if w.onLost != nil {
			w.onLost(w, err)
		}
	})
}

// close shuts the wire and fails every command it still holds: those whose
// bytes went to the writer with Sent true, the others with Sent false.
// When keep is set, it is offered each command first, oldest first, and a
// command it takes (to retry it) is not failed.
func (w *wire) close(cause error, keep func(cmd *messages.Command, sent bool) bool) {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	w.closed = true
	n := w.fifo.len()
	cmds := make([]*messages.Command, 0, n+len(w.noReply))
	for w.fifo.len() > 0 {
		cmds = append(cmds, w.fifo.pop())
	}
	unsentFrom := n - w.unwritten
	cmds = append(cmds, w.noReply...)
	w.noReply = nil
	w.out = nil
	w.mu.Unlock()
	n = 0
	for _, cmd := range cmds {
		n += cmd.RunLen()
	}
	w.inflight.Add(-int64(n))
	close(w.stop)
	_ = w.conn.Close()
	addr := w.addr
	for i, cmd := range cmds {
		sent := i < unsentFrom
		if keep != nil && keep(cmd, sent) {
			continue
		}
		cmd.Fail(&ConnError{Command: cmd.Name, Addr: addr, Sent: sent || cmd.Retry.Sent, Err: cause})
	}
}

// ring is a growable FIFO of commands.
type ring struct {
	buf        []*messages.Command
	head, size int
}

func (r *ring) len() int { return r.size }

func (r *ring) push(c *messages.Command) {
	if r.size == len(r.buf) {
		n := max(16, 2*len(r.buf))
		nb := make([]*messages.Command, n)
		for i := 0; i < r.size; i++ {
			nb[i] = r.buf[(r.head+i)%len(r.buf)]
		}
		r.buf, r.head = nb, 0
	}
	r.buf[(r.head+r.size)%len(r.buf)] = c
	r.size++
}

func (r *ring) peek() *messages.Command {
	if r.size == 0 {
		return nil
	}
	return r.buf[r.head]
}

func (r *ring) pop() *messages.Command {
	if r.size == 0 {
		return nil
	}
	c := r.buf[r.head]
	r.buf[r.head] = nil
	r.head = (r.head + 1) % len(r.buf)
	r.size--
	return c
}

// dialWire opens a socket to cfg.Addr (or where cfg.Resolve says) and
// performs the handshake: HELLO (falling back to RESP2 when the server
// refuses it), AUTH, CLIENT SETNAME, SELECT and, with cfg.Role, ROLE. It
// returns the wire, not yet started, and the protocol agreed.
func dialWire(ctx context.Context, cfg *Config, wantID bool) (*wire, int, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.DialTimeout)
	defer cancel()
	network, addr := cfg.Network, cfg.Addr
	var conn net.Conn
	var err error
	if cfg.Resolve != nil {
		if network, addr, err = cfg.Resolve(ctx); err != nil {
			return nil, 0, err
		}
	}
	if cfg.Dialer != nil {
		conn, err = cfg.Dialer(ctx, network, addr)
	} else {
		var d net.Dialer
		conn, err = d.DialContext(ctx, network, addr)
	}
	if err != nil {
		return nil, 0, err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	if cfg.TLSConfig != nil {
		tc := cfg.TLSConfig.Clone()
		if tc.ServerName == "" && !tc.InsecureSkipVerify {
			if host, _, e := net.SplitHostPort(addr); e == nil {
				tc.ServerName = host
			}
		}
		tconn := tls.Client(conn, tc)
		if err := tconn.HandshakeContext(ctx); err != nil {
			_ = conn.Close()
			return nil, 0, err
		}
		conn = tconn
	}
	rd := resp.NewReader(conn, cfg.Limits)
	proto, id, err := handshake(conn, rd, cfg, wantID)
	if err == nil && cfg.Role != "" {
		err = checkRole(conn, rd, cfg.Role, addr)
	}
	if err != nil {
		_ = conn.Close()
		return nil, 0, err
	}
	_ = conn.SetDeadline(time.Time{})
	w := newWire(conn, rd, cfg, addr)
	w.clientID = id
	return w, proto, nil
}

// HandshakeError is a refusal by the server during the connection
// handshake (wrong password, unknown database, ...).
type HandshakeError struct {
	Step string // "HELLO", "AUTH", "SELECT", "CLIENT SETNAME"
	Err  error
}

func (e *HandshakeError) Error() string {
	return "actoredis: handshake " + e.Step + " failed: " + e.Err.Error()
}

func (e *HandshakeError) Unwrap() error { return e.Err }

func handshake(conn net.Conn, rd *resp.Reader, cfg *Config, wantID bool) (int, int64, error) {
	call := func(step string, args ...string) (resp.Value, error) {
		v, err := roundTrip(conn, rd, args...)
		if err != nil {
			return v, err
		}
		if e := v.Err(); e != nil {
			return v, &HandshakeError{Step: step, Err: e}
		}
		return v, nil
	}
	proto := 2
	authed, named := false, false
	if cfg.Protocol == 3 {
		args := []string{"HELLO", "3"}
		if cfg.Password != "" {
			user := cfg.Username
			if user == "" {
				user = "default"
			}
			args = append(args, "AUTH", user, cfg.Password)
		}
		if cfg.ClientName != "" {
			args = append(args, "SETNAME", cfg.ClientName)
		}
		_, err := call("HELLO", args...)
		var se *resp.Error
		switch {
		case err == nil:
			proto, authed, named = 3, true, true
		case errors.As(err, &se) && (se.Prefix() == "NOPROTO" || se.Prefix() == "ERR" && isUnknownCommand(se.Message)):
			// RESP2 only: fall through to AUTH and CLIENT SETNAME.
		default:
			return 0, 0, err
		}
	}
	if !authed && cfg.Password != "" {
		args := []string{"AUTH", cfg.Password}
		if cfg.Username != "" {
			args = []string{"AUTH", cfg.Username, cfg.Password}
		}
		if _, err := call("AUTH", args...); err != nil {
			return 0, 0, err
		}
	}
	if !named && cfg.ClientName != "" {
		if _, err := call("CLIENT SETNAME", "CLIENT", "SETNAME", cfg.ClientName); err != nil {
			return 0, 0, err
		}
	}
	if cfg.DB != 0 {
		if _, err := call("SELECT", "SELECT", strconv.Itoa(cfg.DB)); err != nil {
			return 0, 0, err
		}
	}
	if cfg.ReadOnlyConn {
		if _, err := call("READONLY", "READONLY"); err != nil {
			return 0, 0, err
		}
	}
	var id int64
	if wantID {
		// Only used to unblock a cancelled blocking command; a server that
		// refuses it now (BUSY running a script) still gives a usable
		// connection.
		v, err := call("CLIENT ID", "CLIENT", "ID")
		var se *resp.Error
		switch {
		case err == nil:
			id = v.Int
		case !errors.As(err, &se):
			return 0, 0, err
		}
	}
	return proto, id, nil
}

// roundTrip writes one command on a connection that carries nothing else
// and reads its reply (an error reply is a value, not an error).
func roundTrip(conn net.Conn, rd *resp.Reader, args ...string) (resp.Value, error) {
	b := resp.AppendArrayHeader(nil, len(args))
	for _, a := range args {
		b = resp.AppendBulkString(b, a)
	}
	if _, err := conn.Write(b); err != nil {
		return resp.Value{}, err
	}
	return rd.ReadValue()
}

func isUnknownCommand(msg string) bool {
	return len(msg) >= 19 && msg[:19] == "ERR unknown command"
}

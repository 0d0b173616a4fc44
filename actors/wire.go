package actors

import (
	"net"
	"runtime/debug"
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

	writer    writerState // who holds bytes taken from out, if anyone
	writeBy   time.Time   // the socket's write deadline (set by the writer state's holder)
	batchOut  bool        // out holds a batch (a pipeline): see writeDirect
	raw       rawConn     // the socket's descriptor, for the direct write (nil: none)
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
	// and reads its replies itself (readerSyncReading), then hands the
	// reading back (readTurn) if anything else is due.
	syncWanted bool
	syncLast   *messages.Command
	reader     readerState
	readTurn   chan struct{} // capacity 1

	wake     chan struct{} // capacity 1: "out has bytes"
	stop     chan struct{} // closed by close
	lostOnce sync.Once
}

// rawConn is the part of syscall.RawConn the direct write and the peek
// use.
type rawConn interface {
	Read(f func(fd uintptr) (done bool)) error
	Write(f func(fd uintptr) (done bool)) error
}

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

// pending returns the number of commands awaiting replies.
func (w *wire) pending() int {
	w.mu.Lock()
	n := w.fifo.len()
	w.mu.Unlock()
	return n
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

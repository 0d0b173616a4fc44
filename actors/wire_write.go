package actors

import (
	"net"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/actoredis/actoredis/messages"
)

// maxRetainedBuffer caps the write buffers a wire keeps between flushes.
const maxRetainedBuffer = 1 << 20

// writerState is who holds the bytes taken from out (takeOut) until they
// are written (wrote): nobody, the writer goroutine or a direct write.
// While one holds them no other write starts, so writes never interleave.
// Under mu.
type writerState uint8

const (
	writerIdle      writerState = iota // nothing taken: the next write may start
	writerGoroutine                    // the writer goroutine (writeLoop) writes
	writerDirect                       // a direct write (writeDirect) writes
)

func (s writerState) String() string {
	switch s {
	case writerIdle:
		return "idle"
	case writerGoroutine:
		return "goroutine"
	case writerDirect:
		return "direct"
	}
	return "writerState(" + itoa(int(s)) + ")"
}

// flush wakes the writer goroutine, without blocking, for bytes that
// should leave now: a mailbox ran empty (flushIdle), eagerFlushBytes are
// queued, an actor queued outside its connection's mailbox drain, or
// bytes were queued during a write.
func (w *wire) flush() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// writeLoop is the writer goroutine: each time flush wakes it, it takes
// everything queued (takeOut) and writes it in one write, the large
// batches' segments in place (writev).
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
		if w.writer != writerIdle || (len(w.out) == 0 && len(w.segs) == 0) {
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
		buf, segs, noReply := w.takeOut(writerGoroutine)
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
// completes) and sets the writer state to by, which keeps any other write
// away until wrote. It is called with w.mu held and returns with it
// released, the read and write deadlines armed.
func (w *wire) takeOut(by writerState) (buf []byte, segs [][]byte, noReply []*messages.Command) {
	buf, segs, noReply = w.out, w.segs, w.noReply
	w.out, w.spare = w.spare[:0], nil
	w.segs, w.segBytes, w.noReply = nil, 0, nil
	w.unwritten = 0
	w.writer, w.batchOut = by, false
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
	w.writer = writerIdle
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
// now once half of it has passed. Only the writer state's holder calls it:
// the writer goroutine, or a direct write, whose system call the deadline also guards
// (an expired one fails it with a timeout).
func (w *wire) refreshWriteDeadline(now time.Time) {
	if w.writeBy.Sub(now) < w.cfg.WriteTimeout/2 {
		w.writeBy = now.Add(w.cfg.WriteTimeout)
		_ = w.conn.SetWriteDeadline(w.writeBy)
	}
}

// The direct write: when a connection is idle (nothing in flight, the
// writer asleep) and a batch (a pipeline) is queued, the goroutine that
// ran the connection actor's mailbox writes the queued bytes itself with
// one non-blocking write system call, instead of waking the writer
// goroutine: a caller that executes one pipeline after another crosses
// one goroutine hand-off fewer per pipeline. Nothing blocks: the write is
// attempted once on the socket's file descriptor, and whatever the kernel
// does not take at once goes to the writer goroutine as usual.
//
// Lone commands wait for the writer: it yields before taking the buffer,
// so the callers the reader has just woken queue their next commands
// into the same write. Writing a lone command directly saved one hand-off
// at 1 goroutine (3% more GETs per second) but cost 15% more CPU per SET
// at 16 goroutines, where a connection goes idle between rounds of
// replies and each direct write then carried one command.

// flushOnEmpty returns the function a connection actor's mailbox calls
// when it runs empty (its onEmpty): it flushes the current wire, if any,
// with flushIdle. inline tells that it runs on the goroutine that posted.
func flushOnEmpty(current *atomic.Pointer[wire]) func(inline bool) {
	return func(inline bool) {
		if w := current.Load(); w != nil {
			w.flushIdle(inline)
		}
	}
}

// flushIdle is flush for a mailbox that has run empty: it writes at once
// when the connection is idle and a pipeline is queued (see writeDirect),
// else it wakes the writer. inline tells that it runs on the goroutine
// that posted the pipeline, which may then read the replies (syncRead).
func (w *wire) flushIdle(inline bool) {
	if w.raw == nil || !w.writeDirect(inline) {
		w.flush()
	}
}

// writeDirect writes the queued bytes on the calling goroutine when the
// connection is idle, and reports whether it did (a remainder the kernel
// did not take is handed to the writer). When inline (the goroutine is the
// one that posted) and the reader goroutine is parked for a Sync batch, it
// then reads that batch's replies too (syncRead).
func (w *wire) writeDirect(inline bool) bool {
	w.mu.Lock()
	if w.closed || w.writer != writerIdle || !w.batchOut || len(w.out) == 0 || len(w.segs) > 0 || len(w.noReply) > 0 ||
		w.fifo.len() != w.unwritten {
		w.mu.Unlock()
		return false
	}
	var last *messages.Command // the Sync batch this goroutine reads
	if inline && w.syncWanted && w.reader == readerParked {
		last, w.reader = w.syncLast, readerSyncReading
	} else {
		w.resumeReader()
	}
	buf, _, _ := w.takeOut(writerDirect) // neither segments nor NoReply commands: see above
	if last != nil {
		defer w.syncRead(last)
	}
	n, err := w.directWrite(buf)
	if err != nil {
		w.mu.Lock()
		w.writer = writerIdle
		w.mu.Unlock()
		w.lost(err)
		return true
	}
	if n == len(buf) {
		w.wrote(buf)
		return true
	}
	// The kernel's buffer is full: the rest goes first, by the writer.
	w.mu.Lock()
	w.writer = writerIdle
	rest := append(make([]byte, 0, len(buf)-n+len(w.out)), buf[n:]...)
	w.out = append(rest, w.out...)
	w.mu.Unlock()
	w.flush()
	return true
}

package actors

import (
	"errors"
	"net"
	"sync/atomic"
	"time"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// testReaderHook, when set by a test, runs in the reader goroutine after
// each reply is taken off the FIFO (to inject a panic there).
var testReaderHook atomic.Pointer[func()]

// readLoop is the reader goroutine: it reads replies (readOne) until the
// wire is lost, parked meanwhile whenever a sync read may take its turn
// (awaitTurn).
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
			return !w.addRunReply(head, v)
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

// readerState is who reads the socket (w.rd), under mu. The reader
// goroutine reads (readerReading) until it parks for the sync read
// (awaitTurn: readerParked); a parked reader is handed the reading back
// by resumeReader, or lends it to one sync read at a time (writeDirect:
// readerSyncReading; endSyncRead: readerParked again).
type readerState uint8

const (
	readerReading     readerState = iota // the reader goroutine reads
	readerParked                         // nobody reads: the reader goroutine waits for readTurn
	readerSyncReading                    // a sync reader reads; the reader goroutine still waits
)

func (s readerState) String() string {
	switch s {
	case readerReading:
		return "reading"
	case readerParked:
		return "parked"
	case readerSyncReading:
		return "sync reading"
	}
	return "readerState(" + itoa(int(s)) + ")"
}

// awaitTurn parks the reader goroutine while nothing is in flight and the
// last message queued was a Sync batch, until the reading is handed back
// (resumeReader). It reports false when the wire is closed meanwhile.
func (w *wire) awaitTurn() bool {
	w.mu.Lock()
	if !w.mayPark() {
		w.mu.Unlock()
		return true
	}
	w.reader = readerParked
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
	if w.reader == readerParked {
		w.reader = readerReading
		w.readTurn <- struct{}{} // capacity 1, and one token per park
	}
}

// checkParked peeks at the socket before something is queued on a wire
// whose reader is parked, and reports false when the connection turned out
// closed (the wire is lost: the caller queues elsewhere). Data the server
// sent meanwhile (an error, a push) is for the reader goroutine: it is
// resumed. Called with mu held.
func (w *wire) checkParked() bool {
	if w.reader != readerParked {
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
	w.reader = readerParked
	if !w.mayPark() {
		w.resumeReader()
	}
	w.mu.Unlock()
}

// addRunReply gives v to run, the command at the head of the FIFO, and
// takes the run off the FIFO and completes it with its last reply. It is
// called with mu held and releases it. A transient error reply is marked
// (its Int is the one attempt made: a run is never retried), so that its
// command's future reports a TransientError as a lone command's would. It
// reports whether the wire was lost (a demoted primary).
func (w *wire) addRunReply(run *messages.Command, v resp.Value) (lost bool) {
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

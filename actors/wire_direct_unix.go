//go:build unix

package actors

import (
	"io"
	"syscall"

	"github.com/actoredis/actoredis/messages"
)

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

// initDirect enables the direct write on plain TCP and unix sockets (not
// TLS, and not connections wrapped by a custom Dialer), unless FlushDelay
// asks the writer to wait for more commands.
func (w *wire) initDirect() {
	if w.cfg.FlushDelay > 0 {
		return
	}
	sc, ok := w.conn.(syscall.Conn)
	if !ok {
		return
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return
	}
	w.raw = raw
	w.rawWrite = w.writeOnce // one method value for the wire's life
	w.rawPeek = w.peekOnce
}

// writeDirect writes the queued bytes on the calling goroutine when the
// connection is idle, and reports whether it did (a remainder the kernel
// did not take is handed to the writer). When inline (the goroutine is the
// one that posted) and the reader goroutine is parked for a Sync batch, it
// then reads that batch's replies too (syncRead).
func (w *wire) writeDirect(inline bool) bool {
	w.mu.Lock()
	if w.closed || w.writing || !w.batchOut || len(w.out) == 0 || len(w.segs) > 0 || len(w.noReply) > 0 ||
		w.fifo.len() != w.unwritten {
		w.mu.Unlock()
		return false
	}
	var last *messages.Command // the Sync batch this goroutine reads
	if inline && w.syncWanted && w.readerParked && !w.syncReading {
		last, w.syncReading = w.syncLast, true
	} else {
		w.resumeReader()
	}
	buf, _, _ := w.takeOut() // neither segments nor NoReply commands: see above
	if last != nil {
		defer w.syncRead(last)
	}

	w.direct = buf
	err := w.raw.Write(w.rawWrite)
	n, werr := w.directN, w.directErr
	w.direct, w.directErr = nil, nil
	if err == nil {
		err = werr
	}
	if err != nil {
		w.mu.Lock()
		w.writing = false
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
	w.writing = false
	rest := append(make([]byte, 0, len(buf)-n+len(w.out)), buf[n:]...)
	w.out = append(rest, w.out...)
	w.mu.Unlock()
	w.flush()
	return true
}

// peek tells whether the server has sent anything (pending) or closed the
// connection (err), without blocking and without taking any byte.
func (w *wire) peek() (pending bool, err error) {
	if rerr := w.raw.Read(w.rawPeek); rerr != nil {
		return false, rerr
	}
	n, err := w.peekN, w.peekErr
	w.peekN, w.peekErr = 0, nil
	switch {
	case err == syscall.EAGAIN || err == syscall.EINTR:
		return false, nil
	case err != nil:
		return false, err
	case n == 0:
		return false, io.EOF
	}
	return true, nil
}

// peekOnce is peek's one system call, run by RawConn.Read with mu held.
func (w *wire) peekOnce(fd uintptr) bool {
	var b [1]byte
	w.peekN, _, w.peekErr = syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	return true
}

// writeOnce is the direct write's one system call, run by RawConn.Write;
// it never asks to wait for the socket to become writable.
func (w *wire) writeOnce(fd uintptr) bool {
	n, err := syscall.Write(int(fd), w.direct)
	switch {
	case err == syscall.EAGAIN || err == syscall.EINTR:
		n, err = 0, nil
	case n < 0:
		n = 0
	}
	w.directN, w.directErr = n, err
	return true
}

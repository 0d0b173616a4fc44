//go:build unix

package actors

import (
	"io"
	"syscall"
)

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

// directWrite is the direct write's one non-blocking system call: it
// returns how much of buf the kernel took at once.
func (w *wire) directWrite(buf []byte) (int, error) {
	w.direct = buf
	err := w.raw.Write(w.rawWrite)
	n, werr := w.directN, w.directErr
	w.direct, w.directErr = nil, nil
	if err == nil {
		err = werr
	}
	return n, err
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

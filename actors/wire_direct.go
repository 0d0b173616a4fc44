package actors

// rawWriter is the part of syscall.RawConn the direct write uses.
type rawWriter interface {
	Write(f func(fd uintptr) (done bool)) error
}

// flushIdle is flush for a mailbox that has run empty: it writes at once
// when the connection is idle and a pipeline is queued (see writeDirect),
// else it wakes the writer.
func (w *wire) flushIdle() {
	if w.raw == nil || !w.writeDirect() {
		w.flush()
	}
}

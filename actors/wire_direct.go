package actors

// rawConn is the part of syscall.RawConn the direct write and the peek
// use.
type rawConn interface {
	Read(f func(fd uintptr) (done bool)) error
	Write(f func(fd uintptr) (done bool)) error
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

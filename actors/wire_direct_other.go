//go:build !unix

package actors

// Without unix system calls there is no direct write: the writer
// goroutine writes everything.

func (w *wire) initDirect() {}

func (w *wire) writeDirect(bool) bool { return false }

func (w *wire) peek() (pending bool, err error) { return true, nil }

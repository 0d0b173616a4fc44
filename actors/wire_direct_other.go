//go:build !unix

package actors

// Without unix system calls there is no direct write (raw stays nil): the
// writer goroutine writes everything.

func (w *wire) initDirect() {}

func (w *wire) directWrite([]byte) (int, error) { return 0, nil }

func (w *wire) peek() (pending bool, err error) { return true, nil }

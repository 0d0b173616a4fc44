//go:build !linux

package redistest

import (
	"os"
	"syscall"
)

// childAttr sets nothing outside Linux: a test binary that dies without
// running its cleanups may leave its redis-server behind.
func childAttr() *syscall.SysProcAttr { return nil }

// processGone cannot tell an exited, unreaped child from a running one
// outside Linux without reaping it, so it reports a child as running until
// it has been reaped; a server that exits early is then noticed only when
// the wait for PONG times out.
func processGone(p *os.Process) bool { return false }

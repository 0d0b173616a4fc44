//go:build linux

package redistest

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// childAttr makes the kernel kill the server when the test binary dies
// without running its cleanups (a test timeout's panic, a kill -9), so no
// redis-server outlives the tests. The signal follows the thread that
// started the child; Go keeps its threads alive unless a goroutine exits
// while locked to one, which the harness never does.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// processGone reports whether the child has exited, without reaping it:
// it reads the state in /proc/<pid>/stat, where Z (zombie) and X (dead)
// mean it has.
func processGone(p *os.Process) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.Pid) + "/stat")
	if err != nil {
		return true
	}
	// The state follows the command name, which is in parentheses and may
	// itself hold spaces or parentheses.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return false
	}
	state := s[i+2]
	return state == 'Z' || state == 'X'
}

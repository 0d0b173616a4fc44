package redistest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// logName is the server's log file inside its directory. Launches append to
// it, so it tells the whole story of a server that was restarted.
const logName = "redis.log"

// process runs redis-server as a non-daemonized child of the test binary.
// Its stdout and stderr (the log, as no --logfile is given, and any early
// configuration error) go to dir/redis.log.
type process struct {
	bin   string
	dir   string
	extra []string
	// conf, when set, is a configuration file given first on the command
	// line, followed by --sentinel: the process is a Sentinel.
	conf string

	cmd    *exec.Cmd // the last launch; nil before the first
	reaped bool      // cmd.Wait has returned
	argv   []string
}

func newProcess(bin, dir string, extra []string) *process {
	return &process{bin: bin, dir: dir, extra: extra}
}

func (p *process) logPath() string { return filepath.Join(p.dir, logName) }

func (p *process) launch(port int) error {
	p.argv = append([]string{
		"--port", strconv.Itoa(port),
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--enable-debug-command", "local",
		"--dir", p.dir,
	}, p.extra...)
	if p.conf != "" {
		p.argv = append([]string{p.conf, "--sentinel"}, p.argv...)
	}
	log, err := os.OpenFile(p.logPath(), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("redistest: opening the server log: %w", err)
	}
	// The child has its own copy of the descriptor; ours is closed at once.
	defer log.Close()
	fmt.Fprintf(log, "### redistest %s: %s %s\n", time.Now().Format(time.RFC3339Nano), p.bin, quoteArgs(p.argv))
	cmd := exec.Command(p.bin, p.argv...)
	cmd.Dir = p.dir
	cmd.Stdout = log
	cmd.Stderr = log
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("redistest: starting %s: %w", p.bin, err)
	}
	p.cmd, p.reaped = cmd, false
	return nil
}

func (p *process) exited() bool {
	if p.cmd == nil || p.reaped {
		return true
	}
	return processGone(p.cmd.Process)
}

func (p *process) kill() error {
	if p.cmd == nil || p.reaped {
		return nil
	}
	if err := p.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("kill pid %d: %w", p.cmd.Process.Pid, err)
	}
	p.wait()
	return nil
}

func (p *process) terminate(grace time.Duration) error {
	if p.cmd == nil || p.reaped {
		return nil
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("SIGTERM pid %d: %w", p.cmd.Process.Pid, err)
	}
	done := make(chan struct{})
	go func() {
		p.wait()
		close(done)
	}()
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-done:
		return nil
	case <-timer.C:
		_ = p.cmd.Process.Kill()
		<-done
		return fmt.Errorf("pid %d ignored SIGTERM for %v and was killed", p.cmd.Process.Pid, grace)
	}
}

// wait reaps the child. Its exit status is of no interest: a server we
// killed or terminated exits with a signal or status 0 alike.
func (p *process) wait() {
	_ = p.cmd.Wait()
	p.reaped = true
}

// owns compares the pid in INFO server with the child's. Without INFO (the
// server wants credentials the harness lacks) it cannot tell and says yes.
func (p *process) owns(info map[string]string) bool {
	if info == nil {
		return true
	}
	return p.cmd != nil && info["process_id"] == strconv.Itoa(p.cmd.Process.Pid)
}

func (p *process) release() error { return p.kill() }

func (p *process) logTail(n int) string {
	f, err := os.Open(p.logPath())
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	defer f.Close()
	const window = 16 << 10
	if st, err := f.Stat(); err == nil && st.Size() > window {
		_, _ = f.Seek(st.Size()-window, io.SeekStart)
	}
	b, _ := io.ReadAll(f)
	return lastLines(string(b), n)
}

func (p *process) args() []string { return p.argv }

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// portTakenLog reports whether a server log says it could not listen.
func portTakenLog(log string) bool {
	return strings.Contains(log, "Address already in use") ||
		strings.Contains(log, "port is already allocated")
}

// quoteArgs renders arguments for the log, showing empty ones as "" and
// hiding passwords.
func quoteArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		switch {
		case i > 0 && secretFlag(args[i-1]):
			a = "<redacted>"
		case a == "" || strings.ContainsAny(a, " \t\""):
			a = strconv.Quote(a)
		}
		q[i] = a
	}
	return strings.Join(q, " ")
}

// secretFlag reports whether the argument after flag is a password.
func secretFlag(flag string) bool {
	switch strings.ToLower(flag) {
	case "--requirepass", "--masterauth", "--tls-key-file-pass", "--tls-client-key-file-pass":
		return true
	}
	return false
}

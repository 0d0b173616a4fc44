//go:build integration

package redistest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// These tests need a real redis-server on PATH (make test installs it).

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func mustDo(t *testing.T, s *Server, args ...string) any {
	t.Helper()
	v, err := s.Do(args...)
	if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return v
}

// refused reports whether nothing accepts connections on addr.
func refused(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return errors.Is(err, syscall.ECONNREFUSED)
	}
	c.Close()
	return false
}

// pidGone reports whether pid no longer exists, not even as a zombie.
func pidGone(pid int) bool {
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return errors.Is(err, os.ErrNotExist)
}

func serverPID(t *testing.T, s *Server) int {
	t.Helper()
	info, err := s.Info("server")
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(info["process_id"])
	if err != nil {
		t.Fatalf("INFO server process_id %q: %v", info["process_id"], err)
	}
	return pid
}

func TestStartAnswersPing(t *testing.T) {
	s := Start(t)
	if got := mustDo(t, s, "PING"); got != "PONG" {
		t.Fatalf("PING = %v", got)
	}
	if s.Kind() != KindProcess {
		t.Fatalf("Kind = %v, want process (redis-server is on PATH)", s.Kind())
	}
	if !s.Running() {
		t.Fatal("Running = false for a started server")
	}
	if want := "127.0.0.1:" + strconv.Itoa(s.Port()); s.Addr() != want {
		t.Fatalf("Addr = %q, want %q", s.Addr(), want)
	}
	args := strings.Join(s.Args(), " ")
	for _, want := range []string{"--port " + strconv.Itoa(s.Port()), "--bind 127.0.0.1", "--appendonly no", "--enable-debug-command local", "--dir " + s.Dir()} {
		if !strings.Contains(args, want) {
			t.Errorf("Args %q lack %q", args, want)
		}
	}
	// --save "" took effect, and DEBUG is allowed from loopback.
	cfg := mustDo(t, s, "CONFIG", "GET", "save")
	if !slices.Equal(cfg.([]any), []any{"save", ""}) {
		t.Errorf("CONFIG GET save = %v", cfg)
	}
	mustDo(t, s, "DEBUG", "SLEEP", "0")
	if _, err := os.Stat(s.Dir() + "/" + logName); err != nil {
		t.Errorf("no log file: %v", err)
	}
}

func TestKill9MakesItUnreachable(t *testing.T) {
	s := Start(t)
	pid := serverPID(t, s)
	s.Kill9()
	if !refused(s.Addr()) {
		t.Fatalf("%s still accepts connections after Kill9", s.Addr())
	}
	if !pidGone(pid) {
		t.Fatalf("pid %d still exists after Kill9 (not reaped?)", pid)
	}
	if s.Running() {
		t.Fatal("Running = true after Kill9")
	}
	s.Kill9() // a second kill is harmless
}

func TestRestartOnTheSamePort(t *testing.T) {
	s := Start(t)
	port, pid := s.Port(), serverPID(t, s)
	mustDo(t, s, "SET", "k", "v")
	s.Kill9()
	s.Restart()
	if s.Port() != port {
		t.Fatalf("Port changed from %d to %d", port, s.Port())
	}
	if got := mustDo(t, s, "PING"); got != "PONG" {
		t.Fatalf("PING after Restart = %v", got)
	}
	if newPID := serverPID(t, s); newPID == pid {
		t.Fatalf("same pid %d after Kill9 and Restart", pid)
	}
	if got := mustDo(t, s, "GET", "k"); got != nil {
		t.Fatalf("GET k after a restart without persistence = %v, want nil", got)
	}
	// Restart of a running server stops it first.
	pid = serverPID(t, s)
	s.Restart()
	if !pidGone(pid) {
		t.Fatalf("old pid %d still exists after Restart of a running server", pid)
	}
	mustDo(t, s, "PING")
}

func TestShutdownThenRestart(t *testing.T) {
	s := Start(t)
	pid := serverPID(t, s)
	s.Shutdown()
	if !refused(s.Addr()) || !pidGone(pid) || s.Running() {
		t.Fatalf("server still there after Shutdown")
	}
	s.Restart()
	mustDo(t, s, "PING")
}

func TestServerThatExitsByItselfIsNoticed(t *testing.T) {
	s := Start(t)
	if _, err := s.Do("SHUTDOWN", "NOSAVE"); err == nil {
		t.Fatal("SHUTDOWN NOSAVE returned a reply")
	}
	deadline := time.Now().Add(2 * time.Second)
	for s.Running() {
		if time.Now().After(deadline) {
			t.Fatal("Running still true 2 s after SHUTDOWN")
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.Restart()
	mustDo(t, s, "PING")
}

func TestTwoServersAtOnce(t *testing.T) {
	a, b := Start(t), Start(t)
	if a.Port() == b.Port() {
		t.Fatalf("both servers on port %d", a.Port())
	}
	if serverPID(t, a) == serverPID(t, b) {
		t.Fatal("both addresses reach the same process")
	}
	mustDo(t, a, "SET", "only", "a")
	if got := mustDo(t, b, "GET", "only"); got != nil {
		t.Fatalf("b sees a's key: %v", got)
	}
}

func TestManyServersInParallel(t *testing.T) {
	for i := range 6 {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			t.Parallel()
			s := Start(t)
			mustDo(t, s, "PING")
		})
	}
}

func TestCleanupLeavesNoProcess(t *testing.T) {
	var pid int
	var addr, dir string
	t.Run("server", func(t *testing.T) {
		s := Start(t)
		pid, addr, dir = serverPID(t, s), s.Addr(), s.Dir()
	})
	if !pidGone(pid) {
		t.Fatalf("pid %d still exists after its test ended", pid)
	}
	if !refused(addr) {
		t.Fatalf("%s still accepts connections after its test ended", addr)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("directory %s still there: %v", dir, err)
	}
}

func TestWithArgsPassword(t *testing.T) {
	s := Start(t, WithArgs("--requirepass", "S3CRET"))
	if got := mustDo(t, s, "PING"); got != "PONG" {
		t.Fatalf("authenticated PING = %v", got)
	}
	_, err := probe(s.Addr(), "", time.Second) // NOAUTH counts as answering
	if err != nil {
		t.Fatalf("probe without the password: %v", err)
	}
	c, err := dialRaw(s.Addr(), "", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	var re *ReplyError
	if _, err := c.do("GET", "k"); !errors.As(err, &re) || !strings.HasPrefix(re.Message, "NOAUTH") {
		t.Fatalf("GET without the password: %v, want NOAUTH", err)
	}
	s.Kill9()
	s.Restart()
	mustDo(t, s, "PING")
	log, _ := os.ReadFile(s.Dir() + "/" + logName)
	if strings.Contains(string(log), "S3CRET") {
		t.Fatal("the log shows the password")
	}
}

func TestBadArgsFailWithTheLog(t *testing.T) {
	inst, err := startPrivate(newConfig([]Option{WithArgs("--no-such-option", "1")}), t.TempDir())
	if err == nil {
		inst.close()
		t.Fatal("started with a bad option")
	}
	if !strings.Contains(err.Error(), "no-such-option") {
		t.Fatalf("the error does not show the log: %v", err)
	}
}

func TestPortTakenByAnotherServer(t *testing.T) {
	a := Start(t)
	// A second server launched on a's port cannot bind; the harness must
	// notice that, not take a's PONG for its own.
	be := newProcess(a.inst.be.(*process).bin, t.TempDir(), nil)
	in := &instance{kind: KindProcess, host: "127.0.0.1", port: a.Port(), cfg: newConfig(nil), be: be, dir: be.dir}
	err := in.launchAndWait()
	if !errors.Is(err, errPortTaken) {
		in.close()
		t.Fatalf("launch on a taken port: %v, want errPortTaken", err)
	}
	if !be.exited() {
		t.Fatal("the losing server was not reaped")
	}
}

func TestRestartWaitsForItsPort(t *testing.T) {
	s := Start(t)
	s.Kill9()
	l, err := net.Listen("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(300 * time.Millisecond)
		l.Close()
	}()
	s.Restart() // retries until the listener is gone
	mustDo(t, s, "PING")
}

func TestNoGoroutinesLeftBehind(t *testing.T) {
	before := runtime.NumGoroutine()
	s := Start(t)
	s.Kill9()
	s.Restart()
	s.Shutdown()
	s.Restart()
	if after := runtime.NumGoroutine(); after > before {
		t.Fatalf("goroutines: %d before, %d after", before, after)
	}
}

// fakeTB records Fatalf instead of failing the test.
type fakeTB struct {
	testing.TB
	mu    sync.Mutex
	fatal string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.fatal = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

// fatalOf runs fn as a test body would and returns what it passed to Fatalf.
func fatalOf(tb *fakeTB, fn func()) string {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	<-done
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return tb.fatal
}

func TestExternalServerRefusesKillAndRestart(t *testing.T) {
	real := Start(t)
	inst, err := external(real.Addr())
	if err != nil {
		t.Fatal(err)
	}
	tb := &fakeTB{TB: t}
	s := &Server{tb: tb, inst: inst}
	if s.Kind() != KindExternal || !s.Running() || s.Args() != nil {
		t.Fatalf("external server: kind %v, running %v, args %v", s.Kind(), s.Running(), s.Args())
	}
	for name, fn := range map[string]func(){"Kill9": s.Kill9, "Restart": s.Restart, "Shutdown": s.Shutdown} {
		msg := fatalOf(tb, fn)
		if !strings.Contains(msg, name) || !strings.Contains(msg, "external server from REDIS_ADDR") {
			t.Errorf("%s on an external server: Fatalf(%q)", name, msg)
		}
	}
	mustDo(t, real, "PING") // untouched
}

func TestExternalServerThatDoesNotAnswer(t *testing.T) {
	s := Start(t)
	addr := s.Addr()
	s.Kill9()
	_, err := external(addr)
	if err == nil || !strings.Contains(err.Error(), "does not answer PING") {
		t.Fatalf("external(%s) with nothing there: %v", addr, err)
	}
	if _, err := external("no-port"); err == nil {
		t.Fatal("external accepted an address without a port")
	}
}

func TestShared(t *testing.T) {
	a, b := Shared(t), Shared(t)
	if a.Addr() != b.Addr() {
		t.Fatalf("two shared servers: %s and %s", a.Addr(), b.Addr())
	}
	if os.Getenv("REDIS_ADDR") != "" {
		t.Logf("shared server is external: %s", a.Addr())
		return
	}
	mustDo(t, a, "PING")
	a.Kill9()
	c := Shared(t) // restarts it
	if c.Addr() != a.Addr() {
		t.Fatalf("shared server moved from %s to %s", a.Addr(), c.Addr())
	}
	mustDo(t, c, "PING")
}

// The version a server reports is the version of the binary the harness
// chose (REDISTEST_SERVER, REDIS_IMAGE or PATH), the same for a private and
// the shared server.
func TestVersionIsTheChosenServers(t *testing.T) {
	want := ServerVersion(t)
	if want.Server != "redis" && want.Server != "valkey" || want.Major < 7 {
		t.Fatalf("ServerVersion = %v, want redis or valkey 7 or newer", want)
	}
	if got := Start(t).Version(); got != want {
		t.Errorf("Start(t).Version() = %v, ServerVersion = %v", got, want)
	}
	if got := Shared(t).Version(); got != want && os.Getenv("REDIS_ADDR") == "" {
		t.Errorf("Shared(t).Version() = %v, ServerVersion = %v", got, want)
	}
	t.Logf("the harness runs %v", want)
}

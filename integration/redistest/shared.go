package redistest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"testing"
)

// The package-level server that Shared hands out.
var shared struct {
	mu   sync.Mutex
	inst *instance
	err  error  // why it could not be had; every later Shared fails with it
	dir  string // its temporary directory, removed by Main
}

// Shared returns the server shared by all tests of the package, starting it
// on first use: the external server at REDIS_ADDR when that is set, else a
// private one as Start would start it (the server REDISTEST_SERVER or
// REDIS_IMAGE chose, else redis-server from PATH, else a container).
// Without any of them it fails tb with the way to get one.
//
// The server outlives tb; Main stops it after the last test. A test may
// Kill9 or Shutdown a private shared server; the next Shared call restarts
// it. On an external server, Kill9, Restart and Shutdown fail the test.
func Shared(tb testing.TB) *Server {
	tb.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.inst == nil && shared.err == nil {
		shared.inst, shared.dir, shared.err = startShared()
	}
	if shared.err != nil {
		tb.Fatalf("%v", shared.err)
	}
	s := &Server{tb: tb, inst: shared.inst}
	if s.inst.be != nil && !s.Running() {
		if err := s.inst.restart(); err != nil {
			tb.Fatalf("redistest: restarting the shared server %s: %v", s.Addr(), err)
		}
	}
	return s
}

// Main runs the package's tests and then stops the shared server and the
// shared cluster, if they were started. Call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(redistest.Main(m)) }
//
// Without it the shared redis-server is still killed when the test binary
// exits (on Linux), but its temporary directory stays behind.
func Main(m *testing.M) int {
	code := m.Run()
	if err := errors.Join(stopShared(), stopSharedCluster()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// startShared finds or starts the shared server.
func startShared() (*instance, string, error) {
	if addr := os.Getenv("REDIS_ADDR"); addr != "" {
		inst, err := external(addr)
		return inst, "", err
	}
	dir, err := os.MkdirTemp("", "redistest-shared-")
	if err != nil {
		return nil, "", fmt.Errorf("redistest: %w", err)
	}
	inst, err := startPrivate(newConfig(nil), dir)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, "", err
	}
	return inst, dir, nil
}

// external checks the server named by REDIS_ADDR.
func external(addr string) (*instance, error) {
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("redistest: REDIS_ADDR=%q is not host:port: %w", addr, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return nil, fmt.Errorf("redistest: REDIS_ADDR=%q has no numeric port", addr)
	}
	cfg := newConfig(nil)
	inst := &instance{kind: KindExternal, host: host, port: port, cfg: cfg}
	info, err := probe(inst.addr(), "", cfg.startTimeout)
	if err != nil {
		return nil, fmt.Errorf("redistest: REDIS_ADDR=%s does not answer PING: %s; "+
			"start that server, or unset REDIS_ADDR to let the harness start its own redis-server", addr, cause(err))
	}
	if v, err := parseVersionInfo(info); err == nil {
		inst.version = v
	}
	return inst, nil
}

// stopShared stops the shared server and removes its directory.
func stopShared() error {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	var err error
	if shared.inst != nil {
		err = shared.inst.close()
		shared.inst = nil
	}
	if shared.dir != "" {
		err = errors.Join(err, os.RemoveAll(shared.dir))
		shared.dir = ""
	}
	if err != nil {
		return fmt.Errorf("redistest: stopping the shared server: %w", err)
	}
	return nil
}

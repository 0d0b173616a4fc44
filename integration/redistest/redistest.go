package redistest

import (
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Kind says where a Server's redis-server runs.
type Kind int

const (
	// KindProcess is a redis-server child process of the test binary.
	KindProcess Kind = iota + 1
	// KindDocker is a container started through the container backend.
	KindDocker
	// KindExternal is a server named by REDIS_ADDR; the harness only talks to it.
	KindExternal
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case KindProcess:
		return "process"
	case KindDocker:
		return "docker"
	case KindExternal:
		return "external"
	default:
		return "Kind(" + strconv.Itoa(int(k)) + ")"
	}
}

// Timings of the harness.
const (
	// defaultStartTimeout bounds the wait for the first PONG after a launch.
	defaultStartTimeout = 2 * time.Second
	// stopGrace is how long a SIGTERM may take before the server is killed.
	stopGrace = 5 * time.Second
	// restartPortWait is how long Restart retries when its port is taken.
	restartPortWait = 5 * time.Second
	// startAttempts is how many free ports Start tries on bind races.
	startAttempts = 5
	// pollMin and pollMax bound the backoff between readiness probes.
	pollMin = 2 * time.Millisecond
	pollMax = 50 * time.Millisecond
	// probeTimeout bounds one readiness probe (dial and replies).
	probeTimeout = 250 * time.Millisecond
	// doTimeout bounds one Do or Info call.
	doTimeout = 10 * time.Second
	// logTailLines is how many log lines a start failure shows.
	logTailLines = 20
)

// Option changes how Start launches redis-server.
type Option func(*config)

type config struct {
	args         []string
	sentinelArgs []string // StartSentinel's sentinels only
	startTimeout time.Duration
}

// WithArgs appends arguments to the redis-server command line, for example
// WithArgs("--requirepass", "secret"). A --requirepass given here is used by
// the harness's own connections.
func WithArgs(args ...string) Option {
	return func(c *config) { c.args = append(c.args, args...) }
}

// WithStartTimeout changes how long Start and Restart wait for the first
// PONG after launching the server. The default is 2 s.
func WithStartTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.startTimeout = d
		}
	}
}

func newConfig(opts []Option) config {
	c := config{startTimeout: defaultStartTimeout}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// password returns the value of --requirepass in the extra arguments.
func (c config) password() string {
	pw := ""
	for i := 0; i+1 < len(c.args); i++ {
		if c.args[i] == "--requirepass" {
			pw = c.args[i+1]
		}
	}
	return pw
}

// Server is a Redis server for one test. Its address never changes, even
// across Restart. Addr, Port, Args, Kind, Dir, Do and Info may be called from
// any goroutine; Kill9, Restart and Shutdown fail the test through tb.Fatalf,
// so call them from the goroutine running the test.
type Server struct {
	tb   testing.TB
	inst *instance
}

// instance is one server, shared by the Server handles that refer to it.
type instance struct {
	kind     Kind
	host     string
	port     int
	password string
	dir      string
	cfg      config

	version Version // from INFO server at the last launch; guarded by mu

	mu sync.Mutex
	be backend // nil for KindExternal
}

// backend runs redis-server somewhere: a child process or a container.
type backend interface {
	// launch starts redis-server listening on port and returns at once.
	// It returns errPortTaken when the port turned out to be in use.
	launch(port int) error
	// exited reports whether the last launched server has stopped.
	exited() bool
	// kill stops the server with SIGKILL and reaps it.
	kill() error
	// terminate sends SIGTERM, waits up to grace, then kills; it always reaps.
	terminate(grace time.Duration) error
	// owns reports whether the server that answered with this INFO server
	// section is the one this backend launched.
	owns(info map[string]string) bool
	// release frees what the backend holds once the server is gone for good.
	release() error
	// logTail returns the last n lines of the server's output.
	logTail(n int) string
	// args returns the redis-server arguments of the last launch.
	args() []string
}

// errPortTaken means redis-server could not listen on its port.
var errPortTaken = errors.New("redistest: port already in use")

// Start starts a private redis-server for tb and stops it when tb ends.
// The server is the one REDISTEST_SERVER or REDIS_IMAGE chose, else
// redis-server from PATH, else a container when a container backend is
// linked in and its Docker daemon answers (see servers.go); without one it
// fails tb and says how to get one.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	cfg := newConfig(opts)
	inst, err := startPrivate(cfg, tb.TempDir())
	if err != nil {
		tb.Fatalf("%v", err)
	}
	tb.Cleanup(func() {
		if err := inst.close(); err != nil {
			tb.Errorf("redistest: stopping %s: %v", inst.addr(), err)
		}
	})
	return &Server{tb: tb, inst: inst}
}

// startPrivate starts a server of the chosen source on a free port.
func startPrivate(cfg config, dir string) (*instance, error) {
	src, err := currentSource()
	if err != nil {
		return nil, err
	}
	return startWith(cfg, dir, src.backend(dir, cfg.args))
}

// startWith starts a server from newBackend on a free port, trying
// another port when it loses the race for one.
func startWith(cfg config, dir string, newBackend func() (backend, Kind)) (*instance, error) {
	inst := &instance{host: "127.0.0.1", password: cfg.password(), dir: dir, cfg: cfg}
	var lastErr error
	for range startAttempts {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		be, kind := newBackend()
		inst.kind, inst.port, inst.be = kind, port, be
		lastErr = inst.launchAndWait()
		if lastErr == nil {
			return inst, nil
		}
		_ = be.release()
		if !errors.Is(lastErr, errPortTaken) {
			return nil, lastErr
		}
	}
	return nil, fmt.Errorf("redistest: no free port after %d attempts: %w", startAttempts, lastErr)
}

// errNoRedis says how to get a server when none can be had.
var errNoRedis = errors.New("redistest: no Redis server to test against: " +
	"redis-server is not on PATH, REDISTEST_SERVER and REDIS_IMAGE are not set, and no container can be run " +
	"(and, for Shared, REDIS_ADDR is not set). " +
	"Get one of them: install it (apt-get install -y redis-server, or run make test, which does), " +
	"or build one and name it (bash scripts/build-server.sh redis-7.4.1, then REDISTEST_SERVER=redis-7.4.1), " +
	"or set REDIS_ADDR=host:port to a running server, " +
	"or start a Docker daemon (the harness then runs " + defaultImage + ")")

// freePort asks the kernel for a free loopback port. The listener is closed
// again, so another process may take the port before redis-server does; the
// callers retry on that.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("redistest: finding a free port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		return 0, fmt.Errorf("redistest: finding a free port: %w", err)
	}
	return port, nil
}

func (in *instance) addr() string {
	return net.JoinHostPort(in.host, strconv.Itoa(in.port))
}

// launchAndWait launches the backend on in.port and waits for PONG from the
// server it launched. The caller holds in.mu or owns in exclusively.
func (in *instance) launchAndWait() error {
	if err := in.be.launch(in.port); err != nil {
		return err
	}
	deadline := time.Now().Add(in.cfg.startTimeout)
	pause := pollMin
	var lastErr error
	for {
		if in.be.exited() {
			tail := in.be.logTail(logTailLines)
			_ = in.be.kill() // reap it
			if portTakenLog(tail) {
				return fmt.Errorf("%w: %s", errPortTaken, in.addr())
			}
			return fmt.Errorf("redistest: redis-server on %s exited before answering PING; its log ends with:\n%s",
				in.addr(), tail)
		}
		info, err := probe(in.addr(), in.password, probeTimeout)
		if err == nil {
			if in.be.owns(info) {
				if v, err := parseVersionInfo(info); err == nil {
					in.version = v
				}
				return nil
			}
			// Another server answers on this port: ours lost the race for it.
			_ = in.be.kill()
			return fmt.Errorf("%w: %s answers for another server", errPortTaken, in.addr())
		}
		lastErr = err
		if time.Now().After(deadline) {
			tail := in.be.logTail(logTailLines)
			_ = in.be.kill()
			return fmt.Errorf("redistest: redis-server on %s did not answer PING within %v (last error: %v); its log ends with:\n%s",
				in.addr(), in.cfg.startTimeout, cause(lastErr), tail)
		}
		time.Sleep(pause)
		pause = min(2*pause, pollMax)
	}
}

// restart stops the server if it runs and launches it again on the same
// port, retrying while the port is taken.
func (in *instance) restart() error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if !in.be.exited() {
		if err := in.be.terminate(stopGrace); err != nil {
			return err
		}
	}
	deadline := time.Now().Add(restartPortWait)
	pause := 10 * time.Millisecond
	for {
		err := in.launchAndWait()
		if err == nil || !errors.Is(err, errPortTaken) {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("redistest: restart on the same port: %w (still taken after %v)", err, restartPortWait)
		}
		time.Sleep(pause)
		pause = min(2*pause, 200*time.Millisecond)
	}
}

// close stops the server for good and releases its backend.
func (in *instance) close() error {
	if in.be == nil {
		return nil
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	var err error
	if !in.be.exited() {
		err = in.be.terminate(stopGrace)
	}
	return errors.Join(err, in.be.release())
}

// Addr returns the server's host:port.
func (s *Server) Addr() string { return s.inst.addr() }

// Port returns the server's TCP port.
func (s *Server) Port() int { return s.inst.port }

// Kind says where the server runs.
func (s *Server) Kind() Kind { return s.inst.kind }

// Dir returns the server's working directory (its --dir, holding its log
// redis.log and any dump.rdb) on this machine; it is empty for Docker and
// external servers.
func (s *Server) Dir() string {
	if s.inst.kind != KindProcess {
		return ""
	}
	return s.inst.dir
}

// Args returns the redis-server arguments of the last launch, or nil for an
// external server.
func (s *Server) Args() []string {
	if s.inst.be == nil {
		return nil
	}
	s.inst.mu.Lock()
	defer s.inst.mu.Unlock()
	return slices.Clone(s.inst.be.args())
}

// Running reports whether the server process is up. For an external server
// it reports whether the server answers PING.
func (s *Server) Running() bool {
	if s.inst.be == nil {
		_, err := probe(s.inst.addr(), s.inst.password, time.Second)
		return err == nil
	}
	s.inst.mu.Lock()
	defer s.inst.mu.Unlock()
	return !s.inst.be.exited()
}

// Kill9 kills the server with SIGKILL and reaps it before returning; the
// port refuses connections afterwards. Restart brings it back.
func (s *Server) Kill9() {
	s.tb.Helper()
	s.mustOwn("Kill9")
	s.inst.mu.Lock()
	defer s.inst.mu.Unlock()
	if err := s.inst.be.kill(); err != nil {
		s.tb.Fatalf("redistest: Kill9 %s: %v", s.Addr(), err)
	}
}

// Restart starts the server again on the same port, with the same
// arguments and directory, and waits for PONG. A running server is shut
// down first. While another process holds the port it retries for up to
// 5 s.
func (s *Server) Restart() {
	s.tb.Helper()
	s.mustOwn("Restart")
	if err := s.inst.restart(); err != nil {
		s.tb.Fatalf("redistest: Restart %s: %v", s.Addr(), err)
	}
}

// Shutdown stops the server with SIGTERM (a shutdown without saving, as the
// server has no save points), kills it if it takes longer than 5 s, and
// reaps it. Restart brings it back.
func (s *Server) Shutdown() {
	s.tb.Helper()
	s.mustOwn("Shutdown")
	s.inst.mu.Lock()
	defer s.inst.mu.Unlock()
	if s.inst.be.exited() {
		if err := s.inst.be.kill(); err != nil { // reap a server that exited by itself
			s.tb.Fatalf("redistest: Shutdown %s: %v", s.Addr(), err)
		}
		return
	}
	if err := s.inst.be.terminate(stopGrace); err != nil {
		s.tb.Fatalf("redistest: Shutdown %s: %v", s.Addr(), err)
	}
}

// mustOwn fails the test when the server is not one the harness started.
func (s *Server) mustOwn(method string) {
	s.tb.Helper()
	if s.inst.kind == KindExternal {
		s.tb.Fatalf("redistest: %s needs a server that the harness started, but %s is an external server from REDIS_ADDR; "+
			"unset REDIS_ADDR or use redistest.Start for tests that stop the server", method, s.Addr())
	}
}

// Do sends one command on a new connection (authenticated when the server
// has a password) and returns the reply: string for simple and bulk
// strings, int64, nil, or []any. An error reply is returned as a
// *ReplyError.
func (s *Server) Do(args ...string) (any, error) {
	c, err := dialRaw(s.Addr(), s.inst.password, doTimeout)
	if err != nil {
		return nil, err
	}
	defer c.close()
	return c.do(args...)
}

// Info returns one section of INFO (all of them for "") as a map of its
// fields. The harness's own connection counts in connected_clients.
func (s *Server) Info(section string) (map[string]string, error) {
	args := []string{"INFO"}
	if section != "" {
		args = append(args, section)
	}
	reply, err := s.Do(args...)
	if err != nil {
		return nil, err
	}
	text, ok := reply.(string)
	if !ok {
		return nil, fmt.Errorf("redistest: INFO replied %T, not a bulk string", reply)
	}
	return parseInfo(text), nil
}

// cause renders an error of the harness inside another one, without
// repeating the package prefix.
func cause(err error) string {
	return strings.TrimPrefix(err.Error(), "redistest: ")
}

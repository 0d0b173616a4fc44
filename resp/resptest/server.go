package resptest

import (
	"errors"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configures a Server. The zero value is a Redis 7 standalone
// master without a password.
type Options struct {
	// Password, when set, must be given (AUTH or HELLO ... AUTH) before any
	// other command is answered.
	Password string
	// Username is the user Password belongs to; default "default".
	Username string
	// RESP2Only makes HELLO fail as it does on Redis 5 and older
	// (-ERR unknown command 'HELLO'), so connections stay on RESP2.
	RESP2Only bool
	// Version is the server version HELLO reports; default "7.2.4". A
	// version before 7.2 answers CLIENT SETINFO as Redis 7.0 does: -ERR
	// unknown subcommand.
	Version string
	// Server is the server name HELLO reports; default "redis".
	Server string
	// Handler answers the commands that no expectation, registered handler
	// or built-in takes. Nil answers -ERR unknown command.
	Handler HandlerFunc
}

// HandlerFunc answers one command. args holds the command name and its
// arguments as sent. It replies through c (or does not reply at all).
type HandlerFunc func(c *Conn, args []string)

// Server is a scripted fake Redis server. Create one with New or Start.
type Server struct {
	opts Options
	ln   net.Listener
	done chan struct{} // closed by Close

	mu           sync.Mutex
	closed       bool
	conns        map[*Conn]struct{}
	nextID       int64
	accepted     int
	counts       map[string]int
	commands     [][]string
	expectations []*Expectation
	handlers     map[string]HandlerFunc

	wg        sync.WaitGroup
	closeOnce sync.Once
}

// New starts a Server for the test tb and registers its Close with
// tb.Cleanup; at cleanup, expectations that were not met fail tb. A server
// that cannot listen fails tb at once.
func New(tb testing.TB, opts Options) *Server {
	tb.Helper()
	s, err := Start(opts)
	if err != nil {
		tb.Fatalf("resptest: %v", err)
	}
	tb.Cleanup(func() {
		s.Close()
		if unmet := s.Unmet(); len(unmet) > 0 {
			tb.Errorf("resptest: expectations not met:\n\t%s", strings.Join(unmet, "\n\t"))
		}
	})
	return s
}

// Start starts a Server outside a test (in an example, say). The caller
// must Close it.
func Start(opts Options) (*Server, error) {
	if opts.Username == "" {
		opts.Username = "default"
	}
	if opts.Version == "" {
		opts.Version = "7.2.4"
	}
	if opts.Server == "" {
		opts.Server = "redis"
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts:     opts,
		ln:       ln,
		done:     make(chan struct{}),
		conns:    make(map[*Conn]struct{}),
		counts:   make(map[string]int),
		handlers: make(map[string]HandlerFunc),
	}
	s.wg.Add(1)
	go s.acceptLoop()
	return s, nil
}

// hasSetInfo reports whether the server's version knows CLIENT SETINFO
// (Redis 7.2 and later; every Valkey).
func (s *Server) hasSetInfo() bool {
	if s.opts.Server != "redis" {
		return true
	}
	major, rest, _ := strings.Cut(s.opts.Version, ".")
	minor, _, _ := strings.Cut(rest, ".")
	ma, _ := strconv.Atoi(major)
	mi, _ := strconv.Atoi(minor)
	return ma > 7 || ma == 7 && mi >= 2
}

// Addr returns the address the server listens on, "127.0.0.1:port".
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops the listener, closes every connection and waits for the
// server's goroutines. It is idempotent and always returns nil.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		close(s.done)
		for c := range s.conns {
			c.nc.Close()
		}
		s.mu.Unlock()
		s.ln.Close()
		s.wg.Wait()
	})
	return nil
}

// Handle makes h answer every command named command (compared without
// regard to case), in place of the built-in answer if there is one. For
// commands with subcommands (CLIENT, CONFIG) h gets them all.
func (s *Server) Handle(command string, h HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[strings.ToUpper(command)] = h
}

// Accepted returns the number of connections accepted so far.
func (s *Server) Accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

// CommandCount returns how many commands named name (compared without
// regard to case; the first argument only, so "CLIENT" counts every CLIENT
// subcommand) the server has received on all connections.
func (s *Server) CommandCount(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[strings.ToUpper(name)]
}

// Commands returns every command received so far, on all connections, in
// the order the server read them.
func (s *Server) Commands() [][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([][]string, len(s.commands))
	for i, c := range s.commands {
		out[i] = slices.Clone(c)
	}
	return out
}

// Conns returns the open connections, oldest first.
func (s *Server) Conns() []*Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Conn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *Conn) int { return int(a.id - b.id) })
	return out
}

func (s *Server) acceptLoop() {
	defer s.wg.Done()
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return // listener closed
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			nc.Close()
			return
		}
		s.nextID++
		c := &Conn{s: s, nc: nc, id: s.nextID}
		c.proto.Store(2)
		s.conns[c] = struct{}{}
		s.accepted++
		s.wg.Add(1)
		s.mu.Unlock()
		go c.serve()
	}
}

// record counts a received command.
func (s *Server) record(args []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[strings.ToUpper(args[0])]++
	s.commands = append(s.commands, args)
}

// dispatch answers one command (after authentication was checked).
func (s *Server) dispatch(c *Conn, args []string) {
	if actions, ok := s.takeExpectation(args); ok {
		for _, a := range actions {
			a(c, args)
		}
		return
	}
	name := strings.ToUpper(args[0])
	s.mu.Lock()
	h := s.handlers[name]
	s.mu.Unlock()
	if h != nil {
		h(c, args)
		return
	}
	if c.builtin(name, args) {
		return
	}
	if s.opts.Handler != nil {
		s.opts.Handler(c, args)
		return
	}
	c.WriteError(unknownCommand(args))
}

// sleep waits d or until the server closes.
func (s *Server) sleep(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-s.done:
	}
}

func unknownCommand(args []string) string {
	var b strings.Builder
	b.WriteString("ERR unknown command '")
	b.WriteString(args[0])
	b.WriteString("', with args beginning with: ")
	for _, a := range args[1:] {
		b.WriteString("'")
		b.WriteString(a)
		b.WriteString("' ")
	}
	return b.String()
}

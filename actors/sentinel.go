package actors

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actoredis/actoredis/resp"
)

// Roles as ROLE names them.
const (
	roleMaster = "master"
	roleSlave  = "slave"
)

// Errors of a Sentinel-managed client. The client re-exports them.
var (
	// ErrFailover: the sentinels named a new primary; the command was in
	// flight on a connection to the old one, which was closed.
	ErrFailover = errors.New("actoredis: the primary changed (Sentinel failover)")
	// ErrMasterNotFound: the sentinels that answered do not know the
	// master name.
	ErrMasterNotFound = errors.New("actoredis: master name unknown to the sentinels")
	// ErrSentinelUnreachable: no sentinel answered.
	ErrSentinelUnreachable = errors.New("actoredis: no sentinel answered")
)

// RoleError is a server in another role than the connection needs: a
// replica (a demoted primary) where the primary was expected.
type RoleError struct {
	Addr string
	Want string // "master" or "slave", as ROLE says
	Got  string
}

func (e *RoleError) Error() string {
	return "actoredis: " + e.Addr + " is a " + e.Got + ", not the " + e.Want + " expected"
}

// SentinelError tells why the sentinels gave no address: errors.Is matches
// ErrMasterNotFound or ErrSentinelUnreachable, and the last sentinel's
// transport error when there was one.
type SentinelError struct {
	MasterName string
	Sentinels  []string // the sentinels asked, in order
	NotFound   bool     // some answered, and none knows MasterName
	Err        error    // the last error of a sentinel that did not answer, if any
}

func (e *SentinelError) Error() string {
	asked := strings.Join(e.Sentinels, ", ")
	if e.NotFound {
		s := "actoredis: sentinel: master " + quote(e.MasterName) + " is unknown to the sentinels (" + asked + ")"
		if e.Err != nil {
			s += "; another did not answer: " + e.Err.Error()
		}
		return s
	}
	s := "actoredis: sentinel: no sentinel answered for master " + quote(e.MasterName) + " (asked " + asked + ")"
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *SentinelError) Unwrap() []error {
	kind := ErrSentinelUnreachable
	if e.NotFound {
		kind = ErrMasterNotFound
	}
	if e.Err != nil {
		return []error{kind, e.Err}
	}
	return []error{kind}
}

func quote(s string) string { return `"` + s + `"` }

// SentinelConfig names a Sentinel-managed primary.
type SentinelConfig struct {
	MasterName string
	Addrs      []string // sentinels, host:port, tried in order
	Username   string   // for the sentinels, when they require AUTH
	Password   string   // never logged, never in an error
	// Replicas starts a second pool whose connections go to replicas
	// (SENTINEL REPLICAS), or to the primary while none is healthy.
	Replicas bool
}

// StartFailover starts a pool whose connections go to the primary the
// sentinels name (every dial asks them; the handshake checks ROLE master)
// and, with sc.Replicas, a second pool for reads from replicas (else nil).
// A sentinel watcher, a child of the primary pool's actor, subscribes to
// +switch-master and recycles both pools when a new primary is announced.
//
//	pool actor (primary)
//	├── connection actors, pubsub actor
//	└── sentinel watcher: its goroutine holds a subscribed
//	    connection to one sentinel; lost, it moves to the next one
//
// It fails at once only when a sentinel answered and none knows the
// master name; unreachable sentinels are retried by every dial.
func StartFailover(cfg Config, sc SentinelConfig) (primary, replicas *Pool, err error) {
	base := cfg.withDefaults()
	s := &sentinels{base: &base, name: sc.MasterName, user: sc.Username, password: sc.Password,
		addrs: slices.Clone(sc.Addrs), sem: make(chan struct{}, 1)}
	ctx, cancel := context.WithTimeout(context.Background(), base.DialTimeout)
	_, err = s.primaryAddr(ctx)
	cancel()
	if errors.Is(err, ErrMasterNotFound) {
		s.close()
		return nil, nil, err
	}
	label := "sentinel/" + sc.MasterName
	pcfg := cfg
	pcfg.Addr, pcfg.Role = label, roleMaster
	pcfg.Resolve = func(ctx context.Context) (string, string, error) {
		addr, err := s.primaryAddr(ctx)
		return "tcp", addr, err
	}
	primary = Start(pcfg)
	pools := []*Pool{primary}
	if sc.Replicas {
		rcfg := cfg
		rcfg.Addr, rcfg.Role = label+"/replicas", ""
		rcfg.Resolve = func(ctx context.Context) (string, string, error) {
			addr, err := s.replicaAddr(ctx)
			return "tcp", addr, err
		}
		replicas = Start(rcfg)
		pools = append(pools, replicas)
	}
	w := &sentinelWatcher{s: s, pools: pools, cfg: &primary.cfg}
	reply := make(chan *actor.PID, 1)
	primary.root.Send(primary.pid, &adopt{props: actor.PropsFromProducer(func() actor.Actor { return w }), reply: reply})
	<-reply
	return primary, replicas, nil
}

// sentinels asks the sentinels questions on one connection at a time, to
// the sentinel that answered last (the first of addrs).
type sentinels struct {
	base     *Config // dial settings shared with the data connections
	name     string
	user     string
	password string
	sem      chan struct{} // held while a question is asked

	mu       sync.Mutex
	addrs    []string
	closed   bool
	conn     *wire // the question connection (never started), or nil
	connAddr string
}

func (s *sentinels) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.addrs)
}

// prefer moves addr to the front: it is asked first from now on.
func (s *sentinels) prefer(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := slices.Index(s.addrs, addr); i > 0 {
		s.addrs = slices.Insert(slices.Delete(s.addrs, i, i+1), 0, addr)
	}
}

// learn adds sentinels found with SENTINEL SENTINELS.
func (s *sentinels) learn(addrs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range addrs {
		if !slices.Contains(s.addrs, a) {
			s.addrs = append(s.addrs, a)
		}
	}
}

func (s *sentinels) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.conn != nil {
		_ = s.conn.conn.Close()
		s.conn = nil
	}
}

// dial connects to one sentinel: RESP2, the sentinel credentials, the
// data connections' TLS, dialer and timeouts.
func (s *sentinels) dial(ctx context.Context, addr string) (*wire, error) {
	c := *s.base
	c.Network, c.Addr = "tcp", addr
	c.Username, c.Password = s.user, s.password
	c.Protocol, c.DB, c.ClientName = 2, 0, ""
	c.Resolve, c.Role = nil, ""
	w, _, err := dialWire(ctx, &c, false)
	return w, err
}

// ask sends args to the sentinels in order until one gives a reply that
// accept takes. A sentinel that answers otherwise (it does not know the
// master) or not at all is passed over; the one that answers moves to the
// front.
func (s *sentinels) ask(ctx context.Context, accept func(resp.Value) bool, args ...string) (resp.Value, error) {
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return resp.Value{}, ctx.Err()
	}
	defer func() { <-s.sem }()
	addrs := s.list()
	serr := &SentinelError{MasterName: s.name, Sentinels: addrs}
	for i, addr := range addrs {
		// Each sentinel gets an equal share of what is left of ctx's
		// time, so one that does not answer leaves time for the others.
		actx, cancel := ctx, context.CancelFunc(func() {})
		if dl, ok := ctx.Deadline(); ok {
			actx, cancel = context.WithTimeout(ctx, time.Until(dl)/time.Duration(len(addrs)-i))
		}
		w, err := s.connTo(actx, addr)
		if errors.Is(err, ErrClosed) {
			cancel()
			return resp.Value{}, err
		}
		if err == nil {
			dl, ok := actx.Deadline()
			if !ok {
				dl = time.Now().Add(s.base.ReadTimeout)
			}
			_ = w.conn.SetDeadline(dl)
			// A cancelled ctx (the pool closing) ends the read at once.
			stop := context.AfterFunc(actx, func() { _ = w.conn.SetDeadline(time.Now()) })
			var v resp.Value
			v, err = roundTrip(w.conn, w.rd, args...)
			stop()
			switch {
			case err == nil && accept(v):
				cancel()
				s.prefer(addr)
				return v, nil
			case err == nil && (!v.IsError() || strings.Contains(v.Str, "No such master")):
				cancel()
				serr.NotFound = true
				continue
			case err == nil:
				err = v.Err() // NOAUTH, or another refusal: this sentinel is of no use
			}
			s.drop(w)
		}
		cancel()
		serr.Err = err
		if ctx.Err() != nil {
			break
		}
	}
	return resp.Value{}, serr
}

// connTo returns the question connection to addr, dialing it if needed.
func (s *sentinels) connTo(ctx context.Context, addr string) (*wire, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, ErrClosed
	}
	if s.conn != nil && s.connAddr == addr {
		w := s.conn
		s.mu.Unlock()
		return w, nil
	}
	if s.conn != nil {
		_ = s.conn.conn.Close()
		s.conn = nil
	}
	s.mu.Unlock()
	w, err := s.dial(ctx, addr)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		_ = w.conn.Close()
		return nil, ErrClosed
	}
	s.conn, s.connAddr = w, addr
	return w, nil
}

func (s *sentinels) drop(w *wire) {
	_ = w.conn.Close()
	s.mu.Lock()
	if s.conn == w {
		s.conn = nil
	}
	s.mu.Unlock()
}

// primaryAddr asks SENTINEL GET-MASTER-ADDR-BY-NAME.
func (s *sentinels) primaryAddr(ctx context.Context) (string, error) {
	v, err := s.ask(ctx, func(v resp.Value) bool { return len(v.Elems) == 2 },
		"SENTINEL", "GET-MASTER-ADDR-BY-NAME", s.name)
	if err != nil {
		return "", err
	}
	return hostPort(v.Elems[0], v.Elems[1]), nil
}

func hostPort(host, port resp.Value) string {
	h, _ := host.AsString()
	p, _ := port.AsString()
	return net.JoinHostPort(h, p)
}

// replicaAddr picks a healthy replica at random from SENTINEL REPLICAS (not
// down, not disconnected, its link to the primary up); with none, the
// primary.
func (s *sentinels) replicaAddr(ctx context.Context) (string, error) {
	v, err := s.ask(ctx, func(v resp.Value) bool { return !v.IsError() && !v.IsNull() },
		"SENTINEL", "REPLICAS", s.name)
	if err != nil {
		return "", err
	}
	var healthy []string
	for _, e := range v.Elems {
		m, err := e.AsStringMap()
		if err != nil {
			continue
		}
		flags := m["flags"]
		if strings.Contains(flags, "s_down") || strings.Contains(flags, "o_down") ||
			strings.Contains(flags, "disconnected") || m["master-link-status"] != "ok" {
			continue
		}
		healthy = append(healthy, net.JoinHostPort(m["ip"], m["port"]))
	}
	if len(healthy) == 0 {
		return s.primaryAddr(ctx)
	}
	return healthy[int(fastrand()%uint32(len(healthy)))], nil
}

// otherSentinels reads SENTINEL SENTINELS: the addresses of the other
// sentinels that monitor the master.
func otherSentinels(v resp.Value) []string {
	var out []string
	for _, e := range v.Elems {
		if m, err := e.AsStringMap(); err == nil && m["ip"] != "" && m["port"] != "" {
			out = append(out, net.JoinHostPort(m["ip"], m["port"]))
		}
	}
	return out
}

// checkRole ends a handshake with ROLE and refuses a server in another
// role than want. A server that refuses ROLE itself (an ACL without it)
// cannot be checked and is taken.
func checkRole(conn net.Conn, rd *resp.Reader, want, addr string) error {
	v, err := roundTrip(conn, rd, "ROLE")
	if err != nil {
		return err
	}
	if e := v.Err(); e != nil {
		if se, ok := e.(*resp.Error); ok && se.Prefix() == "NOPERM" {
			return nil
		}
		return &HandshakeError{Step: "ROLE", Err: e}
	}
	if len(v.Elems) == 0 {
		return &HandshakeError{Step: "ROLE", Err: &resp.ProtocolError{Reason: "ROLE replied " + v.Kind.String()}}
	}
	if got, _ := v.Elems[0].AsString(); got != want {
		return &RoleError{Addr: addr, Want: want, Got: got}
	}
	return nil
}

// isReadOnly reports a READONLY error reply: the server is a replica.
func isReadOnly(v resp.Value) bool {
	return len(v.Str) >= 8 && v.Str[:8] == "READONLY"
}

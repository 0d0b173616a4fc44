package redistest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// SentinelMaster is the name under which StartSentinel's sentinels monitor
// the primary.
const SentinelMaster = "mymaster"

// Timings of a Sentinel set.
const (
	// SentinelDownAfter is the sentinels' down-after-milliseconds: a primary
	// silent this long is subjectively down.
	SentinelDownAfter = 500 * time.Millisecond
	// sentinelFailoverTimeout is the sentinels' failover-timeout.
	sentinelFailoverTimeout = 3 * time.Second
	// sentinelReadyTimeout bounds the wait for the replica's link and for
	// every sentinel to know the replica and the two other sentinels
	// (sentinels find each other through hello messages sent every 2 s).
	sentinelReadyTimeout = 15 * time.Second
)

// WithSentinelArgs appends arguments to the command line of each sentinel
// of StartSentinel, for example WithSentinelArgs("--requirepass", "pw"); a
// --requirepass given here is used by the harness's own connections to the
// sentinels. Start ignores it.
func WithSentinelArgs(args ...string) Option {
	return func(c *config) { c.sentinelArgs = append(c.sentinelArgs, args...) }
}

// SentinelSet is a Sentinel-managed primary: two data nodes (the first
// started as the primary, the second as its replica) and three sentinels
// monitoring them as SentinelMaster with quorum 2, down-after 500 ms and
// failover-timeout 3 s. Every process is a non-daemonized child on a free
// loopback port, stopped when the test ends. Its methods that can fail call
// tb.Fatalf, so call them from the goroutine running the test.
type SentinelSet struct {
	tb        testing.TB
	nodes     []*Server
	sentinels []*Server
	nodeArgs  []string // the data nodes' extra arguments, without --replicaof
}

// StartSentinel starts a primary, its replica and three sentinels, and
// returns once the replica is in sync and every sentinel knows the primary,
// the replica and the two other sentinels. opts apply to the data nodes
// (WithArgs) and to the sentinels (WithSentinelArgs); a --requirepass of
// the data nodes is given to the replica (masterauth) and the sentinels
// (auth-pass). It runs processes of the chosen server (no container
// variant).
func StartSentinel(tb testing.TB, opts ...Option) *SentinelSet {
	tb.Helper()
	cfg := newConfig(opts)
	if _, err := processSource("a Sentinel set"); err != nil {
		tb.Fatalf("%v", err)
	}
	// A diskless full sync starts at once (the default waits 5 s for more
	// replicas).
	s := &SentinelSet{tb: tb, nodeArgs: append([]string{"--repl-diskless-sync-delay", "0"}, cfg.args...)}
	if pw := cfg.password(); pw != "" {
		s.nodeArgs = append(s.nodeArgs, "--masterauth", pw)
	}
	primary := s.startNode(cfg, nil)
	replica := s.startNode(cfg, []string{"--replicaof", primary.inst.host, strconv.Itoa(primary.Port())})
	s.nodes = []*Server{primary, replica}
	if err := waitFor(sentinelReadyTimeout, func() error { return replicaInSync(replica) }); err != nil {
		tb.Fatalf("redistest: the replica %s did not sync with %s within %v: %v", replica.Addr(), primary.Addr(), sentinelReadyTimeout, err)
	}
	for range 3 {
		s.sentinels = append(s.sentinels, s.startSentinel(cfg, primary))
	}
	if err := waitFor(sentinelReadyTimeout, s.sentinelsReady); err != nil {
		tb.Fatalf("redistest: the sentinels did not discover each other and the replica within %v: %v", sentinelReadyTimeout, err)
	}
	return s
}

// startNode starts one data node with the set's arguments plus extra.
func (s *SentinelSet) startNode(cfg config, extra []string) *Server {
	s.tb.Helper()
	nc := cfg
	nc.args = append(slices.Clone(s.nodeArgs), extra...)
	inst, err := startPrivateProcess(nc, s.tb.TempDir(), "")
	if err != nil {
		s.tb.Fatalf("%v", err)
	}
	s.tb.Cleanup(func() { _ = inst.close() })
	return &Server{tb: s.tb, inst: inst}
}

// startSentinel writes a sentinel.conf (sentinels rewrite it, so each has
// its own in its own directory) and starts a sentinel with it.
func (s *SentinelSet) startSentinel(cfg config, primary *Server) *Server {
	s.tb.Helper()
	dir := s.tb.TempDir()
	conf := filepath.Join(dir, "sentinel.conf")
	lines := []string{
		fmt.Sprintf("sentinel monitor %s %s %d 2", SentinelMaster, primary.inst.host, primary.Port()),
		fmt.Sprintf("sentinel down-after-milliseconds %s %d", SentinelMaster, SentinelDownAfter.Milliseconds()),
		fmt.Sprintf("sentinel failover-timeout %s %d", SentinelMaster, sentinelFailoverTimeout.Milliseconds()),
		fmt.Sprintf("sentinel parallel-syncs %s 1", SentinelMaster),
	}
	if pw := cfg.password(); pw != "" {
		lines = append(lines, fmt.Sprintf("sentinel auth-pass %s %s", SentinelMaster, pw))
	}
	sc := config{args: slices.Clone(cfg.sentinelArgs), startTimeout: cfg.startTimeout}
	if pw := sc.password(); pw != "" {
		// The sentinels ask each other for votes with this password.
		lines = append(lines, "sentinel sentinel-pass "+pw)
	}
	if err := os.WriteFile(conf, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		s.tb.Fatalf("redistest: writing %s: %v", conf, err)
	}
	inst, err := startPrivateProcess(sc, dir, conf)
	if err != nil {
		s.tb.Fatalf("%v", err)
	}
	s.tb.Cleanup(func() { _ = inst.close() })
	return &Server{tb: s.tb, inst: inst}
}

// startPrivateProcess is startPrivate for processes only, optionally as a
// sentinel with the configuration file conf.
func startPrivateProcess(cfg config, dir, conf string) (*instance, error) {
	src, err := processSource("a Sentinel set")
	if err != nil {
		return nil, err
	}
	return startWith(cfg, dir, func() (backend, Kind) {
		p := newProcess(src.server, dir, cfg.args)
		p.conf = conf
		return p, KindProcess
	})
}

// waitFor polls check until it returns nil or timeout passes, and returns
// its last error then.
func waitFor(timeout time.Duration, check func() error) error {
	deadline := time.Now().Add(timeout)
	pause := pollMin
	for {
		err := check()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(pause)
		pause = min(2*pause, pollMax)
	}
}

func replicaInSync(replica *Server) error {
	info, err := replica.Info("replication")
	if err != nil {
		return err
	}
	if info["role"] != "slave" || info["master_link_status"] != "up" {
		return fmt.Errorf("role %s, master_link_status %s", info["role"], info["master_link_status"])
	}
	return nil
}

// sentinelsReady checks that every sentinel sees the primary with one
// replica and two other sentinels.
func (s *SentinelSet) sentinelsReady() error {
	for _, sn := range s.sentinels {
		m, err := sentinelMaster(sn)
		if err != nil {
			return fmt.Errorf("sentinel %s: %w", sn.Addr(), err)
		}
		if m["num-slaves"] != "1" || m["num-other-sentinels"] != strconv.Itoa(len(s.sentinels)-1) {
			return fmt.Errorf("sentinel %s sees %s replicas and %s other sentinels", sn.Addr(), m["num-slaves"], m["num-other-sentinels"])
		}
	}
	return nil
}

// sentinelMaster returns SENTINEL MASTER's fields for SentinelMaster.
func sentinelMaster(sn *Server) (map[string]string, error) {
	reply, err := sn.Do("SENTINEL", "MASTER", SentinelMaster)
	if err != nil {
		return nil, err
	}
	return pairs(reply)
}

// pairs reads a flat array of field/value strings.
func pairs(reply any) (map[string]string, error) {
	list, ok := reply.([]any)
	if !ok || len(list)%2 != 0 {
		return nil, fmt.Errorf("redistest: expected a list of field/value pairs, got %v", reply)
	}
	m := make(map[string]string, len(list)/2)
	for i := 0; i+1 < len(list); i += 2 {
		k, _ := list[i].(string)
		v, _ := list[i+1].(string)
		m[k] = v
	}
	return m, nil
}

// Name returns the name the sentinels monitor the primary under.
func (s *SentinelSet) Name() string { return SentinelMaster }

// Nodes returns the two data nodes: the one started as the primary, then
// the one started as its replica. Their roles change with failovers.
func (s *SentinelSet) Nodes() []*Server { return slices.Clone(s.nodes) }

// Sentinels returns the three sentinels.
func (s *SentinelSet) Sentinels() []*Server { return slices.Clone(s.sentinels) }

// SentinelAddrs returns the sentinels' host:port addresses.
func (s *SentinelSet) SentinelAddrs() []string {
	out := make([]string, len(s.sentinels))
	for i, sn := range s.sentinels {
		out[i] = sn.Addr()
	}
	return out
}

// PrimaryAddr asks the running sentinels, in order, for the primary's
// address and returns the first answer.
func (s *SentinelSet) PrimaryAddr() (string, error) {
	var lastErr error = errors.New("no sentinel is running")
	for _, sn := range s.sentinels {
		if !sn.Running() {
			continue
		}
		reply, err := sn.Do("SENTINEL", "GET-MASTER-ADDR-BY-NAME", SentinelMaster)
		if err != nil {
			lastErr = err
			continue
		}
		if hp, ok := reply.([]any); ok && len(hp) == 2 {
			h, _ := hp[0].(string)
			p, _ := hp[1].(string)
			return net.JoinHostPort(h, p), nil
		}
		lastErr = fmt.Errorf("redistest: GET-MASTER-ADDR-BY-NAME replied %v", reply)
	}
	return "", lastErr
}

// node returns the data node at addr, or nil.
func (s *SentinelSet) node(addr string) *Server {
	for _, n := range s.nodes {
		if n.Addr() == addr {
			return n
		}
	}
	return nil
}

// Primary returns the data node the sentinels name as the primary.
func (s *SentinelSet) Primary() *Server {
	s.tb.Helper()
	addr, err := s.PrimaryAddr()
	if err != nil {
		s.tb.Fatalf("redistest: asking the sentinels for the primary: %v", err)
	}
	n := s.node(addr)
	if n == nil {
		s.tb.Fatalf("redistest: the sentinels name %s as the primary, which is none of the set's nodes", addr)
	}
	return n
}

// AwaitFailover waits until every running sentinel names a primary other
// than old and that node says ROLE master, and returns it. It fails the
// test after timeout.
func (s *SentinelSet) AwaitFailover(old *Server, timeout time.Duration) *Server {
	s.tb.Helper()
	var found *Server
	err := waitFor(timeout, func() error {
		var addr string
		for _, sn := range s.sentinels {
			if !sn.Running() {
				continue
			}
			reply, err := sn.Do("SENTINEL", "GET-MASTER-ADDR-BY-NAME", SentinelMaster)
			if err != nil {
				return err
			}
			hp, _ := reply.([]any)
			if len(hp) != 2 {
				return fmt.Errorf("GET-MASTER-ADDR-BY-NAME replied %v", reply)
			}
			h, _ := hp[0].(string)
			p, _ := hp[1].(string)
			a := net.JoinHostPort(h, p)
			if a == old.Addr() {
				return fmt.Errorf("sentinel %s still names %s", sn.Addr(), a)
			}
			if addr != "" && a != addr {
				return fmt.Errorf("sentinels disagree: %s and %s", addr, a)
			}
			addr = a
		}
		n := s.node(addr)
		if n == nil {
			return fmt.Errorf("the sentinels name %q, none of the set's nodes", addr)
		}
		role, err := n.Do("ROLE")
		if err != nil {
			return err
		}
		if r, _ := role.([]any); len(r) == 0 || r[0] != "master" {
			return fmt.Errorf("%s says ROLE %v", addr, role)
		}
		found = n
		return nil
	})
	if err != nil {
		s.tb.Fatalf("redistest: no failover away from %s within %v: %v", old.Addr(), timeout, err)
	}
	return found
}

// RestartAsReplica starts node again on its port as a replica of primary
// (as a primary that comes back after a failover is, once the sentinels
// reconfigure it; here it is a replica from its first moment, so it never
// accepts a write) and waits until it is in sync.
func (s *SentinelSet) RestartAsReplica(node, primary *Server) {
	s.tb.Helper()
	args := append(slices.Clone(s.nodeArgs), "--replicaof", primary.inst.host, strconv.Itoa(primary.Port()))
	node.inst.mu.Lock()
	p, ok := node.inst.be.(*process)
	if ok {
		p.extra = args
	}
	node.inst.mu.Unlock()
	if !ok {
		s.tb.Fatalf("redistest: RestartAsReplica needs a process node")
	}
	node.Restart()
	if err := waitFor(sentinelReadyTimeout, func() error { return replicaInSync(node) }); err != nil {
		s.tb.Fatalf("redistest: %s did not sync with %s within %v: %v\n%s", node.Addr(), primary.Addr(), sentinelReadyTimeout, err, s.logs())
	}
}

// logs returns the tail of every process's log, for a failure message.
func (s *SentinelSet) logs() string {
	var b strings.Builder
	for _, srv := range append(s.Nodes(), s.sentinels...) {
		srv.inst.mu.Lock()
		fmt.Fprintf(&b, "--- %s:\n%s\n", srv.Addr(), srv.inst.be.logTail(30))
		srv.inst.mu.Unlock()
	}
	return b.String()
}

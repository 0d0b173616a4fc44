package redistest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Timings of cluster set-up.
const (
	// clusterReadyTimeout bounds the wait for cluster_state:ok on every
	// node and a synchronised link on every replica after create.
	clusterReadyTimeout = 20 * time.Second
	// clusterNodeTimeout is every node's cluster-node-timeout: a killed
	// primary is failed over about 1-2 s after it stopped answering.
	clusterNodeTimeout = 1000 * time.Millisecond
)

// Cluster is a Redis Cluster of redis-server child processes on loopback
// ports, built with redis-cli --cluster create. Nodes holds every node in
// creation order (the primaries first, as redis-cli picks them); roles
// change after a failover, so ask Primaries and PrimaryOf for the current
// ones.
type Cluster struct {
	tb    testing.TB
	Nodes []*Server
}

// StartCluster starts primaries primaries with replicasPerPrimary replicas
// each (cluster-node-timeout 1 s) and waits until every node reports
// cluster_state:ok and every replica is in sync. The nodes stop when tb
// ends.
func StartCluster(tb testing.TB, primaries, replicasPerPrimary int) *Cluster {
	tb.Helper()
	insts, err := startClusterNodes(primaries, replicasPerPrimary, func() (string, error) { return tb.TempDir(), nil })
	tb.Cleanup(func() {
		for _, in := range insts {
			if err := in.close(); err != nil {
				tb.Errorf("redistest: stopping cluster node %s: %v", in.addr(), err)
			}
		}
	})
	if err != nil {
		tb.Fatalf("%v", err)
	}
	return wrapCluster(tb, insts)
}

var sharedCluster struct {
	mu    sync.Mutex
	insts []*instance
	dirs  []string
	err   error
}

// SharedCluster returns the 6-node cluster (3 primaries, 1 replica each)
// shared by the tests of the package, starting it on first use; Main
// stops it. Tests that kill nodes or change roles should use StartCluster.
func SharedCluster(tb testing.TB) *Cluster {
	tb.Helper()
	sharedCluster.mu.Lock()
	defer sharedCluster.mu.Unlock()
	if sharedCluster.insts == nil && sharedCluster.err == nil {
		sharedCluster.insts, sharedCluster.err = startClusterNodes(3, 1, func() (string, error) {
			d, err := os.MkdirTemp("", "redistest-cluster-")
			if err == nil {
				sharedCluster.dirs = append(sharedCluster.dirs, d)
			}
			return d, err
		})
	}
	if sharedCluster.err != nil {
		tb.Fatalf("%v", sharedCluster.err)
	}
	return wrapCluster(tb, sharedCluster.insts)
}

// stopSharedCluster stops the shared cluster and removes its directories.
func stopSharedCluster() error {
	sharedCluster.mu.Lock()
	defer sharedCluster.mu.Unlock()
	var err error
	for _, in := range sharedCluster.insts {
		err = errors.Join(err, in.close())
	}
	for _, d := range sharedCluster.dirs {
		err = errors.Join(err, os.RemoveAll(d))
	}
	sharedCluster.insts, sharedCluster.dirs = nil, nil
	if err != nil {
		return fmt.Errorf("redistest: stopping the shared cluster: %w", err)
	}
	return nil
}

func wrapCluster(tb testing.TB, insts []*instance) *Cluster {
	c := &Cluster{tb: tb}
	for _, in := range insts {
		c.Nodes = append(c.Nodes, &Server{tb: tb, inst: in})
	}
	return c
}

// startClusterNodes launches the nodes, creates the cluster and waits for
// it. On an error it returns the nodes it launched, for the caller to stop.
func startClusterNodes(primaries, replicas int, dir func() (string, error)) ([]*instance, error) {
	src, err := processSource("a cluster")
	if err != nil {
		return nil, err
	}
	if src.cli == "" {
		return nil, fmt.Errorf("redistest: a cluster needs redis-cli beside %s or on PATH (apt-get install -y redis-tools, or run make test)", src.server)
	}
	cli := src.cli
	n := primaries * (1 + replicas)
	insts := make([]*instance, 0, n)
	for range n {
		d, err := dir()
		if err != nil {
			return insts, fmt.Errorf("redistest: %w", err)
		}
		cfg := newConfig([]Option{WithArgs(
			"--cluster-enabled", "yes",
			"--cluster-config-file", "nodes.conf",
			"--cluster-node-timeout", strconv.Itoa(int(clusterNodeTimeout/time.Millisecond)),
			"--cluster-replica-validity-factor", "0",
		)})
		in, err := startPrivate(cfg, d)
		if err != nil {
			return insts, err
		}
		insts = append(insts, in)
	}
	args := []string{"--cluster", "create"}
	for _, in := range insts {
		args = append(args, in.addr())
	}
	args = append(args, "--cluster-replicas", strconv.Itoa(replicas), "--cluster-yes")
	ctx, cancel := context.WithTimeout(context.Background(), clusterReadyTimeout)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, cli, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return insts, fmt.Errorf("redistest: redis-cli --cluster create: %v; output:\n%s", err, lastLines(out.String(), logTailLines))
	}
	if err := waitClusterReady(insts, primaries*replicas, time.Now().Add(clusterReadyTimeout)); err != nil {
		return insts, err
	}
	return insts, nil
}

// waitClusterReady waits until every node says cluster_state:ok, sees
// every other node, and wantReplicas replicas have their link up.
func waitClusterReady(insts []*instance, wantReplicas int, deadline time.Time) error {
	pause := pollMin
	for {
		err := clusterReady(insts, wantReplicas)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("redistest: cluster not ready within %v: %w", clusterReadyTimeout, err)
		}
		time.Sleep(pause)
		pause = min(2*pause, pollMax)
	}
}

func clusterReady(insts []*instance, wantReplicas int) error {
	synced := 0
	for _, in := range insts {
		s := &Server{inst: in}
		info, err := s.Info("cluster")
		if err != nil {
			return err
		}
		if info["cluster_enabled"] != "1" {
			return fmt.Errorf("%s: cluster support disabled", in.addr())
		}
		ci, err := s.clusterInfo()
		if err != nil {
			return err
		}
		if ci["cluster_state"] != "ok" || ci["cluster_known_nodes"] != strconv.Itoa(len(insts)) {
			return fmt.Errorf("%s: cluster_state %s, %s nodes known", in.addr(), ci["cluster_state"], ci["cluster_known_nodes"])
		}
		repl, err := s.Info("replication")
		if err != nil {
			return err
		}
		if repl["role"] == "slave" && repl["master_link_status"] == "up" {
			synced++
		}
	}
	if synced < wantReplicas {
		return fmt.Errorf("%d of %d replicas in sync", synced, wantReplicas)
	}
	return nil
}

func (s *Server) clusterInfo() (map[string]string, error) {
	reply, err := s.Do("CLUSTER", "INFO")
	if err != nil {
		return nil, err
	}
	text, _ := reply.(string)
	return parseInfo(text), nil
}

// Addrs returns the address of every node.
func (c *Cluster) Addrs() []string {
	out := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		out[i] = n.Addr()
	}
	return out
}

// Node returns the node with address addr, or nil.
func (c *Cluster) Node(addr string) *Server {
	for _, n := range c.Nodes {
		if n.Addr() == addr {
			return n
		}
	}
	return nil
}

// ID returns the node's cluster node ID.
func (s *Server) ID() (string, error) {
	reply, err := s.Do("CLUSTER", "MYID")
	if err != nil {
		return "", err
	}
	id, _ := reply.(string)
	return id, nil
}

// Primaries returns the nodes that are primaries now (by INFO
// replication), among those running.
func (c *Cluster) Primaries() []*Server {
	var out []*Server
	for _, n := range c.Nodes {
		if !n.Running() {
			continue
		}
		if info, err := n.Info("replication"); err == nil && info["role"] == "master" {
			out = append(out, n)
		}
	}
	return out
}

// PrimaryOf returns the node that owns slot according to the first
// running node that answers CLUSTER SLOTS.
func (c *Cluster) PrimaryOf(slot int) (*Server, error) {
	var lastErr error = errors.New("no running node")
	for _, n := range c.Nodes {
		if !n.Running() {
			continue
		}
		reply, err := n.Do("CLUSTER", "SLOTS")
		if err != nil {
			lastErr = err
			continue
		}
		ranges, _ := reply.([]any)
		for _, r := range ranges {
			f, _ := r.([]any)
			if len(f) < 3 {
				continue
			}
			lo, _ := f[0].(int64)
			hi, _ := f[1].(int64)
			if int64(slot) < lo || int64(slot) > hi {
				continue
			}
			node, _ := f[2].([]any)
			if len(node) < 2 {
				continue
			}
			host, _ := node[0].(string)
			port, _ := node[1].(int64)
			if s := c.Node(net.JoinHostPort(host, strconv.FormatInt(port, 10))); s != nil {
				return s, nil
			}
		}
		return nil, fmt.Errorf("redistest: no node owns slot %d", slot)
	}
	return nil, lastErr
}

// WaitReady waits up to timeout until every running node reports
// cluster_state:ok and agrees on who owns every slot.
func (c *Cluster) WaitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	pause := pollMin
	for {
		err := c.agreed()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("redistest: cluster not ready within %v: %w", timeout, err)
		}
		time.Sleep(pause)
		pause = min(2*pause, pollMax)
	}
}

func (c *Cluster) agreed() error {
	var first string
	for _, n := range c.Nodes {
		if !n.Running() {
			continue
		}
		ci, err := n.clusterInfo()
		if err != nil {
			return err
		}
		if ci["cluster_state"] != "ok" {
			return fmt.Errorf("%s: cluster_state %s", n.Addr(), ci["cluster_state"])
		}
		reply, err := n.Do("CLUSTER", "SLOTS")
		if err != nil {
			return err
		}
		view := fmt.Sprint(slotOwners(reply))
		if first == "" {
			first = view
		} else if view != first {
			return fmt.Errorf("%s disagrees on the slot owners", n.Addr())
		}
	}
	return nil
}

// slotOwners renders a CLUSTER SLOTS reply as sorted "lo-hi:port" ranges.
func slotOwners(reply any) []string {
	ranges, _ := reply.([]any)
	var out []string
	for _, r := range ranges {
		f, _ := r.([]any)
		if len(f) < 3 {
			continue
		}
		node, _ := f[2].([]any)
		if len(node) < 2 {
			continue
		}
		out = append(out, fmt.Sprintf("%v-%v:%v", f[0], f[1], node[1]))
	}
	sortStrings(out)
	return out
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// Migration is one slot on its way from one primary to another, step by
// step as redis-cli --cluster reshard does it: Start marks the slot
// IMPORTING on the target and MIGRATING on the source (from then on the
// source answers ASK for keys it no longer has), MoveKeys MIGRATEs keys,
// Finish assigns the slot to the target on every primary (MOVED from then
// on).
type Migration struct {
	c            *Cluster
	Slot         int
	From, To     *Server
	fromID, toID string
	finished     bool
}

// StartMigration begins moving slot to the primary to.
func (c *Cluster) StartMigration(slot int, to *Server) (*Migration, error) {
	from, err := c.PrimaryOf(slot)
	if err != nil {
		return nil, err
	}
	if from == to {
		return nil, fmt.Errorf("redistest: slot %d is already on %s", slot, to.Addr())
	}
	m := &Migration{c: c, Slot: slot, From: from, To: to}
	if m.fromID, err = from.ID(); err != nil {
		return nil, err
	}
	if m.toID, err = to.ID(); err != nil {
		return nil, err
	}
	s := strconv.Itoa(slot)
	if _, err := to.Do("CLUSTER", "SETSLOT", s, "IMPORTING", m.fromID); err != nil {
		return nil, fmt.Errorf("redistest: SETSLOT IMPORTING: %w", err)
	}
	if _, err := from.Do("CLUSTER", "SETSLOT", s, "MIGRATING", m.toID); err != nil {
		return nil, fmt.Errorf("redistest: SETSLOT MIGRATING: %w", err)
	}
	return m, nil
}

// MoveKeys migrates up to n keys of the slot to the target and returns
// how many it moved (0 once the source has none left).
func (m *Migration) MoveKeys(n int) (int, error) {
	reply, err := m.From.Do("CLUSTER", "GETKEYSINSLOT", strconv.Itoa(m.Slot), strconv.Itoa(n))
	if err != nil {
		return 0, err
	}
	list, _ := reply.([]any)
	if len(list) == 0 {
		return 0, nil
	}
	host, port, _ := net.SplitHostPort(m.To.Addr())
	args := []string{"MIGRATE", host, port, "", "0", "5000", "KEYS"}
	for _, k := range list {
		s, _ := k.(string)
		args = append(args, s)
	}
	if _, err := m.From.Do(args...); err != nil {
		return 0, fmt.Errorf("redistest: MIGRATE: %w", err)
	}
	return len(list), nil
}

// Finish moves the keys left and assigns the slot to the target on the
// target, the source and every other primary.
func (m *Migration) Finish() error {
	for {
		n, err := m.MoveKeys(100)
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
	}
	s := strconv.Itoa(m.Slot)
	order := []*Server{m.To, m.From}
	for _, p := range m.c.Primaries() {
		if p != m.To && p != m.From {
			order = append(order, p)
		}
	}
	for _, p := range order {
		if _, err := p.Do("CLUSTER", "SETSLOT", s, "NODE", m.toID); err != nil {
			return fmt.Errorf("redistest: SETSLOT NODE on %s: %w", p.Addr(), err)
		}
	}
	m.finished = true
	return nil
}

// MigrateSlot moves slot to the primary to, keys and all.
func (c *Cluster) MigrateSlot(slot int, to *Server) error {
	m, err := c.StartMigration(slot, to)
	if err != nil {
		return err
	}
	return m.Finish()
}

// Kill9 kills node with SIGKILL and reaps it.
func (c *Cluster) Kill9(node *Server) { node.Kill9() }

package actors

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// ClusterConfig is what the cluster actor needs: where to start, the
// template of every node's pool, and how often to look at the topology.
type ClusterConfig struct {
	Seeds []string
	// Node is the configuration of every node's pool; Addr is set per node.
	Node Config
	// RefreshInterval is how often the topology is read when nothing
	// asked for it. Default 10 s.
	RefreshInterval time.Duration
	// MinRefreshInterval spaces refreshes that MOVED replies and lost
	// connections ask for. Default 50 ms.
	MinRefreshInterval time.Duration
	// Replicas makes a pool for every healthy replica (for reads); the
	// pool's connections send READONLY after their handshake.
	Replicas bool
	// NewNode, when set, is called (on the cluster actor, it must not
	// block) for every node pool created, to set Node.Value.
	NewNode func(*Node)
}

// Cluster is the client's handle on a cluster's actor tree:
//
//	actor system (silent logger unless the user gives one)
//	└── cluster actor (owner of the topology, publisher of the slot table)
//	      └── pool actor × node      one per primary (and readable replica)
//	            └── connection actors, as under Pool
//
// The cluster actor reads the topology (CLUSTER SHARDS, CLUSTER SLOTS as
// fallback) on a goroutine of its own when asked (Refresh: after MOVED or
// a lost connection) and every RefreshInterval, starts a pool for each new
// node, closes the pools of nodes that left, and publishes an immutable
// Table that senders read without a lock (Table). It is not on the
// per-command path. Cluster is safe for concurrent use.
type Cluster struct {
	cfg     ClusterConfig
	system  *actor.ActorSystem
	root    *actor.RootContext
	pid     *actor.PID
	table   atomic.Pointer[Table]
	first   chan struct{}   // closed once a table was published
	closed  <-chan struct{} // closing.done()
	closing *closeSignal
	wg      sync.WaitGroup
	goMu    sync.Mutex
	noGo    bool
	// Refreshes counts the topology reads that were published.
	refreshes atomic.Int64
}

// StartCluster builds the actor system and the cluster actor, and starts
// reading the topology from the seeds. It does not wait: Table is nil
// until the first read succeeded (WaitTable waits for it).
func StartCluster(cfg ClusterConfig) *Cluster {
	if cfg.Node.Retry.Transient == nil {
		// TRYAGAIN and CLUSTERDOWN are the cluster client's to handle (it
		// refreshes its table and may go to another node); set before the
		// defaults would fill in the single-node list.
		cfg.Node.Retry.Transient = []string{"LOADING", "BUSY", "MASTERDOWN"}
	}
	cfg.Node = cfg.Node.withDefaults()
	if cfg.RefreshInterval <= 0 {
		cfg.RefreshInterval = 10 * time.Second
	}
	if cfg.MinRefreshInterval <= 0 {
		cfg.MinRefreshInterval = 50 * time.Millisecond
	}
	system := newSystem(cfg.Node.Logger)
	cl := &Cluster{cfg: cfg, system: system, root: system.Root, first: make(chan struct{})}
	cl.closing = newCloseSignal()
	cl.closed = cl.closing.done()
	watchDeadLetters(system, cl.closed)
	ca := &clusterActor{cl: cl, nodes: map[string]*Node{}}
	cl.pid = system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return ca }))
	return cl
}

// Table returns the current slot table, nil before the first topology
// read succeeded.
func (cl *Cluster) Table() *Table { return cl.table.Load() }

// Refreshes returns how many topology reads have been published.
func (cl *Cluster) Refreshes() int64 { return cl.refreshes.Load() }

// Closed returns a channel closed once Close has begun.
func (cl *Cluster) Closed() <-chan struct{} { return cl.closed }

// ClosedSpread is Closed for callers parked on it while waiting for
// replies (see Pool.ClosedSpread).
func (cl *Cluster) ClosedSpread() <-chan struct{} { return cl.closing.spread() }

// Config returns the configuration with defaults applied.
func (cl *Cluster) Config() ClusterConfig { return cl.cfg }

// Refresh asks for the topology to be read again soon; it never blocks.
// Requests that arrive while a read is under way or within
// MinRefreshInterval of the last are served by one read.
func (cl *Cluster) Refresh() {
	select {
	case <-cl.closed:
	default:
		cl.root.Send(cl.pid, refreshRequest{})
	}
}

// ErrNoTopology: no seed or node answered CLUSTER SHARDS or CLUSTER SLOTS
// in time. It wraps the last error.
var ErrNoTopology = errors.New("actoredis: no cluster topology")

// WaitTable returns the current table, waiting up to the node pools'
// PoolTimeout (or until ctx ends) for the first one.
func (cl *Cluster) WaitTable(ctx context.Context) (*Table, error) {
	if t := cl.table.Load(); t != nil {
		return t, nil
	}
	timer := time.NewTimer(cl.cfg.Node.PoolTimeout)
	defer timer.Stop()
	var done <-chan struct{}
	if ctx != nil {
		done = ctx.Done()
	}
	select {
	case <-cl.first:
		return cl.table.Load(), nil
	case <-done:
		return nil, ctx.Err()
	case <-cl.closed:
		return nil, ErrClosed
	case <-timer.C:
		return nil, ErrNoTopology
	}
}

// Node returns the node for addr, starting a pool for it when the cluster
// has none (a MOVED or ASK to a node the table does not know yet).
func (cl *Cluster) Node(ctx context.Context, addr string) (*Node, error) {
	if t := cl.table.Load(); t != nil {
		for _, s := range t.Shards {
			if s.Primary.Addr == addr {
				return s.Primary, nil
			}
		}
	}
	reply := make(chan *Node, 1)
	select {
	case <-cl.closed:
		return nil, ErrClosed
	default:
	}
	cl.root.Send(cl.pid, &nodeRequest{addr: addr, reply: reply})
	var done <-chan struct{}
	if ctx != nil {
		done = ctx.Done()
	}
	select {
	case n := <-reply:
		if n == nil {
			return nil, ErrClosed
		}
		return n, nil
	case <-done:
		return nil, ctx.Err()
	case <-cl.closed:
		return nil, ErrClosed
	}
}

// Close stops the cluster actor and every node pool; pending commands fail
// with ErrClosed. Later calls return ErrClosed.
func (cl *Cluster) Close() error {
	if !cl.closing.fire() {
		return ErrClosed
	}
	reply := make(chan []*Node, 1)
	cl.root.Send(cl.pid, &clusterClosing{reply: reply})
	nodes := <-reply
	var wg sync.WaitGroup
	for _, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = n.Pool.Close()
		}()
	}
	wg.Wait()
	_ = cl.root.StopFuture(cl.pid).Wait()
	cl.goMu.Lock()
	cl.noGo = true
	cl.goMu.Unlock()
	cl.wg.Wait()
	cl.system.Shutdown()
	return nil
}

// Go runs f on a goroutine that Close waits for, and reports whether it
// did: once Close has closed every pool and waits, it returns false and f
// does not run.
func (cl *Cluster) Go(f func()) bool {
	cl.goMu.Lock()
	if cl.noGo {
		cl.goMu.Unlock()
		return false
	}
	cl.wg.Add(1)
	cl.goMu.Unlock()
	go func() {
		defer cl.wg.Done()
		f()
	}()
	return true
}

type (
	refreshRequest struct{}
	refreshTick    struct{}
	nodeRequest    struct {
		addr  string
		reply chan *Node
	}
	topologyRead struct {
		shards []ShardInfo
		err    error
	}
	clusterClosing struct{ reply chan []*Node }
)

// clusterActor owns the topology: the node pools (its children) and the
// table. Reading the topology happens on a goroutine that reports back
// with topologyRead, so Receive never blocks.
type clusterActor struct {
	cl        *Cluster
	nodes     map[string]*Node
	reading   bool
	again     bool // a refresh was asked for during a read
	lastRead  time.Time
	ticker    *time.Timer
	delayed   bool // a refresh is scheduled for MinRefreshInterval after the last
	closing   bool
	failures  int
	lastError error
}

func (ca *clusterActor) Receive(c actor.Context) {
	switch msg := c.Message().(type) {
	case *actor.Started:
		for _, a := range ca.cl.cfg.Seeds {
			ca.node(c, a, true)
		}
		ca.startRead(c)
	case refreshRequest:
		ca.refresh(c)
	case refreshTick:
		ca.delayed = false
		ca.refresh(c)
	case *nodeRequest:
		if ca.closing {
			msg.reply <- nil
			return
		}
		msg.reply <- ca.node(c, msg.addr, true)
	case *topologyRead:
		ca.reading = false
		ca.lastRead = time.Now()
		if msg.err != nil {
			ca.failures++
			ca.lastError = msg.err
			ca.cl.cfg.Node.Logger.Debug("actoredis: cluster topology read failed", "err", msg.err)
			// Try again soon, spaced by the backoff.
			ca.schedule(c, ca.cl.cfg.Node.Backoff.Next(ca.failures))
			return
		}
		ca.failures = 0
		ca.apply(c, msg.shards)
		switch {
		case ca.again:
			ca.again = false
			ca.refresh(c)
		case ca.primaryDown():
			// Read again soon until the cluster has failed it over: the
			// commands for its slots wait for that.
			ca.schedule(c, max(ca.cl.cfg.MinRefreshInterval, downRefreshInterval))
		default:
			ca.schedule(c, ca.cl.cfg.RefreshInterval)
		}
	case *clusterClosing:
		ca.closing = true
		if ca.ticker != nil {
			ca.ticker.Stop()
		}
		nodes := make([]*Node, 0, len(ca.nodes))
		for _, n := range ca.nodes {
			nodes = append(nodes, n)
		}
		msg.reply <- nodes
	}
}

// downRefreshInterval spaces the topology reads while a primary has no
// usable connection.
const downRefreshInterval = 100 * time.Millisecond

// primaryDown reports whether a primary of the current table has no usable
// connection.
func (ca *clusterActor) primaryDown() bool {
	t := ca.cl.table.Load()
	if t == nil {
		return false
	}
	for _, s := range t.Shards {
		if s.Primary.Pool.Usable() == 0 {
			return true
		}
	}
	return false
}

// refresh starts a read now, or as soon as the one under way ends, or at
// MinRefreshInterval after the last.
func (ca *clusterActor) refresh(c actor.Context) {
	if ca.closing {
		return
	}
	if ca.reading {
		ca.again = true
		return
	}
	if wait := ca.cl.cfg.MinRefreshInterval - time.Since(ca.lastRead); wait > 0 {
		if !ca.delayed {
			ca.schedule(c, wait)
			ca.delayed = true
		}
		return
	}
	ca.startRead(c)
}

func (ca *clusterActor) schedule(c actor.Context, d time.Duration) {
	if ca.closing {
		return
	}
	if ca.ticker != nil {
		ca.ticker.Stop()
	}
	self, root := c.Self(), c.ActorSystem().Root
	ca.ticker = time.AfterFunc(d, func() { root.Send(self, refreshTick{}) })
}

// node returns the node of addr, starting its pool if needed.
func (ca *clusterActor) node(c actor.Context, addr string, primary bool) *Node {
	if n := ca.nodes[addr]; n != nil {
		return n
	}
	cfg := ca.cl.cfg.Node
	cfg.Addr = addr
	cfg.ReadOnlyConn = !primary
	pool, ready := startChild(c, cfg)
	n := &Node{Addr: addr, Primary: primary, Pool: pool, ready: ready}
	if ca.cl.cfg.NewNode != nil {
		ca.cl.cfg.NewNode(n)
	}
	ca.nodes[addr] = n
	return n
}

// startRead asks the nodes, in random order with those that have a
// usable connection first, then the seeds, for the topology.
func (ca *clusterActor) startRead(c actor.Context) {
	if ca.closing {
		return
	}
	var ready, rest []*Node
	for _, n := range ca.nodes {
		if n.Pool.Usable() > 0 {
			ready = append(ready, n)
		} else {
			rest = append(rest, n)
		}
	}
	rand.Shuffle(len(ready), func(i, j int) { ready[i], ready[j] = ready[j], ready[i] })
	rand.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	candidates := append(ready, rest...)
	self, root := c.Self(), c.ActorSystem().Root
	timeout := min(ca.cl.cfg.Node.ReadTimeout, time.Second)
	ca.reading = true
	if !ca.cl.Go(func() {
		shards, err := readTopology(ca.cl.closed, candidates, timeout)
		root.Send(self, &topologyRead{shards: shards, err: err})
	}) {
		ca.reading = false
	}
}

// readTopology asks each candidate in turn until one answers.
func readTopology(closed <-chan struct{}, candidates []*Node, timeout time.Duration) ([]ShardInfo, error) {
	err := ErrNoTopology
	for _, n := range candidates {
		select {
		case <-closed:
			return nil, ErrClosed
		default:
		}
		shards, e := askTopology(n.Pool, timeout)
		if e == nil {
			return shards, nil
		}
		err = errors.Join(ErrNoTopology, e)
	}
	return nil, err
}

var (
	clusterShardsArgs = resp.AppendBulkString(resp.AppendBulkString(resp.AppendArrayHeader(nil, 2), "CLUSTER"), "SHARDS")
	clusterSlotsArgs  = resp.AppendBulkString(resp.AppendBulkString(resp.AppendArrayHeader(nil, 2), "CLUSTER"), "SLOTS")
)

func askTopology(p *Pool, timeout time.Duration) ([]ShardInfo, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	ask := func(name string, args []byte, parse func(resp.Value) ([]ShardInfo, error)) ([]ShardInfo, error) {
		cmd := &messages.Command{Name: name, Args: args, Flags: messages.ReadOnly}
		p.Send(ctx, cmd, -1)
		if err := cmd.Wait(ctx); err != nil {
			return nil, err
		}
		v, err := cmd.Result()
		if err != nil {
			return nil, err
		}
		return parse(v)
	}
	shards, err := ask("CLUSTER SHARDS", clusterShardsArgs, ParseClusterShards)
	var re *resp.Error
	if errors.As(err, &re) && re.Prefix() == "ERR" {
		// Before 7.0: no CLUSTER SHARDS.
		shards, err = ask("CLUSTER SLOTS", clusterSlotsArgs, ParseClusterSlots)
	}
	return shards, err
}

// apply makes the pools the shards need, closes those no longer needed
// (seeds outside the cluster, nodes that left or failed) and publishes the
// new table.
func (ca *clusterActor) apply(c actor.Context, shards []ShardInfo) {
	want := map[string]bool{}
	for _, s := range shards {
		want[s.Primary.Addr] = true
		n := ca.node(c, s.Primary.Addr, true)
		n.ID, n.Primary = s.Primary.ID, true
		if ca.cl.cfg.Replicas {
			for _, r := range s.Replicas {
				if !r.Healthy {
					continue
				}
				want[r.Addr] = true
				rn := ca.node(c, r.Addr, false)
				if rn.Primary {
					// It was a primary: its pool has no READONLY. Renew it.
					ca.retire(rn)
					rn = ca.node(c, r.Addr, false)
				}
				rn.ID = r.ID
			}
		}
	}
	for addr, n := range ca.nodes {
		if !want[addr] {
			ca.retire(n)
		}
	}
	t := newTable(shards, ca.nodes, ca.cl.cfg.Replicas)
	old := ca.cl.table.Swap(t)
	ca.cl.refreshes.Add(1)
	if old == nil {
		close(ca.cl.first)
	} else {
		close(old.changed)
	}
}

// retire forgets n and closes its pool off the actor: commands still on
// their way to it fail with ErrClosed, which the client treats as "not
// sent, ask the table again".
func (ca *clusterActor) retire(n *Node) {
	delete(ca.nodes, n.Addr)
	if !ca.cl.Go(func() { _ = n.Pool.Close() }) {
		return
	}
}

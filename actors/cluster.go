package actors

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
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
// fallback: see askTopology) on a goroutine of its own when asked
// (Refresh: after MOVED or a lost connection) and every RefreshInterval,
// starts a pool for each new node, closes the pools of nodes that left, and publishes an immutable
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
	// The goroutines the actor started (a topology read, the pools of
	// retired nodes being closed) end while the actor still runs: a
	// retired node's pool actor is its child, and Pool.Close waits for
	// that child to take its closing message, which a child stopped with
	// its parent never does.
	cl.goMu.Lock()
	cl.noGo = true
	cl.goMu.Unlock()
	cl.wg.Wait()
	_ = cl.root.StopFuture(cl.pid).Wait()
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

package actors

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// Requests to the cluster actor, and its own events.
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
		if ca.closing {
			return // Close has taken the nodes: start or retire none now
		}
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
	closed := ca.cl.closed
	ca.reading = true
	if !ca.cl.Go(func() {
		shards, err := readTopology(closed, candidates, timeout)
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

// askTopology reads the topology from one node: CLUSTER SHARDS, and
// CLUSTER SLOTS too when that is unknown (before Redis 7.0) or leaves
// slots without an owner.
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
	switch {
	case errors.As(err, &re) && re.Prefix() == "ERR":
		// Before 7.0: no CLUSTER SHARDS.
		return ask("CLUSTER SLOTS", clusterSlotsArgs, ParseClusterSlots)
	case err == nil && Coverage(shards) == SlotCount, err != nil && !errors.Is(err, errTopology):
		return shards, err
	}
	// Slots without an owner: the cluster may have lost them, or the
	// server hid them (Redis 7.2 to 7.4 after a failover, see
	// ParseClusterShards). CLUSTER SLOTS reads the owner of every slot
	// straight from the slot table; the reply that covers more wins.
	slots, e := ask("CLUSTER SLOTS", clusterSlotsArgs, ParseClusterSlots)
	if e == nil && Coverage(slots) > Coverage(shards) {
		return slots, nil
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

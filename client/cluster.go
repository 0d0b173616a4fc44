package client

import (
	"context"
	"errors"
	"iter"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actoredis/actoredis/actors"
	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// ReadPolicy chooses the node that serves a read-only command in a
// cluster.
type ReadPolicy uint8

const (
	// ReadPrimary sends every command to the slot's primary (default).
	ReadPrimary ReadPolicy = iota
	// ReadReplicasPreferred sends read-only commands to a replica of the
	// slot's shard (a random healthy one), the primary when it has none.
	ReadReplicasPreferred
	// ReadRoundRobin spreads read-only commands over the primary and the
	// replicas of the slot's shard.
	ReadRoundRobin
)

func (p ReadPolicy) String() string {
	switch p {
	case ReadPrimary:
		return "primary"
	case ReadReplicasPreferred:
		return "replicas-preferred"
	case ReadRoundRobin:
		return "round-robin"
	}
	return "ReadPolicy(" + strconv.Itoa(int(p)) + ")"
}

// ClusterOptions configures a ClusterClient. Its zero value (but for
// Addrs) works.
type ClusterOptions struct {
	// Addrs are the seed nodes, "host:port"; any one that answers is
	// enough to learn the whole cluster.
	Addrs []string
	// Node configures the connection pool of every node, as Options does
	// a Client's; its Addr is ignored and its DB must be 0.
	Node Options
	// MaxRedirects is how many MOVED and ASK replies one command may
	// follow before it fails with ErrTooManyRedirects. Default 5.
	MaxRedirects int
	// RetryTimeout bounds the retries of a command whose context has no
	// deadline (TRYAGAIN, CLUSTERDOWN, a node that went away). Default
	// Node.PoolTimeout (ReadTimeout + 1 s).
	RetryTimeout time.Duration
	// RefreshInterval is how often the topology is read even when
	// nothing asked for it. Default 10 s.
	RefreshInterval time.Duration
	// ReadFrom chooses the node of read-only commands. Default
	// ReadPrimary; the other policies open pools to the replicas too,
	// whose connections send READONLY.
	ReadFrom ReadPolicy
}

func (o ClusterOptions) validate() error {
	switch {
	case len(o.Addrs) == 0:
		return &argError{msg: "ClusterOptions.Addrs needs at least one seed node"}
	case o.Node.DB != 0:
		return &argError{msg: "a cluster has only database 0"}
	case o.Node.Network == "unix":
		return &argError{msg: "cluster nodes are reached over TCP"}
	case o.MaxRedirects < 0, o.RetryTimeout < 0, o.RefreshInterval < 0:
		return &argError{msg: "ClusterOptions: negative limit"}
	case o.ReadFrom > ReadRoundRobin:
		return &argError{msg: "unknown ReadPolicy " + o.ReadFrom.String()}
	}
	return o.Node.validate()
}

// ClusterClient is a Redis Cluster client: every command method of Client
// (the same code), futures, pipelines, transactions within one slot, and
// pub/sub. A cluster actor owns the topology and one pool actor per node;
// each command goes straight to the pool of its first key's slot owner,
// found in an immutable slot table read without a lock.
//
// MOVED replies update the table (a refresh) and resend the command to the
// new owner; ASK replies send ASKING and the command, together, to the
// node named, without touching the table. Blocking and stateful commands
// (BLPOP, XREAD BLOCK, WAIT, ...) follow both as well, each attempt on a
// dedicated connection; a context cancelled while one blocks ends it on
// the server before the caller hears of it, as on Client. TRYAGAIN and
// CLUSTERDOWN, a node that went away and a command that was not sent are
// retried with backoff within the context's deadline (or RetryTimeout);
// a command that may have reached a lost node is retried only when it is
// read-only or idempotent. Futures on one key execute in issue order,
// while its slot moves too (MOVED, ASK, failover): a command whose slot has earlier
// commands in flight on another node, or being redirected or retried,
// waits behind them (queued in issue order, sent once they have
// completed), never ahead; in a pipeline, each command alike. While the
// slot is stable this costs one atomic compare-and-swap per command, no
// lock and no allocation. Not covered: reads sent to replicas (ReadFrom),
// commands on dedicated connections, and a command already sent behind
// one that then gets TRYAGAIN (the server ran the later one first).
//
// Multi-key commands whose keys span slots: MGET, MSET, DEL, EXISTS,
// UNLINK and TOUCH are split per slot and joined (MGET in the caller's
// key order, the counts summed; not atomic across slots); MSETNX and
// MSETEX are refused with ErrCrossSlot; any other is sent to its first
// key's slot and gets the server's CROSSSLOT error. FLUSHALL, FLUSHDB,
// SCRIPT LOAD, SCRIPT FLUSH, SCRIPT EXISTS, FUNCTION LOAD, FUNCTION FLUSH,
// FUNCTION DELETE and FUNCTION RESTORE go to every primary (the first
// error wins; SCRIPT EXISTS is true where every primary has the script);
// DBSIZE is the sum over the primaries, KEYS and CLUSTER SLOT-STATS their
// union. CLUSTERSCAN goes to the owner of the slot its cursor names.
// Keyless commands go to any primary. A ClusterClient is safe for
// concurrent use.
type ClusterClient struct {
	cmds
	cl   *actors.Cluster
	opts ClusterOptions
	rr   atomic.Uint32

	moved, ask, tryAgain, retries atomic.Int64

	shardMu   sync.Mutex
	shardSubs map[*ClusterSubscription]struct{}

	nodeIDs atomic.Uint32 // numbers the nodes, from 1 (clusterNode.id)
	order   slotOrder
	// pipe describes the last pipeline executed, for the next one to
	// size its slabs.
	pipe lastPipeline
}

// NewCluster starts a cluster client. It does not wait for the topology:
// the first commands wait up to Node.PoolTimeout for it.
func NewCluster(opts ClusterOptions) (*ClusterClient, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	if opts.MaxRedirects == 0 {
		opts.MaxRedirects = 5
	}
	nodeCfg := opts.Node.config()
	cc := &ClusterClient{opts: opts}
	cc.order.cc = cc
	cc.cl = actors.StartCluster(actors.ClusterConfig{
		Seeds:           opts.Addrs,
		Node:            nodeCfg,
		RefreshInterval: opts.RefreshInterval,
		Replicas:        opts.ReadFrom != ReadPrimary,
		NewNode: func(n *actors.Node) {
			no := opts.Node
			no.Addr = n.Addr
			c := &Client{pool: n.Pool, opts: no}
			c.cmds = cmds{s: clientSender{c}}
			n.Value = &clusterNode{client: c, id: cc.nodeIDs.Add(1) & orderNodeMask}
			n.Pool.OnShardUnsubscribed(cc.shardUnsubscribed)
		},
	})
	if cc.opts.RetryTimeout == 0 {
		cc.opts.RetryTimeout = cc.cl.Config().Node.PoolTimeout
	}
	cc.cmds = cmds{s: clusterSender{cc}}
	return cc, nil
}

// Close stops the cluster actor and every node pool: pending commands
// fail with ErrClosed, and every goroutine of the client has ended when it
// returns. Later calls return ErrClosed.
func (cc *ClusterClient) Close() error { return cc.cl.Close() }

// goTracked runs f (a redirect's, a retry's or a slot queue's work) on a
// goroutine that the cluster's Close waits for. Once Close is waiting, f
// runs untracked: every pool is closed by then, so whatever f sends fails
// at once and it ends.
func (cc *ClusterClient) goTracked(f func()) {
	if !cc.cl.Go(f) {
		go f()
	}
}

// Options returns the options the client was created with.
func (cc *ClusterClient) Options() ClusterOptions { return cc.opts }

// String describes the client without secrets.
func (cc *ClusterClient) String() string {
	return "actoredis.ClusterClient(" + strings.Join(cc.opts.Addrs, ",") + " " + cc.opts.Node.String() + ")"
}

// ClusterStats counts what the client did to follow the cluster.
type ClusterStats struct {
	Moved     int64 // MOVED replies followed
	Ask       int64 // ASK replies followed
	TryAgain  int64 // TRYAGAIN and CLUSTERDOWN replies waited out
	Retries   int64 // commands resent after a lost node or connection
	Refreshes int64 // topology reads published
	Nodes     int   // nodes in the current table (primaries and replicas)
}

// Stats returns the client's counters.
func (cc *ClusterClient) Stats() ClusterStats {
	s := ClusterStats{Moved: cc.moved.Load(), Ask: cc.ask.Load(), TryAgain: cc.tryAgain.Load(),
		Retries: cc.retries.Load(), Refreshes: cc.cl.Refreshes()}
	if t := cc.cl.Table(); t != nil {
		for _, sh := range t.Shards {
			s.Nodes += 1 + len(sh.Replicas)
		}
	}
	return s
}

// Refresh asks for the topology to be read again; it does not wait.
func (cc *ClusterClient) Refresh() { cc.cl.Refresh() }

// ForEachPrimary calls fn with a Client for each primary of the current
// topology, one after another, and returns the first error. The Client
// shares the ClusterClient's connections: do not Close it.
func (cc *ClusterClient) ForEachPrimary(ctx context.Context, fn func(ctx context.Context, c *Client) error) error {
	t, err := cc.cl.WaitTable(ctx)
	if err != nil {
		return err
	}
	for _, s := range t.Shards {
		if err := fn(ctx, nodeClient(s.Primary)); err != nil {
			return err
		}
	}
	return nil
}

// ScanIter walks the keyspace of every primary, one after another, as one
// iterator (see Client.ScanIter). Keys written or moved between nodes
// during the walk may be missed or seen twice, as with SCAN itself.
func (cc *ClusterClient) ScanIter(ctx context.Context, opts ScanOptions) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		t, err := cc.table(ctx)
		if err != nil {
			yield("", err)
			return
		}
		for _, s := range t.Shards {
			for k, err := range nodeClient(s.Primary).ScanIter(ctx, opts) {
				if !yield(k, err) || err != nil {
					return
				}
			}
		}
	}
}

// MasterFor returns the address of the primary that owns key's slot in
// the current topology.
func (cc *ClusterClient) MasterFor(ctx context.Context, key string) (string, error) {
	t, err := cc.cl.WaitTable(ctx)
	if err != nil {
		return "", err
	}
	s := t.Shard(int(Slot(key)))
	if s == nil {
		return "", errSlotUncovered(int(Slot(key)))
	}
	return s.Primary.Addr, nil
}

// clusterNode is what a ClusterClient keeps on each node of the topology
// (actors.Node.Value): the Client of the node's pool, and the node's
// number in the slot order (slotOrder), from 1.
type clusterNode struct {
	client *Client
	id     uint32
}

// nodeClient returns the Client of n's pool.
func nodeClient(n *actors.Node) *Client { return n.Value.(*clusterNode).client }

// nodeID returns n's number in the slot order.
func nodeID(n *actors.Node) uint32 { return n.Value.(*clusterNode).id }

func errSlotUncovered(slot int) error {
	return &ClusterDownError{Slot: slot}
}

func (cc *ClusterClient) table(ctx context.Context) (*actors.Table, error) {
	if t := cc.cl.Table(); t != nil {
		return t, nil
	}
	return cc.cl.WaitTable(ctx)
}

// clusterCall is one command on its way through the cluster: each attempt
// sends a copy (inner) whose completion is looked at first, so a MOVED,
// ASK, TRYAGAIN or lost node leads to another attempt and only the final
// reply reaches cmd, the caller's.
type clusterCall struct {
	cc        *ClusterClient
	ctx       context.Context
	cmd       *messages.Command
	slot      int
	node      *actors.Node // set for a broadcast: the one node to ask
	redirects int
	retries   int
	deadline  time.Time
	tracked   bool // counted in flight by cc.order until it completes
	// run is set for the commands of a pipeline sent on one dedicated
	// connection (dispatchDedicated).
	run *dedicatedRun
}

// dedicatedRun is what the commands of a pipeline sent on one dedicated
// connection share: whether one of them left it (a redirect, a retry),
// which a later WAIT's count would not cover.
type dedicatedRun struct{ left atomic.Bool }

// countsConnection reports whether a command's reply is about the earlier
// commands of its connection (WAIT, WAITAOF), so that it means nothing
// sent anywhere else.
func countsConnection(name string) bool {
	return strings.EqualFold(name, "WAIT") || strings.EqualFold(name, "WAITAOF")
}

// leave notes that the call is going for another attempt, away from the
// dedicated connection of its pipeline, if it had one.
func (k *clusterCall) leave() {
	if k.run != nil {
		k.run.left.Store(true)
	}
}

// route picks the node for the call in table t: the slot's primary, or a
// replica for a read-only command when the policy says so; any primary
// for a keyless command. Nil when no node owns the slot.
func (k *clusterCall) route(t *actors.Table) *actors.Node {
	if k.node != nil {
		return k.node
	}
	s := t.Shard(k.slot)
	if s == nil || len(s.Replicas) == 0 || !k.cmd.Flags.Has(messages.ReadOnly) {
		return k.cc.primaryOf(t, k.slot)
	}
	switch k.cc.opts.ReadFrom {
	case ReadReplicasPreferred:
		return s.Replicas[int(k.cc.rr.Add(1))%len(s.Replicas)]
	case ReadRoundRobin:
		if i := int(k.cc.rr.Add(1)) % (len(s.Replicas) + 1); i > 0 {
			return s.Replicas[i-1]
		}
	}
	return s.Primary
}

// dispatchFirst sends the call's first attempt to the owner in the
// current table, after the earlier commands of its slot when they are in
// flight on another node or being redirected (see slotOrder).
func (k *clusterCall) dispatchFirst() {
	if k.slot < 0 || k.node != nil {
		k.dispatch()
		return
	}
	t, err := k.cc.table(k.ctx)
	if err != nil {
		k.cmd.Fail(err)
		return
	}
	n := k.route(t)
	if !k.enter(t, n) {
		return
	}
	if n == nil {
		k.dispatch() // waits for a table that covers the slot
		return
	}
	k.sendTo(t, n, false, true)
}

// enter counts the first attempt of a call routed to n (nil: no owner
// known) in its slot's order, and reports whether it may be sent now;
// when not, the call is queued and sent in its turn. A read routed to a
// replica is not counted.
func (k *clusterCall) enter(t *actors.Table, n *actors.Node) bool {
	if k.slot < 0 || k.node != nil {
		return true
	}
	id := uint32(0)
	if n != nil {
		if s := t.Shard(k.slot); s == nil || s.Primary != n {
			return true
		}
		id = nodeID(n)
	}
	if !k.cc.order.enter(k.slot, id) {
		k.cc.order.wait(k)
		return false
	}
	k.tracked = true
	return true
}

// dispatch sends an attempt to the owner in the current table.
func (k *clusterCall) dispatch() {
	t, err := k.cc.table(k.ctx)
	if err != nil {
		k.finish(resp.Value{}, err)
		return
	}
	n := k.route(t)
	if n == nil {
		k.cc.cl.Refresh()
		if !k.retryLater() {
			k.finish(resp.Value{}, errSlotUncovered(k.slot))
		}
		return
	}
	k.sendTo(t, n, false, true)
}

// finish completes the caller's command, and lets the later commands of
// the slot go on.
func (k *clusterCall) finish(v resp.Value, err error) {
	if k.tracked {
		k.tracked = false
		k.cc.order.leave(k.cc, k.slot)
	}
	if err != nil {
		k.cmd.Fail(err)
		return
	}
	k.cmd.Complete(v, nil)
}

var askingArgs = resp.AppendBulkString(resp.AppendArrayHeader(nil, 1), "ASKING")

// attempt makes the copy of the caller's command for one attempt on n. The
// copy is not Batched even if the caller's command was (a pipeline's,
// redirected): a connection sets that flag on the batch it queues.
func (k *clusterCall) attempt(n *actors.Node) *messages.Command {
	in := &messages.Command{Name: k.cmd.Name, Args: k.cmd.Args, Flags: k.cmd.Flags &^ messages.Batched}
	in.OnComplete(func() { k.completed(in, n) })
	return in
}

// sendTo sends an attempt to n, after ASKING when asking (both in one
// batch, so nothing comes between them). While n has no usable connection
// for the slot, the send waits for one (up to PoolTimeout) and gives up
// when a newer table arrives: on the calling goroutine when canWait (the
// caller's own, or a retry's timer goroutine, as Client does), else on a
// goroutine of its own (a reader goroutine must never block).
//
// A tracked call resent from a reader goroutine goes through its slot's
// resend chain (slotOrder.resend), so that one waiting for a connection
// is not overtaken by a later one of the slot.
func (k *clusterCall) sendTo(t *actors.Table, n *actors.Node, asking, canWait bool) {
	in := k.attempt(n)
	var b *messages.Batch
	if asking {
		b = &messages.Batch{Commands: []*messages.Command{{Name: "ASKING", Args: askingArgs}, in}}
	}
	if !canWait && k.tracked {
		k.cc.order.resend(k, t, n, in, b)
		return
	}
	if k.trySend(n, in, b) {
		return
	}
	if canWait {
		k.waitSend(t, n, in, b)
	} else {
		k.cc.goTracked(func() { k.waitSend(t, n, in, b) })
	}
}

// trySend hands an attempt (b, when asking) to n's connection of the
// slot when it is usable now.
func (k *clusterCall) trySend(n *actors.Node, in *messages.Command, b *messages.Batch) bool {
	if b != nil {
		return n.Pool.TrySendBatch(b, k.slot)
	}
	return n.Pool.TrySend(in, k.slot)
}

// waitSend sends an attempt to n, waiting for a usable connection until
// the caller's context ends or a table newer than t arrives.
func (k *clusterCall) waitSend(t *actors.Table, n *actors.Node, in *messages.Command, b *messages.Batch) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if k.ctx != nil {
		stop := context.AfterFunc(k.ctx, cancel)
		defer stop()
	}
	if t != nil {
		k.cc.goTracked(func() {
			select {
			case <-t.Changed():
				cancel()
			case <-ctx.Done():
			}
		})
	}
	if b != nil {
		n.Pool.SendBatch(ctx, b, k.slot)
	} else {
		n.Pool.Send(ctx, in, k.slot)
	}
}

// completed looks at an attempt's outcome: a redirect or a retryable
// failure makes another attempt; anything else completes the caller's
// command.
func (k *clusterCall) completed(in *messages.Command, n *actors.Node) {
	v, err := in.Result()
	if k.run != nil && countsConnection(k.cmd.Name) {
		// A WAIT after a pipeline's writes counts the replicas of this
		// connection's writes: it is never sent again elsewhere, and
		// gives no count when one of the writes went elsewhere (the
		// completions of one connection run in order: theirs came first).
		if err == nil && k.run.left.Load() {
			v, err = resp.Value{}, ErrWaitUncovered
		}
		k.finish(v, err)
		return
	}
	if err == nil && v.IsError() {
		if r, ok := actors.ParseRedirect(v.Str); ok {
			k.leave()
			k.redirect(r, n, v.Str)
			return
		}
		if strings.HasPrefix(v.Str, "TRYAGAIN ") || strings.HasPrefix(v.Str, "CLUSTERDOWN ") {
			k.cc.tryAgain.Add(1)
			if strings.HasPrefix(v.Str, "CLUSTERDOWN ") {
				k.cc.cl.Refresh()
			}
			if k.retryLater() {
				k.leave()
				return
			}
		}
	}
	if err != nil && k.retryable(err) {
		k.cc.cl.Refresh()
		if k.retryLater() {
			k.leave()
			k.cc.retries.Add(1)
			return
		}
	}
	k.finish(v, err)
}

// retryable: the attempt failed in a way that another attempt may fix
// without the risk of running the command twice, unless it is safe to
// repeat.
func (k *clusterCall) retryable(err error) bool {
	select {
	case <-k.cc.cl.Closed():
		return false
	default:
	}
	if k.ctx != nil && k.ctx.Err() != nil {
		return false
	}
	return k.retryableErr(err)
}

// retryableErr is retryable's judgement of err alone.
func (k *clusterCall) retryableErr(err error) bool {
	var ce *ConnError
	switch {
	case errors.As(err, &ce):
		// First: a command in flight when its node's pool closed is a
		// ConnError that matches ErrClosed too, and may have run.
		return !ce.Sent || actors.SafeToResend(k.cmd.Flags, k.cc.opts.Node.Retry.ResendIdempotent)
	case errors.Is(err, context.Canceled):
		return true // our own: a newer table arrived before it was sent
	case errors.Is(err, ErrClosed):
		return true // the node left the topology before it was sent
	case errors.Is(err, ErrPoolTimeout):
		return true
	}
	return false
}

// retryBase and retryCap space the retries: exponential, full jitter.
const (
	retryBase = 10 * time.Millisecond
	retryCap  = 250 * time.Millisecond
)

// retryLater schedules another attempt after a backoff, unless that would
// pass the deadline; it reports whether it did.
func (k *clusterCall) retryLater() bool {
	now := time.Now()
	if k.deadline.IsZero() {
		k.deadline = now.Add(k.cc.opts.RetryTimeout)
		if k.ctx != nil {
			if d, ok := k.ctx.Deadline(); ok {
				k.deadline = d
			}
		}
	}
	k.retries++
	delay := actors.ExponentialBackoff{Base: retryBase, Cap: retryCap}.Next(k.retries)
	if now.Add(delay).After(k.deadline) {
		return false
	}
	again := func() {
		select {
		case <-k.cc.cl.Closed():
			k.finish(resp.Value{}, ErrClosed)
			return
		default:
		}
		k.dispatch()
	}
	if k.tracked {
		// Later commands of the slot wait for this one, and the retries
		// of the slot go out in the order they were decided.
		k.cc.order.redirected(k.slot)
		k.cc.order.later(k.slot, now.Add(delay), again)
		return true
	}
	time.AfterFunc(delay, again)
	return true
}

// redirect follows MOVED (refresh the table, resend to the new owner) or
// ASK (ASKING and the command to the node named, table untouched).
func (k *clusterCall) redirect(r actors.Redirect, from *actors.Node, msg string) {
	k.redirects++
	if k.redirects > k.cc.opts.MaxRedirects {
		k.finish(resp.Value{}, &RedirectError{Command: k.cmd.Name, Last: msg})
		return
	}
	if strings.HasPrefix(r.Addr, ":") {
		// The node does not know its own host: it is the one we asked.
		if h, _, ok := strings.Cut(from.Addr, ":"); ok {
			r.Addr = h + r.Addr
		}
	}
	if k.tracked {
		k.cc.order.redirected(k.slot) // later commands wait for this one
	}
	if r.Ask {
		k.cc.ask.Add(1)
	} else {
		k.cc.moved.Add(1)
		k.cc.cl.Refresh()
	}
	// Resent from here, the reader goroutine, while the target's
	// connection is usable: redirected commands then reach it in the
	// order their replies arrived, which keeps the issue order of commands
	// on one key.
	t := k.cc.cl.Table()
	if t != nil {
		for _, s := range t.Shards {
			if s.Primary.Addr == r.Addr {
				k.sendTo(t, s.Primary, r.Ask, false)
				return
			}
		}
	}
	// A node the table does not know (yet): the cluster actor starts its
	// pool, off the reader goroutine (in the slot's resend chain when
	// tracked).
	toNew := func() {
		n, err := k.cc.cl.Node(k.ctx, r.Addr)
		if err != nil {
			k.finish(resp.Value{}, err)
			return
		}
		k.sendTo(t, n, r.Ask, true)
	}
	if k.tracked {
		k.cc.order.later(k.slot, time.Time{}, toNew)
		return
	}
	go toNew()
}

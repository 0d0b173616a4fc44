//go:build integration

package integration

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/linearize"
	"github.com/actoredis/actoredis/integration/redistest"
)

// The acked rule: linearizability where replication is asynchronous
// (Sentinel failover, L5; cluster failover, L7).
//
// A primary acknowledges a write before its replica has it, so a write
// that returned OK may be lost when the primary dies and the replica takes
// over: only the writes acknowledged with WAIT must survive, and the
// checker is told exactly that.
//
//   - Writes go through a Conn leased by the worker (single commands), a
//     pipeline (which runs on one dedicated connection when it holds WAIT;
//     in a cluster, WAIT fails with ErrWaitUncovered when a write before
//     it went elsewhere) or Watch's connection (MULTI/EXEC), and are followed by WAIT 1 100
//     on that same connection. A write that WAIT acknowledged is on the
//     replica: it happened, with its results. One that WAIT did not
//     acknowledge (0 replicas, or WAIT failed) may be lost: Unknown, its
//     outcome pending forever. An error is the outcome, as everywhere.
//   - An operation whose writes changed nothing (DEL of a missing key, a
//     compare-and-set that did not set) propagates nothing, so WAIT does
//     not cover what it observed: it is a read.
//   - Reads (GET, MGET) go through the client's own routing. A read (the
//     above included) called before the failover completed could have
//     seen a write that the failover then lost; no rule of the model
//     explains that, so those reads are left out of the history (Excluded)
//     and only the reads called after the failover completed are recorded,
//     once the round is over: a failover the sentinels make on their own
//     (a primary that looked down on a loaded machine: seen in the soak
//     runs) counts too, so the reads called before the round's last one
//     are left out. That still catches a client that reads from the old
//     primary once it is back as a replica (stale until it has synced), or
//     from a node that lacks acknowledged writes.

// linWaitTimeout is the timeout of the WAIT after each write.
const linWaitTimeout = 100 * time.Millisecond

// linPause spaces a worker's operations after one that could not start
// (no connection: the primary is down), so that it does not spin.
const linPause = 5 * time.Millisecond

// release ends the worker's lease, if any.
func (w *linWorker) release() {
	if w.cn != nil {
		_ = w.cn.Close()
		w.cn = nil
	}
}

// lease returns the worker's Conn, leasing one to the primary of key when
// it has none. Every group of an acked run lives on one primary (one
// server under Sentinel; one slot in a cluster), so one Conn serves all.
func (w *linWorker) lease(ctx context.Context, key string) (*client.Conn, error) {
	if w.cn == nil {
		cn, err := w.t.conn(ctx, key)
		if err != nil {
			return nil, err
		}
		w.cn = cn
	}
	return w.cn, nil
}

// oneAcked runs one operation (its kind drawn from n, 0-99) on group g
// and records it by the acked rule.
func (w *linWorker) oneAcked(ctx context.Context, g, n int) {
	h := w.r.h
	switch {
	case n < 70: // a single command
		st := w.randomStep(g, true)
		in := linearize.Input{Group: g, Steps: []linearize.Step{st}}
		if !st.Writes() {
			call := h.Now()
			results, err := w.stepFuture(ctx, w.t, g, st)()
			w.recordRead(in, call, results, err)
			return
		}
		key := w.r.key(g, st.Key)
		cn, err := w.lease(ctx, key)
		if err != nil { // nothing was sent
			time.Sleep(linPause)
			return
		}
		call := h.Now()
		var results []string
		if st.Kind == linearize.CAS {
			v, cerr := linCAS.Run(ctx, cn, []string{key}, st.Old, st.Val).Result()
			results, err = []string{strconv.FormatInt(v.Int, 10)}, cerr
		} else {
			results, err = w.stepFuture(ctx, cn, g, st)()
		}
		acked, reason := false, ""
		if err == nil {
			acked, reason = linAcked(cn.Wait(ctx, 1, linWaitTimeout))
		}
		if err != nil || reason == linWaitFailed {
			w.release() // its connection may be gone
		}
		w.recordWrite(in, call, results, err, acked, reason)
	case n < 78: // MGET
		st := linearize.Step{Kind: linearize.MGet}
		call := h.Now()
		results, err := w.stepFuture(ctx, w.t, g, st)()
		w.recordRead(linearize.Input{Group: g, Steps: []linearize.Step{st}}, call, results, err)
	case n < 89: // a pipeline, then WAIT, on one connection
		p := w.t.pipeline(false)
		steps := w.steps(g)
		call := h.Now()
		waits := w.queue(ctx, p, g, steps)
		wait := p.Wait(ctx, 1, linWaitTimeout)
		_ = p.Exec(ctx) // each future keeps its own outcome
		acked, reason := linAcked(wait)
		for i, st := range steps {
			results, err := waits[i]()
			in := linearize.Input{Group: g, Steps: []linearize.Step{st}}
			if st.Writes() {
				w.recordWrite(in, call, results, err, acked, reason)
			} else {
				w.recordRead(in, call, results, err)
			}
		}
	default: // MULTI/EXEC then WAIT, on Watch's connection
		// Watch is the API's transaction on a connection of its own; the
		// key it watches is one that nobody writes, so EXEC never fails
		// for it.
		steps := w.steps(g)
		in := linearize.Input{Group: g, Steps: steps, Tx: true}
		var (
			results []string
			err     error
			acked   bool
			reason  string
			sent    bool
		)
		call := h.Now()
		_ = w.t.Watch(ctx, func(tx *client.Tx) error {
			p := tx.TxPipeline()
			waits := w.queue(ctx, p, g, steps)
			sent = true
			results, err = txResults(p.Exec(ctx), waits)
			if err != nil {
				return err
			}
			acked, reason = linAcked(tx.Wait(ctx, 1, linWaitTimeout))
			return nil
		}, "{"+w.r.tags[g]+"}:watched")
		if !sent { // WATCH (or the lease) failed: nothing of the transaction was sent
			time.Sleep(linPause)
			return
		}
		if anyWrites(steps) {
			w.recordWrite(in, call, results, err, acked, reason)
		} else {
			w.recordRead(in, call, results, err)
		}
	}
}

// anyWrites reports whether any of steps may write.
func anyWrites(steps []linearize.Step) bool {
	for _, st := range steps {
		if st.Writes() {
			return true
		}
	}
	return false
}

// The reasons of a write that WAIT did not acknowledge.
const (
	linUnacked    = "not acknowledged by WAIT"
	linWaitFailed = "WAIT failed"
)

// linAcked reads a WAIT 1's reply: whether a replica acknowledged the
// writes before it, and if not, why.
func linAcked(f *client.Future[int64]) (bool, string) {
	n, err := f.Result()
	switch {
	case err != nil:
		return false, linWaitFailed
	case n >= 1:
		return true, ""
	}
	return false, linUnacked
}

// recordWrite records an operation with writes by the acked rule.
func (w *linWorker) recordWrite(in linearize.Input, call int64, results []string, err error, acked bool, reason string) {
	switch {
	case err != nil:
		w.r.h.Add(w.proc, in, call, results, err)
	case changedNothing(in, results):
		w.recordRead(in, call, results, nil)
	case acked:
		w.happened(in, call, results)
	default:
		w.r.h.Record(w.proc, in, call, w.r.h.Now(), nil, linearize.Unknown, reason)
	}
}

// linRead is a read that returned, to be recorded once the round is over.
type linRead struct {
	proc      int
	in        linearize.Input
	call, ret int64
	results   []string
}

// recordRead records a read by the acked rule: a failed one is left out
// at once; one that returned waits for the end of the round, since only
// then is the round's last failover known (recordReads).
func (w *linWorker) recordRead(in linearize.Input, call int64, results []string, err error) {
	if err != nil {
		w.r.h.Add(w.proc, in, call, results, err) // a failed read: left out
		return
	}
	rd := linRead{proc: w.proc, in: in, call: call, ret: w.r.h.Now(), results: results}
	w.r.readsMu.Lock()
	w.r.reads = append(w.r.reads, rd)
	w.r.readsMu.Unlock()
}

// recordReads records the round's reads: those called after the last
// failover completed happened, the others are Excluded.
func (r *linRound) recordReads() {
	r.readsMu.Lock()
	defer r.readsMu.Unlock()
	at := r.failedOver.Load()
	for _, rd := range r.reads {
		if at == 0 || rd.call < at {
			r.h.Record(rd.proc, rd.in, rd.call, rd.ret, nil, linearize.Excluded, "read before the failover completed")
			continue
		}
		r.after.Add(1)
		r.h.Record(rd.proc, rd.in, rd.call, rd.ret, rd.results, linearize.Happened, "")
	}
	r.reads = nil
}

// noteFailover notes that a failover completed at (history time); the
// round's last one counts.
func (r *linRound) noteFailover(at int64) {
	for {
		old := r.failedOver.Load()
		if at <= old || r.failedOver.CompareAndSwap(old, at) {
			return
		}
	}
}

// happened records an operation that happened, counting those called
// after the failover completed.
func (w *linWorker) happened(in linearize.Input, call int64, results []string) {
	if at := w.r.failedOver.Load(); at != 0 && call >= at {
		w.r.after.Add(1)
	}
	w.r.h.Record(w.proc, in, call, w.r.h.Now(), results, linearize.Happened, "")
}

// changedNothing reports whether the results of in's steps show that none
// of its writes changed anything (DEL of a missing key, a compare-and-set
// that did not set), so that nothing of it was replicated.
func changedNothing(in linearize.Input, results []string) bool {
	i := 0
	for _, st := range in.Steps {
		if i >= len(results) {
			return false
		}
		switch st.Kind {
		case linearize.Set, linearize.Incr:
			return false
		case linearize.Del, linearize.CAS:
			if results[i] != "0" {
				return false
			}
		}
		i += st.Results()
	}
	return true
}

// L5: Sentinel failover under the workload. Three NewFailover clients with
// default options, 12 goroutines; after 2,000 operations the primary is
// killed with -9, the sentinels promote the replica, and the old primary
// comes back as a replica of the new one; the round ends 3,000 operations
// later. The history is recorded and checked by the acked rule (above):
// writes acknowledged by WAIT must survive, reads are recorded from the
// moment the round's last failover completed (for the injected one: every
// sentinel names the new primary and it says ROLE master; for any other,
// see linWatchSentinels). Gates: every history linearizable, the failover
// injected in every round, operations done after it.
func TestLinearizableSentinelFailover(t *testing.T) {
	set := redistest.StartSentinel(t)
	s := newScenario(t, "L5", nil)
	noteRedisVersion(set.Nodes()[0])
	shape := defaultLinShape()
	shape.round = time.Minute // a bound: the fault and settle decide when a round ends
	targets := make([]linTarget, shape.clients)
	for i := range targets {
		c, err := client.NewFailover(client.SentinelOptions{MasterName: set.Name(), SentinelAddrs: set.SentinelAddrs()})
		require.NoError(t, err)
		s.closeAtEnd(func() { _ = c.Close() })
		targets[i] = linClient{c}
	}
	linRunRounds(t, s, linRun{shape: shape, targets: targets, acked: true, watch: linWatchSentinels(set), fault: &linFault{
		name: "kill -9 of the primary, Sentinel failover, old primary back as a replica", every: 2000, once: true, settle: 3000,
		inject: func(_ context.Context, r *linRound) {
			old := set.Primary()
			old.Kill9()
			r.noteEvent(fmt.Sprintf("%v: kill -9 %s", time.Duration(r.h.Now()).Round(time.Millisecond), old.Addr()))
			next := set.AwaitFailover(old, 30*time.Second)
			r.noteFailover(r.h.Now())
			set.RestartAsReplica(old, next)
			r.noteEvent(fmt.Sprintf("%v: %s back as a replica", time.Duration(r.h.Now()).Round(time.Millisecond), old.Addr()))
		}}})
}

// linWatchSentinels notes every failover of set while a round runs (see
// linWatchFailovers): what each sentinel names as the primary.
func linWatchSentinels(set *redistest.SentinelSet) func(done <-chan struct{}, r *linRound) {
	return linWatchFailovers(set.Nodes(), func() map[string]string {
		named := map[string]string{}
		for _, sn := range set.Sentinels() {
			v, err := sn.Do("SENTINEL", "GET-MASTER-ADDR-BY-NAME", set.Name())
			hp, _ := v.([]any)
			if err != nil || len(hp) != 2 {
				continue
			}
			h, _ := hp[0].(string)
			p, _ := hp[1].(string)
			named[sn.Addr()] = net.JoinHostPort(h, p)
		}
		return named
	})
}

// linWatchFailovers notes every failover while a round runs, the
// injected one and any the servers make on their own (a primary that
// looked down on a loaded machine: the sentinels did so in L5's soak
// runs; a cluster does after cluster-node-timeout). Every 20 ms (each
// question is a new connection; noting later is safe, it only leaves out
// more reads) it asks named for the primary each source (a sentinel, the
// cluster) names; when one names another, the failover is complete once
// the primary it named before no longer answers ROLE as one (dead, or
// demoted), since until then a client may still read there. Reads called
// before the round's last failover are left out (the acked rule).
func linWatchFailovers(nodes []*redistest.Server, named func() map[string]string) func(done <-chan struct{}, r *linRound) {
	return func(done <-chan struct{}, r *linRound) {
		last := map[string]string{}     // source: the primary it names
		switches := map[string]string{} // old primary: new one, until the old stops acting as a primary
		seen := map[string]bool{}       // the switches counted (each sentinel makes its own)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			for src, a := range named() {
				if prev, ok := last[src]; ok && prev != a {
					switches[prev] = a
				}
				last[src] = a
			}
			for old, now := range switches {
				if linActsAsPrimary(nodes, old) {
					continue
				}
				r.noteFailover(r.h.Now())
				if !seen[old+">"+now] {
					seen[old+">"+now] = true
					r.failovers.Add(1)
					r.noteEvent(fmt.Sprintf("%v: %s replaced %s", time.Duration(r.h.Now()).Round(time.Millisecond), now, old))
				}
				delete(switches, old)
			}
		}
	}
}

// linActsAsPrimary reports whether the node of nodes at addr answers ROLE
// as a primary.
func linActsAsPrimary(nodes []*redistest.Server, addr string) bool {
	for _, n := range nodes {
		if n.Addr() != addr {
			continue
		}
		role, err := n.Do("ROLE")
		r, _ := role.([]any)
		return err == nil && len(r) > 0 && r[0] == "master"
	}
	return false
}

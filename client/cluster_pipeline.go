package client

import (
	"context"
	"errors"
	"time"

	"github.com/actoredis/actoredis/actors"
	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// ClusterPipeline queues commands for a ClusterClient and sends them when
// Exec is called: split by node, one batch per node, the batches sent in
// parallel; each future completes with its own reply, so the caller reads
// them in the order it queued them. A command redirected (MOVED, ASK) or
// whose node went away is resent on its own, as a single command would
// be. MGET, MSET and the other split or broadcast commands are sent as
// they are outside a pipeline.
//
// A transactional ClusterPipeline (TxPipeline) must have all its keys in
// one hash slot (use a hash tag, "{user1}:a" and "{user1}:b"): Exec fails
// every future with ErrCrossSlot otherwise, having sent nothing. It runs
// as MULTI/EXEC on the slot's primary; when the slot moved meanwhile
// (MOVED, ASK at queue time) the whole transaction is sent again to the
// new owner (nothing of it was applied).
type ClusterPipeline struct {
	cmds
	pipeQueue
	cc *ClusterClient
}

// Pipeline returns an empty pipeline.
func (cc *ClusterClient) Pipeline() *ClusterPipeline { return cc.newPipeline(false) }

// TxPipeline returns an empty transactional pipeline (MULTI/EXEC within
// one hash slot).
func (cc *ClusterClient) TxPipeline() *ClusterPipeline { return cc.newPipeline(true) }

func (cc *ClusterClient) newPipeline(tx bool) *ClusterPipeline {
	p := &ClusterPipeline{cc: cc}
	p.init(cc.cl, &cc.pipe, tx, false)
	p.cmds = cmds{s: pipeSender{&p.pipeQueue}}
	return p
}

// Pipelined queues commands with fn and executes them; it returns fn's
// error (nothing is sent then) or Exec's.
func (cc *ClusterClient) Pipelined(ctx context.Context, fn func(p *ClusterPipeline) error) error {
	return pipelined(ctx, cc.Pipeline(), fn)
}

// TxPipelined is Pipelined in a MULTI/EXEC transaction within one slot.
func (cc *ClusterClient) TxPipelined(ctx context.Context, fn func(p *ClusterPipeline) error) error {
	return pipelined(ctx, cc.TxPipeline(), fn)
}

// Exec sends the queued commands and waits for every reply (or for ctx to
// end). It returns the first error among the commands, in queue order,
// while each future keeps its own.
func (p *ClusterPipeline) Exec(ctx context.Context) error { return p.exec(ctx, p.dispatch) }

// dispatch sends the queued commands: a transaction to its slot's primary
// (returning its outcome), the others split by node.
func (p *ClusterPipeline) dispatch(ctx context.Context, queued []*messages.Command, _, _ int) error {
	if p.tx {
		return p.cc.execTx(ctx, queued)
	}
	p.cc.dispatchPipeline(ctx, queued)
	return nil
}

// dispatchPipeline groups the commands by node and sends one batch per
// node, the first on this goroutine and the others on their own.
func (cc *ClusterClient) dispatchPipeline(ctx context.Context, queued []*messages.Command) {
	t, err := cc.table(ctx)
	if err != nil {
		for _, cmd := range queued {
			cmd.Fail(err)
		}
		return
	}
	type batch struct {
		node *actors.Node
		slot int
		cmds []*messages.Command
	}
	if cc.dispatchDedicated(ctx, t, queued) {
		return
	}
	var batches []*batch
	byNode := map[*actors.Node]*batch{}
	s := clusterSender{cc}
	for _, cmd := range queued {
		if specialKind(cmd.Name) != plainCmd || cmd.Flags&(messages.Blocking|messages.Stateful) != 0 {
			s.send(ctx, cmd, routeOf(cmd))
			continue
		}
		slot := routeOf(cmd).slot()
		k := &clusterCall{cc: cc, ctx: ctx, cmd: cmd, slot: slot}
		n := k.route(t)
		if n == nil {
			k.dispatchFirst() // waits for a table that covers the slot
			continue
		}
		if !k.enter(t, n) {
			continue // queued behind its slot's earlier commands
		}
		b := byNode[n]
		if b == nil {
			b = &batch{node: n, slot: slot}
			byNode[n] = b
			batches = append(batches, b)
		}
		if b.slot < 0 {
			b.slot = slot
		}
		b.cmds = append(b.cmds, k.attempt(n))
	}
	for i, b := range batches {
		send := func() { b.node.Pool.SendBatch(ctx, &messages.Batch{Commands: b.cmds}, b.slot) }
		if i == len(batches)-1 {
			send()
		} else {
			go send()
		}
	}
}

// dispatchDedicated sends a pipeline that holds a blocking or stateful
// command (WAIT after a write, say) as one batch on a dedicated connection
// of the first key's owner, as Client's pipeline does; a command that
// gets MOVED or ASK there is resent on its own. A WAIT (or WAITAOF) is
// never resent: its count is about the connection's earlier writes, and
// it fails with ErrWaitUncovered when one of the pipeline's commands
// before it left the connection. It reports false, sending nothing, for
// a pipeline without such commands.
func (cc *ClusterClient) dispatchDedicated(ctx context.Context, t *actors.Table, queued []*messages.Command) bool {
	slot := -1
	need := false
	for _, cmd := range queued {
		if cmd.Flags&(messages.Blocking|messages.Stateful) != 0 {
			need = true
		}
		if slot < 0 {
			slot = routeOf(cmd).slot()
		}
	}
	if !need {
		return false
	}
	n := cc.primaryOf(t, slot)
	if n == nil {
		for _, cmd := range queued {
			cmd.Fail(errSlotUncovered(slot))
		}
		return true
	}
	np := nodeClient(n).newPipeline(false, nil)
	np.slot = int32(slot)
	run := new(dedicatedRun)
	for _, cmd := range queued {
		np.queued = append(np.queued, (&clusterCall{cc: cc, ctx: ctx, cmd: cmd, slot: routeOf(cmd).slot(), run: run}).attempt(n))
	}
	_ = np.Exec(ctx) // the callers' futures carry the outcome
	return true
}

// primaryOf returns the primary of slot in t (any primary for -1), or nil:
// transactions and pipelines with writes never go to a replica.
func (cc *ClusterClient) primaryOf(t *actors.Table, slot int) *actors.Node {
	if slot < 0 {
		if len(t.Shards) == 0 {
			return nil
		}
		return t.Shards[int(cc.rr.Add(1))%len(t.Shards)].Primary
	}
	if s := t.Shard(slot); s != nil {
		return s.Primary
	}
	return nil
}

// execTx runs a transaction on the primary of its one slot, sending it
// again (up to MaxRedirects times) when that slot moved.
func (cc *ClusterClient) execTx(ctx context.Context, queued []*messages.Command) error {
	slot := -1
	for _, cmd := range queued {
		s := routeOf(cmd).slot()
		if s < 0 {
			continue
		}
		if slot >= 0 && s != slot {
			for _, cmd := range queued {
				cmd.Fail(ErrCrossSlot)
			}
			return ErrCrossSlot
		}
		slot = s
	}
	var err error
	for attempt := 0; attempt <= cc.opts.MaxRedirects; attempt++ {
		var t *actors.Table
		if t, err = cc.table(ctx); err != nil {
			break
		}
		n := cc.primaryOf(t, slot)
		if n == nil {
			err = errSlotUncovered(slot)
			break
		}
		// Copies, so the caller's futures complete once, from the last
		// attempt.
		copies := make([]*messages.Command, len(queued))
		for i, cmd := range queued {
			copies[i] = &messages.Command{Name: cmd.Name, Args: cmd.Args, Flags: cmd.Flags}
		}
		np := nodeClient(n).newPipeline(true, nil)
		np.queued, np.slot = copies, int32(slot)
		err = np.Exec(ctx)
		if isRedirect(err) {
			cc.moved.Add(1)
			cc.cl.Refresh()
			if err = cc.awaitNewTable(ctx, t); err != nil {
				break
			}
			continue
		}
		for i, cmd := range queued {
			if copies[i].IsDone() {
				cmd.Complete(copies[i].Result())
			} else {
				cmd.Fail(err)
			}
		}
		return err
	}
	if err == nil {
		err = &RedirectError{Command: "EXEC", Last: "the transaction's slot kept moving"}
	}
	for _, cmd := range queued {
		cmd.Fail(err)
	}
	return err
}

// isRedirect reports whether err is (or was caused by) a MOVED or ASK
// reply.
func isRedirect(err error) bool {
	var re *resp.Error
	if errors.As(err, &re) {
		_, ok := actors.ParseRedirect(re.Message)
		return ok
	}
	return false
}

// awaitNewTable waits (bounded by RetryTimeout and ctx) for a table newer
// than t.
func (cc *ClusterClient) awaitNewTable(ctx context.Context, t *actors.Table) error {
	if cc.cl.Table() != t {
		return nil
	}
	timer := time.NewTimer(cc.opts.RetryTimeout)
	defer timer.Stop()
	select {
	case <-t.Changed():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	case <-cc.cl.Closed():
		return ErrClosed
	}
}

// Watch runs fn in an optimistic transaction on the primary of the keys'
// slot (see Client.Watch); the keys must share one hash slot, else it
// returns ErrCrossSlot. When the slot moved (a MOVED or ASK reply to
// WATCH, a read or the transaction) it runs again on the new owner, up to
// MaxRedirects times.
func (cc *ClusterClient) Watch(ctx context.Context, fn func(tx *Tx) error, keys ...string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	slot, err := slotsOf(keys...)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		t, err := cc.table(ctx)
		if err != nil {
			return err
		}
		s := t.Shard(slot)
		if s == nil {
			return errSlotUncovered(slot)
		}
		err = nodeClient(s.Primary).Watch(ctx, fn, keys...)
		if !isRedirect(err) || attempt >= cc.opts.MaxRedirects {
			return err
		}
		cc.moved.Add(1)
		cc.cl.Refresh()
		if err := cc.awaitNewTable(ctx, t); err != nil {
			return err
		}
	}
}

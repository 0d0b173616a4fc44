package client

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/actoredis/actoredis/actors"
	"github.com/actoredis/actoredis/messages"
)

// slotOrder keeps the issue order of the commands of each hash slot while
// the slot moves. Per slot, one word counts the commands in flight (sent,
// not yet completed for their caller) and names the node they went to. A
// command may go straight to its node while nothing of its slot is in
// flight elsewhere and nothing of it is being redirected: one CAS, no lock
// and no allocation. Otherwise the slot switches to queueing: new
// commands wait in a FIFO (under a mutex), sent in order, on a goroutine
// of their own, once the earlier ones have completed, or, while they all
// went to the same node and none is being redirected, right away. The
// slot leaves queueing when its queue is empty and no redirect is pending.
//
// Only commands routed to a slot's primary through a clusterCall are
// tracked: replica reads (ReadFrom), broadcasts, keyless commands and
// those on dedicated connections are not.
type slotOrder struct {
	state  [actors.SlotCount]atomic.Uint64
	queues sync.Map       // slot -> *slotQueue, created the first time a slot queues
	cc     *ClusterClient // starts the queues' goroutines (goTracked)
}

// The state word of a slot: the count in flight in the low 32 bits, the
// node's number (nodeID(n), from 1) in bits 32 to 61, and two
// flags.
const (
	orderCountMask = 1<<32 - 1
	orderNodeShift = 32
	orderNodeMask  = 1<<30 - 1
	orderQueueing  = 1 << 62 // new commands of the slot go to its queue
	orderRedirect  = 1 << 63 // a command in flight is being sent again
)

func orderCount(s uint64) uint64 { return s & orderCountMask }
func orderNode(s uint64) uint32  { return uint32(s >> orderNodeShift & orderNodeMask) }

// slotQueue holds the commands of one slot waiting for their turn.
type slotQueue struct {
	mu       sync.Mutex
	calls    []*clusterCall
	draining bool // a goroutine is sending calls

	// The resend chain: attempts of tracked calls (redirects that could
	// not be sent at once, retries) run in order on one goroutine.
	resends   []resendStep
	resending bool // a goroutine is running resends
}

// resendStep is one attempt in a slot's resend chain, run not before at.
type resendStep struct {
	at  time.Time
	run func()
}

func (o *slotOrder) queue(slot int) *slotQueue {
	if q, ok := o.queues.Load(slot); ok {
		return q.(*slotQueue)
	}
	q, _ := o.queues.LoadOrStore(slot, &slotQueue{})
	return q.(*slotQueue)
}

// enter counts a command of slot about to be sent to the node numbered id
// and reports true, unless the slot's earlier commands are elsewhere or
// being redirected: then the slot queues and enter reports false.
func (o *slotOrder) enter(slot int, id uint32) bool {
	st := &o.state[slot]
	for {
		s := st.Load()
		if s&orderQueueing != 0 {
			return false
		}
		n := orderCount(s)
		if n > 0 && orderNode(s) != id {
			if st.CompareAndSwap(s, s|orderQueueing) {
				return false
			}
			continue
		}
		if st.CompareAndSwap(s, uint64(id)<<orderNodeShift|(n+1)) {
			return true
		}
	}
}

// redirected marks a tracked command of slot that is sent again (MOVED,
// ASK, a retry): later commands of the slot queue until it completes.
func (o *slotOrder) redirected(slot int) {
	st := &o.state[slot]
	for {
		s := st.Load()
		if st.CompareAndSwap(s, s|orderQueueing|orderRedirect) {
			return
		}
	}
}

// leave uncounts a tracked command that completed for its caller; the
// last one of a queueing slot lets the queue go on.
func (o *slotOrder) leave(cc *ClusterClient, slot int) {
	st := &o.state[slot]
	for {
		s := st.Load()
		if st.CompareAndSwap(s, s-1) {
			if orderCount(s) == 1 && s&orderQueueing != 0 {
				o.settle(cc, slot)
			}
			return
		}
	}
}

// wait queues k behind the earlier commands of its slot (the slot
// queues from now on, if it did not already).
func (o *slotOrder) wait(k *clusterCall) {
	q := o.queue(k.slot)
	st := &o.state[k.slot]
	q.mu.Lock()
	for {
		s := st.Load()
		if st.CompareAndSwap(s, s|orderQueueing) {
			break
		}
	}
	q.calls = append(q.calls, k)
	q.mu.Unlock()
	o.settle(k.cc, k.slot)
}

// settle starts the queue of a slot whose commands have all completed (or
// leaves queueing when there is nothing queued).
func (o *slotOrder) settle(cc *ClusterClient, slot int) {
	q := o.queue(slot)
	st := &o.state[slot]
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.draining {
		return
	}
	for {
		s := st.Load()
		if orderCount(s) != 0 || s&orderQueueing == 0 {
			return
		}
		if len(q.calls) == 0 {
			// Nothing in flight, nothing queued: back to the fast path.
			if st.CompareAndSwap(s, 0) {
				return
			}
			continue
		}
		break
	}
	q.draining = true
	cc.goTracked(func() { o.drain(cc, slot, q) })
}

// drain sends the queued calls of slot in order, on its own goroutine
// (where a send may wait for a connection), each once the calls before it
// have completed or are in flight on the same node with no redirect
// pending; it stops when one must wait, and settle starts it again.
func (o *slotOrder) drain(cc *ClusterClient, slot int, q *slotQueue) {
	st := &o.state[slot]
	for {
		q.mu.Lock()
		if len(q.calls) == 0 {
			for {
				s := st.Load()
				next := s &^ (orderQueueing | orderRedirect)
				if orderCount(s) > 0 && s&orderRedirect != 0 {
					next = s // stays queueing until the redirect completes
				}
				if st.CompareAndSwap(s, next) {
					break
				}
			}
			q.draining = false
			q.mu.Unlock()
			return
		}
		k := q.calls[0]
		t := cc.cl.Table()
		var n *actors.Node
		if t != nil {
			n = k.route(t)
		}
		id := uint32(0)
		if n != nil {
			id = nodeID(n)
		}
		counted := false
		for {
			s := st.Load()
			c := orderCount(s)
			if c > 0 && (orderNode(s) != id || s&orderRedirect != 0) {
				break
			}
			next := s&orderQueueing | uint64(id)<<orderNodeShift | (c + 1)
			if c > 0 {
				next |= s & orderRedirect
			}
			if st.CompareAndSwap(s, next) {
				counted = true
				break
			}
		}
		if !counted {
			q.draining = false
			q.mu.Unlock()
			// The calls in flight went elsewhere: the last to complete
			// settles the slot again. It may have completed already.
			o.settle(cc, slot)
			return
		}
		q.calls[0] = nil
		q.calls = q.calls[1:]
		q.mu.Unlock()
		k.tracked = true
		if n == nil {
			k.dispatch() // no owner known: retried later, the slot marked
			continue
		}
		k.sendTo(t, n, false, true)
	}
}

// resend sends the next attempt of tracked call k, from a reader
// goroutine: at once when n's connection is usable and no earlier attempt
// of the slot waits in its resend chain, else at the chain's end.
func (o *slotOrder) resend(k *clusterCall, t *actors.Table, n *actors.Node, in *messages.Command, b *messages.Batch) {
	step := resendStep{run: func() { k.waitSend(t, n, in, b) }}
	q := o.queue(k.slot)
	q.mu.Lock()
	if q.resending {
		q.resends = append(q.resends, step)
		q.mu.Unlock()
		return
	}
	// Hold the chain, not the lock, while sending: a send to a stopped
	// connection completes the attempt at once, which may come back here.
	q.resending = true
	q.mu.Unlock()
	sent := k.trySend(n, in, b)
	q.mu.Lock()
	if !sent {
		q.resends = append([]resendStep{step}, q.resends...)
	}
	if len(q.resends) > 0 {
		o.cc.goTracked(func() { o.runResends(q) })
	} else {
		q.resending = false
	}
	q.mu.Unlock()
}

// later runs fn in slot's resend chain, not before at.
func (o *slotOrder) later(slot int, at time.Time, fn func()) {
	q := o.queue(slot)
	q.mu.Lock()
	o.push(q, resendStep{at: at, run: fn})
	q.mu.Unlock()
}

// push appends a step to q's resend chain, starting its goroutine if
// needed; q.mu is held.
func (o *slotOrder) push(q *slotQueue, step resendStep) {
	q.resends = append(q.resends, step)
	if !q.resending {
		q.resending = true
		o.cc.goTracked(func() { o.runResends(q) })
	}
}

// runResends runs a resend chain's steps one after another (a step may
// wait for a connection) until it is empty.
func (o *slotOrder) runResends(q *slotQueue) {
	for {
		q.mu.Lock()
		if len(q.resends) == 0 {
			q.resending = false
			q.mu.Unlock()
			return
		}
		step := q.resends[0]
		q.resends[0] = resendStep{}
		q.resends = q.resends[1:]
		q.mu.Unlock()
		if d := time.Until(step.at); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-o.cc.cl.Closed(): // the step fails at once now
			}
			t.Stop()
		}
		step.run()
	}
}

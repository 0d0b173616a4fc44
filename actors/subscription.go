package actors

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/actoredis/actoredis/messages"
)

// Policy says what a subscription does when its consumer falls behind and
// its buffer is full.
type Policy uint8

const (
	// Block keeps every message: the subscription's own queue grows (up
	// to MaxPending, then the subscription closes with ErrSlowConsumer),
	// and only this subscription's feed waits for its consumer; the
	// connection and other subscriptions go on.
	Block Policy = iota
	// DropOldest discards the oldest queued message to make room.
	DropOldest
	// DropNewest discards the message that does not fit.
	DropNewest
	// CloseOnOverflow ends the subscription with ErrSlowConsumer.
	CloseOnOverflow
)

func (p Policy) String() string {
	switch p {
	case Block:
		return "block"
	case DropOldest:
		return "drop-oldest"
	case DropNewest:
		return "drop-newest"
	case CloseOnOverflow:
		return "close"
	}
	return "policy(?)"
}

// ErrSlowConsumer ends a subscription whose consumer fell too far behind
// (CloseOnOverflow, or Block past MaxPending).
var ErrSlowConsumer = errors.New("actoredis: subscription closed: consumer too slow")

// SubStats counts what a subscription did.
type SubStats struct {
	Delivered uint64 // messages and events handed to the consumer
	Dropped   uint64 // messages discarded by the overflow policy
	Pending   int    // messages queued now
}

// Subscription is one consumer's feed: the pubsub connection's reader
// queues messages here without ever blocking (the overflow policy decides
// when the queue is full) and, before it next reads from the socket, moves
// what fits into the consumer's Go channel; a delivery goroutine of its
// own hands on the rest when the consumer is behind. Drops leave a Dropped
// event in the queue where the gap is, so loss is never silent.
type Subscription struct {
	ps         *PubSub
	out        chan messages.Message
	policy     Policy
	limit      int // queued messages before the policy applies
	maxPending int // Block's hard cap
	handOffAt  int // queued messages the reader hands over without waiting for the end of its read

	mu      sync.Mutex
	q       deque
	sending bool   // the delivery goroutine holds a batch taken from q
	batch   uint64 // the router batch that last queued here
	closed  bool
	err     error
	wake    chan struct{}
	stop    chan struct{}
	stopped chan struct{} // closed when the delivery goroutine has ended

	names subNames // owned by the pubsub actor

	delivered atomic.Uint64
	dropped   atomic.Uint64
	// reconnectPending is set when a new subscribed connection starts after
	// a lost one: the first message from it (or the end of the
	// resubscription, whichever comes first) is preceded by Reconnected.
	reconnectPending atomic.Bool
}

type subNames struct{ channels, patterns, shards map[string]struct{} }

func newSubscription(ps *PubSub, buffer int, policy Policy, maxPending int) *Subscription {
	if buffer <= 0 {
		buffer = 1024
	}
	if maxPending < buffer {
		maxPending = max(buffer*1024, 1<<20)
	}
	s := &Subscription{
		ps: ps, out: make(chan messages.Message, min(buffer, 256)), policy: policy, limit: buffer, maxPending: maxPending,
		handOffAt: min(buffer, handOffAt),
		wake:      make(chan struct{}, 1), stop: make(chan struct{}), stopped: make(chan struct{}),
		names: subNames{map[string]struct{}{}, map[string]struct{}{}, map[string]struct{}{}},
	}
	if !ps.pool.goTracked(s.deliverLoop) {
		// The client is closing: a subscription that is over already.
		s.closed, s.err = true, ErrClosed
		close(s.out)
		close(s.stopped)
	}
	return s
}

// Messages returns the channel the subscription delivers on; it is closed
// once, when the subscription ends (Close, the client's Close, or a slow
// consumer: see Err).
func (s *Subscription) Messages() <-chan messages.Message { return s.out }

// Err returns why the subscription ended by itself (ErrSlowConsumer,
// ErrClosed), or nil.
func (s *Subscription) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Stats returns the subscription's counters.
func (s *Subscription) Stats() SubStats {
	s.mu.Lock()
	n := s.q.len()
	s.mu.Unlock()
	return SubStats{Delivered: s.delivered.Load(), Dropped: s.dropped.Load(), Pending: n}
}

func (s *Subscription) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Add subscribes s to names of the given kind (0 channels, 1 patterns,
// 2 shard channels) and waits for the server's confirmation of each.
func (s *Subscription) Add(ctx context.Context, kind int, names ...string) error {
	if len(names) == 0 {
		return nil
	}
	select {
	case <-s.ps.pool.closed:
		return ErrClosed
	default:
	}
	req := &subscribeReq{sub: s, kind: kind, names: names, reply: make(chan error, 1)}
	s.ps.send(req)
	if ctx == nil {
		ctx = context.Background()
	}
	select {
	case err := <-req.reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-s.ps.pool.closed:
		return ErrClosed
	}
}

// Remove unsubscribes s from names of the given kind; the server is told
// when no other subscription listens to them.
func (s *Subscription) Remove(kind int, names ...string) {
	s.ps.send(&unsubscribeReq{sub: s, kind: kind, names: names})
}

// Close ends the subscription: its names are dropped (unsubscribed on the
// server when no other subscription listens) and its channel is closed
// exactly once. It waits for the delivery goroutine to end.
func (s *Subscription) Close() error {
	s.end(nil)
	s.ps.send(&unsubscribeAll{sub: s})
	<-s.stopped
	return nil
}

// nameSet returns the names of the given kind s listens to; only the
// pubsub actor uses it.
func (s *Subscription) nameSet(kind int) map[string]struct{} {
	switch kind {
	case kindPattern:
		return s.names.patterns
	case kindShard:
		return s.names.shards
	}
	return s.names.channels
}

// deliver queues ms for the consumer, in order, without blocking; called
// by the connection's reader goroutine, whose router hands the queue to the
// consumer's channel (flush) before the reader next waits for the network.
func (s *Subscription) deliver(ms []messages.Message, rt *router) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	if s.reconnectPending.Load() && s.reconnectPending.CompareAndSwap(true, false) {
		s.q.pushBack(messages.Message{Kind: messages.KindReconnected})
	}
	s.markDirty(rt)
	for i := range ms {
		if s.q.len() >= s.handOffAt && !s.sending {
			// A long read: the consumer need not wait for its end, and
			// the policy sees only what its channel has no room for.
			s.handOff()
		}
		if n := s.q.realLen(); n >= s.limit {
			switch {
			case s.policy == DropNewest:
				s.dropped.Add(1)
				s.q.markDropBack()
				continue
			case s.policy == DropOldest:
				s.q.dropOldest()
				s.dropped.Add(1)
			case s.policy == CloseOnOverflow, s.policy == Block && n >= s.maxPending:
				s.mu.Unlock()
				s.end(ErrSlowConsumer)
				return
			}
		}
		s.q.pushBack(ms[i])
	}
	s.mu.Unlock()
}

// markDirty puts s on rt's list of subscriptions to flush, once per batch.
// Called with mu held.
func (s *Subscription) markDirty(rt *router) {
	if s.batch != rt.batch {
		s.batch = rt.batch
		rt.dirty = append(rt.dirty, s)
	}
}

// handOff moves queued messages to the consumer's channel while it has
// room, and reports whether the queue is empty. Called with mu held and
// sending false: under mu, the channel cannot be closed meanwhile (the
// delivery goroutine closes it only after end), and with sending false
// nothing taken from the queue earlier is still on its way.
func (s *Subscription) handOff() bool {
	n := uint64(0)
	for s.q.len() > 0 {
		select {
		case s.out <- *s.q.at(0):
			s.q.popFront()
			n++
			continue
		default:
		}
		break
	}
	if n > 0 {
		s.delivered.Add(n)
	}
	return s.q.len() == 0
}

// flushQueue hands what the reader queued to the consumer's channel, and
// what does not fit to the delivery goroutine.
func (s *Subscription) flushQueue() {
	s.mu.Lock()
	wake := false
	if !s.closed && !s.sending {
		wake = !s.handOff()
	}
	s.mu.Unlock()
	if wake {
		s.signal()
	}
}

// event queues an event (Reconnected) regardless of the buffer's limit.
func (s *Subscription) event(m messages.Message) {
	s.mu.Lock()
	if !s.closed {
		s.q.pushBack(m)
	}
	s.mu.Unlock()
	s.signal()
}

func (s *Subscription) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Subscription) deliverLoop() {
	defer close(s.stopped)
	defer close(s.out)
	var batch []messages.Message
	for {
		s.mu.Lock()
		s.sending = false
		for s.q.len() == 0 {
			s.mu.Unlock()
			select {
			case <-s.wake:
			case <-s.stop:
				return
			}
			s.mu.Lock()
		}
		// Take what is queued (up to a bound) in one go: one lock per
		// batch, not per message.
		for s.q.len() > 0 && len(batch) < s.batchMax() {
			batch = append(batch, s.q.popFront())
		}
		s.sending = true
		s.mu.Unlock()
		for i, m := range batch {
			select {
			case s.out <- m:
				s.delivered.Add(1)
			case <-s.stop:
				return
			}
			batch[i] = messages.Message{}
		}
		batch = batch[:0]
	}
}

// handOffAt bounds the messages a reader queues on a subscription before it
// hands them to the consumer's channel without waiting for the end of its
// read.
const handOffAt = 128

// batchMax bounds what the delivery goroutine takes out of the queue at
// once, so the overflow policy still sees a full queue when the consumer
// stalls.
func (s *Subscription) batchMax() int { return min(256, max(1, s.limit/4)) }

// end stops delivery and closes the channel; with a cause (not a Close by
// the consumer) it also drops the subscription's names from the server.
func (s *Subscription) end(cause error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.err = cause
	s.q = deque{}
	s.mu.Unlock()
	close(s.stop)
	if cause != nil && cause != ErrClosed {
		s.ps.send(&unsubscribeAll{sub: s})
	}
}

// deque is a double-ended queue of messages with Dropped markers.
type deque struct {
	buf        []messages.Message
	head, size int
	markers    int
}

func (d *deque) len() int     { return d.size }
func (d *deque) realLen() int { return d.size - d.markers }

func (d *deque) grow() {
	if d.size < len(d.buf) {
		return
	}
	nb := make([]messages.Message, max(16, 2*len(d.buf)))
	for i := 0; i < d.size; i++ {
		nb[i] = d.buf[(d.head+i)%len(d.buf)]
	}
	d.buf, d.head = nb, 0
}

func (d *deque) at(i int) *messages.Message { return &d.buf[(d.head+i)%len(d.buf)] }

func (d *deque) pushBack(m messages.Message) {
	d.grow()
	*d.at(d.size) = m
	d.size++
	if m.Kind == messages.KindDropped {
		d.markers++
	}
}

func (d *deque) popFront() messages.Message {
	m := *d.at(0)
	*d.at(0) = messages.Message{}
	d.head = (d.head + 1) % len(d.buf)
	d.size--
	if m.Kind == messages.KindDropped {
		d.markers--
	}
	return m
}

// markDropBack records one message dropped after everything queued.
func (d *deque) markDropBack() {
	if d.size > 0 && d.at(d.size-1).Kind == messages.KindDropped {
		d.at(d.size-1).Dropped++
		return
	}
	d.pushBack(messages.Message{Kind: messages.KindDropped, Dropped: 1})
}

// dropOldest discards the oldest message (not an event or marker) and
// records the gap in front of what remains.
func (d *deque) dropOldest() {
	for i := 0; i < d.size; i++ {
		m := d.at(i)
		if m.Kind == messages.KindDropped || m.Kind == messages.KindReconnected {
			continue
		}
		// Remove element i by shifting the ones before it up by one.
		for j := i; j > 0; j-- {
			*d.at(j) = *d.at(j - 1)
		}
		*d.at(0) = messages.Message{}
		d.head = (d.head + 1) % len(d.buf)
		d.size--
		if i > 0 && d.at(i-1).Kind == messages.KindDropped {
			d.at(i-1).Dropped++
		} else {
			// The gap is where the dropped message was.
			d.insertMarker(i)
		}
		return
	}
}

// insertMarker puts a one-message Dropped marker at position i.
func (d *deque) insertMarker(i int) {
	d.pushBack(messages.Message{})
	for j := d.size - 1; j > i; j-- {
		*d.at(j) = *d.at(j - 1)
	}
	*d.at(i) = messages.Message{Kind: messages.KindDropped, Dropped: 1}
	d.markers++
}

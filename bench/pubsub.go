package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/redis/rueidis"

	"github.com/actoredis/actoredis/client"
)

// The pub/sub workloads (issue 5): one publisher and N subscribers of one
// channel, each subscriber its own subscription through its library's own
// API, the publisher a separate client of the same library sending
// pipelines of PUBLISH in a closed loop. The figure is messages delivered
// per second, summed over the subscribers.

// pubsubWorkload is the workload of one publisher and n subscribers.
func pubsubWorkload(n int) workload { return workload("PUBSUB" + strconv.Itoa(n)) }

// subscribers is N of a pub/sub workload, 0 when w is not one.
func (w workload) subscribers() int {
	digits, ok := strings.CutPrefix(string(w), "PUBSUB")
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 1 {
		return 0
	}
	return n
}

// pubsubClients are the clients measured on the pub/sub workloads:
// go-redis-autopipeline subscribes through the same PubSub as go-redis (it
// would repeat that row), and raw-socket has no subscriber.
var pubsubClients = []string{"actoredis", "go-redis", "rueidis", "rueidis-1conn"}

// pubsubNotes describes how each client subscribes and publishes.
var pubsubNotes = map[string]string{
	"actoredis": "subscriber client: c.Subscribe(ctx, ch) per subscriber (defaults: BufferSize 1024, Policy Block), `for m := range sub.Messages()`, Dropped and Reconnected events counted as reported loss; " +
		"all subscriptions share the client's one pubsub connection; sub.Close() ends each. Publisher: a second client, p := c.Pipeline(); p.Publish(ctx, ch, payload) per message; p.Exec(ctx)",
	"go-redis": "subscriber client: ps := c.Subscribe(ctx, ch) per subscriber (its own connection), ps.Receive(ctx) for the confirmation, then `for m := range ps.Channel()` (default size 100; a message that waits a minute is dropped with a log line only); ps.Close() ends each. " +
		"Publisher: a second client, c.Pipelined(ctx, fn) with p.Publish(ctx, ch, payload) per message",
	"rueidis": "subscriber client: c.Receive(ctx, c.B().Subscribe().Channel(ch).Build(), fn) per subscriber in its own goroutine (all on the client's first pipe, its own 16-message queue each), confirmation by WithOnSubscriptionHook; " +
		"ended by cancelling ctx, the last Receive of a channel out sends UNSUBSCRIBE (Receive does not). Publisher: a second client, DoMulti of B().Publish().Channel(ch).Message(payload).Build() per message",
	"rueidis-1conn": "the same, both clients with PipelineMultiplex -1 and DisableCache true",
}

// pubsubDriver is one library's pub/sub pair, connected for the whole run:
// a client every subscription of a measurement is opened on, and a second
// client of the same library (its own connections) that publishes.
type pubsubDriver interface {
	// subscribe opens one subscription to channel and returns once the
	// server has confirmed it. From a goroutine of its own it hands each
	// message's payload to sink.message and the loss its library reports
	// to sink.dropped and sink.reconnected, and calls sink.end when it ends;
	// stop unsubscribes and returns once that goroutine has finished.
	subscribe(ctx context.Context, channel string, sink *subscriber) (stop func() error, err error)
	// publish sends one PUBLISH to channel per payload as one pipeline and
	// returns once every reply has arrived, with the first error.
	publish(ctx context.Context, channel string, payloads []string) error
	Close() error
}

func newPubSubDriver(name, addr string) (pubsubDriver, error) {
	switch name {
	case "actoredis":
		sub, err := client.New(client.Options{Addr: addr})
		if err != nil {
			return nil, err
		}
		pub, err := client.New(client.Options{Addr: addr})
		if err != nil {
			_ = sub.Close()
			return nil, err
		}
		return actoredisPubSub{sub: sub, pub: pub}, nil
	case "go-redis":
		return goredisPubSub{
			sub: goredis.NewClient(&goredis.Options{Addr: addr}),
			pub: goredis.NewClient(&goredis.Options{Addr: addr}),
		}, nil
	case "rueidis", "rueidis-1conn":
		opt := rueidis.ClientOption{InitAddress: []string{addr}}
		if name == "rueidis-1conn" {
			opt.PipelineMultiplex = -1
			opt.DisableCache = true
		}
		sub, err := rueidis.NewClient(opt)
		if err != nil {
			return nil, err
		}
		pub, err := rueidis.NewClient(opt)
		if err != nil {
			sub.Close()
			return nil, err
		}
		return rueidisPubSub{sub: sub, pub: pub, mu: new(sync.Mutex), receivers: map[string]int{}}, nil
	}
	return nil, fmt.Errorf("%s is not measured on pub/sub", name)
}

type actoredisPubSub struct{ sub, pub *client.Client }

func (d actoredisPubSub) subscribe(ctx context.Context, channel string, sink *subscriber) (func() error, error) {
	s, err := d.sub.Subscribe(ctx, channel)
	if err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m := range s.Messages() {
			switch m.Kind {
			case client.KindMessage:
				sink.message(m.Payload)
			case client.KindDropped:
				sink.dropped(uint64(m.Dropped))
			case client.KindReconnected:
				sink.reconnected()
			}
		}
		sink.end(s.Err())
	}()
	return func() error {
		err := s.Close()
		<-done
		return err
	}, nil
}

func (d actoredisPubSub) publish(ctx context.Context, channel string, payloads []string) error {
	p := d.pub.Pipeline()
	for _, m := range payloads {
		p.Publish(ctx, channel, m)
	}
	return p.Exec(ctx)
}

func (d actoredisPubSub) Close() error { return errors.Join(d.sub.Close(), d.pub.Close()) }

type goredisPubSub struct{ sub, pub *goredis.Client }

func (d goredisPubSub) subscribe(ctx context.Context, channel string, sink *subscriber) (func() error, error) {
	ps := d.sub.Subscribe(ctx, channel)
	// The first reply is the confirmation (or the error).
	reply, err := ps.Receive(ctx)
	if err == nil {
		if _, ok := reply.(*goredis.Subscription); !ok {
			err = fmt.Errorf("go-redis: expected the subscription's confirmation, got %T", reply)
		}
	}
	if err != nil {
		_ = ps.Close()
		return nil, err
	}
	msgs := ps.Channel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m := range msgs {
			sink.message(m.Payload)
		}
		sink.end(nil)
	}()
	return func() error {
		err := ps.Close()
		<-done
		return err
	}, nil
}

func (d goredisPubSub) publish(ctx context.Context, channel string, payloads []string) error {
	_, err := d.pub.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for _, m := range payloads {
			p.Publish(ctx, channel, m)
		}
		return nil
	})
	return err
}

func (d goredisPubSub) Close() error { return errors.Join(d.sub.Close(), d.pub.Close()) }

type rueidisPubSub struct {
	sub, pub rueidis.Client
	// receivers counts the live Receive calls per channel: Receive does
	// not unsubscribe when it returns, so the last one out sends
	// UNSUBSCRIBE, or the connection would go on receiving the channel.
	mu        *sync.Mutex
	receivers map[string]int
}

func (d rueidisPubSub) subscribe(ctx context.Context, channel string, sink *subscriber) (func() error, error) {
	rctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	var once sync.Once
	rctx = rueidis.WithOnSubscriptionHook(rctx, func(s rueidis.PubSubSubscription) {
		if s.Kind == "subscribe" && s.Channel == channel {
			once.Do(func() { close(ready) })
		}
	})
	d.mu.Lock()
	d.receivers[channel]++
	d.mu.Unlock()
	done := make(chan error, 1)
	go func() {
		err := d.sub.Receive(rctx, d.sub.B().Subscribe().Channel(channel).Build(), func(m rueidis.PubSubMessage) {
			sink.message(m.Message)
		})
		sink.end(err)
		done <- err
	}()
	stop := func() error {
		cancel()
		err := <-done
		if errors.Is(err, context.Canceled) {
			err = nil
		}
		d.mu.Lock()
		d.receivers[channel]--
		last := d.receivers[channel] == 0
		if last {
			delete(d.receivers, channel)
		}
		d.mu.Unlock()
		if last {
			// SUBSCRIBE went to the client's first pipe (it expects no
			// reply), and so does UNSUBSCRIBE.
			err = errors.Join(err, d.sub.Do(context.Background(), d.sub.B().Unsubscribe().Channel(channel).Build()).Error())
		}
		return err
	}
	select {
	case <-ready:
		return stop, nil
	case err := <-done:
		done <- err
		_ = stop()
		if err == nil {
			err = errors.New("rueidis: Receive returned before the subscription was confirmed")
		}
		return nil, err
	case <-ctx.Done():
		_ = stop()
		return nil, ctx.Err()
	}
}

func (d rueidisPubSub) publish(ctx context.Context, channel string, payloads []string) error {
	cmds := make(rueidis.Commands, len(payloads))
	for i, m := range payloads {
		cmds[i] = d.pub.B().Publish().Channel(channel).Message(m).Build()
	}
	var first error
	for _, r := range d.pub.DoMulti(ctx, cmds...) {
		if err := r.Error(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (d rueidisPubSub) Close() error {
	d.sub.Close()
	d.pub.Close()
	return nil
}

// payloadHeader is the part of each message the harness reads: the
// sequence number and the send time, 8 bytes each, little-endian; the
// rest of the -size bytes is padding.
const payloadHeader = 16

// pubsubRun is the state one pub/sub measurement shares between its
// publisher and its subscribers.
type pubsubRun struct {
	phase atomic.Int32
	base  time.Time // send times are nanoseconds since base (monotonic)

	// Flow control: the publisher sends a pipeline only while every live
	// subscriber is at most backlog messages behind (published − received).
	waiting atomic.Bool   // the publisher waits for a subscriber
	credit  chan struct{} // wakes the waiting publisher (capacity 1)
	stopped chan struct{} // closed when the window ends
	closing atomic.Bool   // the harness is closing the subscriptions
	backlog uint64
	subs    []subscriber
}

// subscriber is one subscription's counters. received, dead are shared
// with the publisher; the rest belongs to the subscription's goroutine
// until its stop has returned.
type subscriber struct {
	received atomic.Uint64 // messages received, all phases
	dead     atomic.Bool   // ended before the harness closed it
	_        [48]byte      // keep the next subscriber's atomics off this cache line
	run      *pubsubRun

	hist      histogram // end-to-end latency of the messages counted
	delivered uint64    // messages received inside the window
	total     time.Duration
	next      uint64 // the sequence number expected next
	seen      bool   // next is known (a message arrived)

	lost       uint64 // sequence numbers skipped, whole measurement
	reported   uint64 // messages the library said it dropped
	reconnects uint64 // reconnections the library reported
	disorder   uint64 // messages older than one already received
	malformed  uint64
	endErr     error // why it ended on its own, if it did
}

func (s *subscriber) message(payload string) {
	r := s.run
	now := time.Since(r.base)
	s.received.Add(1)
	if r.waiting.Load() {
		select {
		case r.credit <- struct{}{}:
		default:
		}
	}
	if len(payload) < payloadHeader {
		s.malformed++
		return
	}
	seq, sent := le64(payload[0:8]), time.Duration(le64(payload[8:16]))
	switch {
	case !s.seen || seq == s.next:
	case seq > s.next:
		s.lost += seq - s.next
	default:
		s.disorder++
	}
	if !s.seen || seq >= s.next {
		s.next, s.seen = seq+1, true
	}
	if r.phase.Load() == phaseMeasure {
		took := now - sent
		s.delivered++
		s.total += took
		s.hist.record(took)
	}
}

func (s *subscriber) dropped(n uint64) { s.reported += n }

func (s *subscriber) reconnected() { s.reconnects++ }

// end records a subscription that ended before the harness closed it and
// releases the publisher, which no longer waits for it.
func (s *subscriber) end(err error) {
	if s.run.closing.Load() {
		return
	}
	if err == nil {
		err = errors.New("subscription ended on its own")
	}
	s.endErr = err
	s.dead.Store(true)
	select {
	case s.run.credit <- struct{}{}:
	default:
	}
}

// le64 decodes 8 little-endian bytes.
func le64(s string) uint64 {
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(s[i])
	}
	return v
}

func putLE64(b []byte, v uint64) {
	for i := range 8 {
		b[i] = byte(v >> (8 * i))
	}
}

// minReceived is what the slowest live subscriber has received; published
// when none is alive.
func (r *pubsubRun) minReceived(published uint64) uint64 {
	least := published
	for i := range r.subs {
		if s := &r.subs[i]; !s.dead.Load() {
			least = min(least, s.received.Load())
		}
	}
	return least
}

// publisherStats is what the publisher counted inside the window.
type publisherStats struct {
	messages uint64
	waited   time.Duration // blocked on the backlog bound
	errors   uint64
	firstErr error
}

// publishLoop publishes pipelines of batch messages until the window
// ends, each waiting for every reply (a closed loop) and for credit from
// the slowest subscriber.
func (r *pubsubRun) publishLoop(ctx context.Context, d pubsubDriver, channel string, batch, size int, st *publisherStats) {
	buf := make([]byte, batch*size)
	for i := range buf {
		buf[i] = 'a' + byte(i%26)
	}
	payloads := make([]string, batch)
	var seq uint64
	for {
		p := r.phase.Load()
		if p == phaseStop {
			return
		}
		waitStart := time.Now()
		ok, waited := r.awaitCredit(seq, uint64(batch))
		p = r.phase.Load()
		if waited && p == phaseMeasure {
			st.waited += time.Since(waitStart)
		}
		if !ok {
			return
		}
		if p == phaseStop {
			return
		}
		sent := uint64(time.Since(r.base))
		for i := range batch {
			m := buf[i*size:]
			putLE64(m[0:8], seq+uint64(i))
			putLE64(m[8:16], sent)
		}
		all := string(buf) // one allocation per pipeline, whatever the client
		for i := range payloads {
			payloads[i] = all[i*size : (i+1)*size]
		}
		seq += uint64(batch)
		err := d.publish(ctx, channel, payloads)
		if p != phaseMeasure || r.phase.Load() != phaseMeasure {
			continue
		}
		st.messages += uint64(batch)
		if err != nil {
			st.errors++
			if st.firstErr == nil {
				st.firstErr = err
			}
		}
	}
}

// awaitCredit returns once every live subscriber is at most backlog
// messages behind published+batch, the count after the next pipeline; ok
// is false when the window ended first, waited whether it blocked.
func (r *pubsubRun) awaitCredit(published, batch uint64) (ok, waited bool) {
	for {
		if published+batch-r.minReceived(published) <= r.backlog {
			r.waiting.Store(false)
			return true, waited
		}
		// Announce the wait, then look again: a subscriber that counted a
		// message before seeing the flag is seen here, one after it sends
		// a wake-up.
		if !r.waiting.Load() {
			r.waiting.Store(true)
			continue
		}
		waited = true
		select {
		case <-r.credit:
		case <-r.stopped:
			r.waiting.Store(false)
			return false, waited
		}
	}
}

// measurePubSub runs one publisher and w.subscribers() subscriptions of a
// fresh channel on d: subscribe (every subscription confirmed), warm up,
// the measured window, then stop the publisher and close every
// subscription, waiting for their goroutines, before it returns.
func (r *runner) measurePubSub(ctx context.Context, d pubsubDriver, w workload, name string) sample {
	n := w.subscribers()
	s := sample{Workload: w, Concurrency: n, Subscribers: n, ServerCPUPerOp: -1, CommandsPerRead: -1, BusyCores: -1, ServerCores: -1, OtherCores: -1}
	r.channelSeq++
	channel := fmt.Sprintf("bench:pubsub:%s:%d", name, r.channelSeq)

	if cap(r.subs) < n {
		r.subs = make([]subscriber, n)
	}
	run := &pubsubRun{
		base:    time.Now(),
		credit:  make(chan struct{}, 1),
		stopped: make(chan struct{}),
		backlog: uint64(r.pubBacklog),
		subs:    r.subs[:n],
	}
	for i := range run.subs {
		run.subs[i] = subscriber{run: run}
	}
	goroutines := runtime.NumGoroutine()

	stops := make([]func() error, 0, n)
	closeAll := func() {
		run.closing.Store(true)
		for _, stop := range stops {
			if err := stop(); err != nil {
				s.Errors++
				if s.FirstError == "" {
					s.FirstError = "closing a subscription: " + err.Error()
				}
			}
		}
	}
	subCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	for i := range run.subs {
		stop, err := d.subscribe(subCtx, channel, &run.subs[i])
		if err != nil {
			cancel()
			closeAll()
			s.Errors++
			s.FirstError = fmt.Sprintf("subscription %d of %d: %v", i+1, n, err)
			return s
		}
		stops = append(stops, stop)
	}
	cancel()
	runtime.GC() // subscribing's garbage, and the previous measurement's, is not this one's cost

	size := max(r.valueSize, payloadHeader)
	var pub publisherStats
	var wg sync.WaitGroup
	wg.Go(func() { run.publishLoop(ctx, d, channel, r.pubBatch, size, &pub) })

	time.Sleep(r.warmup)
	e0 := r.openWindow(ctx)
	t0 := time.Now()
	run.phase.Store(phaseMeasure)
	time.Sleep(r.window)
	run.phase.Store(phaseStop)
	elapsed := time.Since(t0)
	e1 := r.closeWindow(ctx)
	close(run.stopped)
	wg.Wait()
	closeAll()
	// Every subscription is closed and its goroutine has returned; the
	// server must see no subscriber left, and the library's goroutines
	// should wind down to what there were before subscribing.
	if left, err := r.awaitNoSubscribers(ctx, channel); err != nil || left > 0 {
		s.Errors++
		if s.FirstError == "" {
			s.FirstError = fmt.Sprintf("after closing, PUBSUB NUMSUB %s = %d (%v)", channel, left, err)
		}
	}
	s.GoroutinesLeft = goroutinesAbove(goroutines)

	s.Elapsed = elapsed
	var all histogram
	var total time.Duration
	for i := range run.subs {
		sub := &run.subs[i]
		s.Ops += sub.delivered
		total += sub.total
		all.add(&sub.hist)
		s.Lost += sub.lost
		s.ReportedLost += sub.reported
		s.Reconnects += sub.reconnects
		if sub.lost > sub.reported && sub.reconnects == 0 {
			s.UnreportedLost += sub.lost - sub.reported
		}
		s.OutOfOrder += sub.disorder
		if sub.malformed > 0 {
			s.Errors += sub.malformed
			if s.FirstError == "" {
				s.FirstError = fmt.Sprintf("%d payloads shorter than %d bytes", sub.malformed, payloadHeader)
			}
		}
		if sub.endErr != nil {
			s.Errors++
			if s.FirstError == "" {
				s.FirstError = fmt.Sprintf("subscription %d: %v", i+1, sub.endErr)
			}
		}
	}
	s.Errors += pub.errors
	if pub.firstErr != nil && s.FirstError == "" {
		s.FirstError = "publish: " + pub.firstErr.Error()
	}
	s.Published = pub.messages
	s.PublishedPerSec = float64(pub.messages) / elapsed.Seconds()
	s.PublisherWaited = float64(pub.waited) / float64(elapsed)
	s.OpsPerSec = float64(s.Ops) / elapsed.Seconds()
	s.P50 = all.quantile(0.50)
	s.P99 = all.quantile(0.99)
	s.P999 = all.quantile(0.999)
	if s.Ops > 0 {
		s.Mean = total / time.Duration(s.Ops)
	}
	s.account(&e0, &e1, elapsed, float64(s.Ops))
	return s
}

// awaitNoSubscribers waits up to 2 s for the server to count no
// subscriber of channel and returns the last count.
func (r *runner) awaitNoSubscribers(ctx context.Context, channel string) (int64, error) {
	deadline := time.Now().Add(2 * time.Second)
	for {
		n, err := r.numsub(ctx, channel)
		if (err == nil && n == 0) || time.Now().After(deadline) {
			return n, err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// goroutinesAbove waits up to 1 s for the process to run at most base
// goroutines and returns how many more it still runs.
func goroutinesAbove(base int) int {
	deadline := time.Now().Add(time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= base || time.Now().After(deadline) {
			return max(n-base, 0)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// checkPubSub subscribes once, publishes one message, waits for it and
// closes the subscription: a check of the pair that also sets up any
// connection its library opens lazily.
func checkPubSub(ctx context.Context, name string, d pubsubDriver) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	run := &pubsubRun{base: time.Now(), credit: make(chan struct{}, 1), stopped: make(chan struct{}), subs: make([]subscriber, 1)}
	run.subs[0].run = run
	channel := "bench:pubsub:check:" + name
	stop, err := d.subscribe(ctx, channel, &run.subs[0])
	if err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	defer func() {
		run.closing.Store(true)
		_ = stop()
	}()
	payload := make([]byte, payloadHeader)
	if err := d.publish(ctx, channel, []string{string(payload)}); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	for run.subs[0].received.Load() == 0 {
		select {
		case <-ctx.Done():
			return errors.New("the message published was not delivered")
		case <-time.After(time.Millisecond):
		}
	}
	return nil
}

// pubsubCapable reports whether name is measured on the pub/sub workloads.
func pubsubCapable(name string) bool { return slices.Contains(pubsubClients, name) }

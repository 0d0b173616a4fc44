package main

import (
	"testing"
	"time"
)

func TestPubSubWorkloadNames(t *testing.T) {
	for _, tc := range []struct {
		w    workload
		subs int
	}{{pubsubWorkload(1), 1}, {pubsubWorkload(100), 100}, {"PUBSUB0", 0}, {"PUBSUBx", 0}, {pipeWorkload(10), 0}, {workloadGet, 0}} {
		if got := tc.w.subscribers(); got != tc.subs {
			t.Errorf("%s.subscribers() = %d, want %d", tc.w, got, tc.subs)
		}
		if tc.w.subscribers() > 0 && tc.w.pipeSize() != 0 {
			t.Errorf("%s is both a pipeline and a pub/sub workload", tc.w)
		}
	}
}

func payloadOf(seq uint64, sent time.Duration) string {
	b := make([]byte, payloadHeader+4)
	putLE64(b[0:8], seq)
	putLE64(b[8:16], uint64(sent))
	return string(b)
}

func TestSubscriberCountsGapsAndLatency(t *testing.T) {
	run := &pubsubRun{base: time.Now().Add(-time.Second), credit: make(chan struct{}, 1)}
	run.subs = make([]subscriber, 1)
	s := &run.subs[0]
	s.run = run

	s.message(payloadOf(5, 0)) // the first message sets the sequence: no loss
	run.phase.Store(phaseMeasure)
	s.message(payloadOf(6, 900*time.Millisecond))
	s.message(payloadOf(9, 900*time.Millisecond)) // 7 and 8 missing
	s.message(payloadOf(8, 900*time.Millisecond)) // late: out of order, not a gap
	s.message(payloadOf(10, 900*time.Millisecond))
	s.message("short")

	if s.received.Load() != 6 || s.delivered != 4 || s.lost != 2 || s.disorder != 1 || s.malformed != 1 || s.next != 11 {
		t.Fatalf("received %d delivered %d lost %d disorder %d malformed %d next %d; want 6 4 2 1 1 11",
			s.received.Load(), s.delivered, s.lost, s.disorder, s.malformed, s.next)
	}
	if p50 := s.hist.quantile(0.5); p50 < 90*time.Millisecond || p50 > 200*time.Millisecond {
		t.Errorf("p50 latency %v, want about 100ms", p50)
	}
}

func TestMinReceivedSkipsEndedSubscribers(t *testing.T) {
	run := &pubsubRun{credit: make(chan struct{}, 1), backlog: 10}
	run.subs = make([]subscriber, 2)
	for i := range run.subs {
		run.subs[i].run = run
	}
	run.subs[0].received.Store(3)
	run.subs[1].received.Store(7)
	if got := run.minReceived(20); got != 3 {
		t.Fatalf("minReceived = %d, want 3", got)
	}
	run.subs[0].end(nil) // ended on its own: no longer waited for
	if run.subs[0].endErr == nil {
		t.Fatal("an early end is not recorded")
	}
	if got := run.minReceived(20); got != 7 {
		t.Fatalf("minReceived = %d, want 7", got)
	}
	if ok, waited := run.awaitCredit(12, 5); !ok || waited {
		t.Fatalf("awaitCredit(12, 5) = %v, %v; want true, false (17-7 ≤ 10)", ok, waited)
	}
}

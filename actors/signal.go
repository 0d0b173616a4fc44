package actors

import (
	"sync"

	"github.com/actoredis/actoredis/messages"
)

// closeShards is how many channels a closeSignal spreads its waiters over.
const closeShards = 16

// closeSignal is one "Close has begun" event that callers waiting for
// replies select on next to their reply. A channel keeps its waiters in one
// queue under one lock, so 1,024 goroutines parked on a single channel
// contend for that lock on every park and wake-up (a tenth of the client's
// CPU at 1,024 goroutines); the signal hands each waiter one of several
// channels, all closed together. fire is safe to call more than once and
// from several goroutines; it reports whether this call fired.
type closeSignal struct {
	once  sync.Once
	main  chan struct{}
	chans [closeShards]chan struct{}
}

func newCloseSignal() *closeSignal {
	s := &closeSignal{main: make(chan struct{})}
	for i := range s.chans {
		s.chans[i] = make(chan struct{})
	}
	return s
}

// done returns the channel closed first: for the owner's own selects.
func (s *closeSignal) done() <-chan struct{} { return s.main }

// spread returns one of the signal's channels, picked at random, for a
// caller that parks on it.
func (s *closeSignal) spread() <-chan struct{} { return s.chans[fastrand()%closeShards] }

// fire closes every channel, once.
func (s *closeSignal) fire() bool {
	fired := false
	s.once.Do(func() {
		fired = true
		close(s.main)
		for _, c := range s.chans {
			close(c)
		}
		messages.WakeClosed() // for the callers parked on these alone
	})
	return fired
}

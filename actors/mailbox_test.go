package actors

import (
	"sync"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is a MessageInvoker that records what it gets and panics on
// the message "boom".
type recorder struct {
	mu       sync.Mutex
	user     []any
	system   []any
	failures []any
	mb       *mailbox
}

func (r *recorder) InvokeSystemMessage(m any) {
	r.mu.Lock()
	r.system = append(r.system, m)
	r.mu.Unlock()
}

func (r *recorder) InvokeUserMessage(m any) {
	if m == "boom" {
		panic("boom")
	}
	r.mu.Lock()
	r.user = append(r.user, m)
	r.mu.Unlock()
}

func (r *recorder) EscalateFailure(reason, _ any) {
	r.mu.Lock()
	r.failures = append(r.failures, reason)
	r.mu.Unlock()
	r.mb.PostSystemMessage(&actor.SuspendMailbox{})
}

// syncDispatcher runs the mailbox on the posting goroutine.
type syncDispatcher struct{}

func (syncDispatcher) Schedule(fn func()) { fn() }
func (syncDispatcher) Throughput() int    { return 300 }

func newTestMailbox(onEmpty func()) (*mailbox, *recorder) {
	var empty func(bool)
	if onEmpty != nil {
		empty = func(bool) { onEmpty() }
	}
	m := newMailbox(empty)().(*mailbox)
	r := &recorder{mb: m}
	m.RegisterHandlers(r, syncDispatcher{})
	return m, r
}

func TestMailboxOrderAndEmpty(t *testing.T) {
	empties := 0
	m, r := newTestMailbox(func() { empties++ })
	for i := 0; i < 100; i++ {
		m.PostUserMessage(i)
	}
	require.Len(t, r.user, 100)
	for i, v := range r.user {
		assert.Equal(t, i, v)
	}
	assert.Equal(t, 100, empties, "synchronous dispatch drains after each post")
	assert.Zero(t, m.UserMessageCount())
}

func TestMailboxConcurrentPosters(t *testing.T) {
	m := newMailbox(nil)().(*mailbox)
	r := &recorder{mb: m}
	m.RegisterHandlers(r, actor.NewDefaultDispatcher(300))
	var wg sync.WaitGroup
	const posters, each = 8, 1000
	for p := 0; p < posters; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				m.PostUserMessage([2]int{p, i})
			}
		}(p)
	}
	wg.Wait()
	require.Eventually(t, func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		return len(r.user) == posters*each
	}, 5e9, 1e6)
	last := map[int]int{}
	for _, v := range r.user {
		pi := v.([2]int)
		if prev, ok := last[pi[0]]; ok {
			require.Equal(t, prev+1, pi[1], "each poster's messages stay in order")
		}
		last[pi[0]] = pi[1]
	}
}

// A panic escalates, suspends user processing, and keeps the rest of the
// batch for after the resume, in order.
func TestMailboxPanicRequeuesAndSuspends(t *testing.T) {
	m, r := newTestMailbox(nil)
	// Queue a batch without running it: post while "running".
	m.running.Store(true)
	for _, v := range []any{1, "boom", 2, 3} {
		m.PostUserMessage(v)
	}
	m.running.Store(false)
	m.schedule()
	assert.Equal(t, []any{1}, r.user)
	assert.Equal(t, []any{"boom"}, r.failures)
	m.PostUserMessage(4) // suspended: held
	assert.Equal(t, []any{1}, r.user)
	m.PostSystemMessage(&actor.ResumeMailbox{})
	assert.Equal(t, []any{1, 2, 3, 4}, r.user)
}

func TestMailboxSystemFirst(t *testing.T) {
	m, r := newTestMailbox(nil)
	m.running.Store(true)
	m.PostUserMessage("u")
	m.PostSystemMessage("s")
	m.running.Store(false)
	m.schedule()
	assert.Equal(t, []any{"s"}, r.system)
	assert.Equal(t, []any{"u"}, r.user)
}

package actors

import (
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actoredis/actoredis/messages"
)

// mailbox is the connection actor's mailbox, in place of protoactor's
// default one. It differs in three ways that matter on the per-command
// path:
//
//   - the consumer takes every queued user message at once (one lock per
//     batch, not per message) and producers append under a short lock;
//   - scheduling reuses one func value, so posting allocates nothing (the
//     default mailbox allocates a method value per schedule);
//   - when the queue runs empty it calls onEmpty directly: the wire's
//     flushOnEmpty (wire_write.go), which writes everything the batch
//     queued in one write (inline tells whether onEmpty runs on the
//     goroutine that posted, see runInline).
//
// System messages go first, and a suspended mailbox (a failing actor waiting
// for its supervisor) processes only system messages, as protoactor
// expects. A panic while handling a batch escalates the failure and puts
// the rest of the batch back at the front of the queue.
type mailbox struct {
	mu      sync.Mutex
	user    []any
	spare   []any
	system  []any
	batch   []any // being processed; rest (from next) requeued on panic
	next    int
	running atomic.Bool
	susp    atomic.Bool
	count   atomic.Int32
	// stopped is set by the actor's last message (Stopped): protoactor
	// would drop what is still queued, so the mailbox fails it instead.
	stopped atomic.Bool

	invoker    actor.MessageInvoker
	dispatcher actor.Dispatcher
	run        func()
	onEmpty    func(inline bool)
}

func newMailbox(onEmpty func(inline bool)) actor.MailboxProducer {
	return func() actor.Mailbox {
		m := &mailbox{onEmpty: onEmpty}
		m.run = m.process
		return m
	}
}

// rejectMessage completes what a stopped actor can no longer handle: a
// command never reaches the wire there, so it fails as not sent.
func rejectMessage(msg any) {
	err := &ConnError{Sent: false, Err: ErrConnClosed}
	switch m := msg.(type) {
	case *messages.Command:
		m.Fail(namedErr(err, m.Name))
	case *messages.Batch:
		for _, cmd := range m.Commands {
			cmd.Fail(namedErr(err, cmd.Name))
		}
	}
}

// PostUserMessage queues msg. When the actor is idle, the poster runs it
// at once on its own goroutine (see runInline) instead of waking a
// dispatcher goroutine: a lone command then reaches the writer with no
// goroutine hand-off on the way.
func (m *mailbox) PostUserMessage(msg any) {
	m.mu.Lock()
	m.user = append(m.user, msg)
	m.mu.Unlock()
	m.count.Add(1)
	if m.running.CompareAndSwap(false, true) {
		m.runInline()
	}
}

// runInline processes, on the poster's goroutine, the one batch queued now
// (the poster's message and whatever came with it) and hands whatever
// arrives meanwhile to the dispatcher, so a caller never works for others
// longer than one batch. The actor still handles one message at a time:
// running is held, as on the dispatcher's goroutine.
func (m *mailbox) runInline() {
	m.drain(1)
	m.running.Store(false)
	if m.hasWork() {
		m.schedule()
		return
	}
	if !m.susp.Load() && m.onEmpty != nil {
		m.onEmpty(true)
	}
}

// hasWork reports whether messages wait that may be processed now.
func (m *mailbox) hasWork() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.system) > 0 || (m.accepting() && len(m.user) > 0)
}

func (m *mailbox) PostSystemMessage(msg any) {
	m.mu.Lock()
	m.system = append(m.system, msg)
	m.mu.Unlock()
	m.schedule()
}

func (m *mailbox) RegisterHandlers(invoker actor.MessageInvoker, dispatcher actor.Dispatcher) {
	m.invoker, m.dispatcher = invoker, dispatcher
}

func (m *mailbox) Start() {}

func (m *mailbox) UserMessageCount() int { return int(m.count.Load()) }

func (m *mailbox) schedule() {
	if m.running.CompareAndSwap(false, true) {
		m.dispatcher.Schedule(m.run)
	}
}

func (m *mailbox) process() {
	for {
		m.drain(0)
		m.running.Store(false)
		if !m.hasWork() {
			break
		}
		if !m.running.CompareAndSwap(false, true) {
			return // another poster scheduled a new run
		}
	}
	if !m.susp.Load() && m.onEmpty != nil {
		m.onEmpty(false)
	}
}

// drain processes system messages, then batches of user messages, until
// nothing is left or, when maxBatches > 0, that many batches were taken.
func (m *mailbox) drain(maxBatches int) {
	var current any
	batches := 0
	defer func() {
		if r := recover(); r != nil {
			m.requeue()
			m.invoker.EscalateFailure(r, current)
		}
	}()
	for {
		m.mu.Lock()
		if len(m.system) > 0 {
			msg := m.system[0]
			m.system[0] = nil
			m.system = m.system[1:]
			m.mu.Unlock()
			current = msg
			switch msg.(type) {
			case *actor.SuspendMailbox:
				m.susp.Store(true)
			case *actor.ResumeMailbox:
				m.susp.Store(false)
			default:
				m.invoker.InvokeSystemMessage(msg)
			}
			continue
		}
		if !m.accepting() || len(m.user) == 0 || maxBatches > 0 && batches == maxBatches {
			m.mu.Unlock()
			return
		}
		batches++
		m.batch = m.user
		m.user = m.spare[:0]
		m.spare = nil
		m.mu.Unlock()
		for m.next = 0; m.next < len(m.batch); {
			msg := m.batch[m.next]
			m.batch[m.next] = nil
			m.next++
			m.count.Add(-1)
			current = msg
			if m.stopped.Load() {
				rejectMessage(msg)
				continue
			}
			m.invoker.InvokeUserMessage(msg)
			if !m.accepting() {
				// Not expected from a user message, but a suspension
				// must stop user processing at once.
				m.requeue()
				break
			}
		}
		m.mu.Lock()
		if m.batch != nil && m.spare == nil && cap(m.batch) <= 4096 {
			m.spare = m.batch[:0]
		}
		m.batch = nil
		m.mu.Unlock()
	}
}

// accepting reports whether user messages may be taken now: not while
// suspended (the actor awaits its supervisor), except once stopped, when
// they are only rejected.
func (m *mailbox) accepting() bool { return !m.susp.Load() || m.stopped.Load() }

// requeue puts the unprocessed rest of the current batch back in front of
// the queue.
func (m *mailbox) requeue() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.batch == nil {
		return
	}
	rest := m.batch[m.next:]
	if len(rest) > 0 {
		merged := make([]any, 0, len(rest)+len(m.user))
		merged = append(merged, rest...)
		merged = append(merged, m.user...)
		m.user = merged
	}
	m.batch = nil
	m.next = 0
}

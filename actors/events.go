package actors

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"
)

// EventKind names what happened in the pool.
type EventKind uint8

const (
	// EventConnUp: a multiplexed connection finished its handshake.
	EventConnUp EventKind = iota + 1
	// EventConnDown: a multiplexed connection was lost, or its dial or
	// handshake failed; Err tells why.
	EventConnDown
	// EventRestart: the pool restarts a failed connection actor (Slot >= 0)
	// or the pubsub actor (Slot -1) after Delay.
	EventRestart
	// EventResubscribed: after a reconnect, the pubsub actor renewed every
	// subscription on its new connection.
	EventResubscribed
	// EventPubSubDown: the subscribed connection was lost; Err tells why.
	EventPubSubDown
)

func (k EventKind) String() string {
	switch k {
	case EventConnUp:
		return "conn-up"
	case EventConnDown:
		return "conn-down"
	case EventRestart:
		return "restart"
	case EventResubscribed:
		return "resubscribed"
	case EventPubSubDown:
		return "pubsub-down"
	}
	return "unknown"
}

// Event is one thing the pool's supervision did. It carries no secret:
// Err is a dial, handshake or transport error (server replies are the
// server's own words, never a password).
type Event struct {
	Kind  EventKind
	Time  time.Time
	Addr  string
	Slot  int           // the multiplexed connection's index; -1 for the pubsub actor
	Delay time.Duration // EventRestart: how long until the restart
	Err   error         // EventConnDown, EventPubSubDown, EventRestart: the cause
}

// String describes the event in one line.
func (e Event) String() string {
	s := "actoredis: " + e.Kind.String() + " " + e.Addr + " slot " + itoa(e.Slot)
	if e.Kind == EventRestart {
		s += " in " + e.Delay.String()
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

var logMessages = [...]string{
	EventConnUp:       "actoredis: connection up",
	EventConnDown:     "actoredis: connection down",
	EventRestart:      "actoredis: restarting",
	EventResubscribed: "actoredis: resubscribed",
	EventPubSubDown:   "actoredis: subscribed connection down",
}

// eventQueueSize bounds the events waiting for OnEvent.
const eventQueueSize = 256

// events delivers the pool's events to Config.OnEvent on one goroutine,
// through a bounded queue, and logs each at Debug. emit never blocks: an
// event that finds the queue full is dropped and counted.
type events struct {
	logger  *slog.Logger
	queue   chan Event // nil without OnEvent
	dropped atomic.Uint64
}

func newEvents(p *Pool) *events {
	e := &events{logger: p.cfg.Logger}
	if fn := p.cfg.OnEvent; fn != nil {
		e.queue = make(chan Event, eventQueueSize)
		p.goTracked(func() {
			for {
				select {
				case ev := <-e.queue:
					fn(ev)
				case <-p.closed:
					return
				}
			}
		})
	}
	return e
}

// emit logs ev and queues it for OnEvent.
func (e *events) emit(ev Event) {
	ev.Time = time.Now()
	if e.logger.Enabled(context.Background(), slog.LevelDebug) {
		e.logger.Debug(logMessages[ev.Kind], "addr", ev.Addr, "slot", ev.Slot, "delay", ev.Delay, "err", ev.Err)
	}
	if e.queue == nil {
		return
	}
	select {
	case e.queue <- ev:
	default:
		e.dropped.Add(1)
	}
}

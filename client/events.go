package client

import "github.com/actoredis/actoredis/actors"

// Event is one thing the pool's supervision did, given to Options.OnEvent:
// Kind, when (Time), the server (Addr), the connection (Slot, -1 for the
// pubsub actor), the restart delay (Delay) and the cause (Err). It never
// carries a secret.
type Event = actors.Event

// EventKind names what happened; its String is a short lowercase name.
type EventKind = actors.EventKind

// The kinds of Event.
const (
	// EventConnUp: a connection finished its handshake.
	EventConnUp = actors.EventConnUp
	// EventConnDown: a connection was lost, or its dial or handshake
	// failed; Err tells why.
	EventConnDown = actors.EventConnDown
	// EventRestart: a failed connection (or the pubsub actor, Slot -1)
	// restarts after Delay, per Options.ReconnectBackoff.
	EventRestart = actors.EventRestart
	// EventResubscribed: after a reconnect, every subscription was renewed.
	EventResubscribed = actors.EventResubscribed
	// EventPubSubDown: the subscribed connection was lost; Err tells why.
	EventPubSubDown = actors.EventPubSubDown
)

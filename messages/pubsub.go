package messages

// MessageKind tells what a pub/sub Message carries.
type MessageKind uint8

const (
	// KindMessage is a message published on a subscribed channel.
	KindMessage MessageKind = iota + 1
	// KindPMessage is a message on a channel that matched a subscribed
	// pattern (Pattern tells which).
	KindPMessage
	// KindSMessage is a message on a subscribed shard channel.
	KindSMessage
	// KindReconnected: the subscribed connection was lost and every
	// subscription was renewed on a new one; messages published in the
	// gap may have been missed.
	KindReconnected
	// KindDropped: Dropped messages were discarded because the
	// subscription's buffer was full (its overflow policy).
	KindDropped
)

var messageKindNames = [...]string{"", "message", "pmessage", "smessage", "reconnected", "dropped"}

// String returns the kind's name, for example "pmessage".
func (k MessageKind) String() string {
	if int(k) < len(messageKindNames) && k != 0 {
		return messageKindNames[k]
	}
	return "kind(" + string(rune('0'+k%10)) + ")"
}

// Message is one pub/sub delivery or event. Payload holds the exact bytes
// published (a Go string is binary safe).
type Message struct {
	Kind    MessageKind
	Channel string
	Pattern string // KindPMessage only
	Payload string
	Dropped int64 // KindDropped only: how many were discarded
}

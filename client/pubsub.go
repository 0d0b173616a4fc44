package client

import (
	"context"

	"github.com/actoredis/actoredis/actors"
	"github.com/actoredis/actoredis/messages"
)

// Message is one pub/sub delivery or event: Kind tells which (message,
// pmessage, smessage, or the events Reconnected and Dropped); Payload is
// the exact bytes published.
type Message = messages.Message

// MessageKind tells what a Message carries.
type MessageKind = messages.MessageKind

// The kinds of Message.
const (
	KindMessage     = messages.KindMessage
	KindPMessage    = messages.KindPMessage
	KindSMessage    = messages.KindSMessage
	KindReconnected = messages.KindReconnected
	KindDropped     = messages.KindDropped
)

// Policy says what a subscription does when its consumer falls behind.
type Policy = actors.Policy

// The overflow policies; see SubscribeOptions.
const (
	// Block keeps every message; only this subscription's feed waits for
	// its consumer (its own queue grows up to MaxPending, then the
	// subscription ends with ErrSlowConsumer). Other subscriptions and
	// the command connections are never held up.
	Block = actors.Block
	// DropOldest discards the oldest queued message to make room.
	DropOldest = actors.DropOldest
	// DropNewest discards the message that does not fit.
	DropNewest = actors.DropNewest
	// CloseOnOverflow ends the subscription with ErrSlowConsumer.
	CloseOnOverflow = actors.CloseOnOverflow
)

// SubscriptionStats counts what a subscription did.
type SubscriptionStats = actors.SubStats

// SubscribeOptions open a subscription.
type SubscribeOptions struct {
	Channels      []string // SUBSCRIBE
	Patterns      []string // PSUBSCRIBE
	ShardChannels []string // SSUBSCRIBE (Redis 7.0)
	// BufferSize is how many messages queue for a slow consumer before
	// Policy applies (the Messages channel holds up to min(BufferSize,
	// 256) more, and the delivery goroutine a quarter of BufferSize in
	// hand). Default 1024.
	BufferSize int
	// Policy applies when BufferSize messages are queued. Default Block.
	Policy Policy
	// MaxPending caps Block's queue. Default max(1024×BufferSize, 2^20).
	MaxPending int
}

// Subscription is one consumer's feed of pub/sub messages:
//
//	sub, err := c.Subscribe(ctx, "news")
//	for msg := range sub.Messages() { ... }
//
// All subscriptions of a client share one subscribed connection, owned by
// the pubsub actor, which resubscribes everything after a reconnect; each
// subscription then gets one Reconnected event (messages published in the
// gap may be missing). Two subscriptions to one channel both get every
// message. Drops by the overflow policy arrive as a Dropped event where
// the gap is, and are counted in Stats. A Subscription is safe for
// concurrent use.
type Subscription struct{ feed feed }

// feed is where a Subscription's messages come from: the subscription of
// a client's pubsub actor, or one that moves from server to server as
// they come and go, forwarding the messages of the current one. Its
// methods are those of actors.Subscription.
type feed interface {
	Messages() <-chan Message
	Add(ctx context.Context, kind int, names ...string) error
	Remove(kind int, names ...string)
	Stats() SubscriptionStats
	Err() error
	Close() error
}

// Subscribe subscribes to channels and returns once the server has
// confirmed every one.
func (c *Client) Subscribe(ctx context.Context, channels ...string) (*Subscription, error) {
	return c.SubscribeWith(ctx, SubscribeOptions{Channels: channels})
}

// PSubscribe subscribes to patterns (PSUBSCRIBE) and returns once the
// server has confirmed every one.
func (c *Client) PSubscribe(ctx context.Context, patterns ...string) (*Subscription, error) {
	return c.SubscribeWith(ctx, SubscribeOptions{Patterns: patterns})
}

// SSubscribe subscribes to shard channels (SSUBSCRIBE, Redis 7.0) and
// returns once the server has confirmed every one.
func (c *Client) SSubscribe(ctx context.Context, shardChannels ...string) (*Subscription, error) {
	return c.SubscribeWith(ctx, SubscribeOptions{ShardChannels: shardChannels})
}

// SubscribeWith opens a subscription with options and returns once the
// server has confirmed every channel, pattern and shard channel.
func (c *Client) SubscribeWith(ctx context.Context, opts SubscribeOptions) (*Subscription, error) {
	select {
	case <-c.pool.Closed():
		return nil, ErrClosed
	default:
	}
	sub := &Subscription{feed: c.pool.NewSubscription(opts.BufferSize, opts.Policy, opts.MaxPending)}
	for _, step := range []struct {
		kind  int
		names []string
	}{{actors.Channels, opts.Channels}, {actors.Patterns, opts.Patterns}, {actors.ShardChannels, opts.ShardChannels}} {
		if err := sub.feed.Add(ctx, step.kind, step.names...); err != nil {
			_ = sub.Close()
			return nil, err
		}
	}
	return sub, nil
}

// Messages returns the channel of messages and events; it is closed once,
// when the subscription ends.
func (s *Subscription) Messages() <-chan Message { return s.feed.Messages() }

// Subscribe adds channels, returning once the server confirmed them.
func (s *Subscription) Subscribe(ctx context.Context, channels ...string) error {
	return s.feed.Add(ctx, actors.Channels, channels...)
}

// PSubscribe adds patterns, returning once the server confirmed them.
func (s *Subscription) PSubscribe(ctx context.Context, patterns ...string) error {
	return s.feed.Add(ctx, actors.Patterns, patterns...)
}

// SSubscribe adds shard channels, returning once the server confirmed
// them.
func (s *Subscription) SSubscribe(ctx context.Context, shardChannels ...string) error {
	return s.feed.Add(ctx, actors.ShardChannels, shardChannels...)
}

// Unsubscribe drops channels from this subscription; the server is
// unsubscribed when no other subscription listens to them.
func (s *Subscription) Unsubscribe(channels ...string) { s.feed.Remove(actors.Channels, channels...) }

// PUnsubscribe drops patterns from this subscription.
func (s *Subscription) PUnsubscribe(patterns ...string) { s.feed.Remove(actors.Patterns, patterns...) }

// SUnsubscribe drops shard channels from this subscription.
func (s *Subscription) SUnsubscribe(shardChannels ...string) {
	s.feed.Remove(actors.ShardChannels, shardChannels...)
}

// Stats returns the subscription's counters: delivered, dropped, queued.
func (s *Subscription) Stats() SubscriptionStats { return s.feed.Stats() }

// Err returns why the subscription ended by itself (ErrSlowConsumer,
// ErrClosed when the client closed), or nil.
func (s *Subscription) Err() error { return s.feed.Err() }

// Close unsubscribes and closes the Messages channel exactly once; later
// calls do nothing.
func (s *Subscription) Close() error { return s.feed.Close() }

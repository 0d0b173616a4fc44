package client

import "context"

// Commands of the pubsub group that are plain request and reply:
// publishing and introspection. Subscriptions (SUBSCRIBE and the like)
// hold their connection and are not among them.

// Publish posts message to channel and returns the number of clients that
// received it (in a cluster, those connected to the node it reached). The
// channel picks the connection, as a key would. Since Redis 2.0.0.
func (c cmds) Publish(ctx context.Context, channel string, message any) *Future[int64] {
	f := newFuture(c.s, ctx, "PUBLISH", 0, toInt64)
	f.b.key(channel).any(message)
	return send(c.s, f)
}

// SPublish posts message to the shard channel channel (delivered by the
// node that owns the channel's hash slot) and returns the number of
// clients that received it. Since Redis 7.0.0.
func (c cmds) SPublish(ctx context.Context, channel string, message any) *Future[int64] {
	f := newFuture(c.s, ctx, "SPUBLISH", 0, toInt64)
	f.b.key(channel).any(message)
	return send(c.s, f)
}

// PubSubChannels lists the channels with at least one subscriber (pattern
// subscriptions do not count) whose names match the glob pattern; ""
// lists them all. Since Redis 2.8.0.
func (c cmds) PubSubChannels(ctx context.Context, pattern string) *Future[[]string] {
	f := newFuture(c.s, ctx, "PUBSUB CHANNELS", ro, toStrings)
	if pattern != "" {
		f.b.str(pattern)
	}
	return send(c.s, f)
}

// PubSubNumSub returns the number of subscribers (pattern subscriptions
// do not count) of each channel given, including those with none. Since
// Redis 2.8.0.
func (c cmds) PubSubNumSub(ctx context.Context, channels ...string) *Future[map[string]int64] {
	f := newFuture(c.s, ctx, "PUBSUB NUMSUB", ro, pubsubToCounts)
	for _, ch := range channels {
		f.b.str(ch)
	}
	return send(c.s, f)
}

// PubSubNumPat returns the number of pattern subscriptions (PSUBSCRIBE)
// of all clients. Since Redis 2.8.0.
func (c cmds) PubSubNumPat(ctx context.Context) *Future[int64] {
	f := newFuture(c.s, ctx, "PUBSUB NUMPAT", ro, toInt64)
	return send(c.s, f)
}

// PubSubShardChannels lists the shard channels with at least one
// subscriber whose names match the glob pattern; "" lists them all. In a
// cluster it answers for the node it reaches. Since Redis 7.0.0.
func (c cmds) PubSubShardChannels(ctx context.Context, pattern string) *Future[[]string] {
	f := newFuture(c.s, ctx, "PUBSUB SHARDCHANNELS", ro, toStrings)
	if pattern != "" {
		f.b.str(pattern)
	}
	return send(c.s, f)
}

// PubSubShardNumSub returns the number of subscribers of each shard
// channel given, including those with none. Since Redis 7.0.0.
func (c cmds) PubSubShardNumSub(ctx context.Context, channels ...string) *Future[map[string]int64] {
	f := newFuture(c.s, ctx, "PUBSUB SHARDNUMSUB", ro, pubsubToCounts)
	for _, ch := range channels {
		f.b.str(ch)
	}
	return send(c.s, f)
}

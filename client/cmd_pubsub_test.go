package client

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

func TestPubSubEncoding(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"Publish", func(c cmds) error { return c.Publish(ctx, "ch", []byte("m")).Err() }, "PUBLISH ch m", 0},
		{"SPublish", func(c cmds) error { return c.SPublish(ctx, "ch", 5).Err() }, "SPUBLISH ch 5", 0},
		{"PubSubChannels", func(c cmds) error { return c.PubSubChannels(ctx, "").Err() }, "PUBSUB CHANNELS", ro},
		{"PubSubChannels pattern", func(c cmds) error { return c.PubSubChannels(ctx, "n*").Err() }, "PUBSUB CHANNELS n*", ro},
		{"PubSubNumSub", func(c cmds) error { return c.PubSubNumSub(ctx, "a", "b").Err() }, "PUBSUB NUMSUB a b", ro},
		{"PubSubNumPat", func(c cmds) error { return c.PubSubNumPat(ctx).Err() }, "PUBSUB NUMPAT", ro},
		{"PubSubShardChannels", func(c cmds) error { return c.PubSubShardChannels(ctx, "s*").Err() }, "PUBSUB SHARDCHANNELS s*", ro},
		{"PubSubShardNumSub", func(c cmds) error { return c.PubSubShardNumSub(ctx, "s").Err() }, "PUBSUB SHARDNUMSUB s", ro},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindInteger} })
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
		})
	}
}

func TestPublishRoutesByChannel(t *testing.T) {
	s, c := replying(t, ":1")
	require.NoError(t, c.Publish(context.Background(), "{room}1", "m").Err())
	assert.Equal(t, int(Slot("room")), s.last().slot)
	require.NoError(t, c.SPublish(context.Background(), "{room}2", "m").Err())
	assert.Equal(t, int(Slot("room")), s.last().slot)
	_, err := c.Publish(context.Background(), "ch", struct{}{}).Result()
	assert.ErrorIs(t, err, ErrUnsupportedArg)
}

//go:build integration

package integration

import (
	"bufio"
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

// pubsubRaw is a subscriber on a raw socket: the client has no
// subscriptions yet, so the test speaks RESP2 by hand.
type pubsubRaw struct {
	conn net.Conn
	r    *bufio.Reader
}

func pubsubDial(t *testing.T, addr string) *pubsubRaw {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return &pubsubRaw{conn: conn, r: bufio.NewReader(conn)}
}

// send writes one command and reads the confirmations, one per channel.
func (p *pubsubRaw) send(t *testing.T, args ...string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("*" + strconv.Itoa(len(args)) + "\r\n")
	for _, a := range args {
		b.WriteString("$" + strconv.Itoa(len(a)) + "\r\n" + a + "\r\n")
	}
	_, err := p.conn.Write([]byte(b.String()))
	require.NoError(t, err)
	for range args[1:] {
		p.expect(t, strings.ToLower(args[0]))
	}
}

// expect reads lines until one equals want.
func (p *pubsubRaw) expect(t *testing.T, want string) {
	t.Helper()
	require.NoError(t, p.conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	for {
		line, err := p.r.ReadString('\n')
		require.NoError(t, err, "waiting for %q", want)
		if strings.TrimRight(line, "\r\n") == want {
			return
		}
	}
}

func TestPubSubCommands(t *testing.T) {
	srv := redistest.Start(t)
	eachProtocol(t, client.Options{Addr: srv.Addr()}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		news, sport, shard := key("news"), key("sport"), key("shard")

		assert.Equal(t, int64(0), valueOf(t, c.Publish(ctx, news, "nobody")))
		assert.Equal(t, int64(0), valueOf(t, c.SPublish(ctx, shard, "nobody")))
		assert.Empty(t, valueOf(t, c.PubSubChannels(ctx, "")))
		assert.Equal(t, map[string]int64{news: 0}, valueOf(t, c.PubSubNumSub(ctx, news)))
		assert.Equal(t, int64(0), valueOf(t, c.PubSubNumPat(ctx)))
		assert.Empty(t, valueOf(t, c.PubSubShardChannels(ctx, "")))
		assert.Equal(t, map[string]int64{shard: 0}, valueOf(t, c.PubSubShardNumSub(ctx, shard)))
		assert.Equal(t, map[string]int64{}, valueOf(t, c.PubSubNumSub(ctx)))

		sub1, sub2 := pubsubDial(t, srv.Addr()), pubsubDial(t, srv.Addr())
		sub1.send(t, "SUBSCRIBE", news, sport)
		sub2.send(t, "SUBSCRIBE", news)
		sub2.send(t, "PSUBSCRIBE", key("*"))
		ssub := pubsubDial(t, srv.Addr())
		ssub.send(t, "SSUBSCRIBE", shard)

		assert.ElementsMatch(t, []string{news, sport}, valueOf(t, c.PubSubChannels(ctx, "")))
		assert.Equal(t, []string{sport}, valueOf(t, c.PubSubChannels(ctx, globEscaper.Replace(key("sp"))+"*")))
		assert.Equal(t, map[string]int64{news: 2, sport: 1, key("none"): 0},
			valueOf(t, c.PubSubNumSub(ctx, news, sport, key("none"))))
		assert.Equal(t, int64(1), valueOf(t, c.PubSubNumPat(ctx)))
		assert.Equal(t, []string{shard}, valueOf(t, c.PubSubShardChannels(ctx, "")))
		assert.Equal(t, []string{shard}, valueOf(t, c.PubSubShardChannels(ctx, globEscaper.Replace(key("sh"))+"*")))
		assert.Empty(t, valueOf(t, c.PubSubShardChannels(ctx, "nomatch*")))
		assert.Equal(t, map[string]int64{shard: 1, news: 0}, valueOf(t, c.PubSubShardNumSub(ctx, shard, news)))

		// news: sub1, sub2 and sub2's pattern; sport: sub1 and the pattern.
		assert.Equal(t, int64(3), valueOf(t, c.Publish(ctx, news, "hello")))
		sub1.expect(t, "hello")
		assert.Equal(t, int64(2), valueOf(t, c.Publish(ctx, sport, []byte("goal"))))
		sub1.expect(t, "goal")
		assert.Equal(t, int64(1), valueOf(t, c.SPublish(ctx, shard, 42)))
		ssub.expect(t, "42")
	})
}

package client_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/resp"
	"github.com/actoredis/actoredis/resp/resptest"
)

// The commands of Redis 7.2 and 7.4 through a whole Client, against the
// scripted fake server, under both protocols: what goes on the wire and
// what comes back.

func ints(ns ...int64) resp.Value {
	v := resp.Value{Kind: resp.KindArray}
	for _, n := range ns {
		v.Elems = append(v.Elems, resp.Value{Kind: resp.KindInteger, Int: n})
	}
	return v
}

func TestHashFieldTTLOverTheWire(t *testing.T) {
	ctx := context.Background()
	for _, proto := range []int{2, 3} {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			srv := resptest.New(t, resptest.Options{Version: "7.4.1"})
			c := fakeClient(t, srv, client.Options{Protocol: proto})
			srv.Expect("HEXPIRE", "session:1", "60", "NX", "FIELDS", "2", "token", "gone").Reply(ints(1, -2))
			srv.Expect("HTTL", "session:1", "FIELDS", "2", "token", "user").Reply(ints(60, -1))
			srv.Expect("HPERSIST", "session:1", "FIELDS", "1", "token").Reply(ints(1))

			set, err := c.HExpireWith(ctx, "session:1", time.Minute, client.ExpireNX, "token", "gone").Result()
			require.NoError(t, err)
			assert.Equal(t, []int64{1, -2}, set)
			ttl, err := c.HTTL(ctx, "session:1", "token", "user").Result()
			require.NoError(t, err)
			assert.Equal(t, []int64{60, -1}, ttl)
			persisted, err := c.HPersist(ctx, "session:1", "token").Result()
			require.NoError(t, err)
			assert.Equal(t, []int64{1}, persisted)
		})
	}
}

func TestWaitAOFAndRankScoreOverTheWire(t *testing.T) {
	ctx := context.Background()
	for _, proto := range []int{2, 3} {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			srv := resptest.New(t, resptest.Options{Version: "7.4.1"})
			c := fakeClient(t, srv, client.Options{Protocol: proto})
			srv.Expect("WAITAOF", "1", "0", "100").Reply(ints(1, 0))
			srv.Expect("ZRANK", "z", "m", "WITHSCORE").Reply(resp.Value{Kind: resp.KindArray, Elems: []resp.Value{
				{Kind: resp.KindInteger, Int: 3}, resp.Double(2.5, "2.5")}})

			w, err := c.WaitAOF(ctx, 1, 0, 100*time.Millisecond).Result()
			require.NoError(t, err)
			assert.Equal(t, client.WaitAOFResult{Local: 1, Replicas: 0}, w)
			r, err := c.ZRankWithScore(ctx, "z", "m").Result()
			require.NoError(t, err)
			assert.Equal(t, client.RankScore{Rank: 3, Score: 2.5}, r)
		})
	}
}

// ClientSetInfo names one leased connection; the pool's others keep the
// handshake's name.
func TestClientSetInfoNamesTheConn(t *testing.T) {
	ctx := context.Background()
	srv := resptest.New(t, resptest.Options{Version: "7.4.1"})
	c := fakeClient(t, srv, client.Options{})
	require.NoError(t, c.Ping(ctx).Err())
	cn, err := c.Conn(ctx)
	require.NoError(t, err)
	require.Equal(t, "OK", cn.ClientSetInfo(ctx, client.ClientLibName, "mylib").Val())
	id := cn.ClientID(ctx).Val()
	require.NoError(t, cn.Close())
	names := map[int64]string{}
	for _, conn := range srv.Conns() {
		names[conn.ID()] = conn.LibName()
	}
	assert.Equal(t, "mylib", names[id])
	require.GreaterOrEqual(t, len(names), 2, "the pool's connection and the leased one")
	for cid, name := range names {
		if cid != id {
			assert.Equal(t, "actoredis", name, "connection %d", cid)
		}
	}
}

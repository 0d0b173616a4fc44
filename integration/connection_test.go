//go:build integration

package integration

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

func TestConnectionPingEcho(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, _ func(string) string) {
		ctx := context.Background()
		assert.Equal(t, "PONG", valueOf(t, c.Ping(ctx)))
		msg := "héllo\x00wörld\r\n"
		assert.Equal(t, msg, valueOf(t, c.Echo(ctx, msg)))
		assert.Equal(t, "", valueOf(t, c.Echo(ctx, "")))
	})
}

func TestConnectionClientInfoAndList(t *testing.T) {
	srv := redistest.Shared(t)
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, _ func(string) string) {
		ctx := context.Background()
		proto := c.Options().Protocol
		cn := openConn(t, c)
		id := valueOf(t, cn.ClientID(ctx))
		assert.Equal(t, id, valueOf(t, cn.ClientID(ctx)), "one connection")

		info := valueOf(t, cn.ClientInfo(ctx))
		assert.Equal(t, id, info.ID)
		assert.Equal(t, proto, info.Protocol)
		assert.Equal(t, 0, info.DB)
		assert.Equal(t, "default", info.User)
		assert.Equal(t, "client|info", info.Cmd)
		assert.Equal(t, "N", info.Flags)
		assert.Equal(t, int64(-1), info.MultiCommands)
		assert.Equal(t, int64(-1), info.Redirect)
		assert.Equal(t, srv.Addr(), info.LocalAddr)
		assert.NotEmpty(t, info.Addr)
		assert.Greater(t, info.FD, int64(0))
		assert.Greater(t, info.TotalMemory, int64(0))
		assert.GreaterOrEqual(t, info.Age, time.Duration(0))
		assert.Equal(t, "r", info.Events)

		all := valueOf(t, c.ClientList(ctx))
		i := slices.IndexFunc(all, func(ci client.ClientInfo) bool { return ci.ID == id })
		require.GreaterOrEqual(t, i, 0, "the Conn is listed")
		assert.Equal(t, info.Addr, all[i].Addr)
		assert.Equal(t, proto, all[i].Protocol)

		byID := valueOf(t, c.ClientListWith(ctx, client.ClientListOptions{IDs: []int64{id, 1 << 40}}))
		require.Len(t, byID, 1)
		assert.Equal(t, id, byID[0].ID)
		assert.Equal(t, "client|info", byID[0].Cmd, "its last command")
		normal := valueOf(t, c.ClientListWith(ctx, client.ClientListOptions{Type: client.ClientNormal}))
		assert.True(t, slices.ContainsFunc(normal, func(ci client.ClientInfo) bool { return ci.ID == id }))
		pubsub := valueOf(t, c.ClientListWith(ctx, client.ClientListOptions{Type: client.ClientPubSub}))
		assert.False(t, slices.ContainsFunc(pubsub, func(ci client.ClientInfo) bool { return ci.ID == id }))
		assert.Empty(t, valueOf(t, c.ClientListWith(ctx, client.ClientListOptions{Type: client.ClientMaster})))
		assert.Empty(t, valueOf(t, c.ClientListWith(ctx, client.ClientListOptions{Type: client.ClientReplica})))
	})
}

func TestConnectionClientNames(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, _ func(string) string) {
		ctx := context.Background()
		cn := openConn(t, c)
		assert.Equal(t, "", valueOf(t, cn.ClientGetName(ctx)), "no name yet")
		assert.Equal(t, "OK", valueOf(t, cn.ClientSetName(ctx, "conn-worker")))
		assert.Equal(t, "conn-worker", valueOf(t, cn.ClientGetName(ctx)))
		assert.Equal(t, "conn-worker", valueOf(t, cn.ClientInfo(ctx)).Name)
		var se *client.Error
		assert.ErrorAs(t, cn.ClientSetName(ctx, "has space").Err(), &se)
		assert.Equal(t, "OK", valueOf(t, cn.ClientSetName(ctx, "")))
		assert.Equal(t, "", valueOf(t, cn.ClientGetName(ctx)))

		named := openClient(t, client.Options{Protocol: c.Options().Protocol, ClientName: "pool-name"})
		assert.Equal(t, "pool-name", valueOf(t, named.ClientGetName(ctx)))
	})
}

func TestConnectionClientKill(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, _ func(string) string) {
		ctx := context.Background()

		byAddr := openConn(t, c)
		addr := valueOf(t, byAddr.ClientInfo(ctx)).Addr
		assert.Equal(t, int64(1), valueOf(t, c.ClientKill(ctx, addr)))
		assertGone(t, byAddr)
		assert.Equal(t, int64(0), valueOf(t, c.ClientKill(ctx, addr)), "nobody left there")

		byID := openConn(t, c)
		id := valueOf(t, byID.ClientID(ctx))
		assert.Equal(t, int64(0), valueOf(t, c.ClientKillWith(ctx, client.ClientKillOptions{ID: id, Type: client.ClientPubSub})),
			"every filter must match")
		var se *client.Error
		assert.ErrorAs(t, c.ClientKillWith(ctx, client.ClientKillOptions{ID: id, User: "nobody"}).Err(), &se,
			"an unknown user is an error")
		assert.Equal(t, int64(0), valueOf(t, c.ClientKillWith(ctx, client.ClientKillOptions{ID: id, LocalAddr: "127.0.0.1:1"})))
		local := valueOf(t, byID.ClientInfo(ctx)).LocalAddr
		assert.Equal(t, int64(1), valueOf(t, c.ClientKillWith(ctx, client.ClientKillOptions{ID: id, Type: client.ClientNormal,
			User: "default", LocalAddr: local})))
		assertGone(t, byID)

		self := openConn(t, c)
		selfID := valueOf(t, self.ClientID(ctx))
		assert.Equal(t, int64(0), valueOf(t, self.ClientKillWith(ctx, client.ClientKillOptions{ID: selfID})), "SKIPME yes")
		assert.Equal(t, int64(1), valueOf(t, self.ClientKillWith(ctx, client.ClientKillOptions{ID: selfID, IncludeSelf: true})))
		assertGone(t, self)

		assert.ErrorIs(t, c.ClientKillWith(ctx, client.ClientKillOptions{IncludeSelf: true}).Err(), client.ErrInvalidArg)
		assert.Equal(t, "PONG", valueOf(t, c.Ping(ctx)), "the client is unharmed")
	})
}

// assertGone checks that the connection behind cn was closed: a command
// sent on it fails at once with a connection error, never hangs.
func assertGone(t *testing.T, cn *client.Conn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := cn.Ping(ctx).Err()
	require.Error(t, err, "its connection is gone")
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	assert.True(t, errors.Is(err, client.ErrConnClosed) || errors.Is(err, client.ErrLeaseBroken), "got %v", err)
}

// A command sent right after the server killed a Conn's connection fails;
// it is never lost with the stopped connection actor.
func TestConnectionKilledConnNeverHangs(t *testing.T) {
	c := openClient(t, client.Options{})
	ctx := context.Background()
	for i := 0; i < 100; i++ {
		cn, err := c.Conn(ctx)
		require.NoError(t, err)
		id := valueOf(t, cn.ClientID(ctx))
		require.Equal(t, int64(1), valueOf(t, c.ClientKillWith(ctx, client.ClientKillOptions{ID: id})))
		assertGone(t, cn)
		require.NoError(t, cn.Close())
	}
}

// CLIENT PAUSE stops the whole server, so it runs on a private one.
func TestConnectionClientPause(t *testing.T) {
	srv := redistest.Start(t)
	eachProtocol(t, client.Options{Addr: srv.Addr()}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k := key("k")
		require.NoError(t, c.Set(ctx, k, "before", 0).Err())

		assert.Equal(t, "OK", valueOf(t, c.ClientPauseWith(ctx, 10*time.Second, client.PauseWrite)))
		assert.Equal(t, "before", valueOf(t, c.Get(ctx, k)), "reads go on")
		// The paused write holds up every command behind it on its
		// connection, so it goes on a Conn of its own.
		write := openConn(t, c).Set(ctx, k, "after", 0)
		select {
		case <-write.Done():
			t.Fatal("a write went through a WRITE pause")
		case <-time.After(100 * time.Millisecond):
		}
		assert.Equal(t, "OK", valueOf(t, c.ClientUnpause(ctx)))
		assert.Equal(t, "OK", valueOf(t, write))
		assert.Equal(t, "after", valueOf(t, c.Get(ctx, k)))

		start := time.Now()
		assert.Equal(t, "OK", valueOf(t, c.ClientPause(ctx, 200*time.Millisecond)))
		assert.Equal(t, "after", valueOf(t, c.Get(ctx, k)), "served once the pause ends")
		assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
	})
}

func TestConnectionClientUnblock(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, _ func(string) string) {
		ctx := context.Background()
		cn := openConn(t, c)
		id := valueOf(t, cn.ClientID(ctx))
		assert.False(t, valueOf(t, c.ClientUnblock(ctx, id)), "not blocked")

		blocked := cn.Wait(ctx, 1, 0) // no replicas: blocks until unblocked
		waitBlocked(t, c, id)
		assert.True(t, valueOf(t, c.ClientUnblock(ctx, id)))
		assert.Equal(t, int64(0), valueOf(t, blocked))

		blocked = cn.Wait(ctx, 1, 0)
		waitBlocked(t, c, id)
		assert.True(t, valueOf(t, c.ClientUnblockWith(ctx, id, client.UnblockError)))
		var se *client.Error
		require.ErrorAs(t, blocked.Err(), &se)
		assert.Equal(t, "UNBLOCKED", se.Prefix())
		assert.Equal(t, "PONG", valueOf(t, cn.Ping(ctx)), "the Conn goes on")
	})
}

// waitBlocked waits until the client with this ID is blocked.
func waitBlocked(t *testing.T, c *client.Client, id int64) {
	t.Helper()
	ctx := context.Background()
	require.Eventually(t, func() bool {
		l, err := c.ClientListWith(ctx, client.ClientListOptions{IDs: []int64{id}}).Result()
		return err == nil && len(l) == 1 && strings.Contains(l[0].Flags, "b")
	}, 5*time.Second, 5*time.Millisecond)
}

func TestConnectionClientTracking(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		cn := openConn(t, c)
		sink := openConn(t, c)
		sinkID := valueOf(t, sink.ClientID(ctx))

		off := client.TrackingInfo{Flags: []string{"off"}, Redirect: -1, Prefixes: []string{}}
		assert.Equal(t, off, valueOf(t, cn.ClientTrackingInfo(ctx)))
		assert.Equal(t, int64(-1), valueOf(t, cn.ClientGetRedir(ctx)))

		assert.Equal(t, "OK", valueOf(t, cn.ClientTrackingWith(ctx, true,
			client.TrackingOptions{Redirect: sinkID, OptIn: true, NoLoop: true})))
		info := valueOf(t, cn.ClientTrackingInfo(ctx))
		assert.True(t, info.Enabled())
		assert.Subset(t, info.Flags, []string{"on", "optin", "noloop"})
		assert.Equal(t, sinkID, info.Redirect)
		assert.Equal(t, sinkID, valueOf(t, cn.ClientGetRedir(ctx)))
		assert.Equal(t, sinkID, valueOf(t, cn.ClientInfo(ctx)).Redirect)

		assert.Equal(t, "OK", valueOf(t, cn.ClientCaching(ctx, true)))
		assert.Contains(t, valueOf(t, cn.ClientTrackingInfo(ctx)).Flags, "caching-yes", "CLIENT commands keep it")
		assert.ErrorIs(t, cn.Get(ctx, key("cached")).Err(), client.ErrNil)
		assert.NotContains(t, valueOf(t, cn.ClientTrackingInfo(ctx)).Flags, "caching-yes", "the next command took it")
		var se *client.Error
		assert.ErrorAs(t, cn.ClientCaching(ctx, false).Err(), &se, "CACHING NO needs OPTOUT")

		assert.Equal(t, "OK", valueOf(t, cn.ClientTracking(ctx, false)))
		assert.Equal(t, off, valueOf(t, cn.ClientTrackingInfo(ctx)))

		prefixes := []string{key("a:"), key("b:")}
		assert.Equal(t, "OK", valueOf(t, cn.ClientTrackingWith(ctx, true,
			client.TrackingOptions{Redirect: sinkID, Broadcast: true, Prefixes: prefixes})))
		info = valueOf(t, cn.ClientTrackingInfo(ctx))
		assert.Contains(t, info.Flags, "bcast")
		assert.ElementsMatch(t, prefixes, info.Prefixes)
		assert.Equal(t, "OK", valueOf(t, cn.ClientTracking(ctx, false)))

		assert.Equal(t, "OK", valueOf(t, cn.ClientTrackingWith(ctx, true, client.TrackingOptions{Redirect: sinkID, OptOut: true})))
		assert.Equal(t, "OK", valueOf(t, cn.ClientCaching(ctx, false)))
		assert.Contains(t, valueOf(t, cn.ClientTrackingInfo(ctx)).Flags, "caching-no")
		assert.Equal(t, "OK", valueOf(t, cn.ClientTracking(ctx, false)))

		if c.Options().Protocol == 3 {
			// Without a redirect the invalidations come to the connection
			// itself as push messages, which must not be taken for replies.
			k := key("tracked")
			require.NoError(t, c.Set(ctx, k, "v1", 0).Err())
			assert.Equal(t, "OK", valueOf(t, cn.ClientTracking(ctx, true)))
			assert.Equal(t, int64(0), valueOf(t, cn.ClientGetRedir(ctx)))
			assert.Equal(t, "v1", valueOf(t, cn.Get(ctx, k)))
			require.NoError(t, c.Set(ctx, k, "v2", 0).Err())
			for range 3 {
				assert.Equal(t, "PONG", valueOf(t, cn.Ping(ctx)))
			}
			assert.Equal(t, "v2", valueOf(t, cn.Get(ctx, k)))
		}
	})
}

func TestConnectionClientNoEvict(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, _ func(string) string) {
		ctx := context.Background()
		cn := openConn(t, c)
		assert.Equal(t, "OK", valueOf(t, cn.ClientNoEvict(ctx, true)))
		assert.Contains(t, valueOf(t, cn.ClientInfo(ctx)).Flags, "e")
		assert.Equal(t, "OK", valueOf(t, cn.ClientNoEvict(ctx, false)))
		assert.NotContains(t, valueOf(t, cn.ClientInfo(ctx)).Flags, "e")
	})
}

func TestConnectionClientReply(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k := key("k")
		cn, err := c.Conn(ctx)
		require.NoError(t, err)
		id := valueOf(t, cn.ClientID(ctx))

		// OFF: commands run but get no reply.
		assert.Equal(t, "OK", valueOf(t, cn.ClientReply(ctx, client.ReplyOff)))
		assert.ErrorIs(t, cn.Set(ctx, k, 1, 0).Err(), client.ErrNoReply)
		assert.ErrorIs(t, cn.Incr(ctx, k).Err(), client.ErrNoReply)
		assert.ErrorIs(t, cn.Get(ctx, k).Err(), client.ErrNoReply)
		assert.Equal(t, "OK", valueOf(t, cn.ClientReply(ctx, client.ReplySkip)), "SKIP under OFF")
		assert.ErrorIs(t, cn.Incr(ctx, k).Err(), client.ErrNoReply, "still off")
		assert.ErrorIs(t, cn.Ping(ctx).Err(), client.ErrNoReply, "still off")
		assert.Equal(t, "OK", valueOf(t, cn.ClientReply(ctx, client.ReplyOn)))
		assert.Equal(t, "3", valueOf(t, cn.Get(ctx, k)), "the commands ran")

		// SKIP: only the next command goes unanswered.
		assert.Equal(t, "OK", valueOf(t, cn.ClientReply(ctx, client.ReplySkip)))
		assert.ErrorIs(t, cn.Set(ctx, k, "skipped", 0).Err(), client.ErrNoReply)
		assert.Equal(t, "skipped", valueOf(t, cn.Get(ctx, k)))

		// ON right after SKIP is answered: it clears the skip.
		assert.Equal(t, "OK", valueOf(t, cn.ClientReply(ctx, client.ReplySkip)))
		assert.Equal(t, "OK", valueOf(t, cn.ClientReply(ctx, client.ReplyOn)))
		assert.Equal(t, "PONG", valueOf(t, cn.Ping(ctx)))

		// SKIP twice: the second is the skipped command and skips again.
		assert.Equal(t, "OK", valueOf(t, cn.ClientReply(ctx, client.ReplySkip)))
		assert.Equal(t, "OK", valueOf(t, cn.ClientReply(ctx, client.ReplySkip)))
		assert.ErrorIs(t, cn.Ping(ctx).Err(), client.ErrNoReply)
		assert.Equal(t, "PONG", valueOf(t, cn.Ping(ctx)))

		// Closed with replies off, the connection is not reused.
		assert.Equal(t, "OK", valueOf(t, cn.ClientReply(ctx, client.ReplyOff)))
		require.NoError(t, cn.Close())
		next := openConn(t, c)
		assert.Equal(t, "PONG", valueOf(t, next.Ping(ctx)))
		assert.NotEqual(t, id, valueOf(t, next.ClientID(ctx)))
		assert.Eventually(t, func() bool {
			l, err := c.ClientListWith(ctx, client.ClientListOptions{IDs: []int64{id}}).Result()
			return err == nil && len(l) == 0
		}, 5*time.Second, 10*time.Millisecond, "the connection was closed")
	})
}

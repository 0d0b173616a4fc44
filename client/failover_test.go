package client_test

import (
	"context"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/resp"
	"github.com/actoredis/actoredis/resp/resptest"
)

// Hermetic tests of NewFailover: a fake sentinel names fake data servers.

// fakeSentinel answers GET-MASTER-ADDR-BY-NAME for "mymaster" with the
// address primary() returns, knows no other sentinel, and confirms the
// watcher's SUBSCRIBE.
func fakeSentinel(t *testing.T, password string, primary func() string) *resptest.Server {
	t.Helper()
	str := func(s string) resp.Value { return resp.Value{Kind: resp.KindBulkString, Str: s} }
	arr := func(e ...resp.Value) resp.Value { return resp.Value{Kind: resp.KindArray, Elems: e} }
	s := resptest.New(t, resptest.Options{Password: password})
	s.Handle("SENTINEL", func(c *resptest.Conn, args []string) {
		switch {
		case len(args) == 3 && args[1] == "GET-MASTER-ADDR-BY-NAME" && args[2] == "mymaster":
			host, port, _ := net.SplitHostPort(primary())
			_ = c.WriteValue(arr(str(host), str(port)))
		case len(args) == 3 && args[1] == "GET-MASTER-ADDR-BY-NAME":
			_ = c.WriteValue(resp.Value{Kind: resp.KindNull})
		case len(args) == 3 && args[1] == "SENTINELS":
			_ = c.WriteValue(arr())
		default:
			_ = c.WriteError("ERR unknown sentinel subcommand")
		}
	})
	s.Handle("SUBSCRIBE", func(c *resptest.Conn, args []string) {
		_ = c.WriteValue(arr(str("subscribe"), str(args[1]), resp.Value{Kind: resp.KindInteger, Int: 1}))
	})
	return s
}

// fakeNode is a data server whose ROLE says role.
func fakeNode(t *testing.T, role string) *resptest.Server {
	t.Helper()
	s := resptest.New(t, resptest.Options{})
	s.Handle("ROLE", func(c *resptest.Conn, _ []string) {
		_ = c.WriteValue(resp.Value{Kind: resp.KindArray, Elems: []resp.Value{
			{Kind: resp.KindBulkString, Str: role}, {Kind: resp.KindInteger}, {Kind: resp.KindArray}}})
	})
	s.Handle("GET", func(c *resptest.Conn, args []string) {
		_ = c.WriteValue(resp.Value{Kind: resp.KindBulkString, Str: "from " + role})
	})
	return s
}

func TestFailoverDialsWhatTheSentinelNames(t *testing.T) {
	primary := fakeNode(t, "master")
	sentinel := fakeSentinel(t, "sentinel-pw", func() string { return primary.Addr() })
	c, err := client.NewFailover(client.SentinelOptions{
		MasterName: "mymaster", SentinelAddrs: []string{sentinel.Addr()}, SentinelPassword: "sentinel-pw",
		Options: client.Options{PoolSize: 1},
	})
	require.NoError(t, err)
	defer c.Close()
	assert.Equal(t, "from master", c.Get(context.Background(), "k").Val())
	authed := false
	for _, cmd := range sentinel.Commands() {
		authed = authed || slices.Contains(cmd, "sentinel-pw") && (cmd[0] == "AUTH" || cmd[0] == "HELLO")
	}
	assert.True(t, authed, "the sentinel password was given (HELLO AUTH, or AUTH)")
	assert.Positive(t, primary.CommandCount("ROLE"), "the handshake checked ROLE")
}

func TestFailoverRefusesAReplica(t *testing.T) {
	replica := fakeNode(t, "slave")
	sentinel := fakeSentinel(t, "", func() string { return replica.Addr() })
	c, err := client.NewFailover(client.SentinelOptions{
		MasterName: "mymaster", SentinelAddrs: []string{sentinel.Addr()},
		Options: client.Options{PoolSize: 1, PoolTimeout: 300 * time.Millisecond},
	})
	require.NoError(t, err)
	defer c.Close()
	err = c.Get(context.Background(), "k").Err()
	var re *client.RoleError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, replica.Addr(), re.Addr)
	assert.Equal(t, "slave", re.Got)
	assert.Zero(t, replica.CommandCount("GET"), "no command reached the replica")
}

func TestFailoverReadOnlyAsksTheSentinelsAgain(t *testing.T) {
	demoted := fakeNode(t, "master") // says master at the handshake, then refuses writes
	demoted.Handle("SET", func(c *resptest.Conn, _ []string) {
		_ = c.WriteError("READONLY You can't write against a read only replica.")
	})
	promoted := fakeNode(t, "master")
	promoted.Handle("SET", func(c *resptest.Conn, _ []string) {
		_ = c.WriteValue(resp.Value{Kind: resp.KindSimpleString, Str: "OK"})
	})
	var mu sync.Mutex
	current := demoted.Addr()
	sentinel := fakeSentinel(t, "", func() string { mu.Lock(); defer mu.Unlock(); return current })
	c, err := client.NewFailover(client.SentinelOptions{
		MasterName: "mymaster", SentinelAddrs: []string{sentinel.Addr()},
		Options: client.Options{PoolSize: 1},
	})
	require.NoError(t, err)
	defer c.Close()
	ctx := context.Background()
	err = c.Set(ctx, "k", "v", 0).Err()
	var se *client.Error
	require.ErrorAs(t, err, &se, "the READONLY reply reaches the caller")
	assert.Equal(t, "READONLY", se.Prefix())
	mu.Lock()
	current = promoted.Addr()
	mu.Unlock()
	require.Eventually(t, func() bool { return c.Set(ctx, "k", "v", 0).Err() == nil }, 5*time.Second, 5*time.Millisecond,
		"the connection was closed and dialed again where the sentinel now points")
	assert.Equal(t, 1, demoted.CommandCount("SET"), "nothing more went to the demoted primary")
}

func TestFailoverUnknownMasterName(t *testing.T) {
	sentinel := fakeSentinel(t, "", func() string { return "127.0.0.1:1" })
	_, err := client.NewFailover(client.SentinelOptions{MasterName: "other", SentinelAddrs: []string{sentinel.Addr()}})
	require.ErrorIs(t, err, client.ErrMasterNotFound)
	assert.Contains(t, err.Error(), `master "other" is unknown to the sentinels (`+sentinel.Addr()+`)`)
}

func TestSentinelOptionsHidePasswords(t *testing.T) {
	o := client.SentinelOptions{MasterName: "m", SentinelPassword: "s3cret-sentinel", Options: client.Options{Password: "s3cret-data"}}
	for _, s := range []string{o.String(), o.GoString()} {
		assert.NotContains(t, s, "s3cret")
		assert.Contains(t, s, "MasterName:m")
	}
}

func TestFailoverPassesOverASilentSentinel(t *testing.T) {
	silent, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never answers
	require.NoError(t, err)
	defer silent.Close()
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			_ = c.Close()
		}
	}()
	primary := fakeNode(t, "master")
	sentinel := fakeSentinel(t, "", func() string { return primary.Addr() })
	start := time.Now()
	c, err := client.NewFailover(client.SentinelOptions{
		MasterName: "mymaster", SentinelAddrs: []string{silent.Addr().String(), sentinel.Addr()},
		Options: client.Options{PoolSize: 1, DialTimeout: time.Second},
	})
	require.NoError(t, err)
	defer c.Close()
	assert.Equal(t, "from master", c.Get(context.Background(), "k").Val())
	assert.Less(t, time.Since(start), 2*time.Second, "the silent sentinel had half of DialTimeout, the next one the rest")
}

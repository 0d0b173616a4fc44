package client_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/resp/resptest"
)

// Hermetic tests of what the handshake sends and what it learns.

// writeLog records every write of the connections a Dialer opened.
type writeLog struct {
	mu     sync.Mutex
	writes []string
}

type loggedConn struct {
	net.Conn
	log *writeLog
}

func (c loggedConn) Write(b []byte) (int, error) {
	c.log.mu.Lock()
	c.log.writes = append(c.log.writes, string(b))
	c.log.mu.Unlock()
	return c.Conn.Write(b)
}

func (l *writeLog) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return loggedConn{Conn: c, log: l}, nil
}

func (l *writeLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.writes...)
}

// The handshake is one write, so one round trip: HELLO, SELECT and both
// CLIENT SETINFO travel together, and the server records the library.
func TestHandshakeSendsClientInfoWithHello(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	var log writeLog
	c := fakeClient(t, srv, client.Options{DB: 2, ClientName: "n", Dialer: log.dial})
	require.Equal(t, "PONG", c.Ping(context.Background()).Val())

	writes := log.all()
	require.Len(t, writes, 2, "the handshake's write, then PING's")
	hs := writes[0]
	for _, want := range []string{"HELLO", "SETNAME", "SELECT", "SETINFO", "LIB-NAME", "actoredis", "LIB-VER"} {
		assert.Contains(t, hs, want)
	}
	assert.Less(t, strings.Index(hs, "HELLO"), strings.Index(hs, "SETINFO"), "HELLO first")
	assert.Contains(t, writes[1], "PING")

	conns := srv.Conns()
	require.Len(t, conns, 1)
	assert.Equal(t, "actoredis", conns[0].LibName())
	ver := conns[0].LibVer()
	assert.NotEmpty(t, ver)
	assert.NotContains(t, ver, " ")
	assert.Equal(t, 2, conns[0].DB())
	assert.Equal(t, "n", conns[0].Name())
}

// Redis 7.0 answers CLIENT SETINFO with an error: the handshake ignores
// it, loses nothing else (SELECT applied, RESP3 kept) and the connection
// stays in sync: the first command gets its own reply, on the same
// connection.
func TestHandshakeIgnoresRefusedClientInfo(t *testing.T) {
	srv := resptest.New(t, resptest.Options{Version: "7.0.15"})
	c := fakeClient(t, srv, client.Options{DB: 3})
	ctx := context.Background()
	require.Equal(t, "PONG", c.Ping(ctx).Val())
	assert.Equal(t, "x", c.Echo(ctx, "x").Val())

	conns := srv.Conns()
	require.Len(t, conns, 1, "no reconnect")
	assert.Equal(t, 3, conns[0].Protocol())
	assert.Equal(t, 3, conns[0].DB())
	assert.Empty(t, conns[0].LibName())
	assert.Equal(t, 2, srv.CommandCount("CLIENT"), "LIB-NAME and LIB-VER, each once")
	assert.Equal(t, "7.0.15", c.HelloInfo().Version)
}

func TestHandshakeDisableClientInfo(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	c := fakeClient(t, srv, client.Options{DisableClientInfo: true})
	require.Equal(t, "PONG", c.Ping(context.Background()).Val())
	assert.Zero(t, srv.CommandCount("CLIENT"))
	assert.Empty(t, srv.Conns()[0].LibName())
}

// A server without HELLO gets a second round trip over RESP2, which
// names the library too.
func TestHandshakeRESP2FallbackSendsClientInfo(t *testing.T) {
	srv := resptest.New(t, resptest.Options{RESP2Only: true, Password: "pw"})
	var log writeLog
	c := fakeClient(t, srv, client.Options{Password: "pw", DB: 1, Dialer: log.dial})
	require.Equal(t, "PONG", c.Ping(context.Background()).Val())
	assert.Len(t, log.all(), 3, "HELLO's round, the RESP2 round, PING")
	conn := srv.Conns()[0]
	assert.Equal(t, "actoredis", conn.LibName())
	assert.Equal(t, 1, conn.DB())
	assert.Equal(t, client.HelloInfo{Addr: srv.Addr(), Protocol: 2}, c.HelloInfo(),
		"a server that refuses HELLO tells nothing but the protocol")
}

// A refusal of the handshake's other steps still fails the connection.
func TestHandshakeRefusedSelectFails(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	c := fakeClient(t, srv, client.Options{DB: 99})
	err := c.Ping(context.Background()).Err()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SELECT")
}

func TestHelloInfo(t *testing.T) {
	srv := resptest.New(t, resptest.Options{Server: "valkey", Version: "8.0.1"})
	release := make(chan struct{})
	c := fakeClient(t, srv, client.Options{Dialer: func(ctx context.Context, network, addr string) (net.Conn, error) {
		<-release
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}})
	assert.Equal(t, client.HelloInfo{}, c.HelloInfo(), "zero before the first handshake")
	close(release)
	require.Equal(t, "PONG", c.Ping(context.Background()).Val())
	assert.Equal(t, client.HelloInfo{Addr: srv.Addr(), Name: "valkey", Version: "8.0.1", Protocol: 3,
		Mode: "standalone", Role: "master"}, c.HelloInfo())

	srv2 := resptest.New(t, resptest.Options{Version: "7.4.1"})
	c2 := fakeClient(t, srv2, client.Options{Protocol: 2})
	require.Equal(t, "PONG", c2.Ping(context.Background()).Val())
	assert.Equal(t, client.HelloInfo{Addr: srv2.Addr(), Name: "redis", Version: "7.4.1", Protocol: 2,
		Mode: "standalone", Role: "master"}, c2.HelloInfo(), "HELLO 2 tells as much under RESP2")
	assert.Equal(t, 2, srv2.Conns()[0].Protocol())
}

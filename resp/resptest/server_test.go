package resptest

import (
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/actoredis/actoredis/resp"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// client is a minimal RESP client for the tests.
type client struct {
	t  *testing.T
	nc net.Conn
	r  *resp.Reader
}

func dial(t *testing.T, s *Server) *client {
	t.Helper()
	nc, err := net.Dial("tcp", s.Addr())
	require.NoError(t, err)
	t.Cleanup(func() { nc.Close() })
	return &client{t: t, nc: nc, r: resp.NewReader(nc, resp.Limits{})}
}

func (c *client) send(args ...any) {
	c.t.Helper()
	b, err := resp.AppendCommand(nil, args...)
	require.NoError(c.t, err)
	_, err = c.nc.Write(b)
	require.NoError(c.t, err)
}

func (c *client) read() (resp.Value, error) {
	c.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	return c.r.ReadValue()
}

func (c *client) do(args ...any) resp.Value {
	c.t.Helper()
	c.send(args...)
	v, err := c.read()
	require.NoError(c.t, err)
	return v
}

// noReply asserts that nothing arrives within a short while.
func (c *client) noReply() {
	c.t.Helper()
	c.nc.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	_, err := c.r.ReadValue()
	var ne net.Error
	require.ErrorAs(c.t, err, &ne)
	require.True(c.t, ne.Timeout(), "%v", err)
}

func errReply(msg string) resp.Value { return resp.Value{Kind: resp.KindError, Str: msg} }

var pong = simpleString("PONG")

func TestHello(t *testing.T) {
	s := New(t, Options{})
	c := dial(t, s)

	v := c.do("HELLO", "3")
	require.Equal(t, resp.KindMap, v.Kind)
	m, err := v.AsMap()
	require.NoError(t, err)
	assert.Equal(t, bulk("redis"), m["server"])
	assert.Equal(t, bulk("7.2.4"), m["version"])
	assert.Equal(t, integer(3), m["proto"])
	assert.Equal(t, integer(1), m["id"])
	assert.Equal(t, bulk("standalone"), m["mode"])
	assert.Equal(t, bulk("master"), m["role"])
	assert.Equal(t, resp.KindArray, m["modules"].Kind)
	require.Len(t, s.Conns(), 1)
	assert.Equal(t, 3, s.Conns()[0].Protocol())

	v = c.do("HELLO")
	m, err = v.AsMap()
	require.NoError(t, err)
	assert.Equal(t, integer(3), m["proto"], "HELLO without a version keeps the protocol")

	v = c.do("HELLO", "2", "SETNAME", "app")
	assert.Equal(t, resp.KindArray, v.Kind, "RESP2 gets the map as a flat array")
	m, err = v.AsMap()
	require.NoError(t, err)
	assert.Equal(t, integer(2), m["proto"])
	assert.Equal(t, "app", s.Conns()[0].Name())

	assert.Equal(t, errReply("NOPROTO unsupported protocol version"), c.do("HELLO", "4"))
	assert.Equal(t, errReply("ERR Protocol version is not an integer or out of range"), c.do("HELLO", "x"))
	assert.Equal(t, errReply("ERR Syntax error in HELLO option 'BOGUS'"), c.do("HELLO", "3", "BOGUS"))
	assert.Equal(t, errReply("ERR Syntax error in HELLO option 'AUTH'"), c.do("HELLO", "3", "AUTH", "default"))
	assert.Equal(t, 2, s.Conns()[0].Protocol(), "failed HELLOs change nothing")
}

func TestHelloOptions(t *testing.T) {
	s := New(t, Options{Version: "6.2.14"})
	c := dial(t, s)
	m, err := c.do("HELLO", "3", "AUTH", "default", "anything").AsMap()
	require.NoError(t, err)
	assert.Equal(t, bulk("6.2.14"), m["version"])
	assert.Equal(t, errReply(wrongPass), c.do("HELLO", "3", "AUTH", "alice", "pw"), "no such user without a password set")
}

func TestRESP2Only(t *testing.T) {
	s := New(t, Options{RESP2Only: true})
	c := dial(t, s)
	v := c.do("HELLO", "3")
	require.Equal(t, resp.KindError, v.Kind)
	assert.True(t, strings.HasPrefix(v.Str, "ERR unknown command 'HELLO'"), v.Str)
	assert.Equal(t, pong, c.do("PING"))
	assert.Equal(t, 2, s.Conns()[0].Protocol())
}

func TestAuthentication(t *testing.T) {
	s := New(t, Options{Password: "secret"})
	c := dial(t, s)
	assert.Equal(t, errReply("NOAUTH Authentication required."), c.do("PING"))
	assert.Equal(t, resp.KindError, c.do("HELLO", "3").Kind)
	assert.True(t, strings.HasPrefix(c.do("HELLO", "3").Str, "NOAUTH"))
	assert.Equal(t, errReply(wrongPass), c.do("HELLO", "3", "AUTH", "default", "wrong"))
	assert.Equal(t, errReply(wrongPass), c.do("AUTH", "wrong"))
	assert.Equal(t, errReply(wrongPass), c.do("AUTH", "alice", "secret"))
	assert.Equal(t, errReply("NOAUTH Authentication required."), c.do("PING"))
	assert.Equal(t, ok, c.do("AUTH", "secret"))
	assert.Equal(t, pong, c.do("PING"))

	c2 := dial(t, s)
	m, err := c2.do("HELLO", "3", "AUTH", "default", "secret", "SETNAME", "n").AsMap()
	require.NoError(t, err)
	assert.Equal(t, integer(3), m["proto"])
	assert.Equal(t, pong, c2.do("PING"))

	s2 := New(t, Options{Username: "alice", Password: "pw"})
	c3 := dial(t, s2)
	assert.Equal(t, errReply(wrongPass), c3.do("AUTH", "pw"), "AUTH <password> is the default user")
	assert.Equal(t, ok, c3.do("AUTH", "alice", "pw"))

	s3 := New(t, Options{})
	c4 := dial(t, s3)
	assert.True(t, strings.HasPrefix(c4.do("AUTH", "pw").Str, "ERR AUTH <password> called without any password configured"))
	assert.Equal(t, ok, c4.do("AUTH", "default", "whatever"))
}

func TestBuiltins(t *testing.T) {
	s := New(t, Options{})
	c := dial(t, s)
	tests := []struct {
		args []any
		want resp.Value
	}{
		{[]any{"PING"}, pong},
		{[]any{"ping", "hi"}, bulk("hi")},
		{[]any{"PING", "a", "b"}, errReply("ERR wrong number of arguments for 'ping' command")},
		{[]any{"ECHO", "x"}, bulk("x")},
		{[]any{"SELECT", "3"}, ok},
		{[]any{"SELECT", "16"}, errReply("ERR DB index is out of range")},
		{[]any{"SELECT", "x"}, errReply("ERR value is not an integer or out of range")},
		{[]any{"SELECT"}, errReply("ERR wrong number of arguments for 'select' command")},
		{[]any{"CLIENT", "GETNAME"}, resp.Value{Kind: resp.KindNull}},
		{[]any{"CLIENT", "SETNAME", "worker-1"}, ok},
		{[]any{"CLIENT", "GETNAME"}, bulk("worker-1")},
		{[]any{"CLIENT", "SETNAME", "has space"}, errReply("ERR Client names cannot contain spaces, newlines or special characters.")},
		{[]any{"CLIENT", "SETINFO", "LIB-NAME", "actoredis"}, ok},
		{[]any{"client", "setinfo", "lib-ver", "1.0.0"}, ok},
		{[]any{"CLIENT", "SETINFO", "OTHER", "x"}, errReply("ERR Unrecognized option 'OTHER'")},
		{[]any{"CLIENT", "SETINFO", "LIB-VER", "1 0"}, errReply("ERR LIB-VER cannot contain spaces, newlines or special characters.")},
		{[]any{"CLIENT", "ID"}, integer(1)},
		{[]any{"CLIENT", "KILL", "x"}, errReply("ERR unknown command 'CLIENT', with args beginning with: 'KILL' 'x' ")},
		{[]any{"GET", "k"}, errReply("ERR unknown command 'GET', with args beginning with: 'k' ")},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, c.do(tc.args...), "%v", tc.args)
	}
	conn := s.Conns()[0]
	assert.Equal(t, 3, conn.DB())
	assert.Equal(t, "worker-1", conn.Name())
	assert.Equal(t, int64(1), conn.ID())
	assert.Equal(t, "actoredis", conn.LibName())
	assert.Equal(t, "1.0.0", conn.LibVer(), "a refused value changes nothing")

	assert.Equal(t, ok, c.do("QUIT"))
	_, err := c.read()
	assert.ErrorIs(t, err, io.EOF)
}

// A server older than Redis 7.2 does not know CLIENT SETINFO; Valkey of
// any version does.
func TestSetInfoByVersion(t *testing.T) {
	for _, tc := range []struct {
		server, version string
		known           bool
	}{
		{"redis", "7.0.15", false},
		{"redis", "6.2.14", false},
		{"redis", "7.2.4", true},
		{"redis", "8.0.0", true},
		{"valkey", "8.0.1", true},
	} {
		s := New(t, Options{Server: tc.server, Version: tc.version})
		c := dial(t, s)
		m, err := c.do("HELLO", "3").AsMap()
		require.NoError(t, err)
		assert.Equal(t, bulk(tc.server), m["server"])
		got := c.do("CLIENT", "SETINFO", "LIB-NAME", "x")
		if tc.known {
			assert.Equal(t, ok, got, "%s %s", tc.server, tc.version)
			assert.Equal(t, "x", s.Conns()[0].LibName())
		} else {
			assert.Equal(t, errReply("ERR unknown subcommand 'SETINFO'. Try CLIENT HELP."), got, "%s %s", tc.server, tc.version)
			assert.Empty(t, s.Conns()[0].LibName())
		}
	}
}

func TestExpectations(t *testing.T) {
	s := New(t, Options{})
	s.Expect("GET", "k").Reply(bulk("v1"))
	s.Expect("GET", "k").Reply(bulk("v2")).Times(2)
	s.Expect("HGETALL", "h").Reply(resp.Value{Kind: resp.KindMap, Elems: []resp.Value{bulk("f"), bulk("1")}}).Always()
	s.Expect("SET", "k", "v").ReplyRaw("+OK\r\n:1\r\n")
	s.Expect("PING").ReplyError("LOADING Redis is loading the dataset in memory")

	c := dial(t, s)
	assert.Equal(t, bulk("v1"), c.do("get", "k"), "names match without regard to case")
	assert.Equal(t, bulk("v2"), c.do("GET", "k"))
	assert.Equal(t, errReply("LOADING Redis is loading the dataset in memory"), c.do("PING"), "expectations come before built-ins")
	assert.Equal(t, pong, c.do("PING"), "then the built-in answers again")
	assert.Equal(t, []string{"GET k: used 1 of 2 times", "SET k v: used 0 of 1 times"}, s.Unmet())
	assert.Equal(t, bulk("v2"), c.do("GET", "k"))
	assert.Equal(t, resp.KindError, c.do("GET", "k").Kind, "used up")
	assert.Equal(t, resp.KindError, c.do("GET", "K").Kind, "arguments match exactly")

	assert.Equal(t, resp.KindArray, c.do("HGETALL", "h").Kind, "RESP2: a flat array")
	assert.Equal(t, resp.KindMap, c.do("HELLO", "3").Kind)
	assert.Equal(t, resp.KindMap, c.do("HGETALL", "h").Kind, "RESP3: a map")

	assert.Equal(t, ok, c.do("SET", "k", "v"))
	v, err := c.read()
	require.NoError(t, err)
	assert.Equal(t, integer(1), v, "ReplyRaw writes anything")
	assert.Empty(t, s.Unmet())
}

func TestExpectationDoAndDelay(t *testing.T) {
	s := New(t, Options{})
	s.Expect("BLPOP", "q", "1").Delay(150 * time.Millisecond).Do(func(c *Conn, args []string) {
		c.WriteValue(resp.Value{Kind: resp.KindArray, Elems: []resp.Value{bulk(args[1]), bulk("item")}})
	})
	c := dial(t, s)
	start := time.Now()
	v := c.do("BLPOP", "q", "1")
	assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
	strs, err := v.AsStrings()
	require.NoError(t, err)
	assert.Equal(t, []string{"q", "item"}, strs)
}

func TestHang(t *testing.T) {
	s := New(t, Options{})
	s.Expect("GET", "slow").Hang()
	c := dial(t, s)
	assert.Equal(t, pong, c.do("PING"))
	c.send("GET", "slow")
	c.noReply()
	c.send("PING")
	c.noReply()
	require.Eventually(t, func() bool { return s.CommandCount("PING") == 2 }, 5*time.Second, time.Millisecond,
		"a hung connection still records commands")

	c2 := dial(t, s)
	assert.Equal(t, pong, c2.do("PING"), "other connections are unaffected")

	// A handler can hang its connection too.
	s.Handle("WAIT", func(c *Conn, _ []string) { c.Hang() })
	c2.send("WAIT", "1", "0")
	c2.noReply()
}

func TestCloseAndReset(t *testing.T) {
	s := New(t, Options{})
	s.Expect("GET", "a").ReplyRaw("$5\r\nhel").CloseConn()
	s.Expect("GET", "b").ResetConn()

	c := dial(t, s)
	c.send("GET", "a")
	_, err := c.read()
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "FIN in the middle of a reply")

	c2 := dial(t, s)
	c2.send("GET", "b")
	_, err = c2.read()
	assert.True(t, errors.Is(err, syscall.ECONNRESET), "RST: %v", err)

	require.Eventually(t, func() bool { return len(s.Conns()) == 0 }, 5*time.Second, time.Millisecond)
	assert.Equal(t, 2, s.Accepted())
}

func TestHandlers(t *testing.T) {
	var mu sync.Mutex
	var seen [][]string
	s := New(t, Options{Handler: func(c *Conn, args []string) {
		mu.Lock()
		seen = append(seen, args)
		mu.Unlock()
		c.WriteValue(integer(int64(len(args))))
	}})
	s.Handle("ping", func(c *Conn, _ []string) { c.WriteValue(simpleString("CUSTOM")) })
	c := dial(t, s)
	assert.Equal(t, simpleString("CUSTOM"), c.do("PING"), "Handle overrides a built-in")
	assert.Equal(t, integer(3), c.do("SET", "k", "v"))
	assert.Equal(t, ok, c.do("SELECT", "1"), "built-ins come before Options.Handler")
	mu.Lock()
	assert.Equal(t, [][]string{{"SET", "k", "v"}}, seen)
	mu.Unlock()
}

func TestCounting(t *testing.T) {
	s := New(t, Options{})
	c1, c2 := dial(t, s), dial(t, s)
	c1.do("PING")
	c1.do("HELLO", "3")
	c2.do("ping", "x")
	c2.do("CLIENT", "SETNAME", "a")
	c2.do("CLIENT", "ID")
	assert.Equal(t, 2, s.Accepted())
	assert.Equal(t, 2, s.CommandCount("PING"))
	assert.Equal(t, 2, s.CommandCount("client"))
	assert.Equal(t, 1, s.CommandCount("HELLO"))
	assert.Equal(t, 0, s.CommandCount("GET"))
	cmds := s.Commands()
	assert.Len(t, cmds, 5)
	assert.Contains(t, cmds, []string{"CLIENT", "SETNAME", "a"})
	cmds[0][0] = "changed"
	assert.NotEqual(t, "changed", s.Commands()[0][0], "Commands returns a copy")

	conns := s.Conns()
	require.Len(t, conns, 2)
	assert.Less(t, conns[0].ID(), conns[1].ID())
}

func TestPipelinedCommands(t *testing.T) {
	s := New(t, Options{})
	c := dial(t, s)
	var buf []byte
	for range 1000 {
		buf, _ = resp.AppendCommand(buf, "PING")
	}
	_, err := c.nc.Write(buf)
	require.NoError(t, err)
	for range 1000 {
		v, err := c.read()
		require.NoError(t, err)
		require.Equal(t, pong, v)
	}
	assert.Equal(t, 1000, s.CommandCount("PING"))
}

func TestWriteFromOutsideAHandler(t *testing.T) {
	s := New(t, Options{})
	c := dial(t, s)
	c.do("HELLO", "3")
	conn := s.Conns()[0]
	require.NoError(t, conn.WriteValue(resp.Value{Kind: resp.KindPush, Elems: []resp.Value{bulk("message"), bulk("ch"), bulk("hi")}}))
	v, err := c.read()
	require.NoError(t, err)
	assert.Equal(t, resp.KindPush, v.Kind)
}

func TestClientProtocolError(t *testing.T) {
	s := New(t, Options{})
	for _, garbage := range []string{"?x\r\n", "+PING\r\n", "*0\r\n", "*1\r\n:1\r\n"} {
		c := dial(t, s)
		_, err := c.nc.Write([]byte(garbage))
		require.NoError(t, err)
		v, err := c.read()
		require.NoError(t, err)
		assert.Equal(t, resp.KindError, v.Kind)
		assert.True(t, strings.HasPrefix(v.Str, "ERR Protocol error: "), v.Str)
		_, err = c.read()
		assert.ErrorIs(t, err, io.EOF)
	}
}

func TestCloseStopsEverything(t *testing.T) {
	s, err := Start(Options{})
	require.NoError(t, err)
	s.Expect("BLPOP", "q", "0").Delay(time.Hour)
	s.Expect("GET", "k").Hang()
	c1, c2 := dial(t, s), dial(t, s)
	c1.send("BLPOP", "q", "0")
	c2.send("GET", "k")
	require.Eventually(t, func() bool { return len(s.Commands()) == 2 }, 5*time.Second, time.Millisecond)

	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
	assert.NoError(t, s.Close(), "Close is idempotent")
	_, err = c1.read()
	assert.Error(t, err)
	_, err = net.Dial("tcp", s.Addr())
	assert.Error(t, err, "the listener is closed")
}

// fakeTB records what New reports at cleanup.
type fakeTB struct {
	testing.TB
	cleanups []func()
	errors   []string
}

func (f *fakeTB) Helper()                   {}
func (f *fakeTB) Cleanup(fn func())         { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Errorf(string, ...any)     { f.errors = append(f.errors, "error") }
func (f *fakeTB) Fatalf(s string, a ...any) { f.errors = append(f.errors, "fatal") }

func TestUnmetExpectationsFailTheTest(t *testing.T) {
	tb := &fakeTB{TB: t}
	s := New(tb, Options{})
	s.Expect("GET", "k").Reply(bulk("v"))
	s.Expect("GET", "never").Always()
	require.Len(t, tb.cleanups, 1)
	tb.cleanups[0]()
	assert.Equal(t, []string{"error"}, tb.errors)
	assert.Equal(t, []string{"GET k: used 0 of 1 times"}, s.Unmet())
}

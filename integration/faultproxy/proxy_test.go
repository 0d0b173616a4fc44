package faultproxy

import (
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// wait bounds every blocking step of these tests.
const wait = 2 * time.Second

// leakCheck must be the first call of a test: its cleanup runs last, after
// the proxy and the servers have been closed.
func leakCheck(t *testing.T) {
	t.Helper()
	t.Cleanup(func() { goleak.VerifyNone(t) })
}

// testServer is a TCP server on 127.0.0.1:0 running handle on each
// connection; it is closed (listener, connections, goroutines) at cleanup.
type testServer struct {
	ln       net.Listener
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    []net.Conn
	accepted chan struct{} // one value per accepted connection
}

func startServer(t *testing.T, handle func(net.Conn)) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &testServer{ln: ln, accepted: make(chan struct{}, 100)}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, conn)
			s.mu.Unlock()
			s.accepted <- struct{}{}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer conn.Close()
				handle(conn)
			}()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		s.mu.Lock()
		for _, c := range s.conns {
			_ = c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

func (s *testServer) addr() string { return s.ln.Addr().String() }

func echo(conn net.Conn) { _, _ = io.Copy(conn, conn) }

func startProxy(t *testing.T, target string) *Proxy {
	t.Helper()
	p, err := New(target)
	require.NoError(t, err)
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func dial(t *testing.T, p *Proxy) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", p.Addr(), wait)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// roundTrip sends msg and expects it back, proving the relay is up.
func roundTrip(t *testing.T, conn net.Conn, msg string) {
	t.Helper()
	require.NoError(t, conn.SetDeadline(time.Now().Add(wait)))
	_, err := conn.Write([]byte(msg))
	require.NoError(t, err)
	got := make([]byte, len(msg))
	_, err = io.ReadFull(conn, got)
	require.NoError(t, err)
	require.Equal(t, msg, string(got))
	require.NoError(t, conn.SetDeadline(time.Time{}))
}

// readErr reads until an error, within wait, and returns that error.
func readErr(t *testing.T, conn net.Conn) error {
	t.Helper()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(wait)))
	buf := make([]byte, 64)
	for {
		if _, err := conn.Read(buf); err != nil {
			return err
		}
	}
}

// eventually waits for cond, checking it every millisecond, for at most wait.
func eventually(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestRelayCountsConnsAndDials(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())

	a := dial(t, p)
	roundTrip(t, a, "hello")
	b := dial(t, p)
	roundTrip(t, b, "world")
	require.Equal(t, 2, p.Conns())
	require.Equal(t, 2, p.Dials())

	require.NoError(t, a.Close())
	eventually(t, func() bool { return p.Conns() == 1 }, "one connection left")
	roundTrip(t, b, "still here")
	require.Equal(t, 2, p.Dials())
}

func TestCloseClosesEverything(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())
	conn := dial(t, p)
	roundTrip(t, conn, "x")

	require.NoError(t, p.Close())
	require.ErrorIs(t, readErr(t, conn), io.EOF)
	require.Equal(t, 0, p.Conns())
	require.NoError(t, p.Close(), "a second Close is a no-op")
}

func TestTargetDownClosesClient(t *testing.T) {
	leakCheck(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	target := ln.Addr().String()
	require.NoError(t, ln.Close())
	p := startProxy(t, target)

	conn := dial(t, p)
	require.Error(t, readErr(t, conn))
	require.Equal(t, 1, p.Dials())
	require.Equal(t, 0, p.Conns())
}

func TestCutSendsFIN(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())
	conn := dial(t, p)
	roundTrip(t, conn, "before cut")

	p.Cut()
	require.ErrorIs(t, readErr(t, conn), io.EOF)
	eventually(t, func() bool { return p.Conns() == 0 }, "no connection")

	again := dial(t, p)
	roundTrip(t, again, "new connections still work")
}

func TestResetSendsRST(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())
	conn := dial(t, p)
	roundTrip(t, conn, "before reset")

	p.Reset()
	require.ErrorIs(t, readErr(t, conn), syscall.ECONNRESET)
	require.Equal(t, 0, p.Conns())
}

func TestRejectNew(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())
	kept := dial(t, p)
	roundTrip(t, kept, "kept")

	p.RejectNew(true)
	refused := dial(t, p)
	require.ErrorIs(t, readErr(t, refused), io.EOF)
	require.Equal(t, 2, p.Dials())
	roundTrip(t, kept, "current connections are untouched")

	p.RejectNew(false)
	accepted := dial(t, p)
	roundTrip(t, accepted, "accepted")
	require.Equal(t, 3, p.Dials())
	require.Len(t, srv.accepted, 2, "the refused connection never reached the target")
}

func TestBlackhole(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())
	conn := dial(t, p)
	roundTrip(t, conn, "before")

	p.Blackhole(true)
	_, err := conn.Write([]byte("held"))
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(100*time.Millisecond)))
	_, err = conn.Read(make([]byte, 8))
	require.ErrorIs(t, err, os.ErrDeadlineExceeded)
	require.Equal(t, 1, p.Conns(), "the sockets stay open")

	p.Blackhole(false)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(wait)))
	got := make([]byte, 4)
	_, err = io.ReadFull(conn, got)
	require.NoError(t, err)
	require.Equal(t, "held", string(got))
	roundTrip(t, conn, "after")
}

func TestCloseWhileBlackholed(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())
	conn := dial(t, p)
	roundTrip(t, conn, "x")

	p.Blackhole(true)
	_, err := conn.Write([]byte("stuck"))
	require.NoError(t, err)
	closed := make(chan error, 1)
	go func() { closed <- p.Close() }()
	select {
	case err := <-closed:
		require.NoError(t, err)
	case <-time.After(wait):
		t.Fatal("Close hung on a blackholed connection")
	}
	require.Error(t, readErr(t, conn))
}

func TestDirectionString(t *testing.T) {
	require.Equal(t, "client->server", ClientToServer.String())
	require.Equal(t, "server->client", ServerToClient.String())
	require.Equal(t, "direction(invalid)", Direction(7).String())
}

func TestDelay(t *testing.T) {
	for _, dir := range []Direction{ClientToServer, ServerToClient} {
		t.Run(dir.String(), func(t *testing.T) {
			leakCheck(t)
			srv := startServer(t, echo)
			p := startProxy(t, srv.addr())
			conn := dial(t, p)
			roundTrip(t, conn, "warm up")

			p.Delay(dir, 100*time.Millisecond, 20*time.Millisecond)
			start := time.Now()
			roundTrip(t, conn, "slow")
			require.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond)

			p.Delay(dir, 0, 0)
			roundTrip(t, conn, "back to normal")
		})
	}
}

func TestDelayRejectsInvalidInput(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())
	require.Panics(t, func() { p.Delay(Direction(2), time.Second, 0) })
	require.Panics(t, func() { p.Delay(ClientToServer, -time.Second, 0) })
}

func TestDelayDoesNotHoldUpClose(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())
	conn := dial(t, p)
	roundTrip(t, conn, "x")

	p.Delay(ClientToServer, time.Hour, 0)
	_, err := conn.Write([]byte("never"))
	require.NoError(t, err)
	closed := make(chan error, 1)
	go func() { closed <- p.Close() }()
	select {
	case err := <-closed:
		require.NoError(t, err)
	case <-time.After(wait):
		t.Fatal("Close hung on a delayed write")
	}
}

func TestRechunkPieceSizes(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())
	require.Equal(t, 100, p.pieceSize(ClientToServer, 100), "off by default")

	p.Rechunk(3)
	seen := map[int]bool{}
	for range 1000 {
		size := p.pieceSize(ClientToServer, 100)
		require.True(t, size >= 1 && size <= 3, "piece of %d bytes", size)
		seen[size] = true
	}
	require.Len(t, seen, 3, "every size from 1 to 3 is drawn")
	require.Equal(t, 1, p.pieceSize(ClientToServer, 1))

	p.Rechunk(0)
	require.Equal(t, 100, p.pieceSize(ClientToServer, 100))
}

func TestRechunkKeepsTheStreamIntact(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())
	conn := dial(t, p)
	p.Rechunk(7)

	msg := make([]byte, 20000)
	for i := range msg {
		msg[i] = byte('a' + i%26)
	}
	roundTrip(t, conn, string(msg))
}

// replier answers each byte it reads with reply.
func replier(reply []byte) func(net.Conn) {
	return func(conn net.Conn) {
		buf := make([]byte, 1)
		for {
			if _, err := conn.Read(buf); err != nil {
				return
			}
			if _, err := conn.Write(reply); err != nil {
				return
			}
		}
	}
}

// readAll reads until an error, within wait, and returns the bytes and error.
func readAll(t *testing.T, conn net.Conn) ([]byte, error) {
	t.Helper()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(wait)))
	var got []byte
	buf := make([]byte, 256)
	for {
		n, err := conn.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			return got, err
		}
	}
}

func TestCutAfterBytesServerToClient(t *testing.T) {
	reply := make([]byte, 100)
	for i := range reply {
		reply[i] = byte('0' + i%10)
	}
	for _, tc := range []struct {
		name    string
		chunk   int
		n       int
		request int // requests sent before reading
	}{
		{name: "inside one reply", n: 37, request: 1},
		{name: "inside one reply rechunked", chunk: 5, n: 37, request: 1},
		{name: "across two replies", n: 150, request: 2},
		{name: "at once", n: 0, request: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			leakCheck(t)
			srv := startServer(t, replier(reply))
			p := startProxy(t, srv.addr())
			conn := dial(t, p)
			p.Rechunk(tc.chunk)
			p.CutAfterBytes(ServerToClient, tc.n)

			for range tc.request {
				_, err := conn.Write([]byte("g"))
				require.NoError(t, err)
			}
			got, err := readAll(t, conn)
			require.ErrorIs(t, err, io.EOF)
			want := append(append([]byte{}, reply...), reply...)[:tc.n]
			require.Equal(t, string(want), string(got))
			eventually(t, func() bool { return p.Conns() == 0 }, "the connection cut")

			again := dial(t, p)
			_, err = again.Write([]byte("g"))
			require.NoError(t, err)
			require.NoError(t, again.SetReadDeadline(time.Now().Add(wait)))
			full := make([]byte, len(reply))
			_, err = io.ReadFull(again, full)
			require.NoError(t, err, "the cut fires only once")
		})
	}
}

func TestCutAfterBytesClientToServer(t *testing.T) {
	leakCheck(t)
	received := make(chan []byte, 1)
	srv := startServer(t, func(conn net.Conn) {
		data, _ := io.ReadAll(conn)
		received <- data
	})
	p := startProxy(t, srv.addr())
	p.CutAfterBytes(ClientToServer, 10)
	conn := dial(t, p)
	_, err := conn.Write([]byte("0123456789abcdefghijklmno"))
	require.NoError(t, err)

	select {
	case data := <-received:
		require.Equal(t, "0123456789", string(data))
	case <-time.After(wait):
		t.Fatal("the server saw no cut")
	}
	require.Error(t, readErr(t, conn))
}

func TestCutAfterBytesDisarm(t *testing.T) {
	leakCheck(t)
	reply := []byte("0123456789")
	srv := startServer(t, replier(reply))
	p := startProxy(t, srv.addr())
	p.CutAfterBytes(ServerToClient, 3)
	p.CutAfterBytes(ServerToClient, -1)
	conn := dial(t, p)
	for range 3 {
		_, err := conn.Write([]byte("g"))
		require.NoError(t, err)
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(wait)))
		got := make([]byte, len(reply))
		_, err = io.ReadFull(conn, got)
		require.NoError(t, err)
	}
	require.Panics(t, func() { p.CutAfterBytes(Direction(-1), 1) })
}

package faultproxy

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestRechunkWithGapsDrawsGapsInRange(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())
	require.Zero(t, p.gapFor(), "no gap by default")
	p.RechunkWithGaps(7, time.Millisecond)
	var sum time.Duration
	for range 1000 {
		g := p.gapFor()
		require.True(t, g >= 0 && g <= time.Millisecond, "gap %v", g)
		sum += g
	}
	mean := sum / 1000
	require.True(t, mean > 300*time.Microsecond && mean < 700*time.Microsecond, "mean gap %v, want about 0.5 ms", mean)
	p.Rechunk(7) // Rechunk alone turns the gaps off
	require.Zero(t, p.gapFor())
	require.Panics(t, func() { p.RechunkWithGaps(1, -time.Millisecond) })
}

func TestRechunkWithGapsDeliversPiecesApart(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, func(conn net.Conn) { _, _ = conn.Write(make([]byte, 100)); _, _ = io.Copy(io.Discard, conn) })
	p := startProxy(t, srv.addr())
	p.RechunkWithGaps(7, time.Millisecond)
	conn := dial(t, p)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(wait)))
	reads, got := 0, 0
	buf := make([]byte, 100)
	for got < 100 {
		n, err := conn.Read(buf)
		require.NoError(t, err)
		reads++
		got += n
	}
	// At least 15 pieces of at most 7 bytes, most of them apart.
	require.GreaterOrEqual(t, reads, 5, "the 100 bytes arrived in %d reads", reads)

	echoed := startProxy(t, startServer(t, echo).addr())
	echoed.RechunkWithGaps(7, time.Millisecond)
	roundTrip(t, dial(t, echoed), "the stream stays intact with gaps: 0123456789abcdefghijklmnopqrstuvwxyz")
}

func TestThrottle(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())
	conn := dial(t, p)
	roundTrip(t, conn, "warm up")

	// 4,000 bytes at 20,000 B/s, in pieces of 200 bytes (10 ms each): the
	// last piece leaves about 190 ms after the first.
	p.Throttle(ServerToClient, 20000)
	msg := make([]byte, 4000)
	for i := range msg {
		msg[i] = byte('a' + i%26)
	}
	start := time.Now()
	roundTrip(t, conn, string(msg))
	elapsed := time.Since(start)
	require.GreaterOrEqual(t, elapsed, 150*time.Millisecond, "throttled to 20 kB/s")
	require.Less(t, elapsed, wait)

	p.Throttle(ServerToClient, 0)
	start = time.Now()
	roundTrip(t, conn, string(msg))
	require.Less(t, time.Since(start), 150*time.Millisecond, "no throttle any more")

	require.Panics(t, func() { p.Throttle(ServerToClient, -1) })
	require.Panics(t, func() { p.Throttle(Direction(7), 1) })
}

func TestThrottleDoesNotHoldUpClose(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())
	p.Throttle(ClientToServer, 10) // 10 B/s: a 1 kB write would take 100 s
	conn := dial(t, p)
	_, err := conn.Write(make([]byte, 1000))
	require.NoError(t, err)
	eventually(t, func() bool { return p.Conns() == 1 }, "the connection relayed")
	start := time.Now()
	require.NoError(t, p.Close())
	require.Less(t, time.Since(start), wait)
}

func TestPauseAccept(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())
	p.PauseAccept(true)
	conn := dial(t, p) // the kernel completes the connect
	_, err := conn.Write([]byte("anyone?"))
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(100*time.Millisecond)))
	_, err = conn.Read(make([]byte, 8))
	var ne net.Error
	require.True(t, errors.As(err, &ne) && ne.Timeout(), "nothing answers while paused: %v", err)
	require.Zero(t, p.Dials())
	require.Zero(t, p.Conns())

	p.PauseAccept(false)
	got := make([]byte, len("anyone?"))
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(wait)))
	_, err = io.ReadFull(conn, got)
	require.NoError(t, err)
	require.Equal(t, "anyone?", string(got), "the queued connection is relayed once accepting resumes")
	require.Equal(t, 1, p.Dials())
}

func TestCloseWhilePaused(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())
	p.PauseAccept(true)
	conn := dial(t, p)
	start := time.Now()
	require.NoError(t, p.Close())
	require.Less(t, time.Since(start), wait)
	require.Error(t, readErr(t, conn), "the queued connection is refused")
}

package faultproxy

import (
	"bufio"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// okServer answers every line it reads with +OK, like a server replying to
// one inline command per line.
func okServer(conn net.Conn) {
	rd := bufio.NewReader(conn)
	for {
		if _, err := rd.ReadString('\n'); err != nil {
			return
		}
		if _, err := conn.Write([]byte("+OK\r\n")); err != nil {
			return
		}
	}
}

// Once the client has the reply to a command, or has seen its connection
// end after sending it, Count includes that command: the count never lags
// behind what the peers saw (R11 compares it with the client's attempts
// right after the replies).
func TestCountIsCurrentOnceTheReplyArrives(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, okServer)
	p := startProxy(t, srv.addr())
	conn := dial(t, p)
	rd := bufio.NewReader(conn)
	for i := 1; i <= 2000; i++ {
		_, err := conn.Write([]byte("INCR k\r\n"))
		require.NoError(t, err)
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(wait)))
		_, err = rd.ReadString('\n')
		require.NoError(t, err)
		require.Equal(t, i, p.Count("INCR"), "after reply %d", i)
	}
}

func TestCountIsCurrentOnceTheCutArrives(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, okServer)
	p := startProxy(t, srv.addr())
	for i := 1; i <= 90; i++ { // the test server queues at most 100 accepts
		conn := dial(t, p)
		p.CutAfterBytes(ServerToClient, 1)
		_, err := conn.Write([]byte("INCR k\r\n"))
		require.NoError(t, err)
		require.Error(t, readErr(t, conn))
		require.Equal(t, i, p.Count("INCR"), "after cut %d", i)
		_ = conn.Close()
	}
}

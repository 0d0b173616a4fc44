package faultproxy

import (
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// parse feeds the parts to one parser and returns the names completed.
func parse(parts ...string) []string {
	var c commandParser
	var names []string
	for _, part := range parts {
		c.feed([]byte(part), func(name string) { names = append(names, name) })
	}
	return names
}

func TestCommandParser(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stream string
		want   []string
	}{
		{"one array", "*1\r\n$4\r\nPING\r\n", []string{"PING"}},
		{"arguments", "*3\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n", []string{"SET"}},
		{"pipeline", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nping\r\n*2\r\n$4\r\nIncr\r\n$1\r\nn\r\n",
			[]string{"GET", "PING", "INCR"}},
		{"value that looks like a command", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$14\r\n*1\r\n$4\r\nPING\r\n\r\n",
			[]string{"SET"}},
		{"empty argument", "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", []string{"ECHO"}},
		{"inline", "ping\r\nset k  v\n\r\n", []string{"PING", "SET"}},
		{"empty arrays ignored", "*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n", []string{"PING"}},
		{"incomplete not counted", "*2\r\n$3\r\nGET\r\n$1\r\nk", nil},
		{"not RESP stops counting", "*x\r\n*1\r\n$4\r\nPING\r\n", nil},
		{"bad bulk header stops counting", "*1\r\n:4\r\nPING\r\n*1\r\n$4\r\nPING\r\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, parse(tc.stream), "in one read")

			bytewise := make([]string, len(tc.stream))
			for i := range tc.stream {
				bytewise[i] = tc.stream[i : i+1]
			}
			require.Equal(t, tc.want, parse(bytewise...), "byte by byte")

			for cut := range len(tc.stream) {
				require.Equal(t, tc.want, parse(tc.stream[:cut], tc.stream[cut:]), "split at %d", cut)
			}
		})
	}
}

func TestCommandParserBounds(t *testing.T) {
	long := make([]byte, maxLine+10)
	for i := range long {
		long[i] = 'a'
	}
	require.Nil(t, parse(string(long), "\r\n*1\r\n$4\r\nPING\r\n"), "an endless line breaks the stream")

	got := parse("*1\r\n$200\r\n" + string(long[:200]) + "\r\n")
	require.Equal(t, []string{strings.Repeat("A", maxName)}, got, "a long name is truncated")
}

func TestCountThroughTheProxy(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())
	conn := dial(t, p)

	stream := "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n" +
		"*2\r\n$3\r\nget\r\n$1\r\nk\r\n" +
		"PING\r\n" +
		"*3\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nw\r\n"
	var total, pieces, oversized atomic.Int64
	arrived := make(chan struct{})
	p.OnClientBytes(func(n int) {
		pieces.Add(1)
		if n != 1 {
			oversized.Add(1)
		}
		if total.Add(int64(n)) == int64(len(stream)) {
			close(arrived)
		}
	})
	p.Rechunk(1)

	_, err := conn.Write([]byte(stream))
	require.NoError(t, err)
	select {
	case <-arrived:
	case <-time.After(wait):
		t.Fatalf("only %d of %d bytes reached the server", total.Load(), len(stream))
	}
	require.Equal(t, int64(len(stream)), pieces.Load(), "forwarded byte by byte")
	require.Zero(t, oversized.Load())
	require.Equal(t, 2, p.Count("SET"))
	require.Equal(t, 2, p.Count("set"))
	require.Equal(t, 1, p.Count("Get"))
	require.Equal(t, 1, p.Count("PING"))
	require.Equal(t, 0, p.Count("DEL"))

	p.OnClientBytes(nil)
	p.Rechunk(0)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(wait)))
	echoed := make([]byte, len(stream))
	_, err = io.ReadFull(conn, echoed)
	require.NoError(t, err)
}

func TestRechunkPiecesThroughTheProxy(t *testing.T) {
	leakCheck(t)
	srv := startServer(t, echo)
	p := startProxy(t, srv.addr())
	conn := dial(t, p)
	msg := make([]byte, 3000)
	for i := range msg {
		msg[i] = byte('a' + i%26)
	}
	var total, bad atomic.Int64
	forwarded := make(chan struct{})
	p.OnClientBytes(func(n int) {
		if n < 1 || n > 3 {
			bad.Add(1)
		}
		if total.Add(int64(n)) == int64(len(msg)) {
			close(forwarded)
		}
	})
	p.Rechunk(3)
	roundTrip(t, conn, string(msg))
	// The echo can come back before the hook has run for the last piece.
	select {
	case <-forwarded:
	case <-time.After(wait):
		t.Fatalf("the hook saw %d of %d bytes", total.Load(), len(msg))
	}
	require.Zero(t, bad.Load())
}

func TestCountSkipsCommandCutInTheMiddle(t *testing.T) {
	leakCheck(t)
	received := make(chan []byte, 1)
	srv := startServer(t, func(conn net.Conn) {
		data, _ := io.ReadAll(conn)
		received <- data
	})
	p := startProxy(t, srv.addr())
	first := "*1\r\n$4\r\nPING\r\n"
	second := "*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n"
	p.CutAfterBytes(ClientToServer, len(first)+5)
	conn := dial(t, p)
	_, err := conn.Write([]byte(first + second))
	require.NoError(t, err)

	select {
	case data := <-received:
		require.Equal(t, first+second[:5], string(data))
	case <-time.After(wait):
		t.Fatal("the server saw no cut")
	}
	require.Equal(t, 1, p.Count("PING"))
	require.Equal(t, 0, p.Count("INCR"), "a command cut in its middle is not executed")
}

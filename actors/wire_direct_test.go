//go:build unix

package actors

import (
	"bytes"
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/resp"
)

// loopbackWire returns a wire on a real loopback socket (its goroutines not
// started) and the server's end of it.
func loopbackWire(t *testing.T) (*wire, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	srv, err := ln.Accept()
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(); _ = srv.Close() })
	cfg := Config{}.withDefaults()
	w := newWire(conn, resp.NewReader(conn, resp.Limits{}), &cfg, ln.Addr().String())
	require.NotNil(t, w.raw, "a TCP socket offers its descriptor")
	return w, srv
}


// A command on an idle connection is written by the caller at once; with
// a reply still due, it waits for the writer.
func TestDirectWriteOnlyWhenIdle(t *testing.T) {
	w, srv := loopbackWire(t)
	first := command("GET", 0, "a")
	require.True(t, w.enqueue(first))
	assert.True(t, w.writeDirect())
	got := make([]byte, len(first.Args))
	_, err := io.ReadFull(srv, got)
	require.NoError(t, err)
	assert.Equal(t, first.Args, got)
	assert.Empty(t, w.out)
	assert.Zero(t, w.unwritten)

	second := command("GET", 0, "b")
	require.True(t, w.enqueue(second))
	assert.False(t, w.writeDirect(), "a reply is still due: the writer writes")
	assert.Equal(t, second.Args, w.out)
	assert.Equal(t, 1, w.unwritten)
}

// What the kernel does not take at once stays queued, in order, for the
// writer.
func TestDirectWriteLeavesTheRestToTheWriter(t *testing.T) {
	w, srv := loopbackWire(t)
	big := command("SET", 0, "k", string(bytes.Repeat([]byte("v"), 32<<20)))
	require.True(t, w.enqueue(big))
	assert.True(t, w.writeDirect())
	rest := len(w.out)
	require.Positive(t, rest, "32 MiB do not fit the socket buffers")
	require.Less(t, rest, len(big.Args))
	assert.Equal(t, big.Args[len(big.Args)-rest:], w.out)
	assert.False(t, w.writing)
	// The bytes written so far are the head of the command.
	head := make([]byte, len(big.Args)-rest)
	_, err := io.ReadFull(srv, head)
	require.NoError(t, err)
	assert.Equal(t, big.Args[:len(head)], head)
}

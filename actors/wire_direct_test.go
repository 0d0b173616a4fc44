//go:build unix

package actors

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
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

// A pipeline on an idle connection is written by the caller at once;
// with a reply still due, it waits for the writer.
func TestDirectWriteOnlyWhenIdle(t *testing.T) {
	w, srv := loopbackWire(t)
	first := []*messages.Command{command("GET", 0, "a"), command("GET", 0, "b")}
	require.True(t, w.enqueueBatch(first))
	assert.True(t, w.writeDirect())
	assertReceived(t, srv, first)
	assert.Empty(t, w.out)
	assert.Zero(t, w.unwritten)

	second := []*messages.Command{command("GET", 0, "c"), command("GET", 0, "d")}
	require.True(t, w.enqueueBatch(second))
	assert.False(t, w.writeDirect(), "replies are still due: the writer writes")
	assert.Equal(t, 2, w.unwritten)
}

// A lone command waits for the writer even on an idle connection, so that
// the callers woken with it share its write.
func TestLoneCommandWaitsForTheWriter(t *testing.T) {
	w, _ := loopbackWire(t)
	cmd := command("GET", 0, "a")
	require.True(t, w.enqueue(cmd))
	assert.False(t, w.writeDirect())
	assert.Equal(t, cmd.Args, w.out)
	assert.Equal(t, 1, w.unwritten)
}

// What the kernel does not take at once stays queued, in order, for the
// writer.
func TestDirectWriteLeavesTheRestToTheWriter(t *testing.T) {
	w, srv := loopbackWire(t)
	// Small socket buffers, so that a pipeline under batchInPlaceBytes
	// (copied into out, not written in place) does not fit them.
	require.NoError(t, w.conn.(*net.TCPConn).SetWriteBuffer(4096))
	require.NoError(t, srv.(*net.TCPConn).SetReadBuffer(4096))
	value := string(bytes.Repeat([]byte("v"), batchInPlaceBytes/4))
	batch := []*messages.Command{command("SET", 0, "k", value), command("SET", 0, "l", value)}
	require.True(t, w.enqueueBatch(batch))
	all := append(append([]byte{}, batch[0].Args...), batch[1].Args...)
	assert.True(t, w.writeDirect())
	rest := len(w.out)
	require.Positive(t, rest, "half a MiB does not fit 4 KiB socket buffers")
	require.Less(t, rest, len(all))
	assert.Equal(t, all[len(all)-rest:], w.out)
	assert.False(t, w.writing)
	// The bytes written so far are the head of the pipeline.
	head := make([]byte, len(all)-rest)
	_, err := io.ReadFull(srv, head)
	require.NoError(t, err)
	assert.Equal(t, all[:len(head)], head)
}

// A direct write long after the writer's last write renews the socket's
// write deadline: an expired one would fail the system call with a
// timeout (and lose the connection), as it did in a benchmark of
// pipelines that only direct writes had written for a few seconds.
func TestDirectWriteRenewsAnExpiredWriteDeadline(t *testing.T) {
	w, srv := loopbackWire(t)
	w.writeBy = time.Now().Add(-time.Second)
	require.NoError(t, w.conn.SetWriteDeadline(w.writeBy))
	batch := []*messages.Command{command("GET", 0, "a"), command("GET", 0, "b")}
	require.True(t, w.enqueueBatch(batch))
	assert.True(t, w.writeDirect())
	assertReceived(t, srv, batch)
	w.mu.Lock()
	defer w.mu.Unlock()
	assert.False(t, w.closed, "the connection is not lost")
}

// assertReceived reads the encodings of cmds from srv, the server's end,
// and asserts they arrived whole and in order.
func assertReceived(t *testing.T, srv net.Conn, cmds []*messages.Command) {
	t.Helper()
	var want []byte
	for _, cmd := range cmds {
		want = append(want, cmd.Args...)
	}
	got := make([]byte, len(want))
	_, err := io.ReadFull(srv, got)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

//go:build unix

package actors

import (
	"bytes"
	"context"
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
	require.True(t, w.enqueueBatch(first, false))
	assert.True(t, w.writeDirect(false))
	assertReceived(t, srv, first)
	assert.Empty(t, w.out)
	assert.Zero(t, w.unwritten)

	second := []*messages.Command{command("GET", 0, "c"), command("GET", 0, "d")}
	require.True(t, w.enqueueBatch(second, false))
	assert.False(t, w.writeDirect(false), "replies are still due: the writer writes")
	assert.Equal(t, 2, w.unwritten)
}

// A lone command waits for the writer even on an idle connection, so that
// the callers woken with it share its write.
func TestLoneCommandWaitsForTheWriter(t *testing.T) {
	w, _ := loopbackWire(t)
	cmd := command("GET", 0, "a")
	require.True(t, w.enqueue(cmd))
	assert.False(t, w.writeDirect(false))
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
	require.True(t, w.enqueueBatch(batch, false))
	all := append(append([]byte{}, batch[0].Args...), batch[1].Args...)
	assert.True(t, w.writeDirect(false))
	rest := len(w.out)
	require.Positive(t, rest, "half a MiB does not fit 4 KiB socket buffers")
	require.Less(t, rest, len(all))
	assert.Equal(t, all[len(all)-rest:], w.out)
	assert.Equal(t, writerIdle, w.writer)
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
	require.True(t, w.enqueueBatch(batch, false))
	assert.True(t, w.writeDirect(false))
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

// startedWire is loopbackWire with its reader and writer running; closing
// the wire at cleanup ends them, and the test waits for that.
func startedWire(t *testing.T) (*wire, net.Conn, chan error) {
	t.Helper()
	w, srv := loopbackWire(t)
	lost := make(chan error, 1)
	w.onLost = func(_ *wire, err error) { lost <- err }
	done := make(chan struct{}, 2)
	go func() { w.readLoop(); done <- struct{}{} }()
	go func() { w.writeLoop(); done <- struct{}{} }()
	t.Cleanup(func() {
		w.close(ErrClosed, nil)
		<-done
		<-done
	})
	return w, srv, lost
}

// parked reports whether the reader goroutine is parked for the sync read.
func parked(w *wire) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.reader == readerParked
}

// parkReader sends a Sync batch that finds the reader goroutine reading:
// it reads the replies, then parks, nothing being in flight.
func parkReader(t *testing.T, w *wire, srv net.Conn) {
	t.Helper()
	first := []*messages.Command{command("GET", 0, "a"), command("GET", 0, "b")}
	require.True(t, w.enqueueBatch(first, true))
	require.True(t, w.writeDirect(true))
	assertReceived(t, srv, first)
	_, err := srv.Write([]byte("$1\r\n1\r\n$1\r\n2\r\n"))
	require.NoError(t, err)
	require.NoError(t, first[1].Wait(context.Background()))
	require.Eventually(t, func() bool { return parked(w) }, 5*time.Second, time.Millisecond)
}

// A Sync batch's replies are read by the goroutine that wrote it, while
// the reader goroutine stays parked; a lone command hands the reading back
// to the reader goroutine.
func TestSyncReadOnThePostersGoroutine(t *testing.T) {
	w, srv, _ := startedWire(t)
	parkReader(t, w, srv)

	// The next one is read by this goroutine: complete once writeDirect
	// returns, the reader still parked.
	second := []*messages.Command{command("GET", 0, "c"), command("GET", 0, "d")}
	go func() {
		assertReceived(t, srv, second)
		_, _ = srv.Write([]byte("$1\r\n3\r\n$1\r\n4\r\n"))
	}()
	require.True(t, w.enqueueBatch(second, true))
	require.True(t, w.writeDirect(true))
	require.True(t, second[0].IsDone() && second[1].IsDone(), "the poster has read its replies")
	v, err := second[1].Result()
	require.NoError(t, err)
	assert.Equal(t, "4", v.Str)
	assert.True(t, parked(w))

	// A lone command goes through the writer, which resumes the reader.
	lone := command("GET", 0, "e")
	require.True(t, w.enqueue(lone))
	w.flush()
	assertReceived(t, srv, []*messages.Command{lone})
	_, err = srv.Write([]byte("$1\r\n5\r\n"))
	require.NoError(t, err)
	require.NoError(t, lone.Wait(context.Background()))
	v, _ = lone.Result()
	assert.Equal(t, "5", v.Str)
	assert.False(t, parked(w))
}

// A parked reader does not see the server close the connection: whoever
// queues next peeks at the socket first, finds it closed, and loses the
// wire instead of writing into it (the message goes to the next
// connection, as it would had the reader seen the close).
func TestQueueingOnAParkedReaderFindsAClosedConnection(t *testing.T) {
	w, srv, lost := startedWire(t)
	parkReader(t, w, srv)

	require.NoError(t, srv.Close())
	// The close reaches this end asynchronously: wait until a peek sees it.
	require.Eventually(t, func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		_, err := w.peek()
		return err != nil
	}, 5*time.Second, time.Millisecond)
	next := []*messages.Command{command("GET", 0, "b")}
	assert.False(t, w.enqueueBatch(next, true), "not queued on a closed connection")
	select {
	case err := <-lost:
		assert.ErrorIs(t, err, io.EOF)
	case <-time.After(5 * time.Second):
		t.Fatal("the wire was not lost")
	}
	assert.False(t, next[0].IsDone(), "left to its connection actor to send elsewhere")
	assert.Zero(t, w.pending())
}

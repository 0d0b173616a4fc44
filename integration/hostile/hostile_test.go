package hostile

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/resp"
)

func TestCasesAreNamedOnceAndOver30(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Cases() {
		require.NotEmpty(t, c.Name)
		require.False(t, seen[c.Name], "case %s twice", c.Name)
		seen[c.Name] = true
	}
	require.GreaterOrEqual(t, len(seen), 30)
}

func TestWriteToSendsSizeBytes(t *testing.T) {
	for _, c := range Cases() {
		var n countingWriter
		written, err := c.WriteTo(&n)
		require.NoError(t, err, c.Name)
		require.Equal(t, c.Size(), written, c.Name)
		require.Equal(t, c.Size(), int64(n), c.Name)
	}
}

func TestSeedIsBoundedAndKeepsTheHeadAndTail(t *testing.T) {
	for _, c := range Cases() {
		seed := string(c.Seed(512))
		require.LessOrEqual(t, len(seed), max(512, len(c.Head)+len(c.Tail)), c.Name)
		require.True(t, strings.HasPrefix(seed, c.Head), c.Name)
		require.True(t, strings.HasSuffix(seed, c.Tail), c.Name)
		if c.Size() <= 512 {
			var b strings.Builder
			_, _ = c.WriteTo(&b)
			require.Equal(t, b.String(), seed, "a small case is seeded whole: %s", c.Name)
		}
	}
}

func TestServerScriptsEverythingButTheHandshake(t *testing.T) {
	s := Start(t)
	conn, err := net.DialTimeout("tcp", s.Addr(), 2*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(5*time.Second)))
	rd := resp.NewReader(bufio.NewReader(conn), resp.Limits{})
	do := func(args ...string) resp.Value {
		b := resp.AppendArrayHeader(nil, len(args))
		for _, a := range args {
			b = resp.AppendBulkString(b, a)
		}
		_, err := conn.Write(b)
		require.NoError(t, err)
		v, err := rd.ReadValue()
		require.NoError(t, err)
		return v
	}
	require.Equal(t, resp.KindMap, do("HELLO", "3").Kind, "HELLO answered as Redis 7 does")
	require.Equal(t, "PONG", do("PING").Str)

	s.Use(Case{Name: "x", Head: ":42\r\n"})
	require.Equal(t, int64(42), do("GET", "k").Int)
	require.Equal(t, int64(5), s.Sent())
	require.True(t, s.Open(s.LastConn()))

	s.Use(Case{Name: "bye", Head: "+OK\r\n", Close: true})
	require.Equal(t, "OK", do("ANYTHING").Str)
	_, err = rd.ReadValue()
	require.ErrorIs(t, err, io.EOF, "Close closes the connection after the reply")
}

type countingWriter int64

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}

// Package hostile is the scripted hostile server of the fault suite (R14 of
// RELIABILITY.md): a fake Redis that answers the handshake (HELLO, AUTH,
// CLIENT, SELECT, PING, ECHO) as a Redis 7 server does, through
// resp/resptest, and every other command with the bytes of the Case in use:
// malformed, oversized, too deep, truncated, or valid but unusual.
//
// Cases holds the corpus. Long streams (millions of nested headers, a
// 100 MB line) are written from a small buffer as the client reads them,
// so the server allocates nothing in proportion to what it sends: the
// memory a test measures is the client's.
package hostile

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/actoredis/actoredis/resp"
	"github.com/actoredis/actoredis/resp/resptest"
)

// Case is one scripted reply: Head, then Body written Repeat times, then
// Tail; with Close the connection is closed after it (the client reads
// EOF).
type Case struct {
	Name string
	// Row names the row of RELIABILITY.md's hostile-server table (or the
	// R14 list) the case reproduces; "" for the extra cases.
	Row    string
	Head   string
	Body   string
	Repeat int
	Tail   string
	Close  bool
	// Check is nil when the reply is invalid: the client must fail with an
	// error and close the connection. Otherwise the reply is valid and
	// Check tells whether the client returned the right value (or, for an
	// error reply, the right error).
	Check func(v resp.Value, err error) bool
	// KeepsConn is false when the connection must be closed after the
	// case even though the first reply was valid (a reply nobody asked
	// for follows it).
	KeepsConn bool
}

// Size is the number of bytes the case sends.
func (c Case) Size() int64 {
	return int64(len(c.Head)) + int64(len(c.Body))*int64(c.Repeat) + int64(len(c.Tail))
}

// WriteTo sends the case's bytes to w in writes of up to 64 KiB, stopping
// at the first error (the client hung up). It returns the bytes written.
func (c Case) WriteTo(w io.Writer) (int64, error) {
	var sent int64
	write := func(b []byte) error {
		n, err := w.Write(b)
		sent += int64(n)
		return err
	}
	if err := write([]byte(c.Head)); err != nil {
		return sent, err
	}
	if c.Repeat > 0 && c.Body != "" {
		per := max(1, (64<<10)/len(c.Body))
		chunk := []byte(strings.Repeat(c.Body, min(per, c.Repeat)))
		for left := c.Repeat; left > 0; {
			k := min(left, per)
			if err := write(chunk[:k*len(c.Body)]); err != nil {
				return sent, err
			}
			left -= k
		}
	}
	return sent, write([]byte(c.Tail))
}

// Seed returns the case's bytes for a fuzz corpus: all of them when the
// case is small, else its first limit bytes (the repeated part cut short)
// followed by its tail.
func (c Case) Seed(limit int) []byte {
	if c.Size() <= int64(limit) {
		var b strings.Builder
		_, _ = c.WriteTo(&b)
		return []byte(b.String())
	}
	var b strings.Builder
	b.WriteString(c.Head)
	for b.Len()+len(c.Body) <= limit-len(c.Tail) && c.Body != "" {
		b.WriteString(c.Body)
	}
	b.WriteString(c.Tail)
	return []byte(b.String())
}

// Server is a hostile server for one test, closed at its end.
type Server struct {
	*resptest.Server
	mu      sync.Mutex
	current Case
	lastID  int64 // the connection that got the last scripted reply
	sent    atomic.Int64
}

// Start starts a hostile server for tb.
func Start(tb testing.TB) *Server {
	tb.Helper()
	return StartWith(tb, resptest.Options{})
}

// StartWith starts a hostile server for tb with the handshake options of
// opts (a password, RESP2 only); its Handler and Version are the hostile
// server's own.
func StartWith(tb testing.TB, opts resptest.Options) *Server {
	tb.Helper()
	s := &Server{}
	opts.Version, opts.Handler = "7.0.15", s.answer
	s.Server = resptest.New(tb, opts)
	return s
}

// Use makes every later non-handshake command get c's bytes.
func (s *Server) Use(c Case) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.current = c
}

// Sent returns the bytes of scripted replies written so far.
func (s *Server) Sent() int64 { return s.sent.Load() }

// LastConn returns the id of the connection that got the last scripted
// reply.
func (s *Server) LastConn() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastID
}

// Open reports whether the connection with this id is still open.
func (s *Server) Open(id int64) bool {
	for _, c := range s.Conns() {
		if c.ID() == id {
			return true
		}
	}
	return false
}

func (s *Server) answer(c *resptest.Conn, _ []string) {
	s.mu.Lock()
	cs := s.current
	s.lastID = c.ID()
	s.mu.Unlock()
	_, err := cs.WriteTo(rawWriter{c: c, sent: &s.sent})
	if err == nil && cs.Close {
		_ = c.Close()
	}
}

// rawWriter writes through resptest.Conn.WriteRaw and counts the bytes in
// sent before they go out, so a client that has read a reply finds it
// counted (counting after the write raced with the client's check).
type rawWriter struct {
	c    *resptest.Conn
	sent *atomic.Int64
}

func (w rawWriter) Write(b []byte) (int, error) {
	w.sent.Add(int64(len(b)))
	if err := w.c.WriteRaw(b); err != nil {
		w.sent.Add(-int64(len(b)))
		return 0, err
	}
	return len(b), nil
}

// nested returns n array headers of one element around v.
func nested(n int, v string) string { return strings.Repeat("*1\r\n", n) + v }

// Cases returns the corpus: every row of the hostile-server table of
// RELIABILITY.md, every reply R14 lists, and more malformed and unusual
// replies (over 30 in all).
func Cases() []Case {
	str := func(want string) func(resp.Value, error) bool {
		return func(v resp.Value, err error) bool { s, e := v.AsString(); return err == nil && e == nil && s == want }
	}
	is := func(ok func(v resp.Value) bool) func(resp.Value, error) bool {
		return func(v resp.Value, err error) bool { return err == nil && ok(v) }
	}
	return []Case{
		// The table at the end of RELIABILITY.md.
		{Name: "nest-3M", Row: "*1 x 3,000,000 (12 MB)", Body: "*1\r\n", Repeat: 3_000_000},
		{Name: "array-4G", Row: "*4000000000", Head: "*4000000000\r\n"},
		{Name: "array-100M-eof", Row: "*100000000 then EOF", Head: "*100000000\r\n", Close: true},
		{Name: "bulk-1G-eof", Row: "$1000000000 then EOF", Head: "$1000000000\r\n", Close: true},
		{Name: "bulk-maxint", Row: "$9223372036854775807", Head: "$9223372036854775807\r\n"},
		{Name: "bulk-minus5", Row: "$-5", Head: "$-5\r\n"},
		{Name: "array-minus7", Row: "*-7", Head: "*-7\r\n"},
		// The replies R14 lists.
		{Name: "map-unhashable-key", Row: "unhashable map key", Head: "%1\r\n*0\r\n+v\r\n"},
		{Name: "int-abc", Row: ":abc", Head: ":abc\r\n"},
		{Name: "bulk-bad-terminator", Row: "bulk with a wrong terminator", Head: "$3\r\nabcXY"},
		{Name: "line-100MB-no-crlf", Row: "100 MB + line without CRLF", Head: "+", Body: strings.Repeat("x", 1000), Repeat: 100_000},
		{Name: "verbatim-wrong-length", Row: "= with a wrong length", Head: "=5\r\ntxt:abc\r\n"},
		{Name: "verbatim-long-length-eof", Row: "= with a wrong length", Head: "=10\r\ntxt:abc\r\n", Close: true},
		{Name: "push-before-reply", Row: "push before the reply", Head: ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nx\r\n+OK\r\n",
			Check: str("OK"), KeepsConn: true},
		{Name: "attribute-before-reply", Row: "attribute before the reply", Head: "|1\r\n+key-popularity\r\n:90\r\n+OK\r\n",
			Check: str("OK"), KeepsConn: true},
		{Name: "set-of-maps", Row: "~ of maps", Head: "~1\r\n%1\r\n+a\r\n:1\r\n", Check: is(func(v resp.Value) bool {
			// Accepted as a set holding one map {a: 1}; refusing it is
			// fine too (then Check is not reached).
			return v.Kind == resp.KindSet && len(v.Elems) == 1 && v.Elems[0].Kind == resp.KindMap
		}), KeepsConn: true},
		{Name: "nest-65", Row: "nesting 65 deep", Head: nested(65, ":1\r\n")},
		// More of the same families.
		{Name: "nest-64", Head: nested(64, ":1\r\n"), Check: is(func(v resp.Value) bool {
			for range 64 {
				if v.Kind != resp.KindArray || len(v.Elems) != 1 {
					return false
				}
				v = v.Elems[0]
			}
			return v.Kind == resp.KindInteger && v.Int == 1
		}), KeepsConn: true},
		{Name: "attribute-nest-65", Head: "|1\r\n+a\r\n" + nested(64, ":1\r\n") + "+OK\r\n"},
		{Name: "bulk-max-eof", Head: "$536870912\r\n", Close: true},
		{Name: "bulk-over-max", Head: "$536870913\r\n"},
		{Name: "bulk-short-eof", Head: "$5\r\nab", Close: true},
		{Name: "bulk-no-terminator-eof", Head: "$3\r\nabc", Close: true},
		{Name: "bulk-empty-length", Head: "$\r\n"},
		{Name: "array-empty-length", Head: "*\r\n"},
		{Name: "array-truncated-eof", Head: "*3\r\n:1\r\n:2\r\n", Close: true},
		{Name: "map-truncated-eof", Head: "%2\r\n+a\r\n:1\r\n", Close: true},
		{Name: "map-minus1", Head: "%-2\r\n"},
		{Name: "int-overflow", Head: ":9223372036854775808\r\n"},
		{Name: "int-empty", Head: ":\r\n"},
		{Name: "double-garbage", Head: ",notanumber\r\n"},
		{Name: "bignum-garbage", Head: "(12a\r\n"},
		{Name: "boolean-x", Head: "#x\r\n"},
		{Name: "bulk-error-wrong-length", Head: "!2\r\nabc\r\n"},
		{Name: "bulk-error-long-length-eof", Head: "!5\r\nabc\r\n", Close: true},
		{Name: "line-lf-only", Head: "+OK\n+OK\n"},
		{Name: "line-cr-eof", Head: "+OK\r", Close: true},
		{Name: "unknown-type", Head: "?\r\n"},
		{Name: "verbatim-no-format", Head: "=5\r\nhello\r\n"},
		{Name: "line-over-64KiB", Head: "-", Body: strings.Repeat("e", 1024), Repeat: 65, Tail: "\r\n"},
		{Name: "agg-over-limit", Head: "~268435457\r\n"},
		{Name: "empty-then-eof", Close: true},
		{Name: "reply-nobody-asked-for", Head: "+OK\r\n+EXTRA\r\n", Check: str("OK")},
		// Valid replies the client must hand back as they are.
		{Name: "null-bulk", Head: "$-1\r\n", Check: is(resp.Value.IsNull), KeepsConn: true},
		{Name: "null-array", Head: "*-1\r\n", Check: is(resp.Value.IsNull), KeepsConn: true},
		{Name: "error-reply", Head: "-ERR hostile but valid\r\n", Check: func(_ resp.Value, err error) bool {
			var se *resp.Error
			return errors.As(err, &se) && se.Prefix() == "ERR" && strings.Contains(se.Error(), "hostile but valid")
		}, KeepsConn: true},
		{Name: "bulk-1MiB", Head: "$1048576\r\n", Body: "b", Repeat: 1 << 20, Tail: "\r\n", Check: is(func(v resp.Value) bool {
			return v.Kind == resp.KindBulkString && len(v.Str) == 1<<20 && strings.Count(v.Str, "b") == 1<<20
		}), KeepsConn: true},
		{Name: "array-100k", Head: "*100000\r\n", Body: ":7\r\n", Repeat: 100_000, Check: is(func(v resp.Value) bool {
			return v.Kind == resp.KindArray && len(v.Elems) == 100_000 && v.Elems[99_999].Int == 7
		}), KeepsConn: true},
	}
}

// String names the case.
func (c Case) String() string { return c.Name + " (" + strconv.FormatInt(c.Size(), 10) + " bytes)" }

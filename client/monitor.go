package client

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// MONITOR: Client.Monitor streams the commands the server runs, on a
// connection of its own.

// MonitorEvent is one command the server ran, as MONITOR reports it.
type MonitorEvent struct {
	Time time.Time // when the server ran it, to the microsecond
	DB   int       // the database it ran in
	// Addr is the client's address ("127.0.0.1:52134", "unix:/path"), or
	// "lua" for a command run by a script.
	Addr string
	Args []string // the command line, unquoted
	// Raw is the line as the server sent it; when it did not parse, it is
	// the only field set (with Node).
	Raw string
	// Node is the address of the server that ran the command when one
	// monitor watches several servers; empty from Client.Monitor.
	Node string
	// Err says that the feed ended because its connection was lost (a
	// *MonitorLostError, matching ErrLeaseBroken): the last event of
	// Client.Monitor (then Events is closed), or of one server's feed
	// when one monitor watches several, with no other field set but Node.
	Err error
}

// monitorBuffer is how many events a Monitor's channel holds (it has one
// place more, kept for the event that ends the feed).
const monitorBuffer = 1024

// Monitor streams every command the server runs, on a dedicated
// connection of its own. Read Events until Close. The connection's reader
// never waits for the reader of Events: when the channel is full, events
// are dropped and counted by Dropped. A lost connection ends the feed with
// one event whose Err says so (never dropped), then Events is closed.
// Monitoring slows the server down.
type Monitor struct {
	cn      *Conn
	addr    string
	ch      chan MonitorEvent // one place more than monitorBuffer, for the Err event
	mu      sync.Mutex
	closed  bool
	err     error
	dropped atomic.Int64
}

// Monitor sends MONITOR on a dedicated connection leased for it and
// returns once the server has accepted it. Close the Monitor to end it
// (the connection is closed, never reused). Since Redis 1.0.0.
func (c *Client) Monitor(ctx context.Context) (*Monitor, error) {
	cn, err := c.Conn(ctx)
	if err != nil {
		return nil, err
	}
	m := &Monitor{cn: cn, addr: c.opts.Addr, ch: make(chan MonitorEvent, monitorBuffer+1)}
	cn.lease.OnPush(m.push)
	cn.lease.OnBroken(m.lost)
	f := newFuture(cn.s, ctx, "MONITOR", messages.Stateful|messages.Streams, toStatus)
	if _, err := send(cn.s, f).Result(); err != nil {
		_ = m.Close()
		return nil, err
	}
	return m, nil
}

// Events returns the channel of events, closed by Close.
func (m *Monitor) Events() <-chan MonitorEvent { return m.ch }

// Dropped returns how many events were dropped because Events was full.
func (m *Monitor) Dropped() int64 { return m.dropped.Load() }

// Err returns why the feed ended by itself (a *MonitorLostError), or nil.
func (m *Monitor) Err() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.err
}

// Close ends monitoring: the connection is closed and Events is closed.
// Later calls do nothing.
func (m *Monitor) Close() error {
	m.mu.Lock()
	if !m.closed {
		m.closed = true
		close(m.ch)
	}
	m.mu.Unlock()
	m.cn.lease.Discard() // after closed: no Err event for a Close
	return nil
}

// lost ends the feed when the connection breaks (not by Close): one Err
// event, in the place kept for it, then the channel closes.
func (m *Monitor) lost(cause error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	m.err = &MonitorLostError{Node: m.addr, Cause: cause}
	m.ch <- MonitorEvent{Err: m.err}
	m.closed = true
	close(m.ch)
}

// push runs on the connection's reader goroutine: it never blocks.
func (m *Monitor) push(v resp.Value) {
	line, err := v.AsString()
	if err != nil {
		return
	}
	ev := srvParseMonitor(line)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	if len(m.ch) >= monitorBuffer { // the last place is the Err event's
		m.dropped.Add(1)
		return
	}
	m.ch <- ev
}

// srvParseMonitor reads `1700000000.123456 [0 127.0.0.1:5000] "set" "k"`.
func srvParseMonitor(line string) MonitorEvent {
	ev := MonitorEvent{Raw: line}
	bad := MonitorEvent{Raw: line}
	ts, rest, ok := strings.Cut(line, " [")
	if !ok {
		return bad
	}
	secs, frac, _ := strings.Cut(ts, ".")
	s, err1 := strconv.ParseInt(secs, 10, 64)
	us, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || (frac != "" && err2 != nil) {
		return bad
	}
	ev.Time = time.Unix(s, us*1000)
	client, rest, ok := strings.Cut(rest, "] ")
	if !ok {
		return bad
	}
	db, addr, ok := strings.Cut(client, " ")
	n, err := strconv.Atoi(db)
	if !ok || err != nil {
		return bad
	}
	ev.DB, ev.Addr = n, addr
	for rest != "" {
		if rest[0] == ' ' {
			rest = rest[1:]
			continue
		}
		arg, tail, ok := srvUnquote(rest)
		if !ok {
			return bad
		}
		ev.Args = append(ev.Args, arg)
		rest = tail
	}
	return ev
}

// srvUnquote reads one argument quoted as Redis's sdscatrepr writes it.
func srvUnquote(s string) (arg, rest string, ok bool) {
	if s == "" || s[0] != '"' {
		return "", "", false
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return b.String(), s[i+1:], true
		case c != '\\':
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", "", false
		}
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'x':
			if i+2 >= len(s) {
				return "", "", false
			}
			h, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return "", "", false
			}
			b.WriteByte(byte(h))
			i += 2
		default:
			b.WriteByte(s[i])
		}
	}
	return "", "", false
}

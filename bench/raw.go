package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
)

// rawDriver is the baseline of issue 7: the least a Go program can do to
// talk RESP to redis-server. Each worker goroutine has its own plain
// net.Conn (dialed on its first command, kept for the whole run); a
// command is written with one Write from a buffer the connection reuses,
// and its reply read from a bufio.Reader. A pipeline of N SETs is one
// Write of all N commands, then N replies each checked to be +OK. No
// timeouts, no retries, no reconnect beyond redialing after an error: it
// is a yardstick, not a client.
type rawDriver struct {
	addr  string
	mu    sync.Mutex
	conns []*rawConn // by worker index
}

func newRawDriver(addr string) *rawDriver { return &rawDriver{addr: addr} }

// session returns worker's connection. Each worker index is used by one
// goroutine at a time, so the connection needs no lock.
func (d *rawDriver) session(worker int) session {
	d.mu.Lock()
	defer d.mu.Unlock()
	for len(d.conns) <= worker {
		d.conns = append(d.conns, nil)
	}
	if d.conns[worker] == nil {
		d.conns[worker] = &rawConn{addr: d.addr}
	}
	return d.conns[worker]
}

func (d *rawDriver) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	var errs []error
	for _, c := range d.conns {
		if c != nil && c.nc != nil {
			errs = append(errs, c.nc.Close())
		}
	}
	d.conns = nil
	return errors.Join(errs...)
}

// rawReadBuffer is the bufio.Reader's size: a pipeline of 10,000 SETs
// reads its 50,000 bytes of +OK in a few reads.
const rawReadBuffer = 64 << 10

type rawConn struct {
	addr string
	nc   net.Conn
	r    *bufio.Reader
	buf  []byte // the commands being written, reused
}

var (
	rawOK        = []byte("+OK\r\n")
	errRawClosed = errors.New("raw-socket: connection dropped after an error")
)

// connect dials the connection if it has none (first use, or after an
// error left the stream out of step).
func (c *rawConn) connect() error {
	if c.nc != nil {
		return nil
	}
	nc, err := net.Dial("tcp", c.addr)
	if err != nil {
		return err
	}
	c.nc = nc
	if c.r == nil {
		c.r = bufio.NewReaderSize(nc, rawReadBuffer)
	} else {
		c.r.Reset(nc)
	}
	return nil
}

// fail drops the connection, whose stream may now be out of step, and
// returns err.
func (c *rawConn) fail(err error) error {
	if c.nc != nil {
		_ = c.nc.Close()
		c.nc = nil
	}
	if err == nil {
		err = errRawClosed
	}
	return err
}

func (c *rawConn) Get(_ context.Context, key string) error {
	if err := c.connect(); err != nil {
		return err
	}
	c.buf = appendCommand(c.buf[:0], "GET", key)
	if _, err := c.nc.Write(c.buf); err != nil {
		return c.fail(err)
	}
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return c.fail(err)
	}
	switch {
	case len(line) >= 4 && line[0] == '$':
		n, ok := parseLength(line[1 : len(line)-2])
		if !ok {
			return c.fail(fmt.Errorf("raw-socket: bad bulk length %q", line))
		}
		if n < 0 { // $-1: no such key
			return nil
		}
		if _, err := c.r.Discard(n + 2); err != nil {
			return c.fail(err)
		}
		return nil
	case len(line) > 0 && line[0] == '-':
		return fmt.Errorf("raw-socket: %s", bytes.TrimRight(line[1:], "\r\n"))
	default:
		return c.fail(fmt.Errorf("raw-socket: unexpected reply to GET %q", line))
	}
}

func (c *rawConn) Set(_ context.Context, key, value string) error {
	if err := c.connect(); err != nil {
		return err
	}
	c.buf = appendCommand(c.buf[:0], "SET", key, value)
	if _, err := c.nc.Write(c.buf); err != nil {
		return c.fail(err)
	}
	return c.readOK()
}

// SetPipeline writes every SET with one Write, then reads one +OK per
// command.
func (c *rawConn) SetPipeline(_ context.Context, keys []string, value string) error {
	if err := c.connect(); err != nil {
		return err
	}
	buf := c.buf[:0]
	for _, k := range keys {
		buf = appendCommand(buf, "SET", k, value)
	}
	c.buf = buf
	if _, err := c.nc.Write(buf); err != nil {
		return c.fail(err)
	}
	var first error
	for range keys {
		if err := c.readOK(); err != nil {
			if c.nc == nil { // transport or protocol error: the rest is lost
				return err
			}
			if first == nil {
				first = err // an error reply: keep reading the others
			}
		}
	}
	return first
}

// readOK reads one simple-string reply and checks it is +OK. An error
// reply (-ERR …) keeps the connection; anything else drops it.
func (c *rawConn) readOK() error {
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return c.fail(err)
	}
	if bytes.Equal(line, rawOK) {
		return nil
	}
	if len(line) > 0 && line[0] == '-' {
		return fmt.Errorf("raw-socket: %s", bytes.TrimRight(line[1:], "\r\n"))
	}
	return c.fail(fmt.Errorf("raw-socket: expected +OK, got %q", line))
}

// parseLength parses a bulk length: digits, or -1.
func parseLength(b []byte) (int, bool) {
	if string(b) == "-1" {
		return -1, true
	}
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// appendCommand appends args as a RESP array of bulk strings.
func appendCommand(b []byte, args ...string) []byte {
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, '\r', '\n')
	for _, a := range args {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, '\r', '\n')
		b = append(b, a...)
		b = append(b, '\r', '\n')
	}
	return b
}

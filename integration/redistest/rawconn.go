package redistest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// The harness's own RESP2 client: just enough for PING, AUTH, INFO,
// SHUTDOWN and the odd DEBUG or CONFIG call. It does not use the project's
// resp or client packages, so that it keeps working while they are broken.

// Limits on what the harness reads from a server.
const (
	maxBulk  = 64 << 20
	maxArray = 1 << 20
	maxDepth = 16
	maxLine  = 64 << 10
)

// ReplyError is an error reply from the server, such as "ERR unknown
// command" or "NOAUTH Authentication required.".
type ReplyError struct {
	Message string
}

func (e *ReplyError) Error() string { return "redistest: server replied: " + e.Message }

// rawConn is one connection with a deadline for its whole life.
type rawConn struct {
	conn net.Conn
	r    *bufio.Reader
}

// dialRaw connects to addr, authenticates when password is not empty, and
// gives the connection timeout to live.
func dialRaw(addr, password string, timeout time.Duration) (*rawConn, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, fmt.Errorf("redistest: %w", err)
	}
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		conn.Close()
		return nil, fmt.Errorf("redistest: %w", err)
	}
	c := &rawConn{conn: conn, r: bufio.NewReader(conn)}
	if password != "" {
		if _, err := c.do("AUTH", password); err != nil {
			c.close()
			return nil, err
		}
	}
	return c, nil
}

func (c *rawConn) close() { c.conn.Close() }

// do sends a command and reads its reply.
func (c *rawConn) do(args ...string) (any, error) {
	if _, err := c.conn.Write(appendCommand(nil, args)); err != nil {
		return nil, fmt.Errorf("redistest: writing %s: %w", args[0], err)
	}
	v, err := readReply(c.r, 0)
	if err != nil {
		return nil, fmt.Errorf("redistest: reading the reply to %s: %w", args[0], err)
	}
	if e, ok := v.(*ReplyError); ok {
		return nil, e
	}
	return v, nil
}

// appendCommand encodes args as a RESP array of bulk strings.
func appendCommand(b []byte, args []string) []byte {
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

var errProtocol = errors.New("malformed reply")

// readReply reads one RESP2 reply: string, *ReplyError, int64, nil or []any.
func readReply(r *bufio.Reader, depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%w: nested deeper than %d", errProtocol, maxDepth)
	}
	line, err := readLine(r)
	if err != nil {
		return nil, err
	}
	if line == "" {
		return nil, fmt.Errorf("%w: empty line", errProtocol)
	}
	body := line[1:]
	switch line[0] {
	case '+':
		return body, nil
	case '-':
		return &ReplyError{Message: body}, nil
	case ':':
		n, err := strconv.ParseInt(body, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: integer %q", errProtocol, body)
		}
		return n, nil
	case '$':
		n, err := length(body, maxBulk)
		if err != nil || n < 0 {
			return nil, err
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		if buf[n] != '\r' || buf[n+1] != '\n' {
			return nil, fmt.Errorf("%w: bulk string not ended by CRLF", errProtocol)
		}
		return string(buf[:n]), nil
	case '*':
		n, err := length(body, maxArray)
		if err != nil || n < 0 {
			return nil, err
		}
		items := make([]any, 0, min(n, 1024))
		for range n {
			v, err := readReply(r, depth+1)
			if err != nil {
				return nil, err
			}
			items = append(items, v)
		}
		return items, nil
	default:
		return nil, fmt.Errorf("%w: unexpected type byte %q", errProtocol, line[0])
	}
}

// length parses a bulk or array length: -1 (nil) or 0..limit.
func length(s string, limit int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < -1 || n > limit {
		return 0, fmt.Errorf("%w: length %q", errProtocol, s)
	}
	return n, nil
}

// readLine reads up to CRLF and returns the line without it.
func readLine(r *bufio.Reader) (string, error) {
	var sb strings.Builder
	for {
		chunk, err := r.ReadSlice('\n')
		sb.Write(chunk)
		if sb.Len() > maxLine {
			return "", fmt.Errorf("%w: line longer than %d bytes", errProtocol, maxLine)
		}
		if err == nil {
			break
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return "", err
		}
	}
	line := sb.String()
	if !strings.HasSuffix(line, "\r\n") {
		return "", fmt.Errorf("%w: line not ended by CRLF", errProtocol)
	}
	return line[:len(line)-2], nil
}

// probe checks that a server answers on addr: PING must give PONG. A
// server that wants a password the harness does not have (NOAUTH) answers
// too. It returns the INFO server section, or nil after NOAUTH.
func probe(addr, password string, timeout time.Duration) (map[string]string, error) {
	c, err := dialRaw(addr, password, timeout)
	if err != nil {
		return nil, err
	}
	defer c.close()
	reply, err := c.do("PING")
	if err != nil {
		var re *ReplyError
		if errors.As(err, &re) && strings.HasPrefix(re.Message, "NOAUTH") {
			return nil, nil
		}
		return nil, err
	}
	if reply != "PONG" {
		return nil, fmt.Errorf("redistest: PING replied %v", reply)
	}
	info, err := c.do("INFO", "server")
	if err != nil {
		return nil, err
	}
	text, _ := info.(string)
	return parseInfo(text), nil
}

// parseInfo turns "field:value" lines into a map; "# Section" lines and
// blank lines are skipped.
func parseInfo(text string) map[string]string {
	m := make(map[string]string)
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || line[0] == '#' {
			continue
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			m[k] = v
		}
	}
	return m
}

package resptest

import (
	"strconv"
	"strings"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// Expectation scripts the answer to one command: the actions added with
// its methods run in order each time it matches. With no action it matches
// and answers nothing. It is used once unless Times or Always says
// otherwise. Its methods return it, to chain:
//
//	s.Expect("GET", "k").Reply(resp.Value{Kind: resp.KindBulkString, Str: "v"})
//	s.Expect("BLPOP", "q", "0").Hang()
//	s.Expect("GET", "k").ReplyRaw("$1\r\nv\r\n").CloseConn()
type Expectation struct {
	s       *Server
	args    []string
	actions []HandlerFunc
	left    int  // uses left
	always  bool // no limit, never unmet
	used    int
}

// Expect adds an expectation for the command args (the name compared
// without regard to case, the arguments exactly). Expectations are tried
// in the order they were added; the first that matches and has uses left
// answers the command.
func (s *Server) Expect(args ...string) *Expectation {
	e := &Expectation{s: s, args: args, left: 1}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expectations = append(s.expectations, e)
	return e
}

func (e *Expectation) add(a HandlerFunc) *Expectation {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	e.actions = append(e.actions, a)
	return e
}

// Reply writes v in the connection's protocol (see Conn.WriteValue).
func (e *Expectation) Reply(v resp.Value) *Expectation {
	return e.add(func(c *Conn, _ []string) { c.WriteValue(v) })
}

// ReplyRaw writes raw as is: a reply in either protocol, several replies,
// half a reply or garbage.
func (e *Expectation) ReplyRaw(raw string) *Expectation {
	return e.add(func(c *Conn, _ []string) { c.WriteRaw([]byte(raw)) })
}

// ReplyError writes the error reply -msg (for example "MOVED 3999 127.0.0.1:6381").
func (e *Expectation) ReplyError(msg string) *Expectation {
	return e.add(func(c *Conn, _ []string) { c.WriteError(msg) })
}

// Do runs h.
func (e *Expectation) Do(h HandlerFunc) *Expectation { return e.add(h) }

// Delay waits d (or until the server closes) before the next action. The
// connection reads nothing meanwhile, as a busy Redis would not.
func (e *Expectation) Delay(d time.Duration) *Expectation {
	return e.add(func(c *Conn, _ []string) { c.s.sleep(d) })
}

// Hang stops the connection from answering this or any later command
// (see Conn.Hang).
func (e *Expectation) Hang() *Expectation {
	return e.add(func(c *Conn, _ []string) { c.Hang() })
}

// CloseConn closes the connection (FIN) after the actions before it.
func (e *Expectation) CloseConn() *Expectation {
	return e.add(func(c *Conn, _ []string) { c.Close() })
}

// ResetConn aborts the connection (RST) after the actions before it.
func (e *Expectation) ResetConn() *Expectation {
	return e.add(func(c *Conn, _ []string) { c.Reset() })
}

// Times makes the expectation match n times (default 1); it is unmet until
// it has.
func (e *Expectation) Times(n int) *Expectation {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	e.left, e.always = n, false
	return e
}

// Always makes the expectation match any number of times, none included.
func (e *Expectation) Always() *Expectation {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	e.always = true
	return e
}

// Unmet describes the expectations that have matched fewer times than they
// asked, for example "GET k: used 0 of 1 times".
func (s *Server) Unmet() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, e := range s.expectations {
		if !e.always && e.left > 0 {
			out = append(out, strings.Join(e.args, " ")+": used "+strconv.Itoa(e.used)+" of "+strconv.Itoa(e.used+e.left)+" times")
		}
	}
	return out
}

// takeExpectation finds the expectation for args, uses it up once and
// returns its actions.
func (s *Server) takeExpectation(args []string) ([]HandlerFunc, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.expectations {
		if (e.always || e.left > 0) && matches(e.args, args) {
			e.used++
			if !e.always {
				e.left--
			}
			return e.actions[:len(e.actions):len(e.actions)], true
		}
	}
	return nil, false
}

func matches(want, got []string) bool {
	if len(want) != len(got) || len(want) == 0 || !strings.EqualFold(want[0], got[0]) {
		return false
	}
	for i := 1; i < len(want); i++ {
		if want[i] != got[i] {
			return false
		}
	}
	return true
}

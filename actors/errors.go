package actors

import (
	"errors"
	"time"
)

// Errors the actors hand to promises. The client re-exports them in its one
// block of sentinels.
var (
	// ErrClosed: the client was closed.
	ErrClosed = errors.New("actoredis: client is closed")
	// ErrPoolTimeout: no usable connection within Options.PoolTimeout.
	ErrPoolTimeout = errors.New("actoredis: connection pool timeout")
	// ErrConnClosed: the connection carrying the command was lost.
	ErrConnClosed = errors.New("actoredis: connection lost")
	// ErrLeaseBroken: a leased dedicated connection was lost; its state
	// (WATCH, SELECT, CLIENT REPLY, subscriptions) is gone with it.
	ErrLeaseBroken = errors.New("actoredis: dedicated connection lost")
	// ErrNoReply: the command ran under CLIENT REPLY OFF or SKIP, so the
	// server sent no reply; it completes once written.
	ErrNoReply = errors.New("actoredis: reply suppressed by CLIENT REPLY")
	// ErrLeaseReleased: a command was sent through a released lease. It
	// matches ErrClosed.
	ErrLeaseReleased error = leaseReleased{}
)

type leaseReleased struct{}

func (leaseReleased) Error() string        { return "actoredis: dedicated connection already released" }
func (leaseReleased) Is(target error) bool { return target == ErrClosed }

// ConnError is a transport failure of one command. Sent tells whether the
// command's bytes may have reached the server: when true, the command may
// have been executed and retrying it is safe only for commands that are
// safe to repeat.
type ConnError struct {
	Command string // the command's name, never its arguments
	Addr    string
	Sent    bool
	Err     error
}

func (e *ConnError) Error() string {
	s := "actoredis: " + e.Command + " to " + e.Addr
	if e.Sent {
		s += " (may have reached the server)"
	} else {
		s += " (not sent)"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *ConnError) Unwrap() []error { return []error{ErrConnClosed, e.Err} }

// PoolTimeoutError tells what the pool was waiting for when a command gave
// up: errors.Is(err, ErrPoolTimeout) holds.
type PoolTimeoutError struct {
	Waited      time.Duration
	Dialing     int   // connections dialing when the wait ended
	BackingOff  int   // connections waiting for their restart delay
	LastDialErr error // the last dial or handshake error, if any
}

func (e *PoolTimeoutError) Error() string {
	s := "actoredis: connection pool timeout after " + e.Waited.String() +
		": no usable connection (" + itoa(e.Dialing) + " dialing, " + itoa(e.BackingOff) + " backing off)"
	if e.LastDialErr != nil {
		s += "; last dial error: " + e.LastDialErr.Error()
	}
	return s
}

func (e *PoolTimeoutError) Unwrap() []error {
	if e.LastDialErr != nil {
		return []error{ErrPoolTimeout, e.LastDialErr}
	}
	return []error{ErrPoolTimeout}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	neg := i < 0
	if neg {
		i = -i
	}
	var b [20]byte
	n := len(b)
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	if neg {
		n--
		b[n] = '-'
	}
	return string(b[n:])
}

package actors

import (
	"errors"
	"time"

	"github.com/actoredis/actoredis/resp"
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
	// ErrAmbiguous: the command may have reached the server before its
	// connection was lost, so it may have been applied. Every *ConnError
	// with Sent true matches it.
	ErrAmbiguous = errors.New("actoredis: command may have been applied")
	// ErrQueueFull: the connection the command would travel on already
	// holds MaxPending commands (queued or awaiting replies).
	ErrQueueFull = errors.New("actoredis: connection queue full")
	// ErrConnPanic: a goroutine of the connection panicked; the
	// connection was closed and every command it carried fails with it.
	ErrConnPanic = errors.New("actoredis: connection goroutine panicked")
	// ErrTransient: the server refused the command for now without running
	// it (LOADING, TRYAGAIN, BUSY, MASTERDOWN, CLUSTERDOWN or another
	// RetryPolicy.Transient prefix) and it was not retried, or no more.
	ErrTransient = errors.New("actoredis: server refused the command for now")
	// ErrLoading: the server is loading its dataset (LOADING); it matches
	// ErrTransient too.
	ErrLoading = errors.New("actoredis: server is loading its dataset")
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

func (e *ConnError) Unwrap() []error {
	if e.Sent {
		return []error{ErrConnClosed, ErrAmbiguous, e.Err}
	}
	return []error{ErrConnClosed, e.Err}
}

// TransientError is a server error reply that RetryPolicy counts as
// transient (the server refused the command without running it), returned
// when the command was not retried (retries off, a write, a batch) or no
// more (MaxAttempts or the deadline reached). errors.Is matches
// ErrTransient, ErrLoading for LOADING, and ErrAmbiguous when an earlier
// try may have run (Sent); errors.As reaches the server's *resp.Error.
type TransientError struct {
	Command  string // the command's name, never its arguments
	Attempts int    // tries made, the first included
	Err      *resp.Error
	// Sent tells that an earlier try may have reached the server (its
	// connection was lost after it was written): the command may have run
	// although this try was refused, so the error matches ErrAmbiguous
	// and is not safe to retry.
	Sent bool
}

func (e *TransientError) Error() string {
	s := e.Err.Error()
	if e.Attempts > 1 {
		s += " (" + e.Command + " gave up after " + itoa(e.Attempts) + " tries)"
	}
	return s
}

func (e *TransientError) Unwrap() []error {
	errs := []error{ErrTransient, e.Err}
	if e.Err.Prefix() == "LOADING" {
		errs = append(errs, ErrLoading)
	}
	if e.Sent {
		errs = append(errs, ErrAmbiguous)
	}
	return errs
}

// connPanic is the cause of a connection closed by a panic in one of its
// goroutines. It matches ErrConnPanic.
type connPanic struct{ where string }

func (e *connPanic) Error() string        { return "actoredis: connection " + e.where + " panicked" }
func (e *connPanic) Is(target error) bool { return target == ErrConnPanic }

// PoolTimeoutError tells what the pool was waiting for when a command gave
// up: errors.Is(err, ErrPoolTimeout) holds.
type PoolTimeoutError struct {
	Waited     time.Duration
	Dialing    int // connections dialing when the wait ended
	BackingOff int // connections waiting for their restart delay
	// NextDial is when the first connection that is backing off dials
	// again (zero when none is).
	NextDial    time.Time
	LastDialErr error // the last dial or handshake error, if any
}

func (e *PoolTimeoutError) Error() string {
	s := "actoredis: connection pool timeout after " + e.Waited.String() +
		": no usable connection (" + itoa(e.Dialing) + " dialing, " + itoa(e.BackingOff) + " backing off"
	if !e.NextDial.IsZero() {
		s += " until " + e.NextDial.Format("15:04:05.000")
	}
	s += ")"
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

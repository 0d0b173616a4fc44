package actors

import (
	"time"
)

// RetryPolicy decides which failed commands the connection actors send
// again, instead of failing their promises. Its zero value is the default
// policy; see withDefaults for each field's default.
//
// What is retried:
//   - a command that never reached the wire (held while its connection was
//     dialing, or queued and not yet written when the connection was lost):
//     always, on the next connection of its slot;
//   - a command that may have reached the server when its connection was
//     lost: only when its flags say ReadOnly or Idempotent (the per-call
//     opt-in sets Idempotent);
//   - a command whose reply is one of the Transient server errors (the
//     server refused it without executing it): only when it is ReadOnly or
//     Idempotent, after Backoff; BUSY only when it is ReadOnly.
//
// Never retried: a command of a batch (pipelines and MULTI/EXEC) on its
// own; a batch that may have been sent (an unsent batch is resent whole);
// commands on dedicated connections (blocking and stateful work); a
// command past its caller's deadline or its MaxAttempts.
type RetryPolicy struct {
	// MaxAttempts bounds the tries of one command, the first included: 1
	// turns retrying off. Zero means DefaultMaxAttempts.
	MaxAttempts int
	// Backoff spaces the retries after a transient server error (a lost
	// connection is retried on the next connection, which the pool's
	// reconnect backoff already spaces). Nil means DefaultRetryBackoff.
	Backoff Backoff
	// Transient lists the server error prefixes that count as transient:
	// the server refused the command without running it. Nil means
	// DefaultTransient; an empty, non-nil slice retries no server error.
	Transient []string
}

// Defaults of RetryPolicy.
const (
	// DefaultMaxAttempts is RetryPolicy.MaxAttempts when zero.
	DefaultMaxAttempts = 10
	// DefaultMaxPending is Config.MaxPending when zero.
	DefaultMaxPending = 1 << 15
)

// DefaultRetryBackoff is RetryPolicy.Backoff when nil: exponential with
// full jitter from 20 ms, capped at 500 ms (ten attempts wait about 1.3 s
// in all, on average).
var DefaultRetryBackoff Backoff = ExponentialBackoff{Base: 20 * time.Millisecond, Cap: 500 * time.Millisecond}

// DefaultTransient returns the server error prefixes retried by default:
// the server refused the command without running it, and may accept it a
// moment later.
func DefaultTransient() []string {
	return []string{"LOADING", "TRYAGAIN", "BUSY", "MASTERDOWN", "CLUSTERDOWN"}
}

func (r RetryPolicy) withDefaults() RetryPolicy {
	if r.MaxAttempts <= 0 {
		r.MaxAttempts = DefaultMaxAttempts
	}
	if r.Backoff == nil {
		r.Backoff = DefaultRetryBackoff
	}
	if r.Transient == nil {
		r.Transient = DefaultTransient()
	}
	return r
}

package actors

import (
	"errors"
	"time"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
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
//     lost (ambiguous): only a read (ReadOnly), or a write the caller
//     opted in to send again (Resend, set by the per-call opt-in; or
//     Idempotent with ResendIdempotent). Any other write fails with
//     ErrAmbiguous: sending it again could break linearizability, since
//     between its two runs another client's write may land and be
//     overwritten;
//   - a command whose reply is one of the Transient server errors (the
//     server refused it without executing it): only when it is ReadOnly,
//     Idempotent or Resend, after Backoff; BUSY only when it is ReadOnly.
//
// Never retried: a command of a batch (pipelines and MULTI/EXEC) on its
// own; a batch that may have been sent (an unsent batch is resent whole);
// commands on dedicated connections (blocking and stateful work); a
// command past its caller's deadline or its MaxAttempts.
type RetryPolicy struct {
	// MaxAttempts bounds the tries of one command, the first included: 1
	// turns retrying off. A failed dial counts as a try of the commands
	// waiting for it. Zero means DefaultMaxAttempts.
	MaxAttempts int
	// Backoff spaces the retries after a transient server error (a lost
	// connection is retried on the next connection, which the pool's
	// reconnect backoff already spaces). Nil means DefaultRetryBackoff.
	Backoff Backoff
	// Transient lists the server error prefixes that count as transient:
	// the server refused the command without running it. Nil means
	// DefaultTransient (for the node pools of a cluster, whose client
	// handles TRYAGAIN and CLUSTERDOWN itself, LOADING, BUSY and
	// MASTERDOWN); an empty, non-nil slice retries no server error.
	Transient []string
	// ResendIdempotent sends the idempotent writes of the flags table
	// (SET without NX or GET, DEL, HSET, EXPIRE, ...) again after their
	// connection was lost once they may have reached the server, instead
	// of failing them with ErrAmbiguous. They then run at least once, and
	// possibly twice: a write of another client that lands between the
	// two runs is overwritten, so histories with concurrent writers to
	// the same key may not be linearizable. Off by default; reads are
	// always sent again.
	ResendIdempotent bool
}

// Defaults of RetryPolicy.
const (
	// DefaultMaxAttempts is RetryPolicy.MaxAttempts when zero.
	DefaultMaxAttempts = 10
	// DefaultMaxPending is Config.MaxPending when zero.
	DefaultMaxPending = 1 << 17
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

// retrier applies the pool's RetryPolicy. The connection actors ask it
// when a connection is lost (afterLoss) and the reader goroutines when a
// reply is an error (afterErrorReply); the success path never reaches it.
type retrier struct {
	pool   *Pool
	policy RetryPolicy
}

// unretryable are the flags of commands that are never retried: they
// belong to dedicated connections, get no reply, or belong to a batch.
const unretryable = messages.Blocking | messages.Stateful | messages.NoReply | messages.PushReply | messages.Streams | messages.Batched | messages.Run

// SafeToResend reports whether a command with these flags may be sent
// again after it may have reached the server (an ambiguous failure): a
// read, a write whose caller opted in (Resend), or an idempotent write
// when resendIdempotent (the policy's ResendIdempotent) says so.
func SafeToResend(flags messages.Flags, resendIdempotent bool) bool {
	if flags&(messages.ReadOnly|messages.Resend) != 0 {
		return true
	}
	return resendIdempotent && flags.Has(messages.Idempotent)
}

// safeToRepeat reports whether cmd, refused by the server without being
// run (a transient error reply), may be sent again: the reads, the
// idempotent writes and the opted-in ones. A refused command did not run,
// so this is about the reply the caller gets, not about running twice.
func safeToRepeat(cmd *messages.Command) bool {
	return cmd.Flags&(messages.ReadOnly|messages.Idempotent|messages.Resend) != 0
}

// again counts a failed try of cmd and reports whether another is allowed
// by MaxAttempts and the caller's deadline (now in Unix nanoseconds, plus
// the delay before the retry).
func (r *retrier) again(cmd *messages.Command, now int64, delay time.Duration) bool {
	st := &cmd.Retry
	if int(st.Failed)+1 >= r.policy.MaxAttempts || st.Failed == 255 {
		return false
	}
	if cmd.Deadline != 0 && now+int64(delay) >= cmd.Deadline {
		return false
	}
	st.Failed++
	return true
}

// afterLoss reports whether cmd, failed by the loss of its connection
// (cause), is to be sent again on the slot's next connection; sent tells
// whether its bytes may have reached the server. A reader panic or a
// protocol violation is not transient: those fail at once.
func (r *retrier) afterLoss(cmd *messages.Command, sent bool, cause error, now int64) bool {
	if cmd.Flags&unretryable != 0 || cmd.IsDone() {
		return false
	}
	if (sent || cmd.Retry.Sent) && !SafeToResend(cmd.Flags, r.policy.ResendIdempotent) {
		return false
	}
	if !transientLoss(cause) || !r.again(cmd, now, 0) {
		return false
	}
	cmd.Retry.Sent = cmd.Retry.Sent || sent
	r.pool.stats.retries.Add(1)
	return true
}

// afterLossBatch is afterLoss for a batch that never reached a wire: it is
// resent whole, or failed whole.
func (r *retrier) afterLossBatch(b *messages.Batch, cause error, now int64) bool {
	if len(b.Commands) == 0 || !transientLoss(cause) {
		return false
	}
	for _, cmd := range b.Commands {
		if cmd.IsDone() {
			return false // a caller gave up, or part of it failed: never partially
		}
	}
	if !r.again(b.Commands[0], now, 0) {
		return false
	}
	r.pool.stats.retries.Add(1)
	return true
}

func transientLoss(cause error) bool {
	return !errors.Is(cause, ErrConnPanic) && !errors.Is(cause, resp.ErrProtocol) && !errors.Is(cause, ErrClosed)
}

// afterErrorReply decides what happens to cmd whose reply v is an error.
// A transient error of a command that is safe to repeat is retried after
// the policy's backoff (resent to its slot's connection actor): it reports
// true and cmd stays pending. A transient error not retried becomes a
// *TransientError in err; any other error reply is left as it is (nil).
func (r *retrier) afterErrorReply(cmd *messages.Command, v resp.Value, slot *connSlot) (retried bool, err error) {
	prefix := (&resp.Error{Message: v.Str}).Prefix()
	if !r.transient(prefix) {
		return false, nil
	}
	retryable := slot != nil && cmd.Flags&unretryable == 0 && safeToRepeat(cmd) &&
		(prefix != "BUSY" || cmd.Flags.Has(messages.ReadOnly))
	if retryable {
		delay := r.policy.Backoff.Next(int(cmd.Retry.Failed) + 1)
		if r.again(cmd, time.Now().UnixNano(), delay) {
			r.pool.stats.retries.Add(1)
			pid := slot.pid
			r.pool.afterFuncOr(delay, func() { r.pool.root.Send(pid, cmd) }, func() { cmd.Fail(ErrClosed) })
			return true, nil
		}
	}
	return false, &TransientError{Command: cmd.Name, Attempts: int(cmd.Retry.Failed) + 1, Err: &resp.Error{Message: v.Str}, Sent: cmd.Retry.Sent}
}

func (r *retrier) transient(prefix string) bool {
	for _, p := range r.policy.Transient {
		if p == prefix {
			return true
		}
	}
	return false
}

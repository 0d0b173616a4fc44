package client

import (
	"errors"

	"github.com/actoredis/actoredis/actors"
)

// Backoff computes the delay before retry number attempt (1 for the
// first). Options.ReconnectBackoff spaces the restarts of failed
// connections and of the pubsub actor; RetryPolicy.Backoff spaces the
// retries of commands refused by a busy or loading server. Any type with
// this method will do; it must be safe for concurrent use.
type Backoff = actors.Backoff

// ExponentialBackoff is exponential backoff with full jitter: the delay
// before attempt n is uniform in [0, min(Cap, Base·2^(n-1))]. Zero Base
// means 50 ms, zero Cap means 2 s.
type ExponentialBackoff = actors.ExponentialBackoff

// EqualJitterBackoff is exponential backoff with equal jitter: with
// d = min(Cap, Base·2^(n-1)), the delay is uniform in [d/2, d]. Zero Base
// means 50 ms, zero Cap means 2 s.
type EqualJitterBackoff = actors.EqualJitterBackoff

// DecorrelatedJitterBackoff is decorrelated jitter without shared state:
// the delay before attempt n is uniform in [Base, min(Cap, Base·3^n)].
// Zero Base means 50 ms, zero Cap means 2 s.
type DecorrelatedJitterBackoff = actors.DecorrelatedJitterBackoff

// ConstantBackoff waits Delay before every attempt.
type ConstantBackoff = actors.ConstantBackoff

// NoBackoff retries at once.
type NoBackoff = actors.NoBackoff

// RetryPolicy decides which failed commands are sent again, instead of
// failing. Its zero value is the default: up to 10 tries per command
// (MaxAttempts), DefaultRetryBackoff between tries refused by the server,
// and the transient server errors LOADING, TRYAGAIN, BUSY, MASTERDOWN and
// CLUSTERDOWN.
//
// Retrying is safe by construction:
//   - a command that never reached the wire (its connection was dialing,
//     or was lost before writing it) is sent again on the next connection;
//   - a command that may have reached the server is sent again only when
//     that keeps every history linearizable: a read. A write is sent
//     again only when the caller opted in, with Idempotent() or with
//     ResendIdempotent (the flags table's idempotent writes: SET, DEL,
//     HSET, ...); it then runs at least once, maybe twice. Every other
//     write (SET, INCR, LPUSH, ...) fails with a *ConnError matching
//     ErrAmbiguous;
//   - a transient server error is retried after Backoff for reads,
//     idempotent writes and opted-in ones (BUSY for read-only ones only);
//     the others get a *TransientError at once (the server did not run
//     them, so SafeToRetry is true);
//   - pipelines and transactions are never retried command by command; a
//     batch that never reached the wire is resent whole, one that may
//     have been sent never is;
//   - nothing is retried past the context's deadline, on a dedicated
//     connection (blocking commands, Conn, Watch), or after a reader
//     panic or a protocol error.
//
// Retries after a lost connection wait for the next connection of the
// same slot, so commands on one key stay in order; the pool spaces those
// reconnects with Options.ReconnectBackoff, and each failed dial counts as
// a try. A command waits so at most PoolTimeout from the loss.
type RetryPolicy = actors.RetryPolicy

// DefaultRetryBackoff is RetryPolicy.Backoff when nil: full jitter from
// 20 ms, capped at 500 ms.
var DefaultRetryBackoff = actors.DefaultRetryBackoff

// SafeToRetry reports whether err says the command was not applied, so
// sending it again cannot apply it twice: it never reached the server
// (a *ConnError with Sent false, ErrPoolTimeout, ErrQueueFull), or the
// server refused it without running it (a *TransientError, unless an
// earlier try may have reached the server). It is false for anything
// matching ErrAmbiguous, context errors (the command may have been sent)
// and any other error.
func SafeToRetry(err error) bool {
	if err == nil || errors.Is(err, ErrAmbiguous) {
		return false
	}
	var ce *ConnError
	if errors.As(err, &ce) {
		return !ce.Sent && !errors.Is(err, ErrConnPanic)
	}
	return errors.Is(err, ErrPoolTimeout) || errors.Is(err, ErrQueueFull) || errors.Is(err, ErrTransient)
}

// Idempotent returns a view of c whose commands are sent again when their
// connection is lost after they may have reached the server, like reads
// (and counted in Stats().Retries), where c would fail them with
// ErrAmbiguous. Such a write runs at least once and maybe twice, and a
// write of another client that lands between the two runs is overwritten:
// use it for writes that your application may repeat, such as an INCR
// whose result is checked elsewhere, or a SET of a key that only this
// writer changes:
//
//	n, err := c.Idempotent().Incr(ctx, "visits").Result()
//
// The view shares c's connections and costs one small allocation; Close
// on either closes both. Pipelines made from it are not affected (a
// batch is never retried command by command).
func (c *Client) Idempotent() *Client {
	v := new(Client)
	*v = *c // the same pools (and replica pool, for NewFailover)
	v.cmds = cmds{s: idempotentSender{clientSender{v}}}
	return v
}

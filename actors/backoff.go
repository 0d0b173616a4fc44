package actors

import (
	"math/rand/v2"
	"time"
)

// Backoff computes the delay before attempt number attempt (1 for the first
// retry). Implementations must be safe for concurrent use. The same
// Backoff values space the restarts of connection and pubsub actors
// (Config.Backoff) and the retries of commands (RetryPolicy.Backoff).
type Backoff interface {
	Next(attempt int) time.Duration
}

// Defaults of the exponential backoffs' zero fields.
const (
	defaultBackoffBase = 50 * time.Millisecond
	defaultBackoffCap  = 2 * time.Second
)

// backoffBounds applies the zero-field defaults to base and ceil.
func backoffBounds(base, ceil time.Duration) (time.Duration, time.Duration) {
	if base <= 0 {
		base = defaultBackoffBase
	}
	if ceil <= 0 {
		ceil = defaultBackoffCap
	}
	return base, ceil
}

// ceiling returns min(ceil, base·2^(attempt-1)) with the zero-field
// defaults applied, without overflow.
func ceiling(base, ceil time.Duration, attempt int) time.Duration {
	base, ceil = backoffBounds(base, ceil)
	if attempt < 1 {
		attempt = 1
	}
	d := ceil
	if attempt < 31 {
		if e := base << (attempt - 1); e > 0 && e < ceil {
			d = e
		}
	}
	return d
}

// uniform returns a delay uniform in [lo, hi].
func uniform(lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(rand.Int64N(int64(hi-lo)+1))
}

// ExponentialBackoff is exponential backoff with full jitter: the delay is
// uniform in [0, min(Cap, Base·2^(attempt-1))]. Zero Base means 50 ms, zero
// Cap means 2 s. Full jitter spreads the retries of many clients (and of
// the connections of one pool) the most.
type ExponentialBackoff struct {
	Base time.Duration
	Cap  time.Duration
}

// Next returns the delay before attempt.
func (b ExponentialBackoff) Next(attempt int) time.Duration {
	d := ceiling(b.Base, b.Cap, attempt)
	return uniform(0, d)
}

// EqualJitterBackoff is exponential backoff with equal jitter: with
// d = min(Cap, Base·2^(attempt-1)), the delay is uniform in [d/2, d], so it
// never drops below half the exponential step. Zero Base means 50 ms, zero
// Cap means 2 s.
type EqualJitterBackoff struct {
	Base time.Duration
	Cap  time.Duration
}

// Next returns the delay before attempt.
func (b EqualJitterBackoff) Next(attempt int) time.Duration {
	d := ceiling(b.Base, b.Cap, attempt)
	return uniform(d/2, d)
}

// DecorrelatedJitterBackoff is decorrelated jitter without shared state:
// the delay is uniform in [Base, min(Cap, Base·3^attempt)], so each step may
// reach three times the previous ceiling and consecutive delays are not
// tied to each other. (The stateful form, uniform in [Base, 3·previous],
// would mix the sequences of the connections that share one Backoff.)
// Zero Base means 50 ms, zero Cap means 2 s.
type DecorrelatedJitterBackoff struct {
	Base time.Duration
	Cap  time.Duration
}

// Next returns the delay before attempt.
func (b DecorrelatedJitterBackoff) Next(attempt int) time.Duration {
	base, ceil := backoffBounds(b.Base, b.Cap)
	hi := base
	for i := 0; i < max(1, attempt) && hi < ceil; i++ {
		hi *= 3
	}
	return uniform(base, min(hi, ceil))
}

// ConstantBackoff waits Delay before every attempt.
type ConstantBackoff struct {
	Delay time.Duration
}

// Next returns Delay.
func (b ConstantBackoff) Next(int) time.Duration { return max(0, b.Delay) }

// NoBackoff retries at once.
type NoBackoff struct{}

// Next returns 0.
func (NoBackoff) Next(int) time.Duration { return 0 }

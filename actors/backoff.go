package actors

import (
	"math/rand/v2"
	"time"
)

// Backoff computes the delay before attempt number attempt (1 for the first
// retry). Implementations must be safe for concurrent use.
type Backoff interface {
	Next(attempt int) time.Duration
}

// ExponentialBackoff is exponential backoff with full jitter: the delay is
// uniform in [0, min(Cap, Base·2^(attempt-1))]. Zero Base means 50 ms, zero
// Cap means 2 s.
type ExponentialBackoff struct {
	Base time.Duration
	Cap  time.Duration
}

// Next returns the delay before attempt.
func (b ExponentialBackoff) Next(attempt int) time.Duration {
	base, ceiling := b.Base, b.Cap
	if base <= 0 {
		base = 50 * time.Millisecond
	}
	if ceiling <= 0 {
		ceiling = 2 * time.Second
	}
	if attempt < 1 {
		attempt = 1
	}
	d := ceiling
	if attempt < 31 {
		if e := base << (attempt - 1); e > 0 && e < ceiling {
			d = e
		}
	}
	return time.Duration(rand.Int64N(int64(d) + 1))
}

package client

import "github.com/actoredis/actoredis/actors"

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

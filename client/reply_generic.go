package client

import (
	"time"

	"github.com/actoredis/actoredis/resp"
)

// The decoders of the generic group (keys). Like those in reply.go, each
// is a plain function (no closure) and gives the same Go value for a RESP2
// and a RESP3 reply. ScanPage, which SSCAN returns too, is in reply.go.

// ttlFrom reads TTL and PTTL: -2 (no key) is ErrNil, -1 (no expiry) is
// NoExpiry.
func ttlFrom(v resp.Value, unit time.Duration) (time.Duration, error) {
	n, err := v.AsInt64()
	switch {
	case err != nil:
		return 0, err
	case n == -2:
		return 0, ErrNil
	case n == -1:
		return NoExpiry, nil
	case n < 0:
		return 0, unexpected(v, "time.Duration")
	}
	return time.Duration(n) * unit, nil
}

func toTTLSeconds(v resp.Value) (time.Duration, error) { return ttlFrom(v, time.Second) }
func toTTLMillis(v resp.Value) (time.Duration, error)  { return ttlFrom(v, time.Millisecond) }

// unixFrom reads EXPIRETIME and PEXPIRETIME: -2 (no key) is ErrNil, -1 (no
// expiry) is the zero time.Time.
func unixFrom(v resp.Value, millis bool) (time.Time, error) {
	n, err := v.AsInt64()
	switch {
	case err != nil:
		return time.Time{}, err
	case n == -2:
		return time.Time{}, ErrNil
	case n == -1:
		return time.Time{}, nil
	case n < 0:
		return time.Time{}, unexpected(v, "time.Time")
	case millis:
		return time.UnixMilli(n), nil
	}
	return time.Unix(n, 0), nil
}

func toUnixSeconds(v resp.Value) (time.Time, error) { return unixFrom(v, false) }
func toUnixMillis(v resp.Value) (time.Time, error)  { return unixFrom(v, true) }

// toMigrated reads MIGRATE: "OK" is true, "NOKEY" false.
func toMigrated(v resp.Value) (bool, error) {
	s, err := v.AsString()
	switch {
	case err != nil:
		return false, err
	case s == "OK":
		return true, nil
	case s == "NOKEY":
		return false, nil
	}
	return false, unexpected(v, "bool")
}

// toSeconds reads a number of seconds (OBJECT IDLETIME) as a Duration; a
// negative number is returned unscaled.
func toSeconds(v resp.Value) (time.Duration, error) {
	n, err := v.AsInt64()
	if err != nil || n < 0 {
		return time.Duration(n), err
	}
	return time.Duration(n) * time.Second, nil
}

// WaitAOFResult is the reply of WAITAOF: how many append-only files had
// the writes fsynced when it returned.
type WaitAOFResult struct {
	// Local is 1 when the server's own AOF has them, else 0.
	Local int64
	// Replicas is the number of replicas whose AOF has them.
	Replicas int64
}

// toWaitAOF reads WAITAOF: [numlocal, numreplicas].
func toWaitAOF(v resp.Value) (WaitAOFResult, error) {
	ns, err := v.AsInt64s()
	if err != nil {
		return WaitAOFResult{}, err
	}
	if len(ns) != 2 {
		return WaitAOFResult{}, unexpected(v, "WaitAOFResult")
	}
	return WaitAOFResult{Local: ns[0], Replicas: ns[1]}, nil
}

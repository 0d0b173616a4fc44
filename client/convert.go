package client

import (
	"time"

	"github.com/actoredis/actoredis/resp"
)

// Conversions from raw replies to the Go types the command methods return.
// Each is a plain function so a Future holds it without allocating.

func toString(v resp.Value) (string, error) { return v.AsString() }
func toInt64(v resp.Value) (int64, error)   { return v.AsInt64() }
func toFloat64(v resp.Value) (float64, error) {
	return v.AsFloat64()
}
func toBool(v resp.Value) (bool, error)        { return v.AsBool() }
func toStrings(v resp.Value) ([]string, error) { return v.AsStrings() }
func toBytes(v resp.Value) ([]byte, error)     { return v.AsBytes() }

// toStatus accepts a status reply ("OK", "PONG", ...) and returns its text.
func toStatus(v resp.Value) (string, error) { return v.AsString() }

// toOptionalString maps a null reply to ("", nil) for commands where null
// is an ordinary answer the method documents.
func toOptionalString(v resp.Value) (string, error) {
	if v.IsNull() {
		return "", nil
	}
	return v.AsString()
}

// toSeconds is toMilliseconds for replies in seconds.
func toSeconds(v resp.Value) (time.Duration, error) {
	n, err := v.AsInt64()
	if err != nil || n < 0 {
		return time.Duration(n), err
	}
	return time.Duration(n) * time.Second, nil
}

package client

import (
	"strconv"

	"github.com/actoredis/actoredis/resp"
)

// Decoders from raw replies to the Go types the command methods return.
// Each is a plain function so a Future holds it without allocating. This
// file holds the decoders every group uses and the result types returned
// by commands of more than one group (ScanPage, NullString); the others
// live in reply_<group>.go beside the decoders that make them.

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

// unexpected is the error for a reply of the right kind but the wrong
// shape or value.
func unexpected(v resp.Value, want string) error {
	return &resp.TypeError{Kind: v.Kind, Want: want}
}

// ScanPage is one page of a SCAN-family reply: the keys (or members) it
// returned and the cursor to pass for the next page, 0 once the iteration
// is complete.
type ScanPage struct {
	Cursor uint64
	Keys   []string
}

// toScanPage reads [cursor, [key, ...]].
func toScanPage(v resp.Value) (ScanPage, error) {
	n, page, err := scanReply(v, "ScanPage")
	if err != nil {
		return ScanPage{}, err
	}
	keys, err := page.AsStrings()
	if err != nil {
		return ScanPage{}, err
	}
	return ScanPage{Cursor: n, Keys: keys}, nil
}

// scanReply splits a SCAN-family reply, [cursor, page], into the cursor
// and the page's value; want names the result type in an error.
func scanReply(v resp.Value, want string) (uint64, resp.Value, error) {
	elems, err := v.AsValues()
	if err != nil {
		return 0, resp.Value{}, err
	}
	if len(elems) != 2 {
		return 0, resp.Value{}, unexpected(v, want)
	}
	cur, err := elems[0].AsString()
	if err != nil {
		return 0, resp.Value{}, err
	}
	n, err := strconv.ParseUint(cur, 10, 64)
	if err != nil {
		return 0, resp.Value{}, unexpected(elems[0], "cursor")
	}
	return n, elems[1], nil
}

// NullString is a string that may be missing: MGet returns one per key,
// with Valid false where the key does not exist or does not hold a string.
type NullString struct {
	Value string
	Valid bool
}

// toNullStrings reads MGET: a null element is an invalid NullString.
func toNullStrings(v resp.Value) ([]NullString, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]NullString, len(elems))
	for i, e := range elems {
		if e.IsNull() {
			continue
		}
		s, err := e.AsString()
		if err != nil {
			return nil, err
		}
		out[i] = NullString{Value: s, Valid: true}
	}
	return out, nil
}

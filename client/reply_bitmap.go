package client

import "github.com/actoredis/actoredis/resp"

// The result type of the bitmap group and its decoder.

// NullInt64 is an int64 that may be missing: BitField returns one per
// GET, SET and INCRBY, with Valid false where BitOverflowFail stopped an
// operation.
type NullInt64 struct {
	Value int64
	Valid bool
}

// bitmapToNullInt64s reads BITFIELD: integers, null where OVERFLOW FAIL
// stopped an operation.
func bitmapToNullInt64s(v resp.Value) ([]NullInt64, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]NullInt64, len(elems))
	for i, e := range elems {
		if e.IsNull() {
			continue
		}
		n, err := e.AsInt64()
		if err != nil {
			return nil, err
		}
		out[i] = NullInt64{Value: n, Valid: true}
	}
	return out, nil
}

package client

import "github.com/actoredis/actoredis/resp"

// Conversions for the bitmap group.

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

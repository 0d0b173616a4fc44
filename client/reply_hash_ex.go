package client

import "github.com/actoredis/actoredis/resp"

// The decoder of HGETDEL and HGETEX; like the others, it gives the same
// Go value for a RESP2 and a RESP3 reply.

// toStringPtrs reads an array of strings and nulls (HGETDEL, HGETEX): a
// null element is a nil pointer.
func toStringPtrs(v resp.Value) ([]*string, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]*string, len(elems))
	for i, e := range elems {
		if e.IsNull() {
			continue
		}
		s, err := e.AsString()
		if err != nil {
			return nil, err
		}
		out[i] = &s
	}
	return out, nil
}

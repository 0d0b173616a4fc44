package client

import "github.com/actoredis/actoredis/resp"

// The result types of the hash group and their decoders. Each decoder gives
// the same Go value for a RESP2 and a RESP3 reply.

// hashToMap reads HGETALL: a map (RESP3) or a flat array (RESP2).
func hashToMap(v resp.Value) (map[string]string, error) { return v.AsStringMap() }

// HashField is one field of a hash and its value.
type HashField struct {
	Field string
	Value string
}

// hashToFieldNames reads HRANDFIELD with a count: an array of fields.
func hashToFieldNames(v resp.Value) ([]HashField, error) {
	names, err := v.AsStrings()
	if err != nil {
		return nil, err
	}
	out := make([]HashField, len(names))
	for i, n := range names {
		out[i].Field = n
	}
	return out, nil
}

// hashToFields reads field-value pairs in order: a flat array (RESP2
// HRANDFIELD ... WITHVALUES, HSCAN), an array of [field, value] pairs
// (RESP3 HRANDFIELD ... WITHVALUES) or a map.
func hashToFields(v resp.Value) ([]HashField, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	if len(elems) > 0 && (elems[0].Kind == resp.KindArray) {
		out := make([]HashField, len(elems))
		for i, e := range elems {
			pair, err := e.AsStrings()
			if err != nil {
				return nil, err
			}
			if len(pair) != 2 {
				return nil, unexpected(e, "HashField")
			}
			out[i] = HashField{Field: pair[0], Value: pair[1]}
		}
		return out, nil
	}
	if len(elems)%2 != 0 {
		return nil, unexpected(v, "[]HashField")
	}
	strs, err := v.AsStrings()
	if err != nil {
		return nil, err
	}
	out := make([]HashField, len(strs)/2)
	for i := range out {
		out[i] = HashField{Field: strs[2*i], Value: strs[2*i+1]}
	}
	return out, nil
}

// HScanPage is one page of an HSCAN reply: the fields (with their values)
// it returned and the cursor to pass for the next page, 0 once the
// iteration is complete.
type HScanPage struct {
	Cursor uint64
	Fields []HashField
}

// hashToScanPage reads HSCAN: [cursor, [field, value, ...]].
func hashToScanPage(v resp.Value) (HScanPage, error) {
	return hashScanPage(v, hashToFields)
}

// hashToScanPageFields reads HSCAN ... NOVALUES: [cursor, [field, ...]].
func hashToScanPageFields(v resp.Value) (HScanPage, error) {
	return hashScanPage(v, hashToFieldNames)
}

func hashScanPage(v resp.Value, fields func(resp.Value) ([]HashField, error)) (HScanPage, error) {
	n, page, err := scanReply(v, "HScanPage")
	if err != nil {
		return HScanPage{}, err
	}
	fs, err := fields(page)
	if err != nil {
		return HScanPage{}, err
	}
	return HScanPage{Cursor: n, Fields: fs}, nil
}

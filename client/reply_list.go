package client

import "github.com/actoredis/actoredis/resp"

// The result types of the list group and their decoders. Each decoder gives
// the same Go value for a RESP2 and a RESP3 reply.

// KeyValue is one element popped by BLPOP or BRPOP and the key of the
// list it came from.
type KeyValue struct {
	Key   string
	Value string
}

// listToKeyValue reads BLPOP and BRPOP: [key, element]; null (timeout) is
// ErrNil.
func listToKeyValue(v resp.Value) (KeyValue, error) {
	elems, err := v.AsValues()
	if err != nil {
		return KeyValue{}, err
	}
	if len(elems) != 2 {
		return KeyValue{}, unexpected(v, "KeyValue")
	}
	var kv KeyValue
	if kv.Key, err = elems[0].AsString(); err != nil {
		return KeyValue{}, err
	}
	if kv.Value, err = elems[1].AsString(); err != nil {
		return KeyValue{}, err
	}
	return kv, nil
}

// KeyValues are the elements popped by LMPOP or BLMPOP, in the order they
// were popped, and the key of the list they came from.
type KeyValues struct {
	Key    string
	Values []string
}

// listToKeyValues reads LMPOP and BLMPOP: [key, [element, ...]]; null
// (nothing to pop, or a timeout) is ErrNil.
func listToKeyValues(v resp.Value) (KeyValues, error) {
	elems, err := v.AsValues()
	if err != nil {
		return KeyValues{}, err
	}
	if len(elems) != 2 {
		return KeyValues{}, unexpected(v, "KeyValues")
	}
	var kv KeyValues
	if kv.Key, err = elems[0].AsString(); err != nil {
		return KeyValues{}, err
	}
	if kv.Values, err = elems[1].AsStrings(); err != nil {
		return KeyValues{}, err
	}
	return kv, nil
}

// listToPopped reads LPOP and RPOP with a count: an array of elements;
// null (missing key) is ErrNil.
func listToPopped(v resp.Value) ([]string, error) { return v.AsStrings() }

// listToPositions reads LPOS with options: an array of indexes with COUNT,
// else one integer or null (no match), which gives an empty slice.
func listToPositions(v resp.Value) ([]int64, error) {
	switch v.Kind {
	case resp.KindNull:
		return []int64{}, nil
	case resp.KindInteger:
		return []int64{v.Int}, nil
	}
	return v.AsInt64s()
}

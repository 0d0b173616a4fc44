package resp

import (
	"math"
	"strconv"
)

// Conversions turn a reply into a Go value, giving the same result whether
// the server answered in RESP2 or RESP3: a RESP3 double and the RESP2 bulk
// string "1.5" both give 1.5, a RESP3 map and the RESP2 flat array of keys
// and values both give the same map, a RESP3 boolean and the RESP2 integer
// both give true.
//
// Rules shared by every conversion:
//   - an error reply (- or !) gives the zero value and its *Error;
//   - a null reply gives the zero value and ErrNil;
//   - a reply that cannot convert (wrong kind, or text that is not a
//     number) gives the zero value and a *TypeError, matched by
//     errors.Is(err, ErrUnexpectedType);
//   - attributes (Attrs) are ignored.
//
// The slice conversions accept an array, set, push or map (flattened to
// key, value, key, value...). Inside them a null element becomes the zero
// value ("" for AsStrings, 0 for AsInt64s...), and an error element fails
// the whole conversion with its *Error. Use AsValues to tell a null element
// from a zero one.

// failure returns the error for a v that did not convert to want: its
// server error, ErrNil, or a *TypeError.
func (v Value) failure(want string) error {
	switch v.Kind {
	case KindError, KindBulkError:
		return &Error{Message: v.Str}
	case KindNull:
		return ErrNil
	}
	return &TypeError{Kind: v.Kind, Want: want}
}

// AsString converts a simple or bulk string (its text), a verbatim string
// (the text without its format), a big number (its digits), an integer (in
// decimal), a double (the server's text, or the shortest decimal form when
// the Value was built without one) or a boolean ("1" or "0").
func (v Value) AsString() (string, error) {
	switch v.Kind {
	case KindSimpleString, KindBulkString, KindVerbatimString, KindBigNumber:
		return v.Str, nil
	case KindInteger:
		return strconv.FormatInt(v.Int, 10), nil
	case KindDouble:
		if v.Str != "" {
			return v.Str, nil
		}
		return string(appendDouble(nil, v.Float())), nil
	case KindBoolean:
		if v.Int != 0 {
			return "1", nil
		}
		return "0", nil
	}
	return "", v.failure("string")
}

// AsBytes is AsString returning a new byte slice.
func (v Value) AsBytes() ([]byte, error) {
	s, err := v.AsString()
	if err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// AsInt64 converts an integer, a boolean (1 or 0), a simple, bulk or
// verbatim string or big number holding a decimal int64, or a double with
// an integral value within int64.
func (v Value) AsInt64() (int64, error) {
	switch v.Kind {
	case KindInteger, KindBoolean:
		return v.Int, nil
	case KindSimpleString, KindBulkString, KindVerbatimString, KindBigNumber:
		if n, err := strconv.ParseInt(v.Str, 10, 64); err == nil {
			return n, nil
		}
	case KindDouble:
		if f := v.Float(); f == math.Trunc(f) && f >= -(1<<63) && f < 1<<63 {
			return int64(f), nil
		}
	}
	return 0, v.failure("int64")
}

// AsFloat64 converts a double, an integer, a boolean (1 or 0), or a
// simple, bulk or verbatim string or big number holding a number, "inf",
// "+inf", "-inf" or "nan" (any case), as Redis writes scores in RESP2.
func (v Value) AsFloat64() (float64, error) {
	switch v.Kind {
	case KindDouble:
		return v.Float(), nil
	case KindInteger, KindBoolean:
		return float64(v.Int), nil
	case KindSimpleString, KindBulkString, KindVerbatimString, KindBigNumber:
		if f, err := strconv.ParseFloat(v.Str, 64); err == nil {
			return f, nil
		}
	}
	return 0, v.failure("float64")
}

// AsBool converts a boolean, the integer 1 or 0 (RESP2's form of a
// boolean), or the simple string "OK" (true).
func (v Value) AsBool() (bool, error) {
	switch v.Kind {
	case KindBoolean:
		return v.Int != 0, nil
	case KindInteger:
		if v.Int == 0 || v.Int == 1 {
			return v.Int == 1, nil
		}
	case KindSimpleString:
		if v.Str == "OK" {
			return true, nil
		}
	}
	return false, v.failure("bool")
}

// AsValues returns the elements of an array, set or push, or the keys and
// values of a map (k0, v0, k1, v1, ...). The slice is v.Elems itself, not
// a copy.
func (v Value) AsValues() ([]Value, error) {
	switch v.Kind {
	case KindArray, KindSet, KindPush, KindMap:
		return v.Elems, nil
	}
	return nil, v.failure("[]Value")
}

// AsPairs returns the keys and values (k0, v0, k1, v1, ...) of a RESP3 map,
// or of a RESP2 array of even length (HGETALL, CONFIG GET), as one slice,
// v.Elems itself.
func (v Value) AsPairs() ([]Value, error) {
	switch v.Kind {
	case KindMap:
		return v.Elems, nil
	case KindArray:
		if len(v.Elems)%2 == 0 {
			return v.Elems, nil
		}
	}
	return nil, v.failure("pairs")
}

// AsStrings converts each element with AsString.
func (v Value) AsStrings() ([]string, error) {
	return convertElems(v, "[]string", Value.AsString)
}

// AsInt64s converts each element with AsInt64.
func (v Value) AsInt64s() ([]int64, error) {
	return convertElems(v, "[]int64", Value.AsInt64)
}

// AsFloat64s converts each element with AsFloat64.
func (v Value) AsFloat64s() ([]float64, error) {
	return convertElems(v, "[]float64", Value.AsFloat64)
}

// AsBools converts each element with AsBool.
func (v Value) AsBools() ([]bool, error) {
	return convertElems(v, "[]bool", Value.AsBool)
}

// AsStringMap converts a map, or a RESP2 array of even length, to a Go map
// with AsString applied to keys and values (a null becomes ""). A key seen
// twice keeps its last value.
func (v Value) AsStringMap() (map[string]string, error) {
	pairs, err := v.AsPairs()
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		k, err := elemString(pairs[i])
		if err != nil {
			return nil, err
		}
		val, err := elemString(pairs[i+1])
		if err != nil {
			return nil, err
		}
		m[k] = val
	}
	return m, nil
}

// AsMap converts a map, or a RESP2 array of even length, to a Go map with
// AsString applied to the keys (a null key becomes ""); the values stay
// Values. A key seen twice keeps its last value.
func (v Value) AsMap() (map[string]Value, error) {
	pairs, err := v.AsPairs()
	if err != nil {
		return nil, err
	}
	m := make(map[string]Value, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		k, err := elemString(pairs[i])
		if err != nil {
			return nil, err
		}
		m[k] = pairs[i+1]
	}
	return m, nil
}

func elemString(e Value) (string, error) {
	if e.Kind == KindNull {
		return "", nil
	}
	return e.AsString()
}

// convertElems applies one to every element of an aggregate, a null element
// giving the zero T.
func convertElems[T any](v Value, want string, one func(Value) (T, error)) ([]T, error) {
	elems, err := v.AsValues()
	if err != nil {
		if _, ok := err.(*TypeError); ok {
			return nil, &TypeError{Kind: v.Kind, Want: want}
		}
		return nil, err
	}
	out := make([]T, len(elems))
	for i, e := range elems {
		if e.Kind == KindNull {
			continue
		}
		if out[i], err = one(e); err != nil {
			return nil, err
		}
	}
	return out, nil
}

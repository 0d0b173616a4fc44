package resp

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each case is one reply as Redis sends it to a RESP2 and to a RESP3
// client; every conversion must give the same result for both.
var protocolPairs = []struct {
	name         string
	resp2, resp3 string
}{
	{"ZSCORE", "$3\r\n1.5\r\n", ",1.5\r\n"},
	{"ZSCORE integral", "$1\r\n3\r\n", ",3\r\n"},
	{"ZSCORE inf", "$3\r\ninf\r\n", ",inf\r\n"},
	{"ZSCORE -inf", "$4\r\n-inf\r\n", ",-inf\r\n"},
	{"missing key", "$-1\r\n", "_\r\n"},
	{"missing array", "*-1\r\n", "_\r\n"},
	{"boolean true", ":1\r\n", "#t\r\n"},
	{"boolean false", ":0\r\n", "#f\r\n"},
	{"verbatim", "$5\r\nhello\r\n", "=9\r\ntxt:hello\r\n"},
	{"big number", "$20\r\n12345678901234567890\r\n", "(12345678901234567890\r\n"},
	{"big number small", "$2\r\n42\r\n", "(42\r\n"},
	{"HGETALL", "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", "%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"},
	{"HGETALL empty", "*0\r\n", "%0\r\n"},
	{"SMEMBERS", "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "~2\r\n$1\r\na\r\n$1\r\nb\r\n"},
	{"ZMSCORE", "*2\r\n$3\r\n1.5\r\n$-1\r\n", "*2\r\n,1.5\r\n_\r\n"},
	{"SMISMEMBER", "*2\r\n:1\r\n:0\r\n", "*2\r\n:1\r\n:0\r\n"},
	{"bulk error", "-SYNTAX bad\r\n", "!10\r\nSYNTAX bad\r\n"},
	{"attribute ignored", "+OK\r\n", "|1\r\n+a\r\n+b\r\n+OK\r\n"},
	{"pubsub message", "*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$2\r\nhi\r\n", ">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$2\r\nhi\r\n"},
}

type conversionResult struct {
	Value any
	Err   string
}

func result[T any](v T, err error) conversionResult {
	if err != nil {
		return conversionResult{Err: err.Error()}
	}
	return conversionResult{Value: v}
}

func allConversions(v Value) map[string]conversionResult {
	return map[string]conversionResult{
		"AsString":    result(v.AsString()),
		"AsBytes":     result(v.AsBytes()),
		"AsInt64":     result(v.AsInt64()),
		"AsFloat64":   result(v.AsFloat64()),
		"AsBool":      result(v.AsBool()),
		"AsStrings":   result(v.AsStrings()),
		"AsInt64s":    result(v.AsInt64s()),
		"AsFloat64s":  result(v.AsFloat64s()),
		"AsBools":     result(v.AsBools()),
		"AsStringMap": result(v.AsStringMap()),
	}
}

func TestConversionsAgreeAcrossProtocols(t *testing.T) {
	for _, tc := range protocolPairs {
		t.Run(tc.name, func(t *testing.T) {
			v2, v3 := decodeOne(t, tc.resp2), decodeOne(t, tc.resp3)
			r2, r3 := allConversions(v2), allConversions(v3)
			for name := range r2 {
				if r3[name].Err != "" {
					// The RESP2 form may accept more: a flat array of
					// strings converts to a map where a RESP3 set does not.
					continue
				}
				assert.Equal(t, r3[name], r2[name], name)
			}
			if m3, err := v3.AsMap(); err == nil {
				m2, err := v2.AsMap()
				require.NoError(t, err)
				assert.Equal(t, len(m3), len(m2))
			}
		})
	}
}

func TestConversions(t *testing.T) {
	v := decodeOne(t, "%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n_\r\n")
	m, err := v.AsStringMap()
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"a": "1", "b": ""}, m)
	vm, err := v.AsMap()
	require.NoError(t, err)
	assert.Equal(t, map[string]Value{"a": bulk("1"), "b": null()}, vm)
	pairs, err := v.AsPairs()
	require.NoError(t, err)
	assert.Len(t, pairs, 4)
	s, err := v.AsStrings()
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "1", "b", ""}, s)

	f, err := decodeOne(t, "$3\r\ninf\r\n").AsFloat64()
	require.NoError(t, err)
	assert.True(t, math.IsInf(f, 1))
	f, err = decodeOne(t, "+nan\r\n").AsFloat64()
	require.NoError(t, err)
	assert.True(t, math.IsNaN(f))
	f, err = decodeOne(t, "$4\r\n+inf\r\n").AsFloat64()
	require.NoError(t, err)
	assert.True(t, math.IsInf(f, 1))

	ok, err := decodeOne(t, "+OK\r\n").AsBool()
	require.NoError(t, err)
	assert.True(t, ok)

	n, err := decodeOne(t, ",-3\r\n").AsInt64()
	require.NoError(t, err)
	assert.Equal(t, int64(-3), n)
	n, err = decodeOne(t, "+17\r\n").AsInt64()
	require.NoError(t, err)
	assert.Equal(t, int64(17), n)

	str, err := decodeOne(t, ":-17\r\n").AsString()
	require.NoError(t, err)
	assert.Equal(t, "-17", str)
	str, err = Double(0.25, "").AsString()
	require.NoError(t, err)
	assert.Equal(t, "0.25", str)
	str, err = Double(math.Inf(-1), "").AsString()
	require.NoError(t, err)
	assert.Equal(t, "-inf", str)

	b, err := decodeOne(t, "$2\r\nhi\r\n").AsBytes()
	require.NoError(t, err)
	assert.Equal(t, []byte("hi"), b)

	vals, err := decodeOne(t, "~1\r\n:1\r\n").AsValues()
	require.NoError(t, err)
	assert.Equal(t, []Value{integer(1)}, vals)

	bools, err := decodeOne(t, "*3\r\n#t\r\n:0\r\n_\r\n").AsBools()
	require.NoError(t, err)
	assert.Equal(t, []bool{true, false, false}, bools)

	ints, err := decodeOne(t, "*3\r\n:1\r\n$2\r\n-2\r\n_\r\n").AsInt64s()
	require.NoError(t, err)
	assert.Equal(t, []int64{1, -2, 0}, ints)

	floats, err := decodeOne(t, "*0\r\n").AsFloat64s()
	require.NoError(t, err)
	assert.Equal(t, []float64{}, floats)
}

func TestConversionErrors(t *testing.T) {
	errReply := decodeOne(t, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
	nullReply := decodeOne(t, "_\r\n")
	conversions := map[string]func(Value) error{
		"AsString":    func(v Value) error { _, err := v.AsString(); return err },
		"AsBytes":     func(v Value) error { _, err := v.AsBytes(); return err },
		"AsInt64":     func(v Value) error { _, err := v.AsInt64(); return err },
		"AsFloat64":   func(v Value) error { _, err := v.AsFloat64(); return err },
		"AsBool":      func(v Value) error { _, err := v.AsBool(); return err },
		"AsStrings":   func(v Value) error { _, err := v.AsStrings(); return err },
		"AsInt64s":    func(v Value) error { _, err := v.AsInt64s(); return err },
		"AsFloat64s":  func(v Value) error { _, err := v.AsFloat64s(); return err },
		"AsBools":     func(v Value) error { _, err := v.AsBools(); return err },
		"AsValues":    func(v Value) error { _, err := v.AsValues(); return err },
		"AsPairs":     func(v Value) error { _, err := v.AsPairs(); return err },
		"AsStringMap": func(v Value) error { _, err := v.AsStringMap(); return err },
		"AsMap":       func(v Value) error { _, err := v.AsMap(); return err },
	}
	for name, conv := range conversions {
		t.Run(name, func(t *testing.T) {
			var se *Error
			require.ErrorAs(t, conv(errReply), &se)
			assert.Equal(t, "WRONGTYPE", se.Prefix())
			require.ErrorAs(t, conv(Value{Kind: KindBulkError, Str: "ERR x"}), &se)
			assert.Same(t, ErrNil, conv(nullReply))
			var te *TypeError
			require.ErrorAs(t, conv(Value{Kind: KindInvalid}), &te)
			assert.ErrorIs(t, conv(Value{Kind: KindInvalid}), ErrUnexpectedType)
		})
	}

	typeErrors := []struct {
		name string
		err  error
		kind Kind
		want string
	}{
		{"string of array", second(decodeOne(t, "*0\r\n").AsString()), KindArray, "string"},
		{"int of text", second(decodeOne(t, "$2\r\nab\r\n").AsInt64()), KindBulkString, "int64"},
		{"int of fraction", second(decodeOne(t, ",1.5\r\n").AsInt64()), KindDouble, "int64"},
		{"int of huge double", second(decodeOne(t, ",1e19\r\n").AsInt64()), KindDouble, "int64"},
		{"int of inf", second(decodeOne(t, ",inf\r\n").AsInt64()), KindDouble, "int64"},
		{"int of huge big number", second(decodeOne(t, "(99999999999999999999\r\n").AsInt64()), KindBigNumber, "int64"},
		{"float of text", second(decodeOne(t, "$1\r\nx\r\n").AsFloat64()), KindBulkString, "float64"},
		{"float of array", second(decodeOne(t, "*0\r\n").AsFloat64()), KindArray, "float64"},
		{"bool of 2", second(decodeOne(t, ":2\r\n").AsBool()), KindInteger, "bool"},
		{"bool of other text", second(decodeOne(t, "+QUEUED\r\n").AsBool()), KindSimpleString, "bool"},
		{"strings of scalar", second(decodeOne(t, "+OK\r\n").AsStrings()), KindSimpleString, "[]string"},
		{"strings of nested", second(decodeOne(t, "*1\r\n*0\r\n").AsStrings()), KindArray, "string"},
		{"ints of text", second(decodeOne(t, "*1\r\n+a\r\n").AsInt64s()), KindSimpleString, "int64"},
		{"pairs of odd array", second(decodeOne(t, "*1\r\n+a\r\n").AsPairs()), KindArray, "pairs"},
		{"pairs of set", second(decodeOne(t, "~0\r\n").AsPairs()), KindSet, "pairs"},
		{"map key aggregate", second(Value{Kind: KindArray, Elems: []Value{array(), bulk("v")}}.AsStringMap()), KindArray, "string"},
		{"map value aggregate", second(Value{Kind: KindArray, Elems: []Value{bulk("k"), array()}}.AsStringMap()), KindArray, "string"},
	}
	for _, tc := range typeErrors {
		var te *TypeError
		require.ErrorAs(t, tc.err, &te, tc.name)
		assert.Equal(t, tc.kind, te.Kind, tc.name)
		assert.Equal(t, tc.want, te.Want, tc.name)
		assert.True(t, errors.Is(tc.err, ErrUnexpectedType), tc.name)
	}
	assert.Equal(t, "actoredis: cannot convert array reply to string", (&TypeError{Kind: KindArray, Want: "string"}).Error())

	// An error element fails a slice conversion with its *Error.
	_, err := decodeOne(t, "*2\r\n:1\r\n-ERR boom\r\n").AsInt64s()
	var se *Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "ERR boom", se.Message)
}

func second[T any](_ T, err error) error { return err }

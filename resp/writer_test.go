package resp

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type marshaler struct {
	b   []byte
	err error
}

func (m marshaler) MarshalBinary() ([]byte, error) { return m.b, m.err }

func TestAppendArg(t *testing.T) {
	cases := []struct {
		name string
		arg  any
		want string
	}{
		{"string", "hello", "$5\r\nhello\r\n"},
		{"empty string", "", "$0\r\n\r\n"},
		{"bytes", []byte("a\r\nb"), "$4\r\na\r\nb\r\n"},
		{"nil bytes", []byte(nil), "$0\r\n\r\n"},
		{"int", int(-12), "$3\r\n-12\r\n"},
		{"int8", int8(math.MinInt8), "$4\r\n-128\r\n"},
		{"int16", int16(math.MaxInt16), "$5\r\n32767\r\n"},
		{"int32", int32(math.MinInt32), "$11\r\n-2147483648\r\n"},
		{"int64", int64(math.MinInt64), "$20\r\n-9223372036854775808\r\n"},
		{"uint", uint(7), "$1\r\n7\r\n"},
		{"uint8", uint8(255), "$3\r\n255\r\n"},
		{"uint16", uint16(65535), "$5\r\n65535\r\n"},
		{"uint32", uint32(math.MaxUint32), "$10\r\n4294967295\r\n"},
		{"uint64", uint64(math.MaxUint64), "$20\r\n18446744073709551615\r\n"},
		{"float32", float32(1.5), "$3\r\n1.5\r\n"},
		{"float64", 3.25, "$4\r\n3.25\r\n"},
		{"float64 tiny", 0.0001, "$6\r\n0.0001\r\n"},
		{"float64 +inf", math.Inf(1), "$4\r\n+inf\r\n"},
		{"float64 -inf", math.Inf(-1), "$4\r\n-inf\r\n"},
		{"true", true, "$1\r\n1\r\n"},
		{"false", false, "$1\r\n0\r\n"},
		{"duration", 1500 * time.Millisecond, "$4\r\n1500\r\n"},
		{"time", time.Unix(1700000000, 999), "$10\r\n1700000000\r\n"},
		{"nil", nil, "$0\r\n\r\n"},
		{"binary marshaler", marshaler{b: []byte("bin")}, "$3\r\nbin\r\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := AppendArg([]byte("prefix"), 0, tc.arg)
			require.NoError(t, err)
			assert.Equal(t, "prefix"+tc.want, string(got))
			v := decodeOne(t, tc.want)
			assert.Equal(t, KindBulkString, v.Kind)
		})
	}
}

func TestAppendArgNamedTypes(t *testing.T) {
	type (
		id    string
		score float64
		count uint16
		flag  bool
		blob  []byte
		level int8
	)
	for _, tc := range []struct {
		arg  any
		want string
	}{
		{id("x"), "$1\r\nx\r\n"},
		{score(1.5), "$3\r\n1.5\r\n"},
		{count(7), "$1\r\n7\r\n"},
		{flag(true), "$1\r\n1\r\n"},
		{blob("ab"), "$2\r\nab\r\n"},
		{level(-3), "$2\r\n-3\r\n"},
	} {
		got, err := AppendArg(nil, 0, tc.arg)
		require.NoError(t, err)
		assert.Equal(t, tc.want, string(got))
	}
}

func TestAppendArgRefused(t *testing.T) {
	for _, arg := range []any{struct{}{}, []int{1}, map[string]string{}, make(chan int), new(int), complex(1, 2)} {
		got, err := AppendArg([]byte("keep"), 3, arg)
		assert.Equal(t, "keep", string(got))
		require.ErrorIs(t, err, ErrUnsupportedArg)
		var ae *ArgError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, 3, ae.Index)
		assert.NotEmpty(t, ae.Type)
		assert.Contains(t, err.Error(), "argument 3 has unsupported type "+ae.Type)
	}

	boom := errors.New("boom")
	got, err := AppendArg([]byte("keep"), 0, marshaler{err: boom})
	assert.Same(t, boom, err)
	assert.Equal(t, "keep", string(got))
}

func TestAppendCommand(t *testing.T) {
	got, err := AppendCommand([]byte("x"), "SET", "k", 1, 2.5)
	require.NoError(t, err)
	assert.Equal(t, "x*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n1\r\n$3\r\n2.5\r\n", string(got))

	got, err = AppendCommand([]byte("x"), "SET", "k", struct{}{})
	assert.Equal(t, "x", string(got), "nothing partial is written")
	var ae *ArgError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 2, ae.Index)
	assert.Equal(t, "struct {}", ae.Type)

	got, err = AppendCommand(nil)
	require.NoError(t, err)
	assert.Equal(t, "*0\r\n", string(got))
}

func TestAppendHelpers(t *testing.T) {
	assert.Equal(t, "*3\r\n", string(AppendArrayHeader(nil, 3)))
	assert.Equal(t, "$2\r\nab\r\n", string(AppendBulkString(nil, "ab")))
	assert.Equal(t, "$2\r\nab\r\n", string(AppendBulk(nil, []byte("ab"))))
	assert.Equal(t, "$2\r\n-1\r\n", string(AppendBulkInt(nil, -1)))
	assert.Equal(t, "$20\r\n18446744073709551615\r\n", string(AppendBulkUint(nil, math.MaxUint64)))
	assert.Equal(t, "$3\r\n0.5\r\n", string(AppendBulkFloat(nil, 0.5)))
}

func TestAppendCommandAllocations(t *testing.T) {
	buf := make([]byte, 0, 256)
	allocs := testing.AllocsPerRun(1000, func() {
		buf = AppendArrayHeader(buf[:0], 3)
		buf = AppendBulkString(buf, "SET")
		buf = AppendBulkString(buf, "key")
		buf = AppendBulkInt(buf, 42)
	})
	assert.Zero(t, allocs)
}

var appendValueCases = []struct {
	name  string
	v     Value
	resp3 string
	resp2 string
}{
	{"simple", simple("OK"), "+OK\r\n", "+OK\r\n"},
	{"simple with CRLF", simple("a\r\nb"), "$4\r\na\r\nb\r\n", "$4\r\na\r\nb\r\n"},
	{"error", Value{Kind: KindError, Str: "ERR x"}, "-ERR x\r\n", "-ERR x\r\n"},
	{"error with CRLF", Value{Kind: KindError, Str: "ERR a\r\nb"}, "!8\r\nERR a\r\nb\r\n", "-ERR a  b\r\n"},
	{"integer", integer(-5), ":-5\r\n", ":-5\r\n"},
	{"bulk", bulk("hi"), "$2\r\nhi\r\n", "$2\r\nhi\r\n"},
	{"bulk error", Value{Kind: KindBulkError, Str: "SYNTAX x"}, "!8\r\nSYNTAX x\r\n", "-SYNTAX x\r\n"},
	{"verbatim", Verbatim("mkd", "# hi"), "=8\r\nmkd:# hi\r\n", "$4\r\n# hi\r\n"},
	{"verbatim bad format", Verbatim("x", "t"), "=5\r\ntxt:t\r\n", "$1\r\nt\r\n"},
	{"double", Double(1.5, "1.50"), ",1.5\r\n", "$3\r\n1.5\r\n"},
	{"double exponent", Double(1e300, ""), ",1e+300\r\n", "$6\r\n1e+300\r\n"},
	{"double inf", Double(math.Inf(1), ""), ",inf\r\n", "$3\r\ninf\r\n"},
	{"double -inf", Double(math.Inf(-1), ""), ",-inf\r\n", "$4\r\n-inf\r\n"},
	{"double nan", Double(math.NaN(), ""), ",nan\r\n", "$3\r\nnan\r\n"},
	{"big number", Value{Kind: KindBigNumber, Str: "-123456789012345678901234567890"}, "(-123456789012345678901234567890\r\n", "$31\r\n-123456789012345678901234567890\r\n"},
	{"true", Value{Kind: KindBoolean, Int: 1}, "#t\r\n", ":1\r\n"},
	{"false", Value{Kind: KindBoolean}, "#f\r\n", ":0\r\n"},
	{"null", null(), "_\r\n", "$-1\r\n"},
	{"zero value", Value{}, "_\r\n", "$-1\r\n"},
	{"array", array(integer(1), null()), "*2\r\n:1\r\n_\r\n", "*2\r\n:1\r\n$-1\r\n"},
	{"array nil elems", Value{Kind: KindArray}, "*0\r\n", "*0\r\n"},
	{"set", setOf(simple("a")), "~1\r\n+a\r\n", "*1\r\n+a\r\n"},
	{"push", push(simple("message"), bulk("c")), ">2\r\n+message\r\n$1\r\nc\r\n", "*2\r\n+message\r\n$1\r\nc\r\n"},
	{"map", mapOf(simple("k"), Value{Kind: KindBoolean, Int: 1}), "%1\r\n+k\r\n#t\r\n", "*2\r\n+k\r\n:1\r\n"},
	{"map odd", mapOf(simple("k")), "%1\r\n+k\r\n_\r\n", "*2\r\n+k\r\n$-1\r\n"},
	{"attributes", withAttrs(simple("OK"), simple("ttl"), integer(3)), "|1\r\n+ttl\r\n:3\r\n+OK\r\n", "+OK\r\n"},
	{"nested attributes", array(withAttrs(integer(1), simple("a"), withAttrs(null(), simple("b"), simple("c")))),
		"*1\r\n|1\r\n+a\r\n|1\r\n+b\r\n+c\r\n_\r\n:1\r\n", "*1\r\n:1\r\n"},
}

func TestAppendValue(t *testing.T) {
	for _, tc := range appendValueCases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, "pre"+tc.resp3, string(AppendValue([]byte("pre"), tc.v)))
			assert.Equal(t, "pre"+tc.resp2, string(AppendValue2([]byte("pre"), tc.v)))
			for _, wire := range []string{tc.resp3, tc.resp2} {
				_, err := decodeAll(strings.NewReader(wire), Limits{})
				assert.ErrorIs(t, err, io.EOF, "%q decodes", wire)
			}
		})
	}
}

func TestAppendValueRoundTripsEveryDecodedCase(t *testing.T) {
	for _, tc := range validCases {
		got := decodeOne(t, string(AppendValue(nil, tc.want)))
		assert.True(t, equalValues(tc.want, got, true), "%s: %+v", tc.name, got)
	}
}

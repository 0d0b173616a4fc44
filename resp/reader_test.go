package resp

import (
	"bytes"
	"errors"
	"io"
	"math"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Shorthands for expected values.
func simple(s string) Value  { return Value{Kind: KindSimpleString, Str: s} }
func bulk(s string) Value    { return Value{Kind: KindBulkString, Str: s} }
func integer(i int64) Value  { return Value{Kind: KindInteger, Int: i} }
func null() Value            { return Value{Kind: KindNull} }
func array(e ...Value) Value { return Value{Kind: KindArray, Elems: elems(e)} }
func mapOf(e ...Value) Value { return Value{Kind: KindMap, Elems: elems(e)} }
func setOf(e ...Value) Value { return Value{Kind: KindSet, Elems: elems(e)} }
func push(e ...Value) Value  { return Value{Kind: KindPush, Elems: elems(e)} }
func withAttrs(v Value, kv ...Value) Value {
	a := mapOf(kv...)
	v.Attrs = &a
	return v
}

func elems(e []Value) []Value {
	if e == nil {
		return []Value{}
	}
	return e
}

// decodeAll decodes values from rd until an error and returns them with
// that error (io.EOF for a clean end).
func decodeAll(rd io.Reader, lim Limits) ([]Value, error) {
	return readAll(NewReader(rd, lim))
}

func readAll(r *Reader) ([]Value, error) {
	var out []Value
	for {
		v, err := r.ReadValue()
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
}

func decodeOne(t *testing.T, in string) Value {
	t.Helper()
	vs, err := decodeAll(strings.NewReader(in), Limits{})
	require.ErrorIs(t, err, io.EOF)
	require.Len(t, vs, 1)
	return vs[0]
}

var validCases = []struct {
	name string
	in   string
	want Value
}{
	{"simple", "+OK\r\n", simple("OK")},
	{"simple empty", "+\r\n", simple("")},
	{"simple other", "+hello world\r\n", simple("hello world")},
	{"error", "-ERR unknown command\r\n", Value{Kind: KindError, Str: "ERR unknown command"}},
	{"integer", ":1000\r\n", integer(1000)},
	{"integer plus", ":+7\r\n", integer(7)},
	{"integer negative", ":-42\r\n", integer(-42)},
	{"integer max", ":9223372036854775807\r\n", integer(math.MaxInt64)},
	{"integer min", ":-9223372036854775808\r\n", integer(math.MinInt64)},
	{"bulk", "$5\r\nhello\r\n", bulk("hello")},
	{"bulk empty", "$0\r\n\r\n", bulk("")},
	{"bulk binary", "$4\r\na\r\nb\r\n", bulk("a\r\nb")},
	{"bulk null", "$-1\r\n", null()},
	{"array null", "*-1\r\n", null()},
	{"null", "_\r\n", null()},
	{"array", "*2\r\n$1\r\na\r\n:1\r\n", array(bulk("a"), integer(1))},
	{"array empty", "*0\r\n", array()},
	{"array with nulls", "*3\r\n$-1\r\n*-1\r\n_\r\n", array(null(), null(), null())},
	{"map", "%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n", mapOf(simple("a"), integer(1), simple("b"), integer(2))},
	{"map empty", "%0\r\n", mapOf()},
	{"map null key", "%1\r\n_\r\n+v\r\n", mapOf(null(), simple("v"))},
	{"map aggregate value", "%1\r\n+k\r\n*1\r\n:1\r\n", mapOf(simple("k"), array(integer(1)))},
	{"set", "~2\r\n+a\r\n+b\r\n", setOf(simple("a"), simple("b"))},
	{"double", ",1.5\r\n", Double(1.5, "1.5")},
	{"double integral", ",10\r\n", Double(10, "10")},
	{"double exponent", ",1.5e10\r\n", Double(1.5e10, "1.5e10")},
	{"double negative exponent", ",-2E-3\r\n", Double(-2e-3, "-2E-3")},
	{"double inf", ",inf\r\n", Double(math.Inf(1), "inf")},
	{"double plus inf", ",+inf\r\n", Double(math.Inf(1), "+inf")},
	{"double minus inf", ",-inf\r\n", Double(math.Inf(-1), "-inf")},
	{"double out of range", ",1e400\r\n", Double(math.Inf(1), "1e400")},
	{"big number", "(3492890328409238509324850943850943825024385\r\n", Value{Kind: KindBigNumber, Str: "3492890328409238509324850943850943825024385"}},
	{"big number negative", "(-12\r\n", Value{Kind: KindBigNumber, Str: "-12"}},
	{"true", "#t\r\n", Value{Kind: KindBoolean, Int: 1}},
	{"false", "#f\r\n", Value{Kind: KindBoolean, Int: 0}},
	{"verbatim", "=15\r\ntxt:Some string\r\n", Verbatim("txt", "Some string")},
	{"verbatim empty text", "=4\r\nmkd:\r\n", Verbatim("mkd", "")},
	{"bulk error", "!21\r\nSYNTAX invalid syntax\r\n", Value{Kind: KindBulkError, Str: "SYNTAX invalid syntax"}},
	{"push", ">3\r\n+message\r\n+chan\r\n$2\r\nhi\r\n", push(simple("message"), simple("chan"), bulk("hi"))},
	{"push empty", ">0\r\n", push()},
	{"nested", "*2\r\n*2\r\n:1\r\n*0\r\n%1\r\n+k\r\n~1\r\n+v\r\n",
		array(array(integer(1), array()), mapOf(simple("k"), setOf(simple("v"))))},
	{"attribute on scalar", "|1\r\n+ttl\r\n:3600\r\n+OK\r\n", withAttrs(simple("OK"), simple("ttl"), integer(3600))},
	{"attribute on aggregate", "|1\r\n+a\r\n+b\r\n*1\r\n:1\r\n", withAttrs(array(integer(1)), simple("a"), simple("b"))},
	{"attribute inside aggregate", "*2\r\n:1\r\n|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.1923\r\n:2\r\n",
		array(integer(1), withAttrs(integer(2), simple("key-popularity"),
			mapOf(bulk("a"), Double(0.1923, "0.1923"))))},
	{"attribute empty", "|0\r\n:5\r\n", withAttrs(integer(5))},
	{"attributes merged", "|1\r\n+a\r\n:1\r\n|1\r\n+b\r\n:2\r\n_\r\n", withAttrs(null(), simple("a"), integer(1), simple("b"), integer(2))},
	{"attribute on map key", "%1\r\n|1\r\n+x\r\n+y\r\n+k\r\n+v\r\n", mapOf(withAttrs(simple("k"), simple("x"), simple("y")), simple("v"))},
	{"attribute in attribute", "|1\r\n|1\r\n+x\r\n+y\r\n+k\r\n+v\r\n:1\r\n", withAttrs(integer(1), withAttrs(simple("k"), simple("x"), simple("y")), simple("v"))},
	{"attribute on push", "|1\r\n+a\r\n+b\r\n>1\r\n+m\r\n", withAttrs(push(simple("m")), simple("a"), simple("b"))},
}

func TestReadValueEveryType(t *testing.T) {
	for _, tc := range validCases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, decodeOne(t, tc.in))
		})
	}
}

func TestReadValueNaN(t *testing.T) {
	for _, in := range []string{",nan\r\n", ",NaN\r\n"} {
		v := decodeOne(t, in)
		assert.Equal(t, KindDouble, v.Kind)
		assert.True(t, math.IsNaN(v.Float()))
		assert.Equal(t, in[1:len(in)-2], v.Str)
	}
}

func TestReadValueStream(t *testing.T) {
	// Every valid case back to back, then a push between two replies.
	var in strings.Builder
	var want []Value
	for _, tc := range validCases {
		in.WriteString(tc.in)
		want = append(want, tc.want)
	}
	in.WriteString(">2\r\n+invalidate\r\n*1\r\n$1\r\nk\r\n:1\r\n")
	want = append(want, push(simple("invalidate"), array(bulk("k"))), integer(1))
	got, err := decodeAll(strings.NewReader(in.String()), Limits{})
	require.ErrorIs(t, err, io.EOF)
	assert.Equal(t, want, got)
}

var malformedCases = []struct {
	name string
	in   string
	lim  Limits
	want error // ErrProtocol or io.ErrUnexpectedEOF
}{
	{"bad type byte", "?x\r\n", Limits{}, ErrProtocol},
	{"inline text", "PING\r\n", Limits{}, ErrProtocol},
	{"empty line", "\r\n", Limits{}, ErrProtocol},
	{"bare LF", "\n", Limits{}, ErrProtocol},
	{"missing CR", "+OK\n", Limits{}, ErrProtocol},
	{"missing CR in header", "$2\nab\r\n", Limits{}, ErrProtocol},
	{"missing LF", "+OK\r", Limits{}, io.ErrUnexpectedEOF},
	{"CR inside simple string", "+O\rK\r\n", Limits{}, ErrProtocol},
	{"CR inside error", "-E\rR\r\n", Limits{}, ErrProtocol},
	{"LF inside simple string", "+a\nb\r\n", Limits{}, ErrProtocol},
	{"bulk wrong terminator", "$3\r\nabcXY", Limits{}, ErrProtocol},
	{"bulk LF only", "$3\r\nabc\n", Limits{}, io.ErrUnexpectedEOF},
	{"bulk LF only then more", "$3\r\nabc\n+OK\r\n", Limits{}, ErrProtocol},
	{"bulk too short", "$5\r\nabc\r\n", Limits{}, io.ErrUnexpectedEOF},
	{"bulk too long", "$2\r\nabc\r\n", Limits{}, ErrProtocol},
	{"bulk length letters", "$abc\r\n", Limits{}, ErrProtocol},
	{"bulk length empty", "$\r\n", Limits{}, ErrProtocol},
	{"bulk length plus", "$+3\r\nabc\r\n", Limits{}, ErrProtocol},
	{"bulk length space", "$ 3\r\nabc\r\n", Limits{}, ErrProtocol},
	{"bulk length trailing", "$3x\r\nabc\r\n", Limits{}, ErrProtocol},
	{"bulk length overflow", "$99999999999999999999\r\n", Limits{}, ErrProtocol},
	{"bulk length max int64", "$9223372036854775807\r\n", Limits{}, ErrProtocol},
	{"bulk length near max int64 huge limit", "$9223372036854775000\r\n", Limits{MaxBulkLen: math.MaxInt64}, io.ErrUnexpectedEOF},
	{"bulk over 512 MiB", "$1000000000\r\n", Limits{}, ErrProtocol},
	{"bulk over limit", "$11\r\nhello world\r\n", Limits{MaxBulkLen: 10}, ErrProtocol},
	{"bulk negative", "$-5\r\n", Limits{}, ErrProtocol},
	{"bulk minus zero", "$-0\r\n", Limits{}, ErrProtocol},
	{"bulk minus two", "$-2\r\n", Limits{}, ErrProtocol},
	{"array negative", "*-7\r\n", Limits{}, ErrProtocol},
	{"array length letters", "*x\r\n", Limits{}, ErrProtocol},
	{"array 4e9", "*4000000000\r\n", Limits{}, ErrProtocol},
	{"array over limit", "*3\r\n:1\r\n:2\r\n:3\r\n", Limits{MaxAggregateLen: 2}, ErrProtocol},
	{"array 1e8 then EOF", "*100000000\r\n", Limits{}, io.ErrUnexpectedEOF},
	{"array short", "*2\r\n:1\r\n", Limits{}, io.ErrUnexpectedEOF},
	{"map null", "%-1\r\n", Limits{}, ErrProtocol},
	{"set null", "~-1\r\n", Limits{}, ErrProtocol},
	{"push null", ">-1\r\n", Limits{}, ErrProtocol},
	{"attribute null", "|-1\r\n", Limits{}, ErrProtocol},
	{"bulk error null", "!-1\r\n", Limits{}, ErrProtocol},
	{"verbatim null", "=-1\r\n", Limits{}, ErrProtocol},
	{"map over limit", "%3\r\n", Limits{MaxAggregateLen: 2}, ErrProtocol},
	{"integer letters", ":abc\r\n", Limits{}, ErrProtocol},
	{"integer empty", ":\r\n", Limits{}, ErrProtocol},
	{"integer sign only", ":-\r\n", Limits{}, ErrProtocol},
	{"integer fraction", ":1.5\r\n", Limits{}, ErrProtocol},
	{"integer overflow", ":9223372036854775808\r\n", Limits{}, ErrProtocol},
	{"integer underflow", ":-9223372036854775809\r\n", Limits{}, ErrProtocol},
	{"integer huge", ":99999999999999999999999\r\n", Limits{}, ErrProtocol},
	{"integer space", ": 1\r\n", Limits{}, ErrProtocol},
	{"double letters", ",abc\r\n", Limits{}, ErrProtocol},
	{"double empty", ",\r\n", Limits{}, ErrProtocol},
	{"double dot", ",.\r\n", Limits{}, ErrProtocol},
	{"double two dots", ",1.2.3\r\n", Limits{}, ErrProtocol},
	{"double hex", ",0x1p3\r\n", Limits{}, ErrProtocol},
	{"double underscore", ",1_0\r\n", Limits{}, ErrProtocol},
	{"double infinity", ",infinity\r\n", Limits{}, ErrProtocol},
	{"double minus nan", ",-nan\r\n", Limits{}, ErrProtocol},
	{"big number letters", "(12a\r\n", Limits{}, ErrProtocol},
	{"big number empty", "(\r\n", Limits{}, ErrProtocol},
	{"big number sign only", "(-\r\n", Limits{}, ErrProtocol},
	{"big number plus", "(+1\r\n", Limits{}, ErrProtocol},
	{"boolean other", "#x\r\n", Limits{}, ErrProtocol},
	{"boolean long", "#tt\r\n", Limits{}, ErrProtocol},
	{"boolean empty", "#\r\n", Limits{}, ErrProtocol},
	{"null with text", "_x\r\n", Limits{}, ErrProtocol},
	{"verbatim too short", "=3\r\ntxt\r\n", Limits{}, ErrProtocol},
	{"verbatim no colon", "=5\r\ntxtab\r\n", Limits{}, ErrProtocol},
	{"verbatim wrong length", "=7\r\ntxt:ab\r\n+OK\r\n", Limits{}, ErrProtocol},
	{"unhashable map key", "%1\r\n*0\r\n+v\r\n", Limits{}, ErrProtocol},
	{"map key is a map", "%1\r\n%0\r\n+v\r\n", Limits{}, ErrProtocol},
	{"attribute key is a set", "|1\r\n~0\r\n+v\r\n+OK\r\n", Limits{}, ErrProtocol},
	{"nesting 65 deep", strings.Repeat("*1\r\n", 65) + ":1\r\n", Limits{}, ErrProtocol},
	{"empty array 65 deep", strings.Repeat("*1\r\n", 64) + "*0\r\n", Limits{}, ErrProtocol},
	{"nesting 1000 deep", strings.Repeat("*1\r\n", 1000), Limits{}, ErrProtocol},
	{"attributes count toward depth", strings.Repeat("*1\r\n", 63) + "|1\r\n*1\r\n:1\r\n:2\r\n:3\r\n", Limits{}, ErrProtocol},
	{"nesting over custom depth", "*1\r\n*1\r\n*1\r\n:1\r\n", Limits{MaxDepth: 2}, ErrProtocol},
	{"line over limit", "+" + strings.Repeat("a", 11) + "\r\n", Limits{MaxLineLen: 10}, ErrProtocol},
	{"line over limit without LF", "+" + strings.Repeat("a", 100), Limits{MaxLineLen: 10}, ErrProtocol},
	{"10 MB simple string without CRLF", "+" + strings.Repeat("a", 10<<20), Limits{}, ErrProtocol},
	{"attribute then EOF", "|1\r\n+a\r\n+b\r\n", Limits{}, io.ErrUnexpectedEOF},
	{"partial line", "+OK", Limits{}, io.ErrUnexpectedEOF},
	{"streamed string", "$?\r\n;4\r\nHell\r\n;0\r\n", Limits{}, ErrProtocol},
	{"streamed aggregate", "*?\r\n:1\r\n.\r\n", Limits{}, ErrProtocol},
}

func TestReadValueMalformed(t *testing.T) {
	for _, tc := range malformedCases {
		t.Run(tc.name, func(t *testing.T) {
			vs, err := decodeAll(strings.NewReader(tc.in), tc.lim)
			assert.Empty(t, vs)
			require.ErrorIs(t, err, tc.want)
			if tc.want == ErrProtocol {
				var pe *ProtocolError
				require.ErrorAs(t, err, &pe)
				assert.LessOrEqual(t, len(err.Error()), 200, "reason quotes at most a bounded part of the input")
			}
		})
	}
}

func TestReadValueLimitsAtTheBoundary(t *testing.T) {
	ok := func(in string, lim Limits) {
		t.Helper()
		_, err := decodeAll(strings.NewReader(in), lim)
		require.ErrorIs(t, err, io.EOF, "%q", in)
	}
	ok(strings.Repeat("*1\r\n", 64)+":1\r\n", Limits{})
	ok(strings.Repeat("*1\r\n", 63)+"*0\r\n", Limits{})
	ok(strings.Repeat("*1\r\n", 63)+"|1\r\n:1\r\n:2\r\n:3\r\n", Limits{})
	ok("+"+strings.Repeat("a", 10)+"\r\n", Limits{MaxLineLen: 10})
	ok("+"+strings.Repeat("a", DefaultMaxLineLen)+"\r\n", Limits{})
	ok("$10\r\nhelloworld\r\n", Limits{MaxBulkLen: 10})
	ok("*2\r\n:1\r\n:2\r\n", Limits{MaxAggregateLen: 2})
	ok("%2\r\n:1\r\n:2\r\n:3\r\n:4\r\n", Limits{MaxAggregateLen: 2})
}

func TestDefaultLimits(t *testing.T) {
	assert.Equal(t, Limits{MaxBulkLen: 512 << 20, MaxAggregateLen: 1 << 28, MaxDepth: 64, MaxLineLen: 64 << 10}, DefaultLimits())
	assert.Equal(t, DefaultLimits(), Limits{}.normalized())
	assert.Equal(t, DefaultLimits(), Limits{MaxBulkLen: -1, MaxAggregateLen: -1, MaxDepth: -1, MaxLineLen: -1}.normalized())
}

func TestReadValueLongLineBuffersAtMostTheLimit(t *testing.T) {
	r := NewReader(io.MultiReader(strings.NewReader("+"), &repeatReader{data: []byte("a")}), Limits{})
	_, err := r.ReadValue()
	require.ErrorIs(t, err, ErrProtocol)
	assert.LessOrEqual(t, len(r.buf), DefaultMaxLineLen+3)
}

func TestReadValueErrorsAreSticky(t *testing.T) {
	r := NewReader(strings.NewReader("?\r\n+OK\r\n"), Limits{})
	_, err := r.ReadValue()
	require.ErrorIs(t, err, ErrProtocol)
	_, err2 := r.ReadValue()
	assert.Same(t, err, err2)

	r.Reset(strings.NewReader("+OK\r\n"))
	v, err := r.ReadValue()
	require.NoError(t, err)
	assert.Equal(t, simple("OK"), v)

	r.Reset(strings.NewReader("*2\r\n:1\r\n"))
	_, err = r.ReadValue()
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	_, err = r.ReadValue()
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

func TestReadValueEOF(t *testing.T) {
	r := NewReader(strings.NewReader(""), Limits{})
	_, err := r.ReadValue()
	assert.Same(t, io.EOF, err)

	r.Reset(strings.NewReader("+OK\r\n"))
	_, err = r.ReadValue()
	require.NoError(t, err)
	_, err = r.ReadValue()
	assert.Same(t, io.EOF, err)
}

var errTimeout = errors.New("timeout")

// scriptReader returns its steps one per Read: data or an error.
type scriptReader struct{ steps []any }

func (s *scriptReader) Read(p []byte) (int, error) {
	if len(s.steps) == 0 {
		return 0, io.EOF
	}
	step := s.steps[0]
	s.steps = s.steps[1:]
	switch step := step.(type) {
	case string:
		n := copy(p, step)
		if n < len(step) {
			s.steps = append([]any{step[n:]}, s.steps...)
		}
		return n, nil
	case error:
		return 0, step
	}
	panic("bad step")
}

func TestReadValueIOErrors(t *testing.T) {
	t.Run("at a boundary the reader stays usable", func(t *testing.T) {
		r := NewReader(&scriptReader{steps: []any{"+OK\r\n", errTimeout, "+O", errTimeout, "K\r\n"}}, Limits{})
		v, err := r.ReadValue()
		require.NoError(t, err)
		assert.Equal(t, simple("OK"), v)
		_, err = r.ReadValue()
		assert.Same(t, errTimeout, err)
		_, err = r.ReadValue()
		assert.Same(t, errTimeout, err, "a partial line is not consumed")
		v, err = r.ReadValue()
		require.NoError(t, err)
		assert.Equal(t, simple("OK"), v)
	})
	t.Run("inside a value the error is sticky", func(t *testing.T) {
		r := NewReader(&scriptReader{steps: []any{"*2\r\n:1\r\n", errTimeout, ":2\r\n"}}, Limits{})
		_, err := r.ReadValue()
		assert.Same(t, errTimeout, err)
		_, err = r.ReadValue()
		assert.Same(t, errTimeout, err)
	})
	t.Run("inside a large bulk", func(t *testing.T) {
		big := strings.Repeat("x", 100_000)
		r := NewReader(&scriptReader{steps: []any{"$200000\r\n", big, errTimeout}}, Limits{})
		_, err := r.ReadValue()
		assert.Same(t, errTimeout, err)
	})
	t.Run("data with an error", func(t *testing.T) {
		r := NewReader(iotest.DataErrReader(strings.NewReader("+OK\r\n:1\r\n")), Limits{})
		vs := []Value{}
		for {
			v, err := r.ReadValue()
			if err != nil {
				assert.Same(t, io.EOF, err)
				break
			}
			vs = append(vs, v)
		}
		assert.Equal(t, []Value{simple("OK"), integer(1)}, vs)
	})
	t.Run("no progress", func(t *testing.T) {
		r := NewReader(&repeatReader{}, Limits{})
		_, err := r.ReadValue()
		assert.Same(t, io.ErrNoProgress, err)
	})
	t.Run("reader error passes through", func(t *testing.T) {
		r := NewReader(iotest.ErrReader(errTimeout), Limits{})
		_, err := r.ReadValue()
		assert.Same(t, errTimeout, err)
	})
}

func TestReadValueLargeBulk(t *testing.T) {
	payload := strings.Repeat("0123456789abcdef", 300_000) // 4.8 MB: past the buffer
	in := "$" + itoa(int64(len(payload))) + "\r\n" + payload + "\r\n+OK\r\n"
	for name, rd := range map[string]func() io.Reader{
		"whole": func() io.Reader { return strings.NewReader(in) },
		"half":  func() io.Reader { return iotest.HalfReader(strings.NewReader(in)) },
	} {
		t.Run(name, func(t *testing.T) {
			vs, err := decodeAll(rd(), Limits{})
			require.ErrorIs(t, err, io.EOF)
			require.Len(t, vs, 2)
			assert.Equal(t, KindBulkString, vs[0].Kind)
			assert.True(t, vs[0].Str == payload)
			assert.Equal(t, simple("OK"), vs[1])
		})
	}
	t.Run("bad terminator", func(t *testing.T) {
		_, err := decodeAll(strings.NewReader(in[:len(in)-7]+"XY"), Limits{})
		require.ErrorIs(t, err, ErrProtocol)
	})
	t.Run("just over the buffer", func(t *testing.T) {
		for _, n := range []int{readBufSize - 3, readBufSize - 2, readBufSize - 1, readBufSize, readBufSize + 1} {
			p := strings.Repeat("z", n)
			for _, pre := range []string{"", "+OK\r\n", strings.Repeat("+OK\r\n", 1000)} {
				in := pre + "$" + itoa(int64(n)) + "\r\n" + p + "\r\n"
				vs, err := decodeAll(iotest.HalfReader(strings.NewReader(in)), Limits{})
				require.ErrorIs(t, err, io.EOF)
				require.Equal(t, bulk(p), vs[len(vs)-1])
			}
		}
	})
}

// heapGrowth runs f and returns the bytes it allocated.
func heapGrowth(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestReadValueMemoryFollowsBytesReceived(t *testing.T) {
	cases := []struct {
		name string
		in   string
		lim  Limits
		max  uint64
	}{
		{"array of 1e8 then EOF", "*100000000\r\n", Limits{}, 1 << 20},
		{"array of 1e8 with 3 elements", "*100000000\r\n:1\r\n:2\r\n:3\r\n", Limits{}, 1 << 20},
		{"map of 2^28 then EOF", "%268435456\r\n", Limits{}, 1 << 20},
		{"bulk of 1e9 then EOF", "$1000000000\r\n", Limits{MaxBulkLen: 2 << 30}, 2 << 20},
		{"bulk of 1e9 with 10 bytes", "$1000000000\r\n0123456789", Limits{MaxBulkLen: 2 << 30}, 2 << 20},
		{"bulk of 1e9 with 5 MB", "$1000000000\r\n" + strings.Repeat("x", 5<<20), Limits{MaxBulkLen: 2 << 30}, 20 << 20},
		{"bulk of nearly max int64", "$9223372036854775000\r\n", Limits{MaxBulkLen: math.MaxInt64}, 2 << 20},
		{"nested arrays of 1e8", strings.Repeat("*100000000\r\n", 64), Limits{}, 8 << 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			grown := heapGrowth(func() {
				_, err = decodeAll(strings.NewReader(tc.in), tc.lim)
			})
			require.ErrorIs(t, err, io.ErrUnexpectedEOF)
			assert.LessOrEqual(t, grown, tc.max+uint64(len(tc.in)))
		})
	}
}

// chunkings are the readers every input must decode identically over.
var chunkings = map[string]func(io.Reader) io.Reader{
	"one byte": iotest.OneByteReader,
	"half":     iotest.HalfReader,
	"data err": iotest.DataErrReader,
}

func TestReadValueChunking(t *testing.T) {
	var inputs []string
	for _, tc := range validCases {
		inputs = append(inputs, tc.in)
	}
	for _, tc := range malformedCases {
		if len(tc.in) < 1<<20 && tc.lim == (Limits{}) {
			inputs = append(inputs, tc.in)
		}
	}
	for _, in := range inputs {
		want, wantErr := decodeAll(strings.NewReader(in), Limits{})
		for name, wrap := range chunkings {
			got, err := decodeAll(wrap(strings.NewReader(in)), Limits{})
			assert.Equal(t, want, got, "%s %q", name, in)
			assert.Equal(t, wantErr, err, "%s %q", name, in)
		}
		// A tiny buffer sends short inputs down the large-input paths.
		for _, size := range []int{0, 1, 7, 16} {
			r := NewReader(strings.NewReader(in), Limits{})
			r.buf = make([]byte, size)
			got, err := readAll(r)
			assert.Equal(t, want, got, "buffer %d %q", size, in)
			assert.Equal(t, wantErr, err, "buffer %d %q", size, in)
		}
	}
}

func TestBuffered(t *testing.T) {
	r := NewReader(strings.NewReader("+OK\r\n:1\r\n$3\r\nabc\r\n"), Limits{})
	assert.Equal(t, 0, r.Buffered())
	_, err := r.ReadValue()
	require.NoError(t, err)
	assert.Equal(t, 13, r.Buffered())
	_, err = r.ReadValue()
	require.NoError(t, err)
	assert.Equal(t, 9, r.Buffered())
	_, err = r.ReadValue()
	require.NoError(t, err)
	assert.Equal(t, 0, r.Buffered())
}

func TestReset(t *testing.T) {
	r := NewReader(strings.NewReader("*2\r\n:1\r\n"), Limits{MaxDepth: 1})
	_, err := r.ReadValue()
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	r.Reset(strings.NewReader("*1\r\n*1\r\n:1\r\n"))
	_, err = r.ReadValue()
	require.ErrorIs(t, err, ErrProtocol, "limits survive Reset")
	r.Reset(strings.NewReader("*1\r\n:1\r\n"))
	assert.Equal(t, 0, r.Buffered())
	v, err := r.ReadValue()
	require.NoError(t, err)
	assert.Equal(t, array(integer(1)), v)
}

// repeatReader returns data over and over (nothing at all when data is
// empty, which is a reader that never makes progress).
type repeatReader struct {
	data []byte
	off  int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, nil
	}
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.data[r.off:])
		n += c
		r.off = (r.off + c) % len(r.data)
	}
	return n, nil
}

func TestAllocations(t *testing.T) {
	cases := []struct {
		in  string
		max float64
	}{
		{"+OK\r\n", 0},
		{"+PONG\r\n", 0},
		{"+QUEUED\r\n", 0},
		{":12345\r\n", 0},
		{"_\r\n", 0},
		{"$-1\r\n", 0},
		{"#t\r\n", 0},
		{"$0\r\n\r\n", 0},
		{"*0\r\n", 0},
		{"$5\r\nhello\r\n", 1},
		{"$100\r\n" + strings.Repeat("v", 100) + "\r\n", 1},
		{"*2\r\n:1\r\n:2\r\n", 1},
		{"*2\r\n$1\r\na\r\n$1\r\nb\r\n", 3},
	}
	for _, tc := range cases {
		r := NewReader(&repeatReader{data: []byte(tc.in)}, Limits{})
		allocs := testing.AllocsPerRun(1000, func() {
			if _, err := r.ReadValue(); err != nil {
				t.Fatal(err)
			}
		})
		assert.LessOrEqual(t, allocs, tc.max, "%q", tc.in)
	}
}

func TestProtocolErrorQuotesLittle(t *testing.T) {
	_, err := decodeAll(strings.NewReader(":"+strings.Repeat("9", 1000)+"\r\n"), Limits{})
	require.ErrorIs(t, err, ErrProtocol)
	assert.Contains(t, err.Error(), "...")
	assert.Less(t, len(err.Error()), 120)
	assert.True(t, bytes.HasPrefix([]byte(err.Error()), []byte("actoredis: protocol error: ")))
}

// Sets may hold aggregates: Redis 7 sends them in COMMAND INFO under RESP3.
func TestReadSetOfAggregates(t *testing.T) {
	v := decodeOne(t, "~2\r\n%1\r\n+k\r\n+v\r\n*2\r\n:1\r\n:2\r\n")
	require.Equal(t, KindSet, v.Kind)
	require.Len(t, v.Elems, 2)
	assert.Equal(t, KindMap, v.Elems[0].Kind)
	assert.Equal(t, KindArray, v.Elems[1].Kind)
}

// A stream of pub/sub messages decodes with one allocation each (the
// payload) once the reader recycles the element slice and interns the
// kind and the channel.
func TestReadValueRecycleAndIntern(t *testing.T) {
	msg := ">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n"
	known := map[string]string{"message": "message", "news": "news"}
	stream := strings.Repeat(msg, 210)
	r := NewReader(strings.NewReader(stream), Limits{})
	r.Intern = func(b []byte) (string, bool) { s, ok := known[string(b)]; return s, ok }
	v, err := r.ReadValue()
	require.NoError(t, err)
	assert.Equal(t, push(bulk("message"), bulk("news"), bulk("hello")), v)
	r.Recycle(v)
	allocs := testing.AllocsPerRun(200, func() {
		v, err := r.ReadValue()
		if err != nil || len(v.Elems) != 3 || v.Elems[2].Str != "hello" || v.Elems[1].Str != "news" {
			t.Fatalf("got %v, %v", v, err)
		}
		r.Recycle(v)
	})
	assert.Equal(t, 1.0, allocs)

	// Without Recycle every value owns its elements.
	r = NewReader(strings.NewReader(msg+msg), Limits{})
	a, err := r.ReadValue()
	require.NoError(t, err)
	b, err := r.ReadValue()
	require.NoError(t, err)
	assert.Equal(t, a, b)
	assert.NotSame(t, &a.Elems[0], &b.Elems[0])

	// A recycled slice too small for the next aggregate is not used.
	r = NewReader(strings.NewReader("*1\r\n:1\r\n*2\r\n:2\r\n:3\r\n"), Limits{})
	one, err := r.ReadValue()
	require.NoError(t, err)
	r.Recycle(one)
	two, err := r.ReadValue()
	require.NoError(t, err)
	assert.Equal(t, array(integer(2), integer(3)), two)
}

// BeforeRead runs before every read of the underlying reader, never while
// buffered bytes hold the next value, and before a held-back error.
func TestReaderBeforeRead(t *testing.T) {
	// Two chunks: two whole values and the start of a third, then its end.
	src := &chunkReader{chunks: []string{"+a\r\n:1\r\n$3\r\nb", "cd\r\n"}}
	r := NewReader(src, Limits{})
	calls := 0
	r.BeforeRead = func() { calls++ }
	v, err := r.ReadValue()
	require.NoError(t, err)
	assert.Equal(t, simple("a"), v)
	assert.Equal(t, 1, calls, "before the first read")
	v, err = r.ReadValue()
	require.NoError(t, err)
	assert.Equal(t, integer(1), v)
	assert.Equal(t, 1, calls, "the value was buffered")
	v, err = r.ReadValue()
	require.NoError(t, err)
	assert.Equal(t, bulk("bcd"), v)
	assert.Equal(t, 2, calls, "before the read of the bulk's end")
	_, err = r.ReadValue()
	assert.ErrorIs(t, err, io.EOF)
	assert.Equal(t, 3, calls, "before the read that ends the stream")
	r.Reset(strings.NewReader(""))
	assert.NotNil(t, r.BeforeRead, "Reset keeps the hook")
}

// chunkReader returns one chunk per Read, then io.EOF.
type chunkReader struct{ chunks []string }

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.chunks[0])
	c.chunks[0] = c.chunks[0][n:]
	if c.chunks[0] == "" {
		c.chunks = c.chunks[1:]
	}
	return n, nil
}

package resp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"testing/iotest"
)

// fuzzSeeds covers every type, attributes, push, nesting and the malformed
// corpus of the decoder tests.
func fuzzSeeds(f *testing.F) {
	for _, tc := range validCases {
		f.Add([]byte(tc.in))
	}
	for _, tc := range malformedCases {
		if len(tc.in) <= 512 { // large inputs make minimizing slow
			f.Add([]byte(tc.in))
		}
	}
	f.Add([]byte("+OK\r\n:1\r\n$3\r\nabc\r\n*2\r\n_\r\n#f\r\n"))
	f.Add([]byte(">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$2\r\nhi\r\n+OK\r\n"))
	f.Add([]byte("$40\r\n" + strings.Repeat("x", 40) + "\r\n+OK\r\n"))
}

// fuzzLimits lets short inputs hit every limit.
var fuzzLimits = Limits{MaxBulkLen: 300, MaxAggregateLen: 20, MaxDepth: 6, MaxLineLen: 40}

// countingReader counts the bytes handed to the decoder.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// FuzzDecode feeds arbitrary bytes to the decoder: it must never panic,
// every value must consume input, the work is bounded by the input, the
// only errors are protocol errors and the two EOFs, and every decoded value
// must survive re-encoding.
func FuzzDecode(f *testing.F) {
	fuzzSeeds(f)
	// Readers are reused (Reset) across runs: a fresh 32 KiB buffer per
	// run would dominate the cost of an execution. Inputs of odd length go
	// to a reader with a 16-byte buffer and tiny limits, so that short
	// inputs reach the paths of long ones (bulks read past the buffer,
	// lines that grow it, every limit) and the corpus stays small, which
	// keeps minimizing fast.
	big, tiny, check := NewReader(nil, Limits{}), NewReader(nil, fuzzLimits), NewReader(nil, Limits{})
	decodeAgain := func(enc []byte) (Value, error) {
		check.Reset(bytes.NewReader(enc))
		return check.ReadValue()
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cr := &countingReader{r: bytes.NewReader(data)}
		r, bufSize := big, readBufSize
		if len(data)%2 == 1 {
			r, bufSize = tiny, 16
			r.buf = r.buf[:16:16]
		}
		r.Reset(cr)
		consumed, values := 0, 0
		for {
			v, err := r.ReadValue()
			pos := cr.n - r.Buffered()
			if err != nil {
				switch {
				case err == io.EOF:
					if pos != len(data) {
						t.Fatalf("io.EOF with %d of %d bytes consumed", pos, len(data))
					}
				case err == io.ErrUnexpectedEOF, errors.Is(err, ErrProtocol):
				default:
					t.Fatalf("unexpected error %v", err)
				}
				if _, err2 := r.ReadValue(); err2 != err {
					t.Fatalf("error not sticky: %v then %v", err, err2)
				}
				break
			}
			if pos <= consumed {
				t.Fatalf("value %+v decoded without consuming input", v)
			}
			consumed = pos
			if values++; values > len(data) {
				t.Fatalf("more values than input bytes")
			}
			if len(r.buf) > max(bufSize, r.lim.MaxLineLen+3) {
				t.Fatalf("buffer grew to %d", len(r.buf))
			}

			enc := AppendValue(nil, v)
			again, err := decodeAgain(enc)
			if err != nil {
				t.Fatalf("re-encoded %q does not decode: %v", enc, err)
			}
			if !equalValues(v, again, true) {
				t.Fatalf("re-encoding changed the value:\n%+v\n%+v", v, again)
			}
			enc2 := AppendValue2(nil, v)
			if _, err := decodeAgain(enc2); err != nil {
				t.Fatalf("RESP2 form %q does not decode: %v", enc2, err)
			}
		}
	})
}

// FuzzRoundTrip builds a Value tree from the fuzz bytes, encodes it with
// AppendValue and decodes it: the result must equal the tree.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x00hello"))
	f.Add([]byte("\x04\x03\x01\x02abc\x07\x00\x00\x00\x00\x00\x00\xf0\x7f"))
	f.Add([]byte("\x06\x02\x00a\x01\x03b\x05\x05\x05\x05\x05\x05"))
	f.Add([]byte("\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08"))
	for _, tc := range validCases {
		f.Add([]byte(tc.in))
	}
	r := NewReader(nil, Limits{})
	decode := func(rd io.Reader) (Value, error) {
		r.Reset(rd)
		return r.ReadValue()
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Bytes past 512 are ignored, so long inputs bring no new
		// coverage and the corpus stays quick to minimize.
		g := &generator{data: data[:min(len(data), 512)], budget: 200}
		want := g.value(0, false)
		enc := AppendValue(nil, want)
		got, err := decode(bytes.NewReader(enc))
		if err != nil {
			t.Fatalf("%q: %v", enc, err)
		}
		if !equalValues(want, got, false) {
			t.Fatalf("%q:\nwant %+v\ngot  %+v", enc, want, got)
		}
		// The same over a reader that hands out one byte at a time.
		got, err = decode(iotest.OneByteReader(bytes.NewReader(enc)))
		if err != nil || !equalValues(want, got, false) {
			t.Fatalf("one byte at a time: %q: %v", enc, err)
		}
		// The RESP2 form decodes too.
		if _, err := decode(bytes.NewReader(AppendValue2(nil, want))); err != nil {
			t.Fatalf("RESP2 form: %v", err)
		}
	})
}

// FuzzChunking decodes the same bytes whole and one byte (or half a read)
// at a time: values and errors must be identical.
func FuzzChunking(f *testing.F) {
	fuzzSeeds(f)
	// Readers are reused across runs (see FuzzDecode); inputs of odd length
	// are decoded with tiny limits.
	type variant struct {
		name string
		wrap func(io.Reader) io.Reader
		buf  int
	}
	variants := []variant{{"tiny buffer", nil, 16}}
	for name, wrap := range chunkings {
		variants = append(variants, variant{name, wrap, readBufSize})
	}
	whole := [2]*Reader{NewReader(nil, Limits{}), NewReader(nil, fuzzLimits)}
	readers := make([][2]*Reader, len(variants))
	for i := range variants {
		readers[i] = [2]*Reader{NewReader(nil, Limits{}), NewReader(nil, fuzzLimits)}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 512 {
			return // nothing to find in long inputs that short ones miss; they are slow to minimize
		}
		odd := len(data) % 2
		r := whole[odd]
		r.Reset(bytes.NewReader(data))
		want, wantErr := readAll(r)
		for i, v := range variants {
			r := readers[i][odd]
			var rd io.Reader = bytes.NewReader(data)
			if v.wrap != nil {
				rd = v.wrap(rd)
			}
			r.Reset(rd)
			r.buf = r.buf[:v.buf:v.buf]
			got, err := readAll(r)
			if len(got) != len(want) {
				t.Fatalf("%s: %d values, want %d", v.name, len(got), len(want))
			}
			for i := range want {
				if !equalValues(want[i], got[i], false) {
					t.Fatalf("%s: value %d: %+v, want %+v", v.name, i, got[i], want[i])
				}
			}
			if err.Error() != wantErr.Error() {
				t.Fatalf("%s: error %v, want %v", v.name, err, wantErr)
			}
		}
	})
}

// generator turns fuzz bytes into a Value tree of bounded size and depth
// that AppendValue can write faithfully: no CR or LF in simple strings and
// errors, scalar map keys and set elements, three-byte verbatim formats,
// doubles with their canonical text.
type generator struct {
	data   []byte
	budget int // values left to build
}

func (g *generator) byte() byte {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return b
}

func (g *generator) bytes(n int) []byte {
	n = min(n, len(g.data))
	b := g.data[:n]
	g.data = g.data[n:]
	return b
}

func (g *generator) text(crlf bool) string {
	s := string(g.bytes(int(g.byte() % 24)))
	if !crlf {
		s = strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' {
				return ' '
			}
			return r
		}, s)
	}
	return s
}

func (g *generator) uint64() uint64 {
	var b [8]byte
	copy(b[:], g.bytes(8))
	return binary.LittleEndian.Uint64(b[:])
}

const generatorMaxDepth = 12

func (g *generator) value(depth int, scalar bool) Value {
	g.budget--
	k := Kind(1 + g.byte()%14)
	if isAggregate(k) && (scalar || depth >= generatorMaxDepth || g.budget <= 0) {
		k = KindBulkString
	}
	var v Value
	switch k {
	case KindSimpleString, KindError:
		v = Value{Kind: k, Str: g.text(false)}
	case KindBulkString, KindBulkError:
		v = Value{Kind: k, Str: g.text(true)}
	case KindInteger:
		v = Value{Kind: k, Int: int64(g.uint64())}
	case KindNull:
		v = Value{Kind: k}
	case KindDouble:
		f := math.Float64frombits(g.uint64())
		if math.IsNaN(f) {
			f = math.NaN()
		}
		v = Double(f, string(appendDouble(nil, f)))
	case KindBigNumber:
		digits := []byte(strings.Repeat("0", 1+int(g.byte()%40)))
		for i := range digits {
			digits[i] += g.byte() % 10
		}
		s := string(digits)
		if g.byte()%2 == 1 {
			s = "-" + s
		}
		v = Value{Kind: k, Str: s}
	case KindBoolean:
		v = Value{Kind: k, Int: int64(g.byte() % 2)}
	case KindVerbatimString:
		format := string(g.bytes(3))
		for len(format) < 3 {
			format += "t"
		}
		v = Verbatim(format, g.text(true))
	case KindArray, KindSet, KindPush:
		n := int(g.byte() % 6)
		v = Value{Kind: k, Elems: []Value{}}
		for range n {
			v.Elems = append(v.Elems, g.value(depth+1, k == KindSet))
		}
	case KindMap:
		n := int(g.byte() % 4)
		v = Value{Kind: k, Elems: []Value{}}
		for range n {
			v.Elems = append(v.Elems, g.value(depth+1, true), g.value(depth+1, false))
		}
	}
	if depth < generatorMaxDepth && g.budget > 0 && g.byte()%8 == 7 {
		n := int(g.byte() % 3)
		a := Value{Kind: KindMap, Elems: []Value{}}
		for range n {
			a.Elems = append(a.Elems, g.value(depth+1, true), g.value(depth+1, false))
		}
		v.Attrs = &a
	}
	return v
}

func TestGeneratorCoversEveryKind(t *testing.T) {
	seen := map[Kind]bool{}
	var walk func(v Value)
	walk = func(v Value) {
		seen[v.Kind] = true
		for _, e := range v.Elems {
			walk(e)
		}
		if v.Attrs != nil {
			walk(*v.Attrs)
		}
	}
	for i := range 2000 {
		data := make([]byte, 64)
		for j := range data {
			data[j] = byte(i*131 + j*j*7 + j)
		}
		g := &generator{data: data, budget: 200}
		v := g.value(0, false)
		walk(v)
		got, err := NewReader(bytes.NewReader(AppendValue(nil, v)), Limits{}).ReadValue()
		if err != nil || !equalValues(v, got, false) {
			t.Fatalf("round trip of %+v: %v", v, err)
		}
	}
	for k := KindSimpleString; k <= KindPush; k++ {
		if !seen[k] {
			t.Errorf("generator never built a %s", k)
		}
	}
}

package resp

import (
	"bytes"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"unsafe"
)

// Limits bounds what a Reader accepts from the server, so that a broken or
// hostile peer costs an error, never a crash or an unbounded allocation.
// A zero (or negative) field takes its default.
type Limits struct {
	MaxBulkLen      int64 // longest bulk, verbatim string or bulk error; default 512 MiB (Redis's proto-max-bulk-len)
	MaxAggregateLen int64 // largest count an aggregate header may state (elements, or pairs for maps and attributes); default 1<<28
	MaxDepth        int   // deepest nesting of aggregates and attributes; default 64
	MaxLineLen      int   // longest line (+ - : , ( _ # lines and every header) after its type byte; default 64 KiB
}

// The default limits. DefaultLimits returns them as a Limits.
const (
	DefaultMaxBulkLen      = 512 << 20
	DefaultMaxAggregateLen = 1 << 28
	DefaultMaxDepth        = 64
	DefaultMaxLineLen      = 64 << 10
)

// DefaultLimits returns the limits a zero Limits stands for.
func DefaultLimits() Limits {
	return Limits{
		MaxBulkLen:      DefaultMaxBulkLen,
		MaxAggregateLen: DefaultMaxAggregateLen,
		MaxDepth:        DefaultMaxDepth,
		MaxLineLen:      DefaultMaxLineLen,
	}
}

// normalized fills in defaults and clamps values that would overflow the
// reader's arithmetic.
func (l Limits) normalized() Limits {
	d := DefaultLimits()
	if l.MaxBulkLen <= 0 {
		l.MaxBulkLen = d.MaxBulkLen
	}
	if l.MaxBulkLen > math.MaxInt-16 {
		l.MaxBulkLen = math.MaxInt - 16
	}
	if l.MaxAggregateLen <= 0 {
		l.MaxAggregateLen = d.MaxAggregateLen
	}
	if l.MaxAggregateLen > math.MaxInt/2 {
		l.MaxAggregateLen = math.MaxInt / 2
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxLineLen <= 0 {
		l.MaxLineLen = d.MaxLineLen
	}
	if l.MaxLineLen > math.MaxInt32 {
		l.MaxLineLen = math.MaxInt32
	}
	return l
}

const (
	readBufSize    = 32 << 10 // the Reader's read buffer
	maxPrealloc    = 1024     // elements preallocated for an aggregate
	bulkFirstChunk = 1 << 20  // a bulk larger than the buffer starts at this capacity and doubles
	maxEmptyReads  = 100      // consecutive (0, nil) reads before io.ErrNoProgress
)

// kindAttribute marks an attribute frame on the decoder's stack; it never
// appears in a Value.
const kindAttribute Kind = 255

// frame is one aggregate (or attribute) being filled.
type frame struct {
	kind  Kind
	want  int // Values to collect: elements, or 2*pairs for maps and attributes
	elems []Value
	attrs *Value // the attribute that preceded this aggregate
}

// emptyElems is the Elems of every decoded empty aggregate: non-nil and
// shared, which is safe because it has no capacity to write into.
var emptyElems = []Value{}

// Reader decodes RESP2 and RESP3 values from a byte stream. It reads from
// the underlying io.Reader in large chunks through its own buffer, so wrap
// nothing in a bufio.Reader. It is not safe for concurrent use.
//
// Errors: malformed input or a broken limit gives a *ProtocolError (matched
// by errors.Is(err, ErrProtocol)); after one, the stream is out of sync and
// every later ReadValue returns the same error until Reset. I/O errors pass
// through: io.EOF when the stream ends at a value boundary,
// io.ErrUnexpectedEOF when it ends inside a value. An I/O error (a read
// deadline, say) that strikes before any byte of the next value has been
// consumed leaves the Reader usable; one that strikes inside a value is
// sticky like a protocol error.
type Reader struct {
	rd      io.Reader
	buf     []byte
	r, w    int   // buf[r:w] holds read but undecoded bytes
	scan    int   // bytes of buf[r:w] already searched for '\n'
	rerr    error // a read error held back until the buffered bytes are used
	err     error // sticky error
	started bool  // a line of the current value has been consumed
	lim     Limits
	stack   []frame
	spare   []Value // handed back by Recycle for the next top-level aggregate

	// Intern, when set, may return a string equal to b that already
	// exists (a channel name, say) so that a short bulk string costs no
	// allocation; it is asked for bulk strings of at most MaxInternLen
	// bytes and must not keep b.
	Intern func(b []byte) (string, bool)

	// BeforeRead, when set, is called before every read from the
	// underlying io.Reader (which may block), and before a read error held
	// back is returned: a caller that batches what it decodes from one
	// buffer of input hands the batch on here, so nothing waits on the
	// network.
	BeforeRead func()
}

// MaxInternLen is the longest bulk string offered to Reader.Intern.
const MaxInternLen = 128

// NewReader returns a Reader decoding from rd within lim; zero fields of
// lim take the defaults (see DefaultLimits).
func NewReader(rd io.Reader, lim Limits) *Reader {
	return &Reader{rd: rd, buf: make([]byte, readBufSize), lim: lim.normalized()}
}

// Reset discards any buffered bytes and error and makes the Reader decode
// from rd, keeping its limits and buffer.
func (r *Reader) Reset(rd io.Reader) {
	clear(r.stack[:cap(r.stack)])
	*r = Reader{rd: rd, buf: r.buf, lim: r.lim, stack: r.stack[:0], Intern: r.Intern, BeforeRead: r.BeforeRead}
}

// Buffered returns the number of bytes read from the underlying reader but
// not yet decoded.
func (r *Reader) Buffered() int { return r.w - r.r }

// ReadValue decodes one complete value. Attributes (|) that precede a value
// are attached to its Attrs; push frames (>) are returned like any value,
// with Kind KindPush.
//
// The decoder is iterative: aggregates live on an explicit stack, so
// nesting costs heap bounded by MaxDepth, never goroutine stack.
func (r *Reader) ReadValue() (Value, error) {
	if r.err != nil {
		return Value{}, r.err
	}
	r.started = false
	st := r.stack[:0]
	var pending *Value // an attribute waiting for the value it precedes
	for {
		line, err := r.readLine()
		if err != nil {
			return Value{}, r.fail(err)
		}
		r.started = true
		typ, body := line[0], line[1:] // line is only valid until the next read
		var v Value
		switch typ {
		case '+':
			if bytes.IndexByte(body, '\r') >= 0 {
				return Value{}, r.fail(protoErr("simple string contains CR"))
			}
			v = Value{Kind: KindSimpleString, Str: simpleString(body)}
		case '-':
			if bytes.IndexByte(body, '\r') >= 0 {
				return Value{}, r.fail(protoErr("error reply contains CR"))
			}
			v = Value{Kind: KindError, Str: string(body)}
		case ':':
			n, ok := parseInt(body)
			if !ok {
				return Value{}, r.fail(badLine("invalid integer", line))
			}
			v = Value{Kind: KindInteger, Int: n}
		case '$', '!', '=':
			n, ok := parseLen(body)
			if !ok || (n < 0 && typ != '$') {
				return Value{}, r.fail(badLine("invalid length", line))
			}
			if n < 0 {
				v = Value{Kind: KindNull}
				break
			}
			if n > r.lim.MaxBulkLen {
				return Value{}, r.fail(protoErr("bulk length " + itoa(n) + " exceeds the limit " + itoa(r.lim.MaxBulkLen)))
			}
			if typ == '=' && n < 4 {
				return Value{}, r.fail(protoErr("verbatim string shorter than its format prefix"))
			}
			s, err := r.readBulk(int(n))
			if err != nil {
				return Value{}, r.fail(err)
			}
			switch typ {
			case '$':
				v = Value{Kind: KindBulkString, Str: s}
			case '!':
				v = Value{Kind: KindBulkError, Str: s}
			default:
				if s[3] != ':' {
					return Value{}, r.fail(protoErr("verbatim string without ':' after its format"))
				}
				v = Verbatim(s[:3], s[4:])
			}
		case ',':
			f, ok := parseDouble(body)
			if !ok {
				return Value{}, r.fail(badLine("invalid double", line))
			}
			v = Double(f, string(body))
		case '(':
			if !isBigNumber(body) {
				return Value{}, r.fail(badLine("invalid big number", line))
			}
			v = Value{Kind: KindBigNumber, Str: string(body)}
		case '#':
			switch {
			case len(body) == 1 && body[0] == 't':
				v = Value{Kind: KindBoolean, Int: 1}
			case len(body) == 1 && body[0] == 'f':
				v = Value{Kind: KindBoolean}
			default:
				return Value{}, r.fail(badLine("invalid boolean", line))
			}
		case '_':
			if len(body) != 0 {
				return Value{}, r.fail(badLine("invalid null", line))
			}
			v = Value{Kind: KindNull}
		case '*', '%', '~', '>', '|':
			n, ok := parseLen(body)
			if !ok || (n < 0 && typ != '*') {
				return Value{}, r.fail(badLine("invalid length", line))
			}
			if n < 0 {
				v = Value{Kind: KindNull}
				break
			}
			if n > r.lim.MaxAggregateLen {
				return Value{}, r.fail(protoErr("aggregate length " + itoa(n) + " exceeds the limit " + itoa(r.lim.MaxAggregateLen)))
			}
			if len(st) >= r.lim.MaxDepth {
				return Value{}, r.fail(protoErr("nesting deeper than " + itoa(int64(r.lim.MaxDepth))))
			}
			k := aggregateKind(typ)
			want := int(n)
			if k == KindMap || k == kindAttribute {
				want *= 2
			}
			if want == 0 {
				if k == kindAttribute {
					pending = mergeAttrs(pending, nil)
					continue
				}
				v = Value{Kind: k, Elems: emptyElems}
				break
			}
			var elems []Value
			if len(st) == 0 && cap(r.spare) >= want {
				elems, r.spare = r.spare[:0], nil
			} else {
				elems = make([]Value, 0, min(want, maxPrealloc))
			}
			st = append(st, frame{kind: k, want: want, elems: elems, attrs: pending})
			pending = nil
			r.stack = st
			continue
		default:
			return Value{}, r.fail(badLine("unknown type byte", line))
		}

		// v is complete: attach a pending attribute, then hand v to the
		// enclosing aggregates, closing every one it completes.
		if pending != nil {
			v.Attrs, pending = pending, nil
		}
		for {
			if len(st) == 0 {
				return v, nil
			}
			top := &st[len(st)-1]
			// Map keys must be scalars; set elements may be aggregates
			// (Redis 7 sends sets of arrays in COMMAND INFO and COMMAND
			// DOCS under RESP3).
			if isAggregate(v.Kind) && (top.kind == KindMap || top.kind == kindAttribute) && len(top.elems)%2 == 0 {
				return Value{}, r.fail(protoErr("map key is an aggregate"))
			}
			top.elems = append(top.elems, v)
			if len(top.elems) < top.want {
				break
			}
			f := *top
			*top = frame{}
			st = st[:len(st)-1]
			if f.kind == kindAttribute {
				// The attribute does not fill a slot: the value after it does.
				pending = mergeAttrs(f.attrs, f.elems)
				break
			}
			v = Value{Kind: f.kind, Elems: f.elems, Attrs: f.attrs}
		}
	}
}

// Recycle hands back v, a value ReadValue returned, once its caller is
// done with it and nothing refers to v.Elems any more: the next top-level
// aggregate that fits is decoded into that slice instead of a new one. A
// stream of same-shaped values (pub/sub messages) then allocates no
// element slices. Nested aggregates are not reused.
func (r *Reader) Recycle(v Value) {
	if len(v.Elems) == 0 || len(v.Elems) > maxPrealloc {
		return
	}
	clear(v.Elems)
	r.spare = v.Elems[:0]
}

// fail cleans up after err and decides whether it is sticky: a protocol
// error, or any error once part of a value has been consumed, leaves the
// stream out of sync.
func (r *Reader) fail(err error) error {
	clear(r.stack[:cap(r.stack)])
	r.stack = r.stack[:0]
	if err == io.EOF && r.started {
		err = io.ErrUnexpectedEOF
	}
	if _, ok := err.(*ProtocolError); ok || r.started || err == io.ErrUnexpectedEOF {
		r.err = err
	}
	return err
}

func aggregateKind(b byte) Kind {
	switch b {
	case '*':
		return KindArray
	case '%':
		return KindMap
	case '~':
		return KindSet
	case '>':
		return KindPush
	}
	return kindAttribute
}

func isAggregate(k Kind) bool {
	return k == KindArray || k == KindMap || k == KindSet || k == KindPush
}

// mergeAttrs returns the attribute map for prev followed by the pairs in
// elems (several attributes in a row before one value are merged).
func mergeAttrs(prev *Value, elems []Value) *Value {
	if prev == nil {
		if elems == nil {
			elems = emptyElems
		}
		return &Value{Kind: KindMap, Elems: elems}
	}
	prev.Elems = append(prev.Elems[:len(prev.Elems):len(prev.Elems)], elems...)
	return prev
}

// simpleString converts a simple string, without allocating for the
// replies every client sees all the time.
func simpleString(b []byte) string {
	switch string(b) {
	case "OK":
		return "OK"
	case "PONG":
		return "PONG"
	case "QUEUED":
		return "QUEUED"
	case "":
		return ""
	}
	return string(b)
}

// readLine returns the next line, type byte included, CRLF excluded. The
// returned slice aliases the buffer and is valid until the next read.
func (r *Reader) readLine() ([]byte, error) {
	maxLine := r.lim.MaxLineLen + 2 // type byte, content, CR: all before LF
	for {
		if i := bytes.IndexByte(r.buf[r.r+r.scan:r.w], '\n'); i >= 0 {
			n := r.scan + i // bytes before LF
			r.scan = 0
			if n > maxLine {
				return nil, protoErr("line longer than " + itoa(int64(r.lim.MaxLineLen)) + " bytes")
			}
			if n == 0 || r.buf[r.r+n-1] != '\r' {
				return nil, protoErr("line not terminated by CRLF")
			}
			if n == 1 {
				return nil, protoErr("empty line without a type byte")
			}
			line := r.buf[r.r : r.r+n-1]
			r.r += n + 1
			return line, nil
		}
		r.scan = r.w - r.r
		if r.scan > maxLine {
			r.scan = 0
			return nil, protoErr("line longer than " + itoa(int64(r.lim.MaxLineLen)) + " bytes")
		}
		if err := r.fill(); err != nil {
			if err == io.EOF && r.w > r.r {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
}

// fill reads once more into the buffer, making room first: it moves the
// unread bytes to the front, or grows the buffer when a line needs it
// (never beyond MaxLineLen plus its framing).
func (r *Reader) fill() error {
	if r.BeforeRead != nil {
		r.BeforeRead()
	}
	if r.rerr != nil {
		err := r.rerr
		r.rerr = nil
		return err
	}
	if r.r == r.w {
		r.r, r.w = 0, 0
	}
	if r.w == len(r.buf) {
		if r.r > 0 {
			r.w = copy(r.buf, r.buf[r.r:r.w])
			r.r = 0
		} else {
			// Only a line can fill the whole buffer (a bulk that does not
			// fit is read past it), and readLine bounds the line.
			n := min(2*len(r.buf), r.lim.MaxLineLen+3)
			nb := make([]byte, max(n, len(r.buf)+1))
			copy(nb, r.buf[:r.w])
			r.buf = nb
		}
	}
	for range maxEmptyReads {
		n, err := r.rd.Read(r.buf[r.w:])
		if n < 0 || n > len(r.buf)-r.w {
			return errors.New("actoredis: invalid count from io.Reader")
		}
		r.w += n
		if n > 0 {
			r.rerr = err
			return nil
		}
		if err != nil {
			return err
		}
	}
	return io.ErrNoProgress
}

// readDirect reads into p from the underlying reader, bypassing the buffer
// (used for bulks that do not fit in it).
func (r *Reader) readDirect(p []byte) (int, error) {
	if r.BeforeRead != nil {
		r.BeforeRead()
	}
	if r.rerr != nil {
		err := r.rerr
		r.rerr = nil
		return 0, err
	}
	for range maxEmptyReads {
		n, err := r.rd.Read(p)
		if n < 0 || n > len(p) {
			return 0, errors.New("actoredis: invalid count from io.Reader")
		}
		if n > 0 {
			r.rerr = err
			return n, nil
		}
		if err != nil {
			return 0, err
		}
	}
	return 0, io.ErrNoProgress
}

// readBulk reads n bytes and the CRLF after them. A bulk that fits in the
// buffer costs exactly one allocation, the string. A larger one is read
// straight into a byte slice that starts at 1 MiB and doubles as bytes
// arrive, so a header that lies about its length costs memory in
// proportion to what was actually received.
func (r *Reader) readBulk(n int) (string, error) {
	need := n + 2
	if r.w-r.r < need && need <= len(r.buf) {
		if len(r.buf)-r.r < need {
			r.w = copy(r.buf, r.buf[r.r:r.w])
			r.r = 0
		}
		for r.w-r.r < need {
			if err := r.fill(); err != nil {
				return "", eofIsUnexpected(err)
			}
		}
	}
	if r.w-r.r >= need {
		b := r.buf[r.r : r.r+need]
		if b[n] != '\r' || b[n+1] != '\n' {
			return "", protoErr("bulk not terminated by CRLF")
		}
		r.r += need
		if n == 0 {
			return "", nil
		}
		if r.Intern != nil && n <= MaxInternLen {
			if s, ok := r.Intern(b[:n]); ok {
				return s, nil
			}
		}
		return string(b[:n]), nil
	}

	out := make([]byte, 0, min(n, max(bulkFirstChunk, r.w-r.r)))
	k := min(n, r.w-r.r)
	out = append(out, r.buf[r.r:r.r+k]...)
	r.r += k
	for len(out) < n {
		if len(out) == cap(out) {
			out = slices.Grow(out, min(n, 2*cap(out))-len(out))
		}
		m, err := r.readDirect(out[len(out):min(cap(out), n)])
		out = out[:len(out)+m]
		if err != nil {
			return "", eofIsUnexpected(err)
		}
	}
	for r.w-r.r < 2 {
		if err := r.fill(); err != nil {
			return "", eofIsUnexpected(err)
		}
	}
	if r.buf[r.r] != '\r' || r.buf[r.r+1] != '\n' {
		return "", protoErr("bulk not terminated by CRLF")
	}
	r.r += 2
	// out is never written again and never shared: the string may own it.
	return unsafe.String(unsafe.SliceData(out), n), nil
}

func eofIsUnexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// parseInt parses a RESP integer: an optional sign and decimal digits,
// within int64.
func parseInt(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	u, ok := parseDigits(b)
	switch {
	case !ok:
		return 0, false
	case neg && u <= 1<<63:
		return int64(-u), true
	case !neg && u <= math.MaxInt64:
		return int64(u), true
	}
	return 0, false
}

// parseLen parses a length: decimal digits within int64, or exactly "-1".
func parseLen(b []byte) (int64, bool) {
	if len(b) == 2 && b[0] == '-' && b[1] == '1' {
		return -1, true
	}
	u, ok := parseDigits(b)
	if !ok || u > math.MaxInt64 {
		return 0, false
	}
	return int64(u), true
}

// parseDigits parses one or more decimal digits up to 1<<63.
func parseDigits(b []byte) (uint64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var u uint64
	for _, c := range b {
		if c < '0' || c > '9' || u > (1<<63)/10 {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
		if u > 1<<63 {
			return 0, false
		}
	}
	return u, true
}

// parseDouble accepts inf, -inf, +inf, nan (any case) and decimal numbers
// with an optional fraction and exponent; nothing else strconv would take
// (hex, underscores, "infinity").
func parseDouble(b []byte) (float64, bool) {
	if len(b) == 0 || len(b) > 4 {
		// too long for a special word
	} else {
		var low [4]byte
		for i, c := range b {
			low[i] = c | 0x20
		}
		switch string(low[:len(b)]) {
		case "inf", "+inf":
			return math.Inf(1), true
		case "-inf":
			return math.Inf(-1), true
		case "nan":
			return math.NaN(), true
		}
	}
	digits := false
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-':
		default:
			return 0, false
		}
	}
	if !digits {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return f, true // ±Inf or 0: syntactically fine, out of range
		}
		return 0, false
	}
	return f, true
}

// isBigNumber accepts an optional '-' and one or more digits.
func isBigNumber(b []byte) bool {
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func protoErr(reason string) error { return &ProtocolError{Reason: reason} }

// badLine reports a malformed line, quoting at most its first 32 bytes.
func badLine(what string, line []byte) error {
	const quoteMax = 32
	q := line
	if len(q) > quoteMax {
		q = q[:quoteMax]
	}
	s := strconv.Quote(string(q))
	if len(line) > quoteMax {
		s += "..."
	}
	return protoErr(what + " in line " + s)
}

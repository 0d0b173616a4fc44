package client

import (
	"context"
	"encoding/binary"
	"math"
)

// Commands of the vector_set group (Redis 8.0; VRANGE 8.4): VADD, VSIM,
// VREM, VCARD, VDIM, VEMB, VGETATTR, VSETATTR, VINFO, VLINKS,
// VRANDMEMBER, VISMEMBER and VRANGE. A vector set holds elements (strings)
// each with a vector of float32 components and optional JSON attributes,
// indexed by an HNSW graph for similarity queries. No Valkey has them.
// The result types are in reply_vector_set.go.

// Vector is the vector of VADD or of a VSIM query: its components either
// as decimal text (VALUES n v1 v2 ..., VectorValues) or as one blob of
// little-endian float32 (FP32, VectorFP32 and VectorBlob), the more
// compact form. The zero value has no component, which the commands
// refuse.
type Vector struct {
	values []float64
	blob   []byte
	fp32   bool
}

// VectorValues is a vector sent as text (VALUES n v1 v2 ...).
func VectorValues(values ...float64) Vector { return Vector{values: values} }

// VectorFP32 is a vector sent as an FP32 blob: the client encodes each
// component as a little-endian float32.
func VectorFP32(values []float32) Vector {
	blob := make([]byte, 4*len(values))
	for i, f := range values {
		binary.LittleEndian.PutUint32(blob[4*i:], math.Float32bits(f))
	}
	return Vector{blob: blob, fp32: true}
}

// VectorBlob is a vector sent as an FP32 blob already encoded: 4 bytes of
// little-endian float32 per component, as VEmbRaw returns the vector of
// a set that is not quantized (NOQUANT). The blob is not copied.
func VectorBlob(blob []byte) Vector { return Vector{blob: blob, fp32: true} }

// Dim returns the number of components of the vector.
func (v Vector) Dim() int {
	if v.fp32 {
		return len(v.blob) / 4
	}
	return len(v.values)
}

// append adds FP32 blob or VALUES n v1 v2 ..., failing the command for a
// vector without components or a blob whose length is not a multiple of
// 4.
func (v Vector) append(b *builder, method string) {
	switch {
	case v.Dim() == 0:
		b.fail(method + " needs a vector with at least one component")
	case v.fp32 && len(v.blob)%4 != 0:
		b.fail(method + " needs an FP32 blob of 4 bytes per component")
	case v.fp32:
		b.str("FP32").bytes(v.blob)
	default:
		b.str("VALUES").int(int64(len(v.values)))
		for _, f := range v.values {
			b.float(f)
		}
	}
}

// VectorQuantization is how a vector set stores its vectors, chosen by
// the VADD that creates it. The zero value, QuantDefault, sends no token:
// the server's default, 8-bit quantization.
type VectorQuantization uint8

// The quantizations of VADD.
const (
	// QuantDefault sends no token: a new set is quantized to 8 bits.
	QuantDefault VectorQuantization = iota
	// QuantNone stores the vectors as float32 (NOQUANT).
	QuantNone
	// QuantQ8 stores 8-bit integers (Q8), and checks that an existing set
	// is stored so.
	QuantQ8
	// QuantBinary stores one bit per component (BIN): faster and
	// smaller, at the cost of recall.
	QuantBinary
)

var quantTokens = tokens[VectorQuantization]{typ: "VectorQuantization", zero: "default", list: []string{
	QuantNone: "NOQUANT", QuantQ8: "Q8", QuantBinary: "BIN",
}}

// String returns the quantization's token ("NOQUANT", "Q8", "BIN") or
// "default".
func (q VectorQuantization) String() string { return quantTokens.name(q) }

// VAdd sends VADD key FP32|VALUES vector element: it adds element with
// vector to the vector set at key, creating the set, or gives an
// existing element the new vector. It returns true when the element was
// added, false when it was updated. A vector of another dimension than
// the set's is an error reply. Not idempotent: a repeat inserts the
// element into the graph again. Since Redis 8.0.0.
func (c cmds) VAdd(ctx context.Context, key string, vector Vector, element string) *Future[bool] {
	return c.VAddWith(ctx, key, vector, element, VAddOptions{})
}

// VAddOptions are the optional arguments of VADD.
type VAddOptions struct {
	// Reduce projects the vector to this many dimensions (REDUCE dim),
	// when the set is created; 0 sends none.
	Reduce int64
	// CAS collects the new node's neighbour candidates in a background
	// thread (CAS).
	CAS bool
	// Quantization is how a new set stores its vectors (NOQUANT, Q8,
	// BIN); on an existing set it must match, or the server refuses.
	Quantization VectorQuantization
	// EF is the build exploration factor (EF); 0 sends none, the
	// server's default of 200.
	EF int64
	// Attributes are JSON attributes given to the element (SETATTR), as
	// VSetAttr sets them; "" sends none.
	Attributes string
	// M is the most links of a node of the graph (M), fixed when the set
	// is created; 0 sends none, the server's default of 16.
	M int64
}

// VAddWith is VAdd with options, sent in the order of the grammar:
// REDUCE before the vector; CAS, the quantization, EF, SETATTR and M
// after the element. Since Redis 8.0.0.
func (c cmds) VAddWith(ctx context.Context, key string, vector Vector, element string, opts VAddOptions) *Future[bool] {
	f := newFuture(c.s, ctx, "VADD", 0, toBool)
	f.b.key(key)
	vectorPositive(&f.b, "VAddOptions.Reduce", opts.Reduce)
	if opts.Reduce > 0 {
		f.b.str("REDUCE").int(opts.Reduce)
	}
	vector.append(&f.b, "VAdd")
	f.b.str(element).strIf(opts.CAS, "CAS")
	f.b.token(quantTokens.of(opts.Quantization))
	vectorCount(&f.b, "EF", "VAddOptions.EF", opts.EF)
	if opts.Attributes != "" {
		f.b.str("SETATTR").str(opts.Attributes)
	}
	vectorCount(&f.b, "M", "VAddOptions.M", opts.M)
	return send(c.s, f)
}

// vectorPositive fails the command when n is negative.
func vectorPositive(b *builder, what string, n int64) {
	if n < 0 {
		b.fail(what + " needs a positive number, or 0 for none")
	}
}

// vectorCount appends token n when n is positive; 0 appends nothing and a
// negative n fails the command.
func vectorCount(b *builder, token, what string, n int64) {
	vectorPositive(b, what, n)
	if n > 0 {
		b.str(token).int(n)
	}
}

// VSimQuery is what VSIM compares the set's vectors with: a vector
// (VSimVector) or the vector of an element of the set (VSimElement).
type VSimQuery struct {
	vector    Vector
	element   string
	byElement bool
}

// VSimVector queries by a vector (FP32 or VALUES).
func VSimVector(v Vector) VSimQuery { return VSimQuery{vector: v} }

// VSimElement queries by the vector of an element of the set (ELE); an
// element the set does not hold is an error reply.
func VSimElement(element string) VSimQuery { return VSimQuery{element: element, byElement: true} }

func (q VSimQuery) append(b *builder) {
	if q.byElement {
		b.str("ELE").str(q.element)
		return
	}
	q.vector.append(b, "VSim")
}

// VSim sends VSIM key ELE|FP32|VALUES query: it returns the elements of
// the vector set at key most similar to the query, most similar first
// (the server's default count, 10, at most); a missing key gives none.
// VSimWith has the scores, attributes, count and filter. Since Redis
// 8.0.0.
func (c cmds) VSim(ctx context.Context, key string, query VSimQuery) *Future[[]string] {
	f := newFuture(c.s, ctx, "VSIM", ro, toStrings)
	f.b.key(key)
	query.append(&f.b)
	return send(c.s, f)
}

// VSimOptions are the optional arguments of VSIM.
type VSimOptions struct {
	// WithScores returns each element's similarity, from 0 (opposite)
	// to 1 (identical) (WITHSCORES).
	WithScores bool
	// WithAttributes returns each element's JSON attributes
	// (WITHATTRIBS). Redis 8.2 and later.
	WithAttributes bool
	// Count returns at most this many elements (COUNT); 0 sends none,
	// the server's default of 10.
	Count int64
	// Epsilon returns only the elements whose distance (1 - similarity)
	// is at most this, between 0 and 1 (EPSILON); 0 sends none. Redis 8.2
	// and later.
	Epsilon float64
	// EF is the search exploration factor (EF); 0 sends none.
	EF int64
	// Filter keeps only the elements whose attributes match this
	// expression (FILTER), such as `.year > 2000 and .genre == "drama"`;
	// "" sends none.
	Filter string
	// FilterEF caps the candidates the filter examines (FILTER-EF); 0
	// sends none.
	FilterEF int64
	// Truth scans every element instead of walking the graph: exact,
	// and O(N) (TRUTH).
	Truth bool
	// NoThread runs the search in the server's main thread (NOTHREAD).
	NoThread bool
}

// VSimWith is VSim with options. Each match holds its element, and its
// score and attributes when WithScores and WithAttributes ask for them
// (zero otherwise; Attributes is invalid for an element without any).
// Since Redis 8.0.0.
func (c cmds) VSimWith(ctx context.Context, key string, query VSimQuery, opts VSimOptions) *Future[[]VSimMatch] {
	conv := toVSimMatches
	switch {
	case opts.WithScores && opts.WithAttributes:
		conv = toVSimMatchesScoresAttributes
	case opts.WithScores:
		conv = toVSimMatchesScores
	case opts.WithAttributes:
		conv = toVSimMatchesAttributes
	}
	f := newFuture(c.s, ctx, "VSIM", ro, conv)
	f.b.key(key)
	query.append(&f.b)
	f.b.strIf(opts.WithScores, "WITHSCORES").strIf(opts.WithAttributes, "WITHATTRIBS")
	vectorCount(&f.b, "COUNT", "VSimOptions.Count", opts.Count)
	switch {
	case opts.Epsilon < 0 || opts.Epsilon > 1 || math.IsNaN(opts.Epsilon):
		f.b.fail("VSimOptions.Epsilon needs a distance between 0 and 1")
	case opts.Epsilon > 0:
		f.b.str("EPSILON").float(opts.Epsilon)
	}
	vectorCount(&f.b, "EF", "VSimOptions.EF", opts.EF)
	if opts.Filter != "" {
		f.b.str("FILTER").str(opts.Filter)
	}
	vectorCount(&f.b, "FILTER-EF", "VSimOptions.FilterEF", opts.FilterEF)
	f.b.strIf(opts.Truth, "TRUTH").strIf(opts.NoThread, "NOTHREAD")
	return send(c.s, f)
}

// VRem sends VREM key element: it removes element from the vector set at
// key and returns whether it was there; the set goes with its last
// element. Since Redis 8.0.0.
func (c cmds) VRem(ctx context.Context, key, element string) *Future[bool] {
	f := newFuture(c.s, ctx, "VREM", idem, toBool)
	f.b.key(key).str(element)
	return send(c.s, f)
}

// VCard sends VCARD key and returns the number of elements of the vector
// set at key, 0 for a missing key. Since Redis 8.0.0.
func (c cmds) VCard(ctx context.Context, key string) *Future[int64] {
	f := newFuture(c.s, ctx, "VCARD", ro, toInt64)
	f.b.key(key)
	return send(c.s, f)
}

// VDim sends VDIM key and returns the dimension of the vectors of the
// vector set at key (after REDUCE, if the set was created with it); a
// missing key is an error reply. Since Redis 8.0.0.
func (c cmds) VDim(ctx context.Context, key string) *Future[int64] {
	f := newFuture(c.s, ctx, "VDIM", ro, toInt64)
	f.b.key(key)
	return send(c.s, f)
}

// VEmb sends VEMB key element and returns the vector of element,
// approximated back from its normalized and quantized form; a missing key
// or element gives ErrNil. Since Redis 8.0.0.
func (c cmds) VEmb(ctx context.Context, key, element string) *Future[[]float64] {
	f := newFuture(c.s, ctx, "VEMB", ro, toVectorComponents)
	f.b.key(key).str(element)
	return send(c.s, f)
}

// VEmbRaw sends VEMB key element RAW and returns the vector of element as
// the set stores it: its quantization, its data, and the norm (and, for
// 8-bit quantization, the range) that turn it back into the vector; a
// missing key or element gives ErrNil. Since Redis 8.0.0.
func (c cmds) VEmbRaw(ctx context.Context, key, element string) *Future[VEmbRaw] {
	f := newFuture(c.s, ctx, "VEMB", ro, toVEmbRaw)
	f.b.key(key).str(element).str("RAW")
	return send(c.s, f)
}

// VGetAttr sends VGETATTR key element and returns the JSON attributes of
// element; a missing key or element, or one without attributes, gives
// ErrNil. Since Redis 8.0.0.
func (c cmds) VGetAttr(ctx context.Context, key, element string) *Future[string] {
	f := newFuture(c.s, ctx, "VGETATTR", ro, toString)
	f.b.key(key).str(element)
	return send(c.s, f)
}

// VSetAttr sends VSETATTR key element attributes: it sets the JSON
// attributes of element ("" removes them) and returns true, or false
// when the key or element is missing; attributes that are not a JSON
// object are an error reply. Since Redis 8.0.0.
func (c cmds) VSetAttr(ctx context.Context, key, element, attributes string) *Future[bool] {
	f := newFuture(c.s, ctx, "VSETATTR", idem, toBool)
	f.b.key(key).str(element).str(attributes)
	return send(c.s, f)
}

// VInfo sends VINFO key and describes the vector set at key; a missing
// key gives ErrNil. Since Redis 8.0.0.
func (c cmds) VInfo(ctx context.Context, key string) *Future[VInfo] {
	f := newFuture(c.s, ctx, "VINFO", ro, toVInfo)
	f.b.key(key)
	return send(c.s, f)
}

// VLinks sends VLINKS key element and returns the neighbours of element
// in the HNSW graph, one list per layer from layer 0; a missing key or
// element gives ErrNil. Since Redis 8.0.0.
func (c cmds) VLinks(ctx context.Context, key, element string) *Future[[][]string] {
	f := newFuture(c.s, ctx, "VLINKS", ro, toVLinks)
	f.b.key(key).str(element)
	return send(c.s, f)
}

// VLinksWithScores is VLinks with each neighbour's similarity to element
// (WITHSCORES). Since Redis 8.0.0.
func (c cmds) VLinksWithScores(ctx context.Context, key, element string) *Future[[][]VSimMatch] {
	f := newFuture(c.s, ctx, "VLINKS", ro, toVLinksScores)
	f.b.key(key).str(element).str("WITHSCORES")
	return send(c.s, f)
}

// VRandMember sends VRANDMEMBER key and returns a random element of the
// vector set at key; a missing key gives ErrNil. Since Redis 8.0.0.
func (c cmds) VRandMember(ctx context.Context, key string) *Future[string] {
	f := newFuture(c.s, ctx, "VRANDMEMBER", ro, toString)
	f.b.key(key)
	return send(c.s, f)
}

// VRandMemberWith sends VRANDMEMBER key count: up to count distinct
// random elements, or, for a negative count, -count elements that may
// repeat; a missing key gives none. Since Redis 8.0.0.
func (c cmds) VRandMemberWith(ctx context.Context, key string, count int64) *Future[[]string] {
	f := newFuture(c.s, ctx, "VRANDMEMBER", ro, toStrings)
	f.b.key(key).int(count)
	return send(c.s, f)
}

// VIsMember sends VISMEMBER key element and reports whether the vector
// set at key holds element. Redis's command pages date it 8.0.0, some of
// their versions 8.2.0. Since Redis 8.0.0.
func (c cmds) VIsMember(ctx context.Context, key, element string) *Future[bool] {
	f := newFuture(c.s, ctx, "VISMEMBER", ro, toBool)
	f.b.key(key).str(element)
	return send(c.s, f)
}

// VRange sends VRANGE key start end: the elements of the vector set at
// key from start to end in byte order, where start and end are "-" (the
// lowest), "+" (the highest), "[elem" (inclusive) or "(elem"
// (exclusive); a missing key gives none. To walk a set, pass the last
// element returned, as "(" + element, as the next start. Since Redis
// 8.4.0.
func (c cmds) VRange(ctx context.Context, key, start, end string) *Future[[]string] {
	return c.VRangeWith(ctx, key, start, end, VRangeOptions{})
}

// VRangeOptions are the optional arguments of VRANGE.
type VRangeOptions struct {
	// Count returns at most this many elements (count); 0 sends none.
	Count int64
}

// VRangeWith is VRange with options. Since Redis 8.4.0.
func (c cmds) VRangeWith(ctx context.Context, key, start, end string, opts VRangeOptions) *Future[[]string] {
	f := newFuture(c.s, ctx, "VRANGE", ro, toStrings)
	f.b.key(key).str(start).str(end)
	vectorPositive(&f.b, "VRangeOptions.Count", opts.Count)
	if opts.Count > 0 {
		f.b.int(opts.Count)
	}
	return send(c.s, f)
}

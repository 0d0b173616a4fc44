package client

import (
	"strconv"

	"github.com/actoredis/actoredis/resp"
)

// The result types and decoders of the vector_set group. Like the others,
// each gives the same Go value for a RESP2 and a RESP3 reply: VSIM
// WITHSCORES is a flat array of element, score in RESP2 and a map of
// element to double in RESP3; with WITHATTRIBS too, element, score,
// attributes in RESP2 and a map of element to [score, attributes] in
// RESP3.

// VSimMatch is one element a VSIM query found, or one neighbour of
// VLINKS WITHSCORES.
type VSimMatch struct {
	// Element is the element.
	Element string
	// Score is its similarity, from 0 (opposite) to 1 (identical); 0 when
	// not asked for.
	Score float64
	// Attributes are its JSON attributes; invalid when not asked for or
	// when the element has none.
	Attributes NullString
}

func toVSimMatches(v resp.Value) ([]VSimMatch, error) { return vsimMatches(v, false, false) }
func toVSimMatchesScores(v resp.Value) ([]VSimMatch, error) {
	return vsimMatches(v, true, false)
}
func toVSimMatchesAttributes(v resp.Value) ([]VSimMatch, error) {
	return vsimMatches(v, false, true)
}
func toVSimMatchesScoresAttributes(v resp.Value) ([]VSimMatch, error) {
	return vsimMatches(v, true, true)
}

// vsimMatches reads the matches of VSIM (and a layer of VLINKS): the
// elements alone, or, with scores or attributes, a RESP3 map of element
// to its value or a RESP2 flat array of element and its values.
func vsimMatches(v resp.Value, scores, attributes bool) ([]VSimMatch, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	stride := 1
	if scores {
		stride++
	}
	if attributes {
		stride++
	}
	if v.Kind == resp.KindMap && stride > 1 {
		stride = 2
	}
	if len(elems)%stride != 0 {
		return nil, unexpected(v, "[]VSimMatch")
	}
	out := make([]VSimMatch, 0, len(elems)/stride)
	for i := 0; i < len(elems); i += stride {
		var m VSimMatch
		if m.Element, err = elems[i].AsString(); err != nil {
			return nil, err
		}
		rest := elems[i+1 : i+stride]
		if v.Kind == resp.KindMap && scores && attributes {
			// RESP3: the value is [score, attributes].
			if rest, err = rest[0].AsValues(); err != nil {
				return nil, err
			}
			if len(rest) != 2 {
				return nil, unexpected(elems[i+1], "[score, attributes]")
			}
		}
		if scores {
			if m.Score, err = rest[0].AsFloat64(); err != nil {
				return nil, err
			}
			rest = rest[1:]
		}
		if attributes && !rest[0].IsNull() {
			if m.Attributes.Value, err = rest[0].AsString(); err != nil {
				return nil, err
			}
			m.Attributes.Valid = true
		}
		out = append(out, m)
	}
	return out, nil
}

// toVectorComponents reads VEMB: the components, as bulk strings in RESP2
// and doubles in RESP3; null for a missing key or element is ErrNil.
func toVectorComponents(v resp.Value) ([]float64, error) {
	if v.IsNull() {
		return nil, resp.ErrNil
	}
	return v.AsFloat64s()
}

// VEmbRaw is the vector of an element as its set stores it (VEMB RAW).
type VEmbRaw struct {
	// Quantization is the set's storage: "fp32" (NOQUANT), "q8" or
	// "bin", as the server names it.
	Quantization string
	// Data is the stored vector: 4-byte little-endian floats for fp32
	// (what VectorBlob takes), one signed byte per component for q8, a
	// bitmap for bin. The vector was normalized (divided by Norm) first.
	Data []byte
	// Norm is the L2 norm of the vector before it was normalized.
	Norm float64
	// Range is, for q8, the factor that turns a stored byte back into a
	// component of the normalized vector; 0 otherwise.
	Range float64
}

// toVEmbRaw reads [quantization, data, norm, range (q8 only)].
func toVEmbRaw(v resp.Value) (VEmbRaw, error) {
	if v.IsNull() {
		return VEmbRaw{}, resp.ErrNil
	}
	elems, err := v.AsValues()
	if err != nil {
		return VEmbRaw{}, err
	}
	if len(elems) != 3 && len(elems) != 4 {
		return VEmbRaw{}, unexpected(v, "VEmbRaw")
	}
	var r VEmbRaw
	if r.Quantization, err = elems[0].AsString(); err != nil {
		return VEmbRaw{}, err
	}
	if r.Data, err = elems[1].AsBytes(); err != nil {
		return VEmbRaw{}, err
	}
	if r.Norm, err = elems[2].AsFloat64(); err != nil {
		return VEmbRaw{}, err
	}
	if len(elems) == 4 {
		if r.Range, err = elems[3].AsFloat64(); err != nil {
			return VEmbRaw{}, err
		}
	}
	return r, nil
}

// VInfo describes a vector set (VINFO).
type VInfo struct {
	// Quantization is how the set stores its vectors ("int8", "f32",
	// "bin", as the server names them: quant-type).
	Quantization string
	// Dim is the dimension of the stored vectors (vector-dim).
	Dim int64
	// ProjectionInputDim is the dimension of the vectors given to VADD
	// when the set reduces them (REDUCE), 0 otherwise
	// (projection-input-dim).
	ProjectionInputDim int64
	// Size is the number of elements (size).
	Size int64
	// MaxLevel is the highest layer of the HNSW graph (max-level).
	MaxLevel int64
	// M is the most links of a node (hnsw-m).
	M int64
	// AttributesCount is the number of elements with attributes
	// (attributes-count).
	AttributesCount int64
	// UID is the set's unique id (vset-uid).
	UID int64
	// MaxNodeUID is the highest node id given so far
	// (hnsw-max-node-uid).
	MaxNodeUID int64
	// Fields holds every field of the reply, those above included, by
	// the server's name, as text.
	Fields map[string]string
}

// toVInfo reads the map (a flat array in RESP2) of VINFO; null for a
// missing key is ErrNil.
func toVInfo(v resp.Value) (VInfo, error) {
	if v.IsNull() {
		return VInfo{}, resp.ErrNil
	}
	fields, err := v.AsStringMap()
	if err != nil {
		return VInfo{}, err
	}
	info := VInfo{Quantization: fields["quant-type"], Fields: fields}
	for name, dst := range map[string]*int64{
		"vector-dim": &info.Dim, "projection-input-dim": &info.ProjectionInputDim, "size": &info.Size,
		"max-level": &info.MaxLevel, "hnsw-m": &info.M, "attributes-count": &info.AttributesCount,
		"vset-uid": &info.UID, "hnsw-max-node-uid": &info.MaxNodeUID,
	} {
		s, ok := fields[name]
		if !ok {
			continue
		}
		if *dst, err = strconv.ParseInt(s, 10, 64); err != nil {
			return VInfo{}, unexpected(v, "VInfo: "+name)
		}
	}
	return info, nil
}

// toVLinks reads VLINKS: one array of elements per layer; null for a
// missing key or element is ErrNil.
func toVLinks(v resp.Value) ([][]string, error) {
	return vlinks(v, resp.Value.AsStrings)
}

// toVLinksScores reads VLINKS WITHSCORES: per layer, a flat array of
// element, score (RESP2) or a map (RESP3).
func toVLinksScores(v resp.Value) ([][]VSimMatch, error) {
	return vlinks(v, toVSimMatchesScores)
}

func vlinks[T any](v resp.Value, layer func(resp.Value) (T, error)) ([]T, error) {
	if v.IsNull() {
		return nil, resp.ErrNil
	}
	layers, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]T, len(layers))
	for i, l := range layers {
		if out[i], err = layer(l); err != nil {
			return nil, err
		}
	}
	return out, nil
}

package client

import "github.com/actoredis/actoredis/resp"

// The result types of the string group and their decoders. Like those in
// reply.go, each decoder is a plain function (no closure) and gives the
// same Go value for a RESP2 and a RESP3 reply. NullString, which HMGET
// returns too, is in reply.go.

// SetResult is what SetWith reports.
type SetResult struct {
	// Written is false when the Condition stopped the write.
	Written bool
	// Old is the value the key held before, and HadOld tells whether it
	// held one: both only with SetOptions.Get.
	Old    string
	HadOld bool
}

// The four readings of SET, chosen by SetWith from its options so the
// future holds a plain function.

// toSetWritten reads SET without GET: "OK" when written, null when NX or
// XX stopped it.
func toSetWritten(v resp.Value) (SetResult, error) {
	if v.IsNull() {
		return SetResult{}, nil
	}
	if _, err := v.AsString(); err != nil {
		return SetResult{}, err
	}
	return SetResult{Written: true}, nil
}

// oldValue reads the old value of SET ... GET (null: none).
func oldValue(v resp.Value) (SetResult, error) {
	if v.IsNull() {
		return SetResult{}, nil
	}
	s, err := v.AsString()
	if err != nil {
		return SetResult{}, err
	}
	return SetResult{Old: s, HadOld: true}, nil
}

// toSetGet reads SET ... GET: always written.
func toSetGet(v resp.Value) (SetResult, error) {
	r, err := oldValue(v)
	r.Written = err == nil
	return r, err
}

// toSetGetNX reads SET ... NX GET: written when there was no old value.
func toSetGetNX(v resp.Value) (SetResult, error) {
	r, err := oldValue(v)
	r.Written = err == nil && !r.HadOld
	return r, err
}

// toSetGetXX reads SET ... XX GET: written when there was an old value.
func toSetGetXX(v resp.Value) (SetResult, error) {
	r, err := oldValue(v)
	r.Written = err == nil && r.HadOld
	return r, err
}

// LCSResult is the answer of LCSWith. Which fields are set depends on the
// options: Text without Length or Indexes; Length with Length; Length and
// Matches with Indexes.
type LCSResult struct {
	// Text is the subsequence itself.
	Text string
	// Length is the subsequence's length.
	Length int64
	// Matches are the ranges that make up the subsequence, from the end of
	// the strings to their start, as the server lists them.
	Matches []LCSMatch
}

// LCSMatch is one matching range of an LCS: where it lies in the string
// at key1 and at key2.
type LCSMatch struct {
	Key1, Key2 LCSRange
	// Length is the match's length.
	Length int64
}

// LCSRange is a range of byte offsets, both inclusive.
type LCSRange struct {
	Start, End int64
}

// toLCSText reads LCS without LEN or IDX.
func toLCSText(v resp.Value) (LCSResult, error) {
	s, err := v.AsString()
	return LCSResult{Text: s}, err
}

// toLCSLength reads LCS ... LEN.
func toLCSLength(v resp.Value) (LCSResult, error) {
	n, err := v.AsInt64()
	return LCSResult{Length: n}, err
}

// toLCSMatches reads LCS ... IDX: a map (RESP3) or flat array (RESP2) of
// "matches" and "len"; each match is [[start1, end1], [start2, end2]] with
// the match length as a third element under WITHMATCHLEN.
func toLCSMatches(v resp.Value) (LCSResult, error) {
	m, err := v.AsMap()
	if err != nil {
		return LCSResult{}, err
	}
	var r LCSResult
	if r.Length, err = m["len"].AsInt64(); err != nil {
		return LCSResult{}, err
	}
	matches, err := m["matches"].AsValues()
	if err != nil {
		return LCSResult{}, err
	}
	r.Matches = make([]LCSMatch, len(matches))
	for i, mv := range matches {
		parts, err := mv.AsValues()
		if err != nil {
			return LCSResult{}, err
		}
		if len(parts) != 2 && len(parts) != 3 {
			return LCSResult{}, unexpected(mv, "LCSMatch")
		}
		if r.Matches[i].Key1, err = lcsRange(parts[0]); err != nil {
			return LCSResult{}, err
		}
		if r.Matches[i].Key2, err = lcsRange(parts[1]); err != nil {
			return LCSResult{}, err
		}
		if len(parts) == 3 {
			if r.Matches[i].Length, err = parts[2].AsInt64(); err != nil {
				return LCSResult{}, err
			}
		} else {
			r.Matches[i].Length = r.Matches[i].Key1.End - r.Matches[i].Key1.Start + 1
		}
	}
	return r, nil
}

func lcsRange(v resp.Value) (LCSRange, error) {
	ns, err := v.AsInt64s()
	if err != nil {
		return LCSRange{}, err
	}
	if len(ns) != 2 {
		return LCSRange{}, unexpected(v, "LCSRange")
	}
	return LCSRange{Start: ns[0], End: ns[1]}, nil
}

package client

import (
	"github.com/actoredis/actoredis/resp"
)

// The result types of the sorted-set group (cmd_sorted_set*.go) and
// their decoders. Scores come as bulk strings in
// RESP2 and as doubles in RESP3; members with scores come as a flat array
// (member, score, member, score...) in RESP2, in ZSCAN under both
// protocols and in RESP3 ZPOPMIN/ZPOPMAX without a count, and as an array
// of [member, score] pairs in RESP3 otherwise. Each reading accepts every
// form, so a method gives the same Go value under both protocols.

// Z is a member of a sorted set with its score.
type Z struct {
	Member string
	Score  float64
}

// zsetToZs reads members with scores, flat or in pairs.
func zsetToZs(v resp.Value) ([]Z, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	if len(elems) == 0 {
		return []Z{}, nil
	}
	if zsetIsAggregate(elems[0]) {
		out := make([]Z, len(elems))
		for i, e := range elems {
			pair, err := e.AsValues()
			if err != nil {
				return nil, err
			}
			if len(pair) != 2 {
				return nil, unexpected(e, "Z")
			}
			if out[i], err = zsetPair(pair[0], pair[1]); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	if len(elems)%2 != 0 {
		return nil, unexpected(v, "[]Z")
	}
	out := make([]Z, len(elems)/2)
	for i := range out {
		if out[i], err = zsetPair(elems[2*i], elems[2*i+1]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func zsetIsAggregate(v resp.Value) bool {
	switch v.Kind {
	case resp.KindArray, resp.KindSet, resp.KindPush, resp.KindMap:
		return true
	}
	return false
}

func zsetPair(member, score resp.Value) (Z, error) {
	m, err := member.AsString()
	if err != nil {
		return Z{}, err
	}
	s, err := score.AsFloat64()
	if err != nil {
		return Z{}, err
	}
	return Z{Member: m, Score: s}, nil
}

// NullFloat64 is a float64 that may be missing: ZMScore returns one per
// member, with Valid false where the member does not exist; ZAddIncr
// returns one with Valid false when a condition stopped the increment.
type NullFloat64 struct {
	Value float64
	Valid bool
}

// zsetToNullFloat reads ZADD ... INCR: the new score, or null when a
// condition stopped it.
func zsetToNullFloat(v resp.Value) (NullFloat64, error) {
	if v.IsNull() {
		return NullFloat64{}, nil
	}
	f, err := v.AsFloat64()
	if err != nil {
		return NullFloat64{}, err
	}
	return NullFloat64{Value: f, Valid: true}, nil
}

// zsetToNullFloats reads ZMSCORE: a null element is an invalid NullFloat64.
func zsetToNullFloats(v resp.Value) ([]NullFloat64, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]NullFloat64, len(elems))
	for i, e := range elems {
		if out[i], err = zsetToNullFloat(e); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ZWithKey is a member popped by BZPopMin or BZPopMax, with the key of
// the sorted set it came from.
type ZWithKey struct {
	Key string
	Z
}

// zsetToWithKey reads BZPOPMIN and BZPOPMAX: [key, member, score], or null
// on timeout (ErrNil).
func zsetToWithKey(v resp.Value) (ZWithKey, error) {
	elems, err := v.AsValues()
	if err != nil {
		return ZWithKey{}, err
	}
	if len(elems) != 3 {
		return ZWithKey{}, unexpected(v, "ZWithKey")
	}
	k, err := elems[0].AsString()
	if err != nil {
		return ZWithKey{}, err
	}
	z, err := zsetPair(elems[1], elems[2])
	if err != nil {
		return ZWithKey{}, err
	}
	return ZWithKey{Key: k, Z: z}, nil
}

// ZMPopResult is what ZMPop and BZMPop return: the key popped from and
// the members popped, in pop order.
type ZMPopResult struct {
	Key     string
	Members []Z
}

// zsetToMPop reads ZMPOP and BZMPOP: [key, [[member, score], ...]], or
// null when nothing was popped (ErrNil).
func zsetToMPop(v resp.Value) (ZMPopResult, error) {
	elems, err := v.AsValues()
	if err != nil {
		return ZMPopResult{}, err
	}
	if len(elems) != 2 {
		return ZMPopResult{}, unexpected(v, "ZMPopResult")
	}
	k, err := elems[0].AsString()
	if err != nil {
		return ZMPopResult{}, err
	}
	zs, err := zsetToZs(elems[1])
	if err != nil {
		return ZMPopResult{}, err
	}
	return ZMPopResult{Key: k, Members: zs}, nil
}

// ZScanPage is one page of ZSCAN: the members with their scores and the
// cursor for the next page, 0 once the iteration is complete.
type ZScanPage struct {
	Cursor  uint64
	Members []Z
}

// zsetToScanPage reads ZSCAN: [cursor, [member, score, ...]].
func zsetToScanPage(v resp.Value) (ZScanPage, error) {
	return zsetScanPage(v, zsetToZs)
}

// zsetToScanPageMembers reads ZSCAN ... NOSCORES: [cursor, [member, ...]].
func zsetToScanPageMembers(v resp.Value) (ZScanPage, error) {
	return zsetScanPage(v, zsetToMembers)
}

func zsetScanPage(v resp.Value, members func(resp.Value) ([]Z, error)) (ZScanPage, error) {
	n, page, err := scanReply(v, "ZScanPage")
	if err != nil {
		return ZScanPage{}, err
	}
	zs, err := members(page)
	if err != nil {
		return ZScanPage{}, err
	}
	return ZScanPage{Cursor: n, Members: zs}, nil
}

// zsetToMembers reads members without scores: each Z's Score is 0.
func zsetToMembers(v resp.Value) ([]Z, error) {
	names, err := v.AsStrings()
	if err != nil {
		return nil, err
	}
	out := make([]Z, len(names))
	for i, n := range names {
		out[i].Member = n
	}
	return out, nil
}

// RankScore is the reply of ZRANK and ZREVRANK with WITHSCORE: the
// member's 0-based rank and its score.
type RankScore struct {
	Rank  int64
	Score float64
}

// zsetToRankScore reads ZRANK ... WITHSCORE: [rank, score] (the score a
// bulk string under RESP2, a double under RESP3), or null for a missing
// member (ErrNil).
func zsetToRankScore(v resp.Value) (RankScore, error) {
	elems, err := v.AsValues()
	if err != nil {
		return RankScore{}, err
	}
	if len(elems) != 2 {
		return RankScore{}, unexpected(v, "RankScore")
	}
	rank, err := elems[0].AsInt64()
	if err != nil {
		return RankScore{}, err
	}
	score, err := elems[1].AsFloat64()
	if err != nil {
		return RankScore{}, err
	}
	return RankScore{Rank: rank, Score: score}, nil
}

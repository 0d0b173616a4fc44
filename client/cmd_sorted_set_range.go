package client

import (
	"context"
)

// The range commands of the sorted-set group: ZRANGE and its legacy
// forms (ZRANGEBYSCORE, ZREVRANGE, ...), ZRANGESTORE, ZREMRANGEBY* and
// ZLEXCOUNT. Bounds are written as cmd_sorted_set.go describes.

// ZRangeBy is what ZRANGE's start and stop mean. The zero value,
// ZRangeRank, sends no token: they are ranks.
type ZRangeBy uint8

// The ranges of ZRANGE and ZRANGESTORE.
const (
	// ZRangeRank: start and stop are 0-based ranks, negative from the
	// end (no token).
	ZRangeRank ZRangeBy = iota
	// ZRangeScore: start and stop are score bounds (BYSCORE).
	ZRangeScore
	// ZRangeLex: start and stop are lex bounds (BYLEX).
	ZRangeLex
)

var zRangeByTokens = tokens[ZRangeBy]{typ: "ZRangeBy", zero: "rank", list: []string{
	ZRangeRank: "", ZRangeScore: "BYSCORE", ZRangeLex: "BYLEX",
}}

// String returns the range's Redis token ("BYSCORE", "BYLEX"), or "rank".
func (r ZRangeBy) String() string { return zRangeByTokens.name(r) }

// ZRangeOptions are the optional arguments of ZRANGE and ZRANGESTORE.
type ZRangeOptions struct {
	// By says what start and stop are: ranks, scores (BYSCORE) or lex
	// bounds (BYLEX).
	By ZRangeBy
	// Rev returns the members from the highest score down (REV); start is
	// then the upper bound for scores and lex.
	Rev bool
	// Offset and Count return only Count members from Offset (LIMIT), with
	// ZRangeScore and ZRangeLex. Both zero: no limit; Count zero with
	// an Offset: every member from Offset on.
	Offset int64
	Count  int64
}

func (o ZRangeOptions) append(b *builder, start, stop any) {
	b.any(start).any(stop)
	b.token(zRangeByTokens.of(o.By))
	b.strIf(o.Rev, "REV")
	if o.Offset != 0 || o.Count != 0 {
		if o.By == ZRangeRank {
			b.fail("ZRangeOptions.Offset and Count need ZRangeScore or ZRangeLex")
		}
		zsetLimit(b, o.Offset, o.Count)
	}
}

func zsetLimit(b *builder, offset, count int64) {
	if offset == 0 && count == 0 {
		return
	}
	if count == 0 {
		count = -1
	}
	b.str("LIMIT").int(offset).int(count)
}

// ZRange sends ZRANGE key start stop: the members from rank start to rank
// stop, both inclusive (negative ranks count from the end: -1 is the
// last), by score. Since Redis 1.2.0.
func (c cmds) ZRange(ctx context.Context, key string, start, stop int64) *Future[[]string] {
	f := newFuture(c.s, ctx, "ZRANGE", ro, toStrings)
	f.b.key(key).int(start).int(stop)
	return send(c.s, f)
}

// ZRangeWith is ZRange with options. start and stop are ranks (integers),
// score bounds (numbers, or strings such as "(1.5" and "-inf") or lex
// bounds ("[a", "-"), as opts.By says. BYSCORE, BYLEX, REV and LIMIT need
// Redis 6.2.0. Since Redis 1.2.0.
func (c cmds) ZRangeWith(ctx context.Context, key string, start, stop any, opts ZRangeOptions) *Future[[]string] {
	f := newFuture(c.s, ctx, "ZRANGE", ro, toStrings)
	f.b.key(key)
	opts.append(&f.b, start, stop)
	return send(c.s, f)
}

// ZRangeWithScores is ZRANGE ... WITHSCORES: ZRangeWith with the scores.
// It is the third method of ZRANGE because its result differs. Since
// Redis 1.2.0.
func (c cmds) ZRangeWithScores(ctx context.Context, key string, start, stop any, opts ZRangeOptions) *Future[[]Z] {
	f := newFuture(c.s, ctx, "ZRANGE", ro, zsetToZs)
	f.b.key(key)
	opts.append(&f.b, start, stop)
	f.b.str("WITHSCORES")
	return send(c.s, f)
}

// ZRangeStore sends ZRANGESTORE dst src start stop [options]: it stores
// the members ZRangeWith would return, with their scores, at dst
// (replacing it) and returns how many. Since Redis 6.2.0.
func (c cmds) ZRangeStore(ctx context.Context, dst, src string, start, stop any, opts ZRangeOptions) *Future[int64] {
	f := newFuture(c.s, ctx, "ZRANGESTORE", idem, toInt64)
	f.b.key(dst).key(src)
	opts.append(&f.b, start, stop)
	return send(c.s, f)
}

// ZLimitOptions are the optional arguments of the legacy range commands
// (ZRANGEBYSCORE, ZRANGEBYLEX and their REV forms).
type ZLimitOptions struct {
	// Offset and Count return only Count members from Offset (LIMIT).
	// Both zero: no limit; Count zero with an Offset: every member from
	// Offset on.
	Offset int64
	Count  int64
}

func zsetRangeBy(s sender, ctx context.Context, name, key, min, max string, opts ZLimitOptions, withScores bool) *Future[[]string] {
	f := newFuture(s, ctx, name, ro, toStrings)
	f.b.key(key).str(min).str(max)
	f.b.strIf(withScores, "WITHSCORES")
	zsetLimit(&f.b, opts.Offset, opts.Count)
	return f
}

func zsetRangeByScores(s sender, ctx context.Context, name, key, min, max string, opts ZLimitOptions) *Future[[]Z] {
	f := newFuture(s, ctx, name, ro, zsetToZs)
	f.b.key(key).str(min).str(max).str("WITHSCORES")
	zsetLimit(&f.b, opts.Offset, opts.Count)
	return f
}

// ZRangeByLex sends ZRANGEBYLEX key min max: the members between the lex
// bounds min and max ("[a", "(a", "-", "+"). ZRangeWith with ZRangeLex
// replaces it. Since Redis 2.8.9.
func (c cmds) ZRangeByLex(ctx context.Context, key, min, max string) *Future[[]string] {
	return c.ZRangeByLexWith(ctx, key, min, max, ZLimitOptions{})
}

// ZRangeByLexWith is ZRangeByLex with a limit. Since Redis 2.8.9.
func (c cmds) ZRangeByLexWith(ctx context.Context, key, min, max string, opts ZLimitOptions) *Future[[]string] {
	return send(c.s, zsetRangeBy(c.s, ctx, "ZRANGEBYLEX", key, min, max, opts, false))
}

// ZRangeByScore sends ZRANGEBYSCORE key min max: the members with a score
// between the score bounds min and max, lowest first. ZRangeWith with
// ZRangeScore replaces it. Since Redis 1.0.5.
func (c cmds) ZRangeByScore(ctx context.Context, key, min, max string) *Future[[]string] {
	return c.ZRangeByScoreWith(ctx, key, min, max, ZLimitOptions{})
}

// ZRangeByScoreWith is ZRangeByScore with a limit. Since Redis 1.0.5.
func (c cmds) ZRangeByScoreWith(ctx context.Context, key, min, max string, opts ZLimitOptions) *Future[[]string] {
	return send(c.s, zsetRangeBy(c.s, ctx, "ZRANGEBYSCORE", key, min, max, opts, false))
}

// ZRangeByScoreWithScores is ZRANGEBYSCORE ... WITHSCORES:
// ZRangeByScoreWith with the scores. Since Redis 2.0.0.
func (c cmds) ZRangeByScoreWithScores(ctx context.Context, key, min, max string, opts ZLimitOptions) *Future[[]Z] {
	return send(c.s, zsetRangeByScores(c.s, ctx, "ZRANGEBYSCORE", key, min, max, opts))
}

// ZLexCount sends ZLEXCOUNT key min max: the number of members between
// the lex bounds min and max ("[a", "(a", "-", "+"), for a sorted set
// whose members all have the same score. Since Redis 2.8.9.
func (c cmds) ZLexCount(ctx context.Context, key, min, max string) *Future[int64] {
	f := newFuture(c.s, ctx, "ZLEXCOUNT", ro, toInt64)
	f.b.key(key).str(min).str(max)
	return send(c.s, f)
}

// ZRemRangeByLex sends ZREMRANGEBYLEX key min max: it removes the members
// between the lex bounds and returns how many. Since Redis 2.8.9.
func (c cmds) ZRemRangeByLex(ctx context.Context, key, min, max string) *Future[int64] {
	f := newFuture(c.s, ctx, "ZREMRANGEBYLEX", idem, toInt64)
	f.b.key(key).str(min).str(max)
	return send(c.s, f)
}

// ZRemRangeByRank sends ZREMRANGEBYRANK key start stop: it removes the
// members from rank start to rank stop, both inclusive, and returns how
// many. Since Redis 2.0.0.
func (c cmds) ZRemRangeByRank(ctx context.Context, key string, start, stop int64) *Future[int64] {
	f := newFuture(c.s, ctx, "ZREMRANGEBYRANK", 0, toInt64)
	f.b.key(key).int(start).int(stop)
	return send(c.s, f)
}

// ZRemRangeByScore sends ZREMRANGEBYSCORE key min max: it removes the
// members with a score between the score bounds and returns how many.
// Since Redis 1.2.0.
func (c cmds) ZRemRangeByScore(ctx context.Context, key, min, max string) *Future[int64] {
	f := newFuture(c.s, ctx, "ZREMRANGEBYSCORE", idem, toInt64)
	f.b.key(key).str(min).str(max)
	return send(c.s, f)
}

// ZRevRange sends ZREVRANGE key start stop: ZRange from the highest score
// down. ZRangeWith with Rev replaces it. Since Redis 1.2.0.
func (c cmds) ZRevRange(ctx context.Context, key string, start, stop int64) *Future[[]string] {
	f := newFuture(c.s, ctx, "ZREVRANGE", ro, toStrings)
	f.b.key(key).int(start).int(stop)
	return send(c.s, f)
}

// ZRevRangeWithScores is ZREVRANGE ... WITHSCORES: ZRevRange with the
// scores. Since Redis 1.2.0.
func (c cmds) ZRevRangeWithScores(ctx context.Context, key string, start, stop int64) *Future[[]Z] {
	f := newFuture(c.s, ctx, "ZREVRANGE", ro, zsetToZs)
	f.b.key(key).int(start).int(stop).str("WITHSCORES")
	return send(c.s, f)
}

// ZRevRangeByLex sends ZREVRANGEBYLEX key max min: ZRangeByLex from the
// greatest member down; note max comes first. Since Redis 2.8.9.
func (c cmds) ZRevRangeByLex(ctx context.Context, key, max, min string) *Future[[]string] {
	return c.ZRevRangeByLexWith(ctx, key, max, min, ZLimitOptions{})
}

// ZRevRangeByLexWith is ZRevRangeByLex with a limit. Since Redis 2.8.9.
func (c cmds) ZRevRangeByLexWith(ctx context.Context, key, max, min string, opts ZLimitOptions) *Future[[]string] {
	return send(c.s, zsetRangeBy(c.s, ctx, "ZREVRANGEBYLEX", key, max, min, opts, false))
}

// ZRevRangeByScore sends ZREVRANGEBYSCORE key max min: ZRangeByScore from
// the highest score down; note max comes first. Since Redis 2.2.0.
func (c cmds) ZRevRangeByScore(ctx context.Context, key, max, min string) *Future[[]string] {
	return c.ZRevRangeByScoreWith(ctx, key, max, min, ZLimitOptions{})
}

// ZRevRangeByScoreWith is ZRevRangeByScore with a limit. Since Redis 2.2.0.
func (c cmds) ZRevRangeByScoreWith(ctx context.Context, key, max, min string, opts ZLimitOptions) *Future[[]string] {
	return send(c.s, zsetRangeBy(c.s, ctx, "ZREVRANGEBYSCORE", key, max, min, opts, false))
}

// ZRevRangeByScoreWithScores is ZREVRANGEBYSCORE ... WITHSCORES:
// ZRevRangeByScoreWith with the scores. Since Redis 2.2.0.
func (c cmds) ZRevRangeByScoreWithScores(ctx context.Context, key, max, min string, opts ZLimitOptions) *Future[[]Z] {
	return send(c.s, zsetRangeByScores(c.s, ctx, "ZREVRANGEBYSCORE", key, max, min, opts))
}

package client

import (
	"context"
	"iter"
	"time"

	"github.com/actoredis/actoredis/messages"
)

// Commands of the sorted-set group: members, scores and pops. The range
// commands are in cmd_sorted_set_range.go, ZINTER, ZUNION and ZDIFF in
// cmd_sorted_set_algebra.go, the result types in reply_sorted_set.go.
//
// Score bounds (ZCount, ZRangeByScore, ZRemRangeByScore, ...) are strings
// as Redis writes them: "1.5", "(1.5" (exclusive), "-inf", "+inf". Lex
// bounds (ZLexCount, ZRangeByLex, ...) are "[a" (inclusive), "(a"
// (exclusive), "-" and "+".
//
// A command whose WITHSCORES form returns members with their scores has a
// method of its own for that form, XxxWithScores, returning []Z: the
// result type differs, so it cannot be an option of XxxWith.

// AddCondition restricts which members ZADD and GEOADD write. The zero
// value, AddOrUpdate, adds new members and updates existing ones.
type AddCondition uint8

// The conditions of ZADD and GEOADD.
const (
	// AddOrUpdate adds and updates (no token).
	AddOrUpdate AddCondition = iota
	// AddOnly adds new members and never updates existing ones (NX).
	AddOnly
	// UpdateOnly updates existing members and never adds new ones (XX).
	UpdateOnly
)

var addConditionTokens = tokens[AddCondition]{typ: "AddCondition", zero: "add-or-update", list: []string{
	AddOrUpdate: "", AddOnly: "NX", UpdateOnly: "XX",
}}

// String returns the condition's Redis token ("NX", "XX"), or
// "add-or-update" for AddOrUpdate.
func (a AddCondition) String() string { return addConditionTokens.name(a) }

// ScoreCondition restricts ZADD's updates of existing members by how the
// new score compares with the current one. The zero value, ScoreAny,
// updates whatever the scores.
type ScoreCondition uint8

// The score conditions of ZADD.
const (
	// ScoreAny updates whatever the scores (no token).
	ScoreAny ScoreCondition = iota
	// ScoreGreater updates only when the new score is greater (GT).
	ScoreGreater
	// ScoreLess updates only when the new score is less (LT).
	ScoreLess
)

var scoreConditionTokens = tokens[ScoreCondition]{typ: "ScoreCondition", zero: "any", list: []string{
	ScoreAny: "", ScoreGreater: "GT", ScoreLess: "LT",
}}

// String returns the condition's Redis token ("GT", "LT"), or "any".
func (s ScoreCondition) String() string { return scoreConditionTokens.name(s) }

// ZAddOptions are the optional arguments of ZADD.
type ZAddOptions struct {
	// Condition: AddOnly (NX) or UpdateOnly (XX).
	Condition AddCondition
	// Compare: ScoreGreater (GT) or ScoreLess (LT). It excludes AddOnly.
	Compare ScoreCondition
	// Changed makes ZAddWith count the members added and the members whose
	// score changed, not only those added (CH).
	Changed bool
}

func (o ZAddOptions) append(b *builder) {
	b.token(addConditionTokens.of(o.Condition))
	b.token(scoreConditionTokens.of(o.Compare))
	b.strIf(o.Changed, "CH")
}

func (o ZAddOptions) flags() messages.Flags {
	if o.Condition != AddOrUpdate || o.Compare != ScoreAny {
		return 0 // a repeat after success would count differently
	}
	return idem
}

// ZAdd sends ZADD key score member ...: it sets the scores of members
// (adding those that are new) and returns how many were added. Since
// Redis 1.2.0.
func (c cmds) ZAdd(ctx context.Context, key string, members ...Z) *Future[int64] {
	return c.ZAddWith(ctx, key, ZAddOptions{}, members...)
}

// ZAddWith is ZAdd with options: it returns how many members were added,
// or with Changed, added or changed. NX, XX and CH need Redis 3.0.2, GT and
// LT Redis 6.2.0. Since Redis 1.2.0.
func (c cmds) ZAddWith(ctx context.Context, key string, opts ZAddOptions, members ...Z) *Future[int64] {
	f := newFuture(c.s, ctx, "ZADD", opts.flags(), toInt64)
	f.b.key(key)
	opts.append(&f.b)
	if len(members) == 0 {
		f.b.fail("ZAdd needs at least one member")
	}
	for _, m := range members {
		f.b.float(m.Score).str(m.Member)
	}
	return send(c.s, f)
}

// ZAddIncr sends ZADD key [options] INCR increment member: it adds
// increment to the score of member (adding it with that score when new)
// and returns the new score, like ZIncrBy under conditions. The result is
// not Valid when a condition stopped the increment. It is the third
// method of ZADD because its result differs. Since Redis 3.0.2.
func (c cmds) ZAddIncr(ctx context.Context, key, member string, increment float64, opts ZAddOptions) *Future[NullFloat64] {
	f := newFuture(c.s, ctx, "ZADD", 0, zsetToNullFloat)
	f.b.key(key)
	opts.append(&f.b)
	f.b.str("INCR").float(increment).str(member)
	return send(c.s, f)
}

// ZCard sends ZCARD key: the number of members (0 for a missing key).
// Since Redis 1.2.0.
func (c cmds) ZCard(ctx context.Context, key string) *Future[int64] {
	f := newFuture(c.s, ctx, "ZCARD", ro, toInt64)
	f.b.key(key)
	return send(c.s, f)
}

// ZCount sends ZCOUNT key min max: the number of members with a score
// between the score bounds min and max ("1", "(1", "-inf", "+inf").
// Since Redis 2.0.0.
func (c cmds) ZCount(ctx context.Context, key, min, max string) *Future[int64] {
	f := newFuture(c.s, ctx, "ZCOUNT", ro, toInt64)
	f.b.key(key).str(min).str(max)
	return send(c.s, f)
}

// ZIncrBy sends ZINCRBY key increment member: it adds increment to the
// score of member (adding it when new) and returns the new score. Since
// Redis 1.2.0.
func (c cmds) ZIncrBy(ctx context.Context, key string, increment float64, member string) *Future[float64] {
	f := newFuture(c.s, ctx, "ZINCRBY", 0, toFloat64)
	f.b.key(key).float(increment).str(member)
	return send(c.s, f)
}

// ZMScore sends ZMSCORE key member ...: the score of each member, not
// Valid where the member (or the key) does not exist. Since Redis 6.2.0.
func (c cmds) ZMScore(ctx context.Context, key string, members ...string) *Future[[]NullFloat64] {
	f := newFuture(c.s, ctx, "ZMSCORE", ro, zsetToNullFloats)
	f.b.key(key)
	if len(members) == 0 {
		f.b.fail("ZMScore needs at least one member")
	}
	for _, m := range members {
		f.b.str(m)
	}
	return send(c.s, f)
}

// ZRandMember sends ZRANDMEMBER key count: count distinct random members
// when count is positive (fewer when the set is smaller), or -count
// members that may repeat when it is negative. Since Redis 6.2.0.
func (c cmds) ZRandMember(ctx context.Context, key string, count int64) *Future[[]string] {
	f := newFuture(c.s, ctx, "ZRANDMEMBER", ro, toStrings)
	f.b.key(key).int(count)
	return send(c.s, f)
}

// ZRandMemberWithScores is ZRANDMEMBER key count WITHSCORES: ZRandMember
// with the scores. Since Redis 6.2.0.
func (c cmds) ZRandMemberWithScores(ctx context.Context, key string, count int64) *Future[[]Z] {
	f := newFuture(c.s, ctx, "ZRANDMEMBER", ro, zsetToZs)
	f.b.key(key).int(count).str("WITHSCORES")
	return send(c.s, f)
}

// ZRank sends ZRANK key member: the 0-based rank of member, lowest score
// first. A missing member gives ErrNil. Since Redis 2.0.0.
func (c cmds) ZRank(ctx context.Context, key, member string) *Future[int64] {
	f := newFuture(c.s, ctx, "ZRANK", ro, toInt64)
	f.b.key(key).str(member)
	return send(c.s, f)
}

// ZRankWithScore sends ZRANK key member WITHSCORE: the rank of member,
// lowest score first, and its score. A missing member gives ErrNil.
// Valkey 8.0+. Since Redis 7.2.0.
func (c cmds) ZRankWithScore(ctx context.Context, key, member string) *Future[RankScore] {
	f := newFuture(c.s, ctx, "ZRANK", ro, zsetToRankScore)
	f.b.key(key).str(member).str("WITHSCORE")
	return send(c.s, f)
}

// ZRevRank sends ZREVRANK key member: the 0-based rank of member, highest
// score first. A missing member gives ErrNil. Since Redis 2.0.0.
func (c cmds) ZRevRank(ctx context.Context, key, member string) *Future[int64] {
	f := newFuture(c.s, ctx, "ZREVRANK", ro, toInt64)
	f.b.key(key).str(member)
	return send(c.s, f)
}

// ZRevRankWithScore sends ZREVRANK key member WITHSCORE: the rank of
// member, highest score first, and its score. A missing member gives
// ErrNil. Valkey 8.0+. Since Redis 7.2.0.
func (c cmds) ZRevRankWithScore(ctx context.Context, key, member string) *Future[RankScore] {
	f := newFuture(c.s, ctx, "ZREVRANK", ro, zsetToRankScore)
	f.b.key(key).str(member).str("WITHSCORE")
	return send(c.s, f)
}

// ZRem sends ZREM key member ...: it removes members and returns how many
// existed. Since Redis 1.2.0.
func (c cmds) ZRem(ctx context.Context, key string, members ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "ZREM", idem, toInt64)
	f.b.key(key)
	if len(members) == 0 {
		f.b.fail("ZRem needs at least one member")
	}
	for _, m := range members {
		f.b.str(m)
	}
	return send(c.s, f)
}

// ZScanOptions are the optional arguments of ZSCAN.
type ZScanOptions struct {
	// Match keeps the members matching this glob-style pattern (MATCH).
	Match string
	// Count hints how many members each call examines (COUNT); 0 leaves
	// the server's default (10).
	Count int64
	// NoScores returns the members without their scores (NOSCORES): each
	// Z's Score is then 0. Valkey 8.0+ (Redis 8.0+).
	NoScores bool
}

// ZScan sends ZSCAN key cursor: the page of members at cursor; start at 0
// and stop when the page's Cursor is 0. Since Redis 2.8.0.
func (c cmds) ZScan(ctx context.Context, key string, cursor uint64) *Future[ZScanPage] {
	return c.ZScanWith(ctx, key, cursor, ZScanOptions{})
}

// ZScanWith is ZScan with options (MATCH, COUNT, NOSCORES). Since Redis
// 2.8.0.
func (c cmds) ZScanWith(ctx context.Context, key string, cursor uint64, opts ZScanOptions) *Future[ZScanPage] {
	conv := zsetToScanPage
	if opts.NoScores {
		conv = zsetToScanPageMembers
	}
	f := newFuture(c.s, ctx, "ZSCAN", ro, conv)
	f.b.key(key).uint(cursor)
	f.b.scanMatchCount(opts.Match, opts.Count).strIf(opts.NoScores, "NOSCORES")
	return send(c.s, f)
}

// ZScanIter walks the sorted set at key with ZSCAN, from cursor 0 to the
// end, yielding each member with its score. The next page is requested
// before the members of the current one are yielded. An error is yielded
// once (with a zero Z) and ends the walk. A member may be yielded more
// than once. Since Redis 2.8.0.
func (c cmds) ZScanIter(ctx context.Context, key string, opts ZScanOptions) iter.Seq2[Z, error] {
	return walkCursor(func(cur uint64) *Future[ZScanPage] { return c.ZScanWith(ctx, key, cur, opts) },
		func(p ZScanPage) (uint64, []Z) { return p.Cursor, p.Members })
}

// ZScore sends ZSCORE key member: the score of member. A missing member
// gives ErrNil. Since Redis 1.2.0.
func (c cmds) ZScore(ctx context.Context, key, member string) *Future[float64] {
	f := newFuture(c.s, ctx, "ZSCORE", ro, toFloat64)
	f.b.key(key).str(member)
	return send(c.s, f)
}

// ZPopEnd is which end of a sorted set ZMPOP and BZMPOP pop from. The zero
// value, ZLowest, pops the lowest scores (MIN).
type ZPopEnd uint8

// The ends of ZMPOP and BZMPOP.
const (
	// ZLowest pops the members with the lowest scores (MIN).
	ZLowest ZPopEnd = iota
	// ZHighest pops the members with the highest scores (MAX).
	ZHighest
)

var zPopEndTokens = tokens[ZPopEnd]{typ: "ZPopEnd", list: []string{
	ZLowest: "MIN", ZHighest: "MAX",
}}

// String returns the end's Redis token: "MIN" or "MAX".
func (e ZPopEnd) String() string { return zPopEndTokens.name(e) }

// zsetNumKeys appends len(keys) and the keys, failing when there are none.
func (b *builder) zsetNumKeys(method string, keys []string) *builder {
	if len(keys) == 0 {
		return b.fail(method + " needs at least one key")
	}
	return b.int(int64(len(keys))).keys(keys...)
}

// zsetMPopArgs appends numkeys key ... MIN|MAX [COUNT count].
func (b *builder) zsetMPopArgs(method string, keys []string, end ZPopEnd, count int64) {
	b.zsetNumKeys(method, keys)
	b.token(zPopEndTokens.of(end))
	if count < 0 {
		b.fail(method + " count must not be negative")
	}
	if count > 0 {
		b.str("COUNT").int(count)
	}
}

// ZMPop sends ZMPOP numkeys key ... MIN|MAX [COUNT count]: it pops up to
// count members (0: one) from the given end of the first non-empty sorted
// set and returns them with that set's key. When every set is empty it
// gives ErrNil. Since Redis 7.0.0.
func (c cmds) ZMPop(ctx context.Context, keys []string, end ZPopEnd, count int64) *Future[ZMPopResult] {
	f := newFuture(c.s, ctx, "ZMPOP", 0, zsetToMPop)
	f.b.zsetMPopArgs("ZMPop", keys, end, count)
	return send(c.s, f)
}

// BZMPop sends BZMPOP timeout numkeys key ... MIN|MAX [COUNT count]: ZMPop
// that waits up to timeout (0: for ever; to the millisecond) for a member
// to pop, giving ErrNil when the time runs out. It runs on a dedicated
// connection, closed if ctx ends first, so nothing is popped for a caller
// that has gone. Since Redis 7.0.0.
func (c cmds) BZMPop(ctx context.Context, timeout time.Duration, keys []string, end ZPopEnd, count int64) *Future[ZMPopResult] {
	f := newFuture(c.s, ctx, "BZMPOP", messages.Blocking, zsetToMPop)
	f.b.zsetTimeout("BZMPop", timeout)
	f.b.zsetMPopArgs("BZMPop", keys, end, count)
	return send(c.s, f)
}

// zsetTimeout appends a blocking timeout in seconds with a fraction.
func (b *builder) zsetTimeout(method string, timeout time.Duration) *builder {
	if timeout < 0 {
		return b.fail(method + " timeout must not be negative")
	}
	return b.float(float64(timeout.Milliseconds()) / 1000)
}

// BZPopMax sends BZPOPMAX key ... timeout: it pops the member with the
// highest score from the first non-empty sorted set, waiting up to
// timeout (0: for ever; to the millisecond) for one, and gives ErrNil when
// the time runs out. It runs on a dedicated connection, closed if ctx
// ends first. Since Redis 5.0.0.
func (c cmds) BZPopMax(ctx context.Context, timeout time.Duration, keys ...string) *Future[ZWithKey] {
	return send(c.s, zsetBPop(c.s, ctx, "BZPOPMAX", timeout, keys))
}

// BZPopMin is BZPopMax for the lowest score (BZPOPMIN). Since Redis 5.0.0.
func (c cmds) BZPopMin(ctx context.Context, timeout time.Duration, keys ...string) *Future[ZWithKey] {
	return send(c.s, zsetBPop(c.s, ctx, "BZPOPMIN", timeout, keys))
}

func zsetBPop(s sender, ctx context.Context, name string, timeout time.Duration, keys []string) *Future[ZWithKey] {
	f := newFuture(s, ctx, name, messages.Blocking, zsetToWithKey)
	if len(keys) == 0 {
		f.b.fail(name + " needs at least one key")
	}
	f.b.keys(keys...)
	f.b.zsetTimeout(name, timeout)
	return f
}

// ZPopMax sends ZPOPMAX key [count]: it pops up to count members (0: one)
// with the highest scores, highest first. Since Redis 5.0.0.
func (c cmds) ZPopMax(ctx context.Context, key string, count int64) *Future[[]Z] {
	return send(c.s, zsetPop(c.s, ctx, "ZPOPMAX", key, count))
}

// ZPopMin sends ZPOPMIN key [count]: it pops up to count members (0: one)
// with the lowest scores, lowest first. Since Redis 5.0.0.
func (c cmds) ZPopMin(ctx context.Context, key string, count int64) *Future[[]Z] {
	return send(c.s, zsetPop(c.s, ctx, "ZPOPMIN", key, count))
}

func zsetPop(s sender, ctx context.Context, name, key string, count int64) *Future[[]Z] {
	f := newFuture(s, ctx, name, 0, zsetToZs)
	f.b.key(key)
	if count < 0 {
		f.b.fail(name + " count must not be negative")
	}
	if count > 0 {
		f.b.int(count)
	}
	return f
}

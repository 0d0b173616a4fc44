package client

import (
	"context"
	"iter"
	"strconv"
	"time"

	"github.com/actoredis/actoredis/messages"
)

// Commands of the sorted-set group.
//
// Score bounds (ZCount, ZRangeByScore, ZRemRangeByScore, ...) are strings
// as Redis writes them: "1.5", "(1.5" (exclusive), "-inf", "+inf". Lex
// bounds (ZLexCount, ZRangeByLex, ...) are "[a" (inclusive), "(a"
// (exclusive), "-" and "+".
//
// A command whose WITHSCORES form returns members with their scores has a
// method of its own for that form, XxxWithScores, returning []Z: the
// result type differs, so it cannot be an option of XxxWith.

// Z is a member of a sorted set with its score.
type Z struct {
	Member string
	Score  float64
}

// ZWithKey is a member popped by BZPopMin or BZPopMax, with the key of
// the sorted set it came from.
type ZWithKey struct {
	Key string
	Z
}

// ZMPopResult is what ZMPop and BZMPop return: the key popped from and
// the members popped, in pop order.
type ZMPopResult struct {
	Key     string
	Members []Z
}

// NullFloat64 is a float64 that may be missing: ZMScore returns one per
// member, with Valid false where the member does not exist; ZAddIncr
// returns one with Valid false when a condition stopped the increment.
type NullFloat64 struct {
	Value float64
	Valid bool
}

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

var addConditionTokens = [...]string{AddOrUpdate: "", AddOnly: "NX", UpdateOnly: "XX"}

// String returns the condition's Redis token ("NX", "XX"), or
// "add-or-update" for AddOrUpdate.
func (a AddCondition) String() string {
	if a == AddOrUpdate {
		return "add-or-update"
	}
	if int(a) < len(addConditionTokens) {
		return addConditionTokens[a]
	}
	return "AddCondition(" + strconv.Itoa(int(a)) + ")"
}

func (a AddCondition) token() (string, bool) {
	if int(a) < len(addConditionTokens) {
		return addConditionTokens[a], true
	}
	return "", false
}

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

var scoreConditionTokens = [...]string{ScoreAny: "", ScoreGreater: "GT", ScoreLess: "LT"}

// String returns the condition's Redis token ("GT", "LT"), or "any".
func (s ScoreCondition) String() string {
	if s == ScoreAny {
		return "any"
	}
	if int(s) < len(scoreConditionTokens) {
		return scoreConditionTokens[s]
	}
	return "ScoreCondition(" + strconv.Itoa(int(s)) + ")"
}

func (s ScoreCondition) token() (string, bool) {
	if int(s) < len(scoreConditionTokens) {
		return scoreConditionTokens[s], true
	}
	return "", false
}

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
	tok, ok := o.Condition.token()
	b.token(tok, ok, "AddCondition")
	tok, ok = o.Compare.token()
	b.token(tok, ok, "ScoreCondition")
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
// Redis 1.2.
func (c cmds) ZAdd(ctx context.Context, key string, members ...Z) *Future[int64] {
	return c.ZAddWith(ctx, key, ZAddOptions{}, members...)
}

// ZAddWith is ZAdd with options: it returns how many members were added,
// or with Changed, added or changed. Since Redis 1.2 (NX, XX, CH since
// 3.0.2; GT, LT since 6.2).
func (c cmds) ZAddWith(ctx context.Context, key string, opts ZAddOptions, members ...Z) *Future[int64] {
	f := newFuture(ctx, "ZADD", opts.flags(), toInt64)
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
	f := newFuture(ctx, "ZADD", 0, zsetToNullFloat)
	f.b.key(key)
	opts.append(&f.b)
	f.b.str("INCR").float(increment).str(member)
	return send(c.s, f)
}

// ZCard sends ZCARD key: the number of members (0 for a missing key).
// Since Redis 1.2.
func (c cmds) ZCard(ctx context.Context, key string) *Future[int64] {
	f := newFuture(ctx, "ZCARD", ro, toInt64)
	f.b.key(key)
	return send(c.s, f)
}

// ZCount sends ZCOUNT key min max: the number of members with a score
// between the score bounds min and max ("1", "(1", "-inf", "+inf").
// Since Redis 2.0.
func (c cmds) ZCount(ctx context.Context, key, min, max string) *Future[int64] {
	f := newFuture(ctx, "ZCOUNT", ro, toInt64)
	f.b.key(key).str(min).str(max)
	return send(c.s, f)
}

// zsetNumKeys appends len(keys) and the keys, failing when there are none.
func (b *builder) zsetNumKeys(method string, keys []string) *builder {
	if len(keys) == 0 {
		return b.fail(method + " needs at least one key")
	}
	return b.int(int64(len(keys))).keys(keys...)
}

// ZDiff sends ZDIFF numkeys key ...: the members of the first sorted set
// that are in none of the others, by score. Since Redis 6.2.
func (c cmds) ZDiff(ctx context.Context, keys ...string) *Future[[]string] {
	f := newFuture(ctx, "ZDIFF", ro, toStrings)
	f.b.zsetNumKeys("ZDiff", keys)
	return send(c.s, f)
}

// ZDiffWithScores is ZDIFF ... WITHSCORES: ZDiff with the scores. Since
// Redis 6.2.
func (c cmds) ZDiffWithScores(ctx context.Context, keys ...string) *Future[[]Z] {
	f := newFuture(ctx, "ZDIFF", ro, zsetToZs)
	f.b.zsetNumKeys("ZDiffWithScores", keys).str("WITHSCORES")
	return send(c.s, f)
}

// ZDiffStore sends ZDIFFSTORE dst numkeys key ...: it stores ZDiff's
// result at dst (replacing it) and returns its size. Since Redis 6.2.
func (c cmds) ZDiffStore(ctx context.Context, dst string, keys ...string) *Future[int64] {
	f := newFuture(ctx, "ZDIFFSTORE", idem, toInt64)
	f.b.key(dst).zsetNumKeys("ZDiffStore", keys)
	return send(c.s, f)
}

// ZIncrBy sends ZINCRBY key increment member: it adds increment to the
// score of member (adding it when new) and returns the new score. Since
// Redis 1.2.
func (c cmds) ZIncrBy(ctx context.Context, key string, increment float64, member string) *Future[float64] {
	f := newFuture(ctx, "ZINCRBY", 0, toFloat64)
	f.b.key(key).float(increment).str(member)
	return send(c.s, f)
}

// Aggregate is how ZINTER, ZUNION and their STORE forms combine the
// scores of a member found in several sets. The zero value, AggregateSum,
// sends no token: the server sums.
type Aggregate uint8

// The aggregates of ZINTER, ZINTERSTORE, ZUNION and ZUNIONSTORE.
const (
	// AggregateSum adds the (weighted) scores; the server's default.
	AggregateSum Aggregate = iota
	// AggregateMin keeps the least (AGGREGATE MIN).
	AggregateMin
	// AggregateMax keeps the greatest (AGGREGATE MAX).
	AggregateMax
)

var aggregateTokens = [...]string{AggregateSum: "SUM", AggregateMin: "MIN", AggregateMax: "MAX"}

// String returns the aggregate's Redis token: "SUM", "MIN" or "MAX".
func (a Aggregate) String() string {
	if int(a) < len(aggregateTokens) {
		return aggregateTokens[a]
	}
	return "Aggregate(" + strconv.Itoa(int(a)) + ")"
}

// ZStoreOptions are the optional arguments of ZINTER, ZUNION and their
// STORE forms.
type ZStoreOptions struct {
	// Weights multiply the scores of each set, one per key, in order
	// (WEIGHTS). Empty: every weight is 1.
	Weights []float64
	// Aggregate combines the scores of a member in several sets
	// (AGGREGATE).
	Aggregate Aggregate
}

func (o ZStoreOptions) append(b *builder, method string, keys []string) {
	b.zsetNumKeys(method, keys)
	if len(o.Weights) > 0 {
		if len(o.Weights) != len(keys) {
			b.fail(method + " needs one weight per key")
		}
		b.str("WEIGHTS")
		for _, w := range o.Weights {
			b.float(w)
		}
	}
	switch {
	case o.Aggregate == AggregateSum:
	case int(o.Aggregate) < len(aggregateTokens):
		b.str("AGGREGATE").str(aggregateTokens[o.Aggregate])
	default:
		b.fail("unknown Aggregate")
	}
}

// ZInter sends ZINTER numkeys key ...: the members found in every sorted
// set, by their summed score. Since Redis 6.2.
func (c cmds) ZInter(ctx context.Context, keys ...string) *Future[[]string] {
	return c.ZInterWith(ctx, keys, ZStoreOptions{})
}

// ZInterWith is ZInter with weights and an aggregate. Since Redis 6.2.
func (c cmds) ZInterWith(ctx context.Context, keys []string, opts ZStoreOptions) *Future[[]string] {
	f := newFuture(ctx, "ZINTER", ro, toStrings)
	opts.append(&f.b, "ZInter", keys)
	return send(c.s, f)
}

// ZInterWithScores is ZINTER ... WITHSCORES: ZInterWith with the combined
// scores. Since Redis 6.2.
func (c cmds) ZInterWithScores(ctx context.Context, keys []string, opts ZStoreOptions) *Future[[]Z] {
	f := newFuture(ctx, "ZINTER", ro, zsetToZs)
	opts.append(&f.b, "ZInterWithScores", keys)
	f.b.str("WITHSCORES")
	return send(c.s, f)
}

// ZInterCard sends ZINTERCARD numkeys key ...: the size of the
// intersection of the sorted sets. Since Redis 7.0.
func (c cmds) ZInterCard(ctx context.Context, keys ...string) *Future[int64] {
	return c.ZInterCardWith(ctx, keys, ZInterCardOptions{})
}

// ZInterCardOptions are the optional arguments of ZINTERCARD.
type ZInterCardOptions struct {
	// Limit stops counting at this many (LIMIT); 0: no limit.
	Limit int64
}

// ZInterCardWith is ZInterCard with a limit. Since Redis 7.0.
func (c cmds) ZInterCardWith(ctx context.Context, keys []string, opts ZInterCardOptions) *Future[int64] {
	f := newFuture(ctx, "ZINTERCARD", ro, toInt64)
	f.b.zsetNumKeys("ZInterCard", keys)
	if opts.Limit < 0 {
		f.b.fail("ZInterCardOptions.Limit must not be negative")
	}
	if opts.Limit > 0 {
		f.b.str("LIMIT").int(opts.Limit)
	}
	return send(c.s, f)
}

// ZInterStore sends ZINTERSTORE dst numkeys key ...: it stores ZInter's
// result, with scores, at dst (replacing it) and returns its size. Since
// Redis 2.0.
func (c cmds) ZInterStore(ctx context.Context, dst string, keys ...string) *Future[int64] {
	return c.ZInterStoreWith(ctx, dst, keys, ZStoreOptions{})
}

// ZInterStoreWith is ZInterStore with weights and an aggregate. Since
// Redis 2.0.
func (c cmds) ZInterStoreWith(ctx context.Context, dst string, keys []string, opts ZStoreOptions) *Future[int64] {
	f := newFuture(ctx, "ZINTERSTORE", idem, toInt64)
	f.b.key(dst)
	opts.append(&f.b, "ZInterStore", keys)
	return send(c.s, f)
}

// ZLexCount sends ZLEXCOUNT key min max: the number of members between
// the lex bounds min and max ("[a", "(a", "-", "+"), for a sorted set
// whose members all have the same score. Since Redis 2.8.9.
func (c cmds) ZLexCount(ctx context.Context, key, min, max string) *Future[int64] {
	f := newFuture(ctx, "ZLEXCOUNT", ro, toInt64)
	f.b.key(key).str(min).str(max)
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

var zPopEndTokens = [...]string{ZLowest: "MIN", ZHighest: "MAX"}

// String returns the end's Redis token: "MIN" or "MAX".
func (e ZPopEnd) String() string {
	if int(e) < len(zPopEndTokens) {
		return zPopEndTokens[e]
	}
	return "ZPopEnd(" + strconv.Itoa(int(e)) + ")"
}

// zsetMPopArgs appends numkeys key ... MIN|MAX [COUNT count].
func (b *builder) zsetMPopArgs(method string, keys []string, end ZPopEnd, count int64) {
	b.zsetNumKeys(method, keys)
	ok := int(end) < len(zPopEndTokens)
	tok := ""
	if ok {
		tok = zPopEndTokens[end]
	}
	b.token(tok, ok, "ZPopEnd")
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
// gives ErrNil. Since Redis 7.0.
func (c cmds) ZMPop(ctx context.Context, keys []string, end ZPopEnd, count int64) *Future[ZMPopResult] {
	f := newFuture(ctx, "ZMPOP", 0, zsetToMPop)
	f.b.zsetMPopArgs("ZMPop", keys, end, count)
	return send(c.s, f)
}

// BZMPop sends BZMPOP timeout numkeys key ... MIN|MAX [COUNT count]: ZMPop
// that waits up to timeout (0: for ever; to the millisecond) for a member
// to pop, giving ErrNil when the time runs out. It runs on a dedicated
// connection, closed if ctx ends first, so nothing is popped for a caller
// that has gone. Since Redis 7.0.
func (c cmds) BZMPop(ctx context.Context, timeout time.Duration, keys []string, end ZPopEnd, count int64) *Future[ZMPopResult] {
	f := newFuture(ctx, "BZMPOP", messages.Blocking, zsetToMPop)
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
// ends first. Since Redis 5.0.
func (c cmds) BZPopMax(ctx context.Context, timeout time.Duration, keys ...string) *Future[ZWithKey] {
	return send(c.s, zsetBPop(ctx, "BZPOPMAX", timeout, keys))
}

// BZPopMin is BZPopMax for the lowest score (BZPOPMIN). Since Redis 5.0.
func (c cmds) BZPopMin(ctx context.Context, timeout time.Duration, keys ...string) *Future[ZWithKey] {
	return send(c.s, zsetBPop(ctx, "BZPOPMIN", timeout, keys))
}

func zsetBPop(ctx context.Context, name string, timeout time.Duration, keys []string) *Future[ZWithKey] {
	f := newFuture(ctx, name, messages.Blocking, zsetToWithKey)
	if len(keys) == 0 {
		f.b.fail(name + " needs at least one key")
	}
	f.b.keys(keys...)
	f.b.zsetTimeout(name, timeout)
	return f
}

// ZMScore sends ZMSCORE key member ...: the score of each member, not
// Valid where the member (or the key) does not exist. Since Redis 6.2.
func (c cmds) ZMScore(ctx context.Context, key string, members ...string) *Future[[]NullFloat64] {
	f := newFuture(ctx, "ZMSCORE", ro, zsetToNullFloats)
	f.b.key(key)
	if len(members) == 0 {
		f.b.fail("ZMScore needs at least one member")
	}
	for _, m := range members {
		f.b.str(m)
	}
	return send(c.s, f)
}

// ZPopMax sends ZPOPMAX key [count]: it pops up to count members (0: one)
// with the highest scores, highest first. Since Redis 5.0.
func (c cmds) ZPopMax(ctx context.Context, key string, count int64) *Future[[]Z] {
	return send(c.s, zsetPop(ctx, "ZPOPMAX", key, count))
}

// ZPopMin sends ZPOPMIN key [count]: it pops up to count members (0: one)
// with the lowest scores, lowest first. Since Redis 5.0.
func (c cmds) ZPopMin(ctx context.Context, key string, count int64) *Future[[]Z] {
	return send(c.s, zsetPop(ctx, "ZPOPMIN", key, count))
}

func zsetPop(ctx context.Context, name, key string, count int64) *Future[[]Z] {
	f := newFuture(ctx, name, 0, zsetToZs)
	f.b.key(key)
	if count < 0 {
		f.b.fail(name + " count must not be negative")
	}
	if count > 0 {
		f.b.int(count)
	}
	return f
}

// ZRandMember sends ZRANDMEMBER key count: count distinct random members
// when count is positive (fewer when the set is smaller), or -count
// members that may repeat when it is negative. Since Redis 6.2.
func (c cmds) ZRandMember(ctx context.Context, key string, count int64) *Future[[]string] {
	f := newFuture(ctx, "ZRANDMEMBER", ro, toStrings)
	f.b.key(key).int(count)
	return send(c.s, f)
}

// ZRandMemberWithScores is ZRANDMEMBER key count WITHSCORES: ZRandMember
// with the scores. Since Redis 6.2.
func (c cmds) ZRandMemberWithScores(ctx context.Context, key string, count int64) *Future[[]Z] {
	f := newFuture(ctx, "ZRANDMEMBER", ro, zsetToZs)
	f.b.key(key).int(count).str("WITHSCORES")
	return send(c.s, f)
}

// ZRangeBy is what ZRANGE's start and stop mean. The zero value,
// ZRangeByRank, sends no token: they are ranks.
type ZRangeBy uint8

// The ranges of ZRANGE and ZRANGESTORE.
const (
	// ZRangeByRank: start and stop are 0-based ranks, negative from the
	// end (no token).
	ZRangeByRank ZRangeBy = iota
	// ZRangeByScore: start and stop are score bounds (BYSCORE).
	ZRangeByScore
	// ZRangeByLex: start and stop are lex bounds (BYLEX).
	ZRangeByLex
)

var zRangeByTokens = [...]string{ZRangeByRank: "", ZRangeByScore: "BYSCORE", ZRangeByLex: "BYLEX"}

// String returns the range's Redis token ("BYSCORE", "BYLEX"), or "rank".
func (r ZRangeBy) String() string {
	if r == ZRangeByRank {
		return "rank"
	}
	if int(r) < len(zRangeByTokens) {
		return zRangeByTokens[r]
	}
	return "ZRangeBy(" + strconv.Itoa(int(r)) + ")"
}

// ZRangeOptions are the optional arguments of ZRANGE and ZRANGESTORE.
type ZRangeOptions struct {
	// By says what start and stop are: ranks, scores (BYSCORE) or lex
	// bounds (BYLEX).
	By ZRangeBy
	// Rev returns the members from the highest score down (REV); start is
	// then the upper bound for scores and lex.
	Rev bool
	// Offset and Count return only Count members from Offset (LIMIT), with
	// ZRangeByScore and ZRangeByLex. Both zero: no limit; Count zero with
	// an Offset: every member from Offset on.
	Offset int64
	Count  int64
}

func (o ZRangeOptions) append(b *builder, start, stop any) {
	b.any(start).any(stop)
	ok := int(o.By) < len(zRangeByTokens)
	tok := ""
	if ok {
		tok = zRangeByTokens[o.By]
	}
	b.token(tok, ok, "ZRangeBy")
	b.strIf(o.Rev, "REV")
	if o.Offset != 0 || o.Count != 0 {
		if o.By == ZRangeByRank {
			b.fail("ZRangeOptions.Offset and Count need ZRangeByScore or ZRangeByLex")
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
// last), by score. Since Redis 1.2.
func (c cmds) ZRange(ctx context.Context, key string, start, stop int64) *Future[[]string] {
	f := newFuture(ctx, "ZRANGE", ro, toStrings)
	f.b.key(key).int(start).int(stop)
	return send(c.s, f)
}

// ZRangeWith is ZRange with options. start and stop are ranks (integers),
// score bounds (numbers, or strings such as "(1.5" and "-inf") or lex
// bounds ("[a", "-"), as opts.By says. Since Redis 1.2 (BYSCORE, BYLEX,
// REV and LIMIT since 6.2).
func (c cmds) ZRangeWith(ctx context.Context, key string, start, stop any, opts ZRangeOptions) *Future[[]string] {
	f := newFuture(ctx, "ZRANGE", ro, toStrings)
	f.b.key(key)
	opts.append(&f.b, start, stop)
	return send(c.s, f)
}

// ZRangeWithScores is ZRANGE ... WITHSCORES: ZRangeWith with the scores.
// It is the third method of ZRANGE because its result differs. Since
// Redis 1.2.
func (c cmds) ZRangeWithScores(ctx context.Context, key string, start, stop any, opts ZRangeOptions) *Future[[]Z] {
	f := newFuture(ctx, "ZRANGE", ro, zsetToZs)
	f.b.key(key)
	opts.append(&f.b, start, stop)
	f.b.str("WITHSCORES")
	return send(c.s, f)
}

// ZRangeStore sends ZRANGESTORE dst src start stop [options]: it stores
// the members ZRangeWith would return, with their scores, at dst
// (replacing it) and returns how many. Since Redis 6.2.
func (c cmds) ZRangeStore(ctx context.Context, dst, src string, start, stop any, opts ZRangeOptions) *Future[int64] {
	f := newFuture(ctx, "ZRANGESTORE", idem, toInt64)
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

func zsetRangeBy(ctx context.Context, name, key, min, max string, opts ZLimitOptions, withScores bool) *Future[[]string] {
	f := newFuture(ctx, name, ro, toStrings)
	f.b.key(key).str(min).str(max)
	f.b.strIf(withScores, "WITHSCORES")
	zsetLimit(&f.b, opts.Offset, opts.Count)
	return f
}

func zsetRangeByScores(ctx context.Context, name, key, min, max string, opts ZLimitOptions) *Future[[]Z] {
	f := newFuture(ctx, name, ro, zsetToZs)
	f.b.key(key).str(min).str(max).str("WITHSCORES")
	zsetLimit(&f.b, opts.Offset, opts.Count)
	return f
}

// ZRangeByLex sends ZRANGEBYLEX key min max: the members between the lex
// bounds min and max ("[a", "(a", "-", "+"). ZRangeWith with ZRangeByLex
// replaces it. Since Redis 2.8.9.
func (c cmds) ZRangeByLex(ctx context.Context, key, min, max string) *Future[[]string] {
	return c.ZRangeByLexWith(ctx, key, min, max, ZLimitOptions{})
}

// ZRangeByLexWith is ZRangeByLex with a limit. Since Redis 2.8.9.
func (c cmds) ZRangeByLexWith(ctx context.Context, key, min, max string, opts ZLimitOptions) *Future[[]string] {
	return send(c.s, zsetRangeBy(ctx, "ZRANGEBYLEX", key, min, max, opts, false))
}

// ZRangeByScore sends ZRANGEBYSCORE key min max: the members with a score
// between the score bounds min and max, lowest first. ZRangeWith with
// ZRangeByScore replaces it. Since Redis 1.0.5.
func (c cmds) ZRangeByScore(ctx context.Context, key, min, max string) *Future[[]string] {
	return c.ZRangeByScoreWith(ctx, key, min, max, ZLimitOptions{})
}

// ZRangeByScoreWith is ZRangeByScore with a limit. Since Redis 1.0.5.
func (c cmds) ZRangeByScoreWith(ctx context.Context, key, min, max string, opts ZLimitOptions) *Future[[]string] {
	return send(c.s, zsetRangeBy(ctx, "ZRANGEBYSCORE", key, min, max, opts, false))
}

// ZRangeByScoreWithScores is ZRANGEBYSCORE ... WITHSCORES:
// ZRangeByScoreWith with the scores. Since Redis 2.0.
func (c cmds) ZRangeByScoreWithScores(ctx context.Context, key, min, max string, opts ZLimitOptions) *Future[[]Z] {
	return send(c.s, zsetRangeByScores(ctx, "ZRANGEBYSCORE", key, min, max, opts))
}

// ZRank sends ZRANK key member: the 0-based rank of member, lowest score
// first. A missing member gives ErrNil. Since Redis 2.0.
func (c cmds) ZRank(ctx context.Context, key, member string) *Future[int64] {
	f := newFuture(ctx, "ZRANK", ro, toInt64)
	f.b.key(key).str(member)
	return send(c.s, f)
}

// ZRem sends ZREM key member ...: it removes members and returns how many
// existed. Since Redis 1.2.
func (c cmds) ZRem(ctx context.Context, key string, members ...string) *Future[int64] {
	f := newFuture(ctx, "ZREM", idem, toInt64)
	f.b.key(key)
	if len(members) == 0 {
		f.b.fail("ZRem needs at least one member")
	}
	for _, m := range members {
		f.b.str(m)
	}
	return send(c.s, f)
}

// ZRemRangeByLex sends ZREMRANGEBYLEX key min max: it removes the members
// between the lex bounds and returns how many. Since Redis 2.8.9.
func (c cmds) ZRemRangeByLex(ctx context.Context, key, min, max string) *Future[int64] {
	f := newFuture(ctx, "ZREMRANGEBYLEX", idem, toInt64)
	f.b.key(key).str(min).str(max)
	return send(c.s, f)
}

// ZRemRangeByRank sends ZREMRANGEBYRANK key start stop: it removes the
// members from rank start to rank stop, both inclusive, and returns how
// many. Since Redis 2.0.
func (c cmds) ZRemRangeByRank(ctx context.Context, key string, start, stop int64) *Future[int64] {
	f := newFuture(ctx, "ZREMRANGEBYRANK", 0, toInt64)
	f.b.key(key).int(start).int(stop)
	return send(c.s, f)
}

// ZRemRangeByScore sends ZREMRANGEBYSCORE key min max: it removes the
// members with a score between the score bounds and returns how many.
// Since Redis 1.2.
func (c cmds) ZRemRangeByScore(ctx context.Context, key, min, max string) *Future[int64] {
	f := newFuture(ctx, "ZREMRANGEBYSCORE", idem, toInt64)
	f.b.key(key).str(min).str(max)
	return send(c.s, f)
}

// ZRevRange sends ZREVRANGE key start stop: ZRange from the highest score
// down. ZRangeWith with Rev replaces it. Since Redis 1.2.
func (c cmds) ZRevRange(ctx context.Context, key string, start, stop int64) *Future[[]string] {
	f := newFuture(ctx, "ZREVRANGE", ro, toStrings)
	f.b.key(key).int(start).int(stop)
	return send(c.s, f)
}

// ZRevRangeWithScores is ZREVRANGE ... WITHSCORES: ZRevRange with the
// scores. Since Redis 1.2.
func (c cmds) ZRevRangeWithScores(ctx context.Context, key string, start, stop int64) *Future[[]Z] {
	f := newFuture(ctx, "ZREVRANGE", ro, zsetToZs)
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
	return send(c.s, zsetRangeBy(ctx, "ZREVRANGEBYLEX", key, max, min, opts, false))
}

// ZRevRangeByScore sends ZREVRANGEBYSCORE key max min: ZRangeByScore from
// the highest score down; note max comes first. Since Redis 2.2.
func (c cmds) ZRevRangeByScore(ctx context.Context, key, max, min string) *Future[[]string] {
	return c.ZRevRangeByScoreWith(ctx, key, max, min, ZLimitOptions{})
}

// ZRevRangeByScoreWith is ZRevRangeByScore with a limit. Since Redis 2.2.
func (c cmds) ZRevRangeByScoreWith(ctx context.Context, key, max, min string, opts ZLimitOptions) *Future[[]string] {
	return send(c.s, zsetRangeBy(ctx, "ZREVRANGEBYSCORE", key, max, min, opts, false))
}

// ZRevRangeByScoreWithScores is ZREVRANGEBYSCORE ... WITHSCORES:
// ZRevRangeByScoreWith with the scores. Since Redis 2.2.
func (c cmds) ZRevRangeByScoreWithScores(ctx context.Context, key, max, min string, opts ZLimitOptions) *Future[[]Z] {
	return send(c.s, zsetRangeByScores(ctx, "ZREVRANGEBYSCORE", key, max, min, opts))
}

// ZRevRank sends ZREVRANK key member: the 0-based rank of member, highest
// score first. A missing member gives ErrNil. Since Redis 2.0.
func (c cmds) ZRevRank(ctx context.Context, key, member string) *Future[int64] {
	f := newFuture(ctx, "ZREVRANK", ro, toInt64)
	f.b.key(key).str(member)
	return send(c.s, f)
}

// ZScanPage is one page of ZSCAN: the members with their scores and the
// cursor for the next page, 0 once the iteration is complete.
type ZScanPage struct {
	Cursor  uint64
	Members []Z
}

// ZScanOptions are the optional arguments of ZSCAN.
type ZScanOptions struct {
	// Match keeps the members matching this glob-style pattern (MATCH).
	Match string
	// Count hints how many members each call examines (COUNT); 0 leaves
	// the server's default (10).
	Count int64
}

// ZScan sends ZSCAN key cursor: the page of members at cursor; start at 0
// and stop when the page's Cursor is 0. Since Redis 2.8.
func (c cmds) ZScan(ctx context.Context, key string, cursor uint64) *Future[ZScanPage] {
	return c.ZScanWith(ctx, key, cursor, ZScanOptions{})
}

// ZScanWith is ZScan with options. Since Redis 2.8.
func (c cmds) ZScanWith(ctx context.Context, key string, cursor uint64, opts ZScanOptions) *Future[ZScanPage] {
	f := newFuture(ctx, "ZSCAN", ro, zsetToScanPage)
	f.b.key(key).uint(cursor)
	if opts.Match != "" {
		f.b.str("MATCH").str(opts.Match)
	}
	if opts.Count > 0 {
		f.b.str("COUNT").int(opts.Count)
	}
	return send(c.s, f)
}

// ZScanIter walks the sorted set at key with ZSCAN, from cursor 0 to the
// end, yielding each member with its score. The next page is requested
// before the members of the current one are yielded. An error is yielded
// once (with a zero Z) and ends the walk. A member may be yielded more
// than once.
func (c cmds) ZScanIter(ctx context.Context, key string, opts ZScanOptions) iter.Seq2[Z, error] {
	return func(yield func(Z, error) bool) {
		next := c.ZScanWith(ctx, key, 0, opts)
		for next != nil {
			page, err := next.Result()
			if err != nil {
				yield(Z{}, err)
				return
			}
			next = nil
			if page.Cursor != 0 {
				next = c.ZScanWith(ctx, key, page.Cursor, opts)
			}
			for _, z := range page.Members {
				if !yield(z, nil) {
					return
				}
			}
		}
	}
}

// ZScore sends ZSCORE key member: the score of member. A missing member
// gives ErrNil. Since Redis 1.2.
func (c cmds) ZScore(ctx context.Context, key, member string) *Future[float64] {
	f := newFuture(ctx, "ZSCORE", ro, toFloat64)
	f.b.key(key).str(member)
	return send(c.s, f)
}

// ZUnion sends ZUNION numkeys key ...: the members of any of the sorted
// sets, by their summed score. Since Redis 6.2.
func (c cmds) ZUnion(ctx context.Context, keys ...string) *Future[[]string] {
	return c.ZUnionWith(ctx, keys, ZStoreOptions{})
}

// ZUnionWith is ZUnion with weights and an aggregate. Since Redis 6.2.
func (c cmds) ZUnionWith(ctx context.Context, keys []string, opts ZStoreOptions) *Future[[]string] {
	f := newFuture(ctx, "ZUNION", ro, toStrings)
	opts.append(&f.b, "ZUnion", keys)
	return send(c.s, f)
}

// ZUnionWithScores is ZUNION ... WITHSCORES: ZUnionWith with the combined
// scores. Since Redis 6.2.
func (c cmds) ZUnionWithScores(ctx context.Context, keys []string, opts ZStoreOptions) *Future[[]Z] {
	f := newFuture(ctx, "ZUNION", ro, zsetToZs)
	opts.append(&f.b, "ZUnionWithScores", keys)
	f.b.str("WITHSCORES")
	return send(c.s, f)
}

// ZUnionStore sends ZUNIONSTORE dst numkeys key ...: it stores ZUnion's
// result, with scores, at dst (replacing it) and returns its size. Since
// Redis 2.0.
func (c cmds) ZUnionStore(ctx context.Context, dst string, keys ...string) *Future[int64] {
	return c.ZUnionStoreWith(ctx, dst, keys, ZStoreOptions{})
}

// ZUnionStoreWith is ZUnionStore with weights and an aggregate. Since
// Redis 2.0.
func (c cmds) ZUnionStoreWith(ctx context.Context, dst string, keys []string, opts ZStoreOptions) *Future[int64] {
	f := newFuture(ctx, "ZUNIONSTORE", idem, toInt64)
	f.b.key(dst)
	opts.append(&f.b, "ZUnionStore", keys)
	return send(c.s, f)
}

package client

import (
	"context"
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
// Redis 1.2. Since Redis 1.2.0.
func (c cmds) ZAdd(ctx context.Context, key string, members ...Z) *Future[int64] {
	return c.ZAddWith(ctx, key, ZAddOptions{}, members...)
}

// ZAddWith is ZAdd with options: it returns how many members were added,
// or with Changed, added or changed. Since Redis 1.2 (NX, XX, CH since
// 3.0.2; GT, LT since 6.2).
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
// Since Redis 1.2.
func (c cmds) ZCard(ctx context.Context, key string) *Future[int64] {
	f := newFuture(c.s, ctx, "ZCARD", ro, toInt64)
	f.b.key(key)
	return send(c.s, f)
}

// ZCount sends ZCOUNT key min max: the number of members with a score
// between the score bounds min and max ("1", "(1", "-inf", "+inf").
// Since Redis 2.0.
func (c cmds) ZCount(ctx context.Context, key, min, max string) *Future[int64] {
	f := newFuture(c.s, ctx, "ZCOUNT", ro, toInt64)
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
	f := newFuture(c.s, ctx, "ZDIFF", ro, toStrings)
	f.b.zsetNumKeys("ZDiff", keys)
	return send(c.s, f)
}

// ZDiffWithScores is ZDIFF ... WITHSCORES: ZDiff with the scores. Since
// Redis 6.2. Since Redis 6.2.0.
func (c cmds) ZDiffWithScores(ctx context.Context, keys ...string) *Future[[]Z] {
	f := newFuture(c.s, ctx, "ZDIFF", ro, zsetToZs)
	f.b.zsetNumKeys("ZDiffWithScores", keys).str("WITHSCORES")
	return send(c.s, f)
}

// ZDiffStore sends ZDIFFSTORE dst numkeys key ...: it stores ZDiff's
// result at dst (replacing it) and returns its size. Since Redis 6.2.
func (c cmds) ZDiffStore(ctx context.Context, dst string, keys ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "ZDIFFSTORE", idem, toInt64)
	f.b.key(dst).zsetNumKeys("ZDiffStore", keys)
	return send(c.s, f)
}

// ZIncrBy sends ZINCRBY key increment member: it adds increment to the
// score of member (adding it when new) and returns the new score. Since
// Redis 1.2. Since Redis 1.2.0.
func (c cmds) ZIncrBy(ctx context.Context, key string, increment float64, member string) *Future[float64] {
	f := newFuture(c.s, ctx, "ZINCRBY", 0, toFloat64)
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
	f := newFuture(c.s, ctx, "ZINTER", ro, toStrings)
	opts.append(&f.b, "ZInter", keys)
	return send(c.s, f)
}

// ZInterWithScores is ZINTER ... WITHSCORES: ZInterWith with the combined
// scores. Since Redis 6.2.
func (c cmds) ZInterWithScores(ctx context.Context, keys []string, opts ZStoreOptions) *Future[[]Z] {
	f := newFuture(c.s, ctx, "ZINTER", ro, zsetToZs)
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
	f := newFuture(c.s, ctx, "ZINTERCARD", ro, toInt64)
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
// Redis 2.0. Since Redis 2.0.0.
func (c cmds) ZInterStore(ctx context.Context, dst string, keys ...string) *Future[int64] {
	return c.ZInterStoreWith(ctx, dst, keys, ZStoreOptions{})
}

// ZInterStoreWith is ZInterStore with weights and an aggregate. Since
// Redis 2.0. Since Redis 2.0.0.
func (c cmds) ZInterStoreWith(ctx context.Context, dst string, keys []string, opts ZStoreOptions) *Future[int64] {
	f := newFuture(c.s, ctx, "ZINTERSTORE", idem, toInt64)
	f.b.key(dst)
	opts.append(&f.b, "ZInterStore", keys)
	return send(c.s, f)
}

// ZLexCount sends ZLEXCOUNT key min max: the number of members between
// the lex bounds min and max ("[a", "(a", "-", "+"), for a sorted set
// whose members all have the same score. Since Redis 2.8.9.
func (c cmds) ZLexCount(ctx context.Context, key, min, max string) *Future[int64] {
	f := newFuture(c.s, ctx, "ZLEXCOUNT", ro, toInt64)
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
	f := newFuture(c.s, ctx, "ZMPOP", 0, zsetToMPop)
	f.b.zsetMPopArgs("ZMPop", keys, end, count)
	return send(c.s, f)
}

// BZMPop sends BZMPOP timeout numkeys key ... MIN|MAX [COUNT count]: ZMPop
// that waits up to timeout (0: for ever; to the millisecond) for a member
// to pop, giving ErrNil when the time runs out. It runs on a dedicated
// connection, closed if ctx ends first, so nothing is popped for a caller
// that has gone. Since Redis 7.0.
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
// ends first. Since Redis 5.0.
func (c cmds) BZPopMax(ctx context.Context, timeout time.Duration, keys ...string) *Future[ZWithKey] {
	return send(c.s, zsetBPop(c.s, ctx, "BZPOPMAX", timeout, keys))
}

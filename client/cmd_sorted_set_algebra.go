package client

import (
	"context"
)

// The set algebra of the sorted-set group: ZINTER, ZUNION and ZDIFF with
// their STORE and CARD forms.

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
	// AggregateCount scores a member by the number of the sets it
	// is in (AGGREGATE COUNT). Since Redis 8.8.0.
	AggregateCount
)

var aggregateTokens = tokens[Aggregate]{typ: "Aggregate", list: []string{
	AggregateSum: "SUM", AggregateMin: "MIN", AggregateMax: "MAX", AggregateCount: "COUNT",
}}

// String returns the aggregate's Redis token: "SUM", "MIN", "MAX" or
// "COUNT".
func (a Aggregate) String() string { return aggregateTokens.name(a) }

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
	if o.Aggregate != AggregateSum { // the server's default, not sent
		b.str("AGGREGATE").token(aggregateTokens.of(o.Aggregate))
	}
}

// ZDiff sends ZDIFF numkeys key ...: the members of the first sorted set
// that are in none of the others, by score. Since Redis 6.2.0.
func (c cmds) ZDiff(ctx context.Context, keys ...string) *Future[[]string] {
	f := newFuture(c.s, ctx, "ZDIFF", ro, toStrings)
	f.b.zsetNumKeys("ZDiff", keys)
	return send(c.s, f)
}

// ZDiffWithScores is ZDIFF ... WITHSCORES: ZDiff with the scores. Since
// Redis 6.2.0.
func (c cmds) ZDiffWithScores(ctx context.Context, keys ...string) *Future[[]Z] {
	f := newFuture(c.s, ctx, "ZDIFF", ro, zsetToZs)
	f.b.zsetNumKeys("ZDiffWithScores", keys).str("WITHSCORES")
	return send(c.s, f)
}

// ZDiffStore sends ZDIFFSTORE dst numkeys key ...: it stores ZDiff's
// result at dst (replacing it) and returns its size. Since Redis 6.2.0.
func (c cmds) ZDiffStore(ctx context.Context, dst string, keys ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "ZDIFFSTORE", idem, toInt64)
	f.b.key(dst).zsetNumKeys("ZDiffStore", keys)
	return send(c.s, f)
}

// ZInter sends ZINTER numkeys key ...: the members found in every sorted
// set, by their summed score. Since Redis 6.2.0.
func (c cmds) ZInter(ctx context.Context, keys ...string) *Future[[]string] {
	return c.ZInterWith(ctx, keys, ZStoreOptions{})
}

// ZInterWith is ZInter with weights and an aggregate. Since Redis 6.2.0.
func (c cmds) ZInterWith(ctx context.Context, keys []string, opts ZStoreOptions) *Future[[]string] {
	f := newFuture(c.s, ctx, "ZINTER", ro, toStrings)
	opts.append(&f.b, "ZInter", keys)
	return send(c.s, f)
}

// ZInterWithScores is ZINTER ... WITHSCORES: ZInterWith with the combined
// scores. Since Redis 6.2.0.
func (c cmds) ZInterWithScores(ctx context.Context, keys []string, opts ZStoreOptions) *Future[[]Z] {
	f := newFuture(c.s, ctx, "ZINTER", ro, zsetToZs)
	opts.append(&f.b, "ZInterWithScores", keys)
	f.b.str("WITHSCORES")
	return send(c.s, f)
}

// ZInterCard sends ZINTERCARD numkeys key ...: the size of the
// intersection of the sorted sets. Since Redis 7.0.0.
func (c cmds) ZInterCard(ctx context.Context, keys ...string) *Future[int64] {
	return c.ZInterCardWith(ctx, keys, ZInterCardOptions{})
}

// ZInterCardOptions are the optional arguments of ZINTERCARD.
type ZInterCardOptions struct {
	// Limit stops counting at this many (LIMIT); 0: no limit.
	Limit int64
}

// ZInterCardWith is ZInterCard with a limit. Since Redis 7.0.0.
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
// Redis 2.0.0.
func (c cmds) ZInterStore(ctx context.Context, dst string, keys ...string) *Future[int64] {
	return c.ZInterStoreWith(ctx, dst, keys, ZStoreOptions{})
}

// ZInterStoreWith is ZInterStore with weights and an aggregate. Since
// Redis 2.0.0.
func (c cmds) ZInterStoreWith(ctx context.Context, dst string, keys []string, opts ZStoreOptions) *Future[int64] {
	f := newFuture(c.s, ctx, "ZINTERSTORE", idem, toInt64)
	f.b.key(dst)
	opts.append(&f.b, "ZInterStore", keys)
	return send(c.s, f)
}

// ZUnion sends ZUNION numkeys key ...: the members of any of the sorted
// sets, by their summed score. Since Redis 6.2.0.
func (c cmds) ZUnion(ctx context.Context, keys ...string) *Future[[]string] {
	return c.ZUnionWith(ctx, keys, ZStoreOptions{})
}

// ZUnionWith is ZUnion with weights and an aggregate. Since Redis 6.2.0.
func (c cmds) ZUnionWith(ctx context.Context, keys []string, opts ZStoreOptions) *Future[[]string] {
	f := newFuture(c.s, ctx, "ZUNION", ro, toStrings)
	opts.append(&f.b, "ZUnion", keys)
	return send(c.s, f)
}

// ZUnionWithScores is ZUNION ... WITHSCORES: ZUnionWith with the combined
// scores. Since Redis 6.2.0.
func (c cmds) ZUnionWithScores(ctx context.Context, keys []string, opts ZStoreOptions) *Future[[]Z] {
	f := newFuture(c.s, ctx, "ZUNION", ro, zsetToZs)
	opts.append(&f.b, "ZUnionWithScores", keys)
	f.b.str("WITHSCORES")
	return send(c.s, f)
}

// ZUnionStore sends ZUNIONSTORE dst numkeys key ...: it stores ZUnion's
// result, with scores, at dst (replacing it) and returns its size. Since
// Redis 2.0.0.
func (c cmds) ZUnionStore(ctx context.Context, dst string, keys ...string) *Future[int64] {
	return c.ZUnionStoreWith(ctx, dst, keys, ZStoreOptions{})
}

// ZUnionStoreWith is ZUnionStore with weights and an aggregate. Since
// Redis 2.0.0.
func (c cmds) ZUnionStoreWith(ctx context.Context, dst string, keys []string, opts ZStoreOptions) *Future[int64] {
	f := newFuture(c.s, ctx, "ZUNIONSTORE", idem, toInt64)
	f.b.key(dst)
	opts.append(&f.b, "ZUnionStore", keys)
	return send(c.s, f)
}

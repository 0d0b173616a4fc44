package client

import (
	"context"
	"iter"
)

// Commands of the set group.

// setMembers appends members (any accepted argument type), failing when
// there are none.
func (b *builder) setMembers(method string, members []any) *builder {
	if len(members) == 0 {
		return b.fail(method + " needs at least one member")
	}
	for _, m := range members {
		b.any(m)
	}
	return b
}

// setKeys appends keys, failing when there are none.
func (b *builder) setKeys(method string, keys []string) *builder {
	if len(keys) == 0 {
		return b.fail(method + " needs at least one key")
	}
	return b.keys(keys...)
}

// SAdd sends SADD key member... and returns how many members were added
// (not counting those already in the set). Several members need Redis
// 2.4.0. Since Redis 1.0.0.
func (c cmds) SAdd(ctx context.Context, key string, members ...any) *Future[int64] {
	f := newFuture(c.s, ctx, "SADD", idem, toInt64)
	f.b.key(key).setMembers("SAdd", members)
	return send(c.s, f)
}

// SCard sends SCARD key and returns the number of members of the set (0
// for a missing key). Since Redis 1.0.0.
func (c cmds) SCard(ctx context.Context, key string) *Future[int64] {
	f := newFuture(c.s, ctx, "SCARD", ro, toInt64)
	f.b.key(key)
	return send(c.s, f)
}

// SDiff sends SDIFF key... and returns the members of the first set that
// are in none of the others (a missing key is an empty set). Since Redis
// 1.0.0.
func (c cmds) SDiff(ctx context.Context, keys ...string) *Future[[]string] {
	f := newFuture(c.s, ctx, "SDIFF", ro, toStrings)
	f.b.setKeys("SDiff", keys)
	return send(c.s, f)
}

// SDiffStore sends SDIFFSTORE dst key...: it stores the result of SDiff
// at dst (replacing it; an empty result deletes dst) and returns its size.
// Since Redis 1.0.0.
func (c cmds) SDiffStore(ctx context.Context, dst string, keys ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "SDIFFSTORE", idem, toInt64)
	f.b.key(dst).setKeys("SDiffStore", keys)
	return send(c.s, f)
}

// SInter sends SINTER key... and returns the members common to all the
// sets (a missing key is an empty set). Since Redis 1.0.0.
func (c cmds) SInter(ctx context.Context, keys ...string) *Future[[]string] {
	f := newFuture(c.s, ctx, "SINTER", ro, toStrings)
	f.b.setKeys("SInter", keys)
	return send(c.s, f)
}

// SInterCard sends SINTERCARD numkeys key... and returns the size of the
// intersection of the sets, without building it. Since Redis 7.0.0.
func (c cmds) SInterCard(ctx context.Context, keys ...string) *Future[int64] {
	return c.SInterCardWith(ctx, keys, SInterCardOptions{})
}

// SInterCardOptions are the optional arguments of SINTERCARD.
type SInterCardOptions struct {
	// Limit stops counting at this many members (LIMIT); 0 counts all.
	Limit int64
}

// SInterCardWith is SInterCard with options (LIMIT). Since Redis 7.0.0.
func (c cmds) SInterCardWith(ctx context.Context, keys []string, opts SInterCardOptions) *Future[int64] {
	f := newFuture(c.s, ctx, "SINTERCARD", ro, toInt64)
	f.b.int(int64(len(keys))).setKeys("SInterCard", keys)
	f.b.setCardLimit("SInterCardOptions", opts.Limit)
	return send(c.s, f)
}

// SInterStore sends SINTERSTORE dst key...: it stores the result of SInter
// at dst (replacing it; an empty result deletes dst) and returns its size.
// Since Redis 1.0.0.
func (c cmds) SInterStore(ctx context.Context, dst string, keys ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "SINTERSTORE", idem, toInt64)
	f.b.key(dst).setKeys("SInterStore", keys)
	return send(c.s, f)
}

// SIsMember sends SISMEMBER key member and reports whether member is in
// the set. Since Redis 1.0.0.
func (c cmds) SIsMember(ctx context.Context, key string, member any) *Future[bool] {
	f := newFuture(c.s, ctx, "SISMEMBER", ro, toBool)
	f.b.key(key).any(member)
	return send(c.s, f)
}

// SMembers sends SMEMBERS key and returns the members of the set, in no
// particular order (empty for a missing key). Since Redis 1.0.0.
func (c cmds) SMembers(ctx context.Context, key string) *Future[[]string] {
	f := newFuture(c.s, ctx, "SMEMBERS", ro, toStrings)
	f.b.key(key)
	return send(c.s, f)
}

// SMIsMember sends SMISMEMBER key member... and reports, for each member
// in order, whether it is in the set. Since Redis 6.2.0.
func (c cmds) SMIsMember(ctx context.Context, key string, members ...any) *Future[[]bool] {
	f := newFuture(c.s, ctx, "SMISMEMBER", ro, setToBools)
	f.b.key(key).setMembers("SMIsMember", members)
	return send(c.s, f)
}

// SMove sends SMOVE src dst member: it moves member from the set at src to
// the set at dst and reports whether it did (false when member is not in
// src). Since Redis 1.0.0.
func (c cmds) SMove(ctx context.Context, src, dst string, member any) *Future[bool] {
	f := newFuture(c.s, ctx, "SMOVE", 0, toBool)
	f.b.key(src).key(dst).any(member)
	return send(c.s, f)
}

// SPop sends SPOP key and returns a random member, removing it; a missing
// key gives ErrNil. Since Redis 1.0.0.
func (c cmds) SPop(ctx context.Context, key string) *Future[string] {
	f := newFuture(c.s, ctx, "SPOP", 0, toString)
	f.b.key(key)
	return send(c.s, f)
}

// SPopWith sends SPOP key count and returns up to count random members,
// removing them (empty for a missing key). count must not be negative.
// Since Redis 3.2.0.
func (c cmds) SPopWith(ctx context.Context, key string, count int64) *Future[[]string] {
	f := newFuture(c.s, ctx, "SPOP", 0, toStrings)
	if count < 0 {
		f.b.fail("SPopWith count must not be negative")
	}
	f.b.key(key).int(count)
	return send(c.s, f)
}

// SRandMember sends SRANDMEMBER key and returns a random member, leaving
// it in the set; a missing key gives ErrNil. Since Redis 1.0.0.
func (c cmds) SRandMember(ctx context.Context, key string) *Future[string] {
	f := newFuture(c.s, ctx, "SRANDMEMBER", ro, toString)
	f.b.key(key)
	return send(c.s, f)
}

// SRandMemberWith sends SRANDMEMBER key count and returns up to count
// distinct random members (count > 0), or exactly -count members that may
// repeat (count < 0); a missing key gives an empty slice. Since Redis
// 2.6.0.
func (c cmds) SRandMemberWith(ctx context.Context, key string, count int64) *Future[[]string] {
	f := newFuture(c.s, ctx, "SRANDMEMBER", ro, toStrings)
	f.b.key(key).int(count)
	return send(c.s, f)
}

// SRem sends SREM key member... and returns how many of the members were
// in the set and were removed. Several members need Redis 2.4.0. Since
// Redis 1.0.0.
func (c cmds) SRem(ctx context.Context, key string, members ...any) *Future[int64] {
	f := newFuture(c.s, ctx, "SREM", idem, toInt64)
	f.b.key(key).setMembers("SRem", members)
	return send(c.s, f)
}

// SScanOptions are the optional arguments of SSCAN.
type SScanOptions struct {
	// Match keeps the members matching this glob-style pattern (MATCH).
	Match string
	// Count hints how many members each call examines (COUNT); 0 leaves
	// the server's default (10).
	Count int64
}

// SScan sends SSCAN key cursor and returns the page of members at cursor
// (in ScanPage.Keys); start at 0 and stop when the page's Cursor is 0. A
// member may appear on more than one page. Since Redis 2.8.0.
func (c cmds) SScan(ctx context.Context, key string, cursor uint64) *Future[ScanPage] {
	return c.SScanWith(ctx, key, cursor, SScanOptions{})
}

// SScanWith is SScan with options (MATCH, COUNT). Since Redis 2.8.0.
func (c cmds) SScanWith(ctx context.Context, key string, cursor uint64, opts SScanOptions) *Future[ScanPage] {
	f := newFuture(c.s, ctx, "SSCAN", ro, toScanPage)
	f.b.key(key).uint(cursor)
	f.b.scanMatchCount(opts.Match, opts.Count)
	return send(c.s, f)
}

// SScanIter walks the whole set at key with SSCAN, from cursor 0 to the
// end, yielding each member. The next page is requested before the
// members of the current one are yielded. An error is yielded once (with
// an empty member) and ends the walk. A member may be yielded more than
// once, and members added or removed during the walk may or may not
// appear.
//
//	for member, err := range c.SScanIter(ctx, "tags", client.SScanOptions{}) {
//		if err != nil {
//			return err
//		}
//		...
//	}
//
// Since Redis 2.8.0.
func (c cmds) SScanIter(ctx context.Context, key string, opts SScanOptions) iter.Seq2[string, error] {
	return walkCursor(func(cur uint64) *Future[ScanPage] { return c.SScanWith(ctx, key, cur, opts) },
		func(p ScanPage) (uint64, []string) { return p.Cursor, p.Keys })
}

// SUnion sends SUNION key... and returns the members of all the sets (a
// missing key is an empty set). Since Redis 1.0.0.
func (c cmds) SUnion(ctx context.Context, keys ...string) *Future[[]string] {
	f := newFuture(c.s, ctx, "SUNION", ro, toStrings)
	f.b.setKeys("SUnion", keys)
	return send(c.s, f)
}

// SUnionStore sends SUNIONSTORE dst key...: it stores the result of
// SUnion at dst (replacing it; an empty result deletes dst) and returns
// its size. Since Redis 1.0.0.
func (c cmds) SUnionStore(ctx context.Context, dst string, keys ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "SUNIONSTORE", idem, toInt64)
	f.b.key(dst).setKeys("SUnionStore", keys)
	return send(c.s, f)
}

// SUnionCardOptions are the optional arguments of SUNIONCARD.
type SUnionCardOptions struct {
	// Approximate counts with a HyperLogLog estimate instead of exactly
	// (APPROX): faster and lighter on big sets, off by about 1%.
	Approximate bool
	// Limit stops counting at this many members (LIMIT); 0 counts all.
	Limit int64
}

// SUnionCard sends SUNIONCARD numkeys key... and returns the size of the
// union of the sets (a missing key is an empty set), without building it.
// Since Redis 8.10.0.
func (c cmds) SUnionCard(ctx context.Context, keys ...string) *Future[int64] {
	return c.SUnionCardWith(ctx, keys, SUnionCardOptions{})
}

// SUnionCardWith is SUnionCard with options (APPROX, LIMIT). Since Redis
// 8.10.0.
func (c cmds) SUnionCardWith(ctx context.Context, keys []string, opts SUnionCardOptions) *Future[int64] {
	f := newFuture(c.s, ctx, "SUNIONCARD", ro, toInt64)
	f.b.int(int64(len(keys))).setKeys("SUnionCard", keys).strIf(opts.Approximate, "APPROX")
	f.b.setCardLimit("SUnionCardOptions", opts.Limit)
	return send(c.s, f)
}

// SDiffCardOptions are the optional arguments of SDIFFCARD.
type SDiffCardOptions struct {
	// Limit stops counting at this many members (LIMIT); 0 counts all.
	Limit int64
}

// SDiffCard sends SDIFFCARD numkeys key... and returns how many members of
// the first set are in none of the others, without building the
// difference. Since Redis 8.10.0.
func (c cmds) SDiffCard(ctx context.Context, keys ...string) *Future[int64] {
	return c.SDiffCardWith(ctx, keys, SDiffCardOptions{})
}

// SDiffCardWith is SDiffCard with options (LIMIT). Since Redis 8.10.0.
func (c cmds) SDiffCardWith(ctx context.Context, keys []string, opts SDiffCardOptions) *Future[int64] {
	f := newFuture(c.s, ctx, "SDIFFCARD", ro, toInt64)
	f.b.int(int64(len(keys))).setKeys("SDiffCard", keys)
	f.b.setCardLimit("SDiffCardOptions", opts.Limit)
	return send(c.s, f)
}

// setCardLimit appends LIMIT limit for a positive limit and refuses a
// negative one.
func (b *builder) setCardLimit(opts string, limit int64) {
	if limit < 0 {
		b.fail(opts + ".Limit must not be negative")
	}
	if limit > 0 {
		b.str("LIMIT").int(limit)
	}
}

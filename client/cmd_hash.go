package client

import (
	"context"
	"iter"
	"strconv"
)

// Commands of the hash group.

// hashPairs appends alternating fields (strings) and values (any accepted
// argument type), failing before anything is sent when the count is odd
// or zero or a field is not a string.
func (b *builder) hashPairs(method string, fv []any) {
	if len(fv) == 0 || len(fv)%2 != 0 {
		b.fail(method + " needs fields and values in pairs")
		return
	}
	for i := 0; i < len(fv); i += 2 {
		field, ok := fv[i].(string)
		if !ok {
			b.fail(method + ": field " + strconv.Itoa(i/2) + " is not a string")
			return
		}
		b.str(field).any(fv[i+1])
	}
}

// HDel sends HDEL key field... and returns how many of the fields existed
// and were removed. Several fields need Redis 2.4.0. Since Redis 2.0.0.
func (c cmds) HDel(ctx context.Context, key string, fields ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "HDEL", idem, toInt64)
	if len(fields) == 0 {
		f.b.fail("HDel needs at least one field")
	}
	f.b.key(key)
	for _, field := range fields {
		f.b.str(field)
	}
	return send(c.s, f)
}

// HExists sends HEXISTS key field and reports whether the hash has field.
// Since Redis 2.0.0.
func (c cmds) HExists(ctx context.Context, key, field string) *Future[bool] {
	f := newFuture(c.s, ctx, "HEXISTS", ro, toBool)
	f.b.key(key).str(field)
	return send(c.s, f)
}

// HGet sends HGET key field and returns the value of field; a missing
// field or key gives ErrNil. Since Redis 2.0.0.
func (c cmds) HGet(ctx context.Context, key, field string) *Future[string] {
	f := newFuture(c.s, ctx, "HGET", ro, toString)
	f.b.key(key).str(field)
	return send(c.s, f)
}

// HGetAll sends HGETALL key and returns the hash as a map of fields to
// values (empty for a missing key), under RESP2 (a flat array) and RESP3
// (a map) alike. Since Redis 2.0.0.
func (c cmds) HGetAll(ctx context.Context, key string) *Future[map[string]string] {
	f := newFuture(c.s, ctx, "HGETALL", ro, hashToMap)
	f.b.key(key)
	return send(c.s, f)
}

// HIncrBy sends HINCRBY key field increment: it adds increment to the
// integer in field (0 when missing) and returns the new value. Since Redis
// 2.0.0.
func (c cmds) HIncrBy(ctx context.Context, key, field string, increment int64) *Future[int64] {
	f := newFuture(c.s, ctx, "HINCRBY", 0, toInt64)
	f.b.key(key).str(field).int(increment)
	return send(c.s, f)
}

// HIncrByFloat sends HINCRBYFLOAT key field increment: it adds increment
// to the number in field (0 when missing) and returns the new value. Since
// Redis 2.6.0.
func (c cmds) HIncrByFloat(ctx context.Context, key, field string, increment float64) *Future[float64] {
	f := newFuture(c.s, ctx, "HINCRBYFLOAT", 0, toFloat64)
	f.b.key(key).str(field).float(increment)
	return send(c.s, f)
}

// HKeys sends HKEYS key and returns the fields of the hash (empty for a
// missing key). Since Redis 2.0.0.
func (c cmds) HKeys(ctx context.Context, key string) *Future[[]string] {
	f := newFuture(c.s, ctx, "HKEYS", ro, toStrings)
	f.b.key(key)
	return send(c.s, f)
}

// HLen sends HLEN key and returns the number of fields of the hash (0 for
// a missing key). Since Redis 2.0.0.
func (c cmds) HLen(ctx context.Context, key string) *Future[int64] {
	f := newFuture(c.s, ctx, "HLEN", ro, toInt64)
	f.b.key(key)
	return send(c.s, f)
}

// HMGet sends HMGET key field... and returns the values of the fields, in
// order, Valid false for a missing field. Since Redis 2.0.0.
func (c cmds) HMGet(ctx context.Context, key string, fields ...string) *Future[[]NullString] {
	f := newFuture(c.s, ctx, "HMGET", ro, toNullStrings)
	if len(fields) == 0 {
		f.b.fail("HMGet needs at least one field")
	}
	f.b.key(key)
	for _, field := range fields {
		f.b.str(field)
	}
	return send(c.s, f)
}

// HMSet sends HMSET key field value...: given alternating field (a string)
// and value arguments, it sets them and returns "OK". An odd count or a
// field that is not a string fails with ErrInvalidArg before anything is
// sent. Redis deprecates it for HSET (see HSet). Since Redis 2.0.0.
func (c cmds) HMSet(ctx context.Context, key string, pairs ...any) *Future[string] {
	f := newFuture(c.s, ctx, "HMSET", idem, toStatus)
	f.b.key(key).hashPairs("HMSet", pairs)
	return send(c.s, f)
}

// HRandField sends HRANDFIELD key and returns a random field of the hash;
// a missing key gives ErrNil. Since Redis 6.2.0.
func (c cmds) HRandField(ctx context.Context, key string) *Future[string] {
	f := newFuture(c.s, ctx, "HRANDFIELD", ro, toString)
	f.b.key(key)
	return send(c.s, f)
}

// HRandFieldOptions are the optional arguments of HRANDFIELD with a count.
type HRandFieldOptions struct {
	// WithValues returns each field's value too (WITHVALUES).
	WithValues bool
}

// HRandFieldWith sends HRANDFIELD key count [WITHVALUES] and returns up to
// count distinct random fields (count > 0), or exactly -count fields that
// may repeat (count < 0); a missing key gives an empty slice. Value is
// filled only with WithValues. Since Redis 6.2.0.
func (c cmds) HRandFieldWith(ctx context.Context, key string, count int64, opts HRandFieldOptions) *Future[[]HashField] {
	conv := hashToFieldNames
	if opts.WithValues {
		conv = hashToFields
	}
	f := newFuture(c.s, ctx, "HRANDFIELD", ro, conv)
	f.b.key(key).int(count).strIf(opts.WithValues, "WITHVALUES")
	return send(c.s, f)
}

// HScanOptions are the optional arguments of HSCAN.
type HScanOptions struct {
	// Match keeps the fields matching this glob-style pattern (MATCH).
	Match string
	// Count hints how many fields each call examines (COUNT); 0 leaves the
	// server's default (10).
	Count int64
	// NoValues returns the fields without their values (NOVALUES): each
	// HashField's Value is then "". Redis 7.4+, Valkey 8.0+.
	NoValues bool
}

// HScan sends HSCAN key cursor and returns the page of fields at cursor;
// start at 0 and stop when the page's Cursor is 0. A field may appear on
// more than one page. Since Redis 2.8.0.
func (c cmds) HScan(ctx context.Context, key string, cursor uint64) *Future[HScanPage] {
	return c.HScanWith(ctx, key, cursor, HScanOptions{})
}

// HScanWith is HScan with options (MATCH, COUNT, NOVALUES). Since Redis
// 2.8.0.
func (c cmds) HScanWith(ctx context.Context, key string, cursor uint64, opts HScanOptions) *Future[HScanPage] {
	conv := hashToScanPage
	if opts.NoValues {
		conv = hashToScanPageFields
	}
	f := newFuture(c.s, ctx, "HSCAN", ro, conv)
	f.b.key(key).uint(cursor)
	f.b.scanMatchCount(opts.Match, opts.Count).strIf(opts.NoValues, "NOVALUES")
	return send(c.s, f)
}

// HScanIter walks the whole hash at key with HSCAN, from cursor 0 to the
// end, yielding each field with its value. The next page is requested
// before the fields of the current one are yielded. An error is yielded
// once (with an empty HashField) and ends the walk. A field may be
// yielded more than once, and fields added or removed during the walk may
// or may not appear.
//
//	for fv, err := range c.HScanIter(ctx, "user:1", client.HScanOptions{}) {
//		if err != nil {
//			return err
//		}
//		...
//	}
//
// Since Redis 2.8.0.
func (c cmds) HScanIter(ctx context.Context, key string, opts HScanOptions) iter.Seq2[HashField, error] {
	return walkCursor(func(cur uint64) *Future[HScanPage] { return c.HScanWith(ctx, key, cur, opts) },
		func(p HScanPage) (uint64, []HashField) { return p.Cursor, p.Fields })
}

// HSet sends HSET key field value...: given alternating field (a string)
// and value arguments, it sets them and returns how many fields were
// added (not counting updated ones). An odd count or a field that is not
// a string fails with ErrInvalidArg before anything is sent. Several fields
// need Redis 4.0.0. Since Redis 2.0.0.
func (c cmds) HSet(ctx context.Context, key string, pairs ...any) *Future[int64] {
	f := newFuture(c.s, ctx, "HSET", idem, toInt64)
	f.b.key(key).hashPairs("HSet", pairs)
	return send(c.s, f)
}

// HSetNX sends HSETNX key field value: it sets field only when it does
// not exist, and reports whether it did. Since Redis 2.0.0.
func (c cmds) HSetNX(ctx context.Context, key, field string, value any) *Future[bool] {
	f := newFuture(c.s, ctx, "HSETNX", 0, toBool)
	f.b.key(key).str(field).any(value)
	return send(c.s, f)
}

// HStrLen sends HSTRLEN key field and returns the length of field's value
// (0 for a missing field or key). Since Redis 3.2.0.
func (c cmds) HStrLen(ctx context.Context, key, field string) *Future[int64] {
	f := newFuture(c.s, ctx, "HSTRLEN", ro, toInt64)
	f.b.key(key).str(field)
	return send(c.s, f)
}

// HVals sends HVALS key and returns the values of the hash (empty for a
// missing key). Since Redis 2.0.0.
func (c cmds) HVals(ctx context.Context, key string) *Future[[]string] {
	f := newFuture(c.s, ctx, "HVALS", ro, toStrings)
	f.b.key(key)
	return send(c.s, f)
}

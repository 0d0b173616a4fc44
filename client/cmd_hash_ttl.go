package client

import (
	"context"
	"time"

	"github.com/actoredis/actoredis/messages"
)

// The hash-field expiration commands of the hash group (Redis 7.4, Valkey
// 9.0): each sets, reads or removes the expiry of some fields of one hash,
// named after FIELDS numfields, and answers one integer per field, in the
// order the fields were given. Redis before 7.4 and Valkey before 9.0 answer
// them with an unknown-command error.

// hashFieldTTL builds a command of the family: key, the arguments add
// appends (an amount and a condition; nothing for the reads), then FIELDS
// numfields field... It fails before anything is sent when no field is
// given.
func hashFieldTTL(s sender, ctx context.Context, name, method string, flags messages.Flags, key string, fields []string, add func(*builder)) *Future[[]int64] {
	f := newFuture(s, ctx, name, flags, toInt64s)
	if len(fields) == 0 {
		f.b.fail(method + " needs at least one field")
	}
	f.b.key(key)
	if add != nil {
		add(&f.b)
	}
	f.b.str("FIELDS").int(int64(len(fields)))
	for _, field := range fields {
		f.b.str(field)
	}
	return send(s, f)
}

// hashFieldExpire builds HEXPIRE, HPEXPIRE, HEXPIREAT and HPEXPIREAT: the
// amount add appends, then the condition. Like EXPIRE, only the
// unconditional form is idempotent.
func hashFieldExpire(s sender, ctx context.Context, name, method, key string, cond ExpireCondition, fields []string, add func(*builder)) *Future[[]int64] {
	flags := idem
	if cond != ExpireAlways {
		flags = 0 // a repeat after success would answer 0
	}
	return hashFieldTTL(s, ctx, name, method, flags, key, fields, func(b *builder) {
		add(b)
		b.token(expireTokens.of(cond))
	})
}

// HExpire sets the fields of the hash at key to expire after ttl, which
// must be whole seconds (use HPExpire for milliseconds; a fraction fails
// with ErrInvalidArg). It returns, per field: 1 when the expiry was set, 2
// when the field was deleted (a ttl of zero), -2 when there is no such
// field or hash. An expired field is removed; the hash goes with its last
// field. Redis 7.4+, Valkey 9.0+.
func (c cmds) HExpire(ctx context.Context, key string, ttl time.Duration, fields ...string) *Future[[]int64] {
	return c.HExpireWith(ctx, key, ttl, ExpireAlways, fields...)
}

// HExpireWith is HExpire under a condition (NX, XX, GT, LT, as for
// EXPIRE, about each field's own expiry); a field whose condition does not
// hold gets 0. Redis 7.4+, Valkey 9.0+.
func (c cmds) HExpireWith(ctx context.Context, key string, ttl time.Duration, cond ExpireCondition, fields ...string) *Future[[]int64] {
	return hashFieldExpire(c.s, ctx, "HEXPIRE", "HExpire", key, cond, fields, func(b *builder) { b.wholeSeconds(ttl, "HExpire") })
}

// HPExpire is HExpire in milliseconds (a fraction of a millisecond is
// dropped). Redis 7.4+, Valkey 9.0+.
func (c cmds) HPExpire(ctx context.Context, key string, ttl time.Duration, fields ...string) *Future[[]int64] {
	return c.HPExpireWith(ctx, key, ttl, ExpireAlways, fields...)
}

// HPExpireWith is HPExpire under a condition (see HExpireWith). Redis
// 7.4+, Valkey 9.0+.
func (c cmds) HPExpireWith(ctx context.Context, key string, ttl time.Duration, cond ExpireCondition, fields ...string) *Future[[]int64] {
	return hashFieldExpire(c.s, ctx, "HPEXPIRE", "HPExpire", key, cond, fields, func(b *builder) { b.ms(ttl) })
}

// HExpireAt sets the fields of the hash at key to expire at t, sent in Unix
// seconds (the fraction of a second is dropped); a time in the past
// deletes them. It returns per field what HExpire does. Redis 7.4+, Valkey
// 9.0+.
func (c cmds) HExpireAt(ctx context.Context, key string, t time.Time, fields ...string) *Future[[]int64] {
	return c.HExpireAtWith(ctx, key, t, ExpireAlways, fields...)
}

// HExpireAtWith is HExpireAt under a condition (see HExpireWith). Redis
// 7.4+, Valkey 9.0+.
func (c cmds) HExpireAtWith(ctx context.Context, key string, t time.Time, cond ExpireCondition, fields ...string) *Future[[]int64] {
	return hashFieldExpire(c.s, ctx, "HEXPIREAT", "HExpireAt", key, cond, fields, func(b *builder) { b.int(t.Unix()) })
}

// HPExpireAt is HExpireAt to the millisecond. Redis 7.4+, Valkey 9.0+.
func (c cmds) HPExpireAt(ctx context.Context, key string, t time.Time, fields ...string) *Future[[]int64] {
	return c.HPExpireAtWith(ctx, key, t, ExpireAlways, fields...)
}

// HPExpireAtWith is HPExpireAt under a condition (see HExpireWith). Redis
// 7.4+, Valkey 9.0+.
func (c cmds) HPExpireAtWith(ctx context.Context, key string, t time.Time, cond ExpireCondition, fields ...string) *Future[[]int64] {
	return hashFieldExpire(c.s, ctx, "HPEXPIREAT", "HPExpireAt", key, cond, fields, func(b *builder) { b.int(t.UnixMilli()) })
}

// HTTL returns, per field of the hash at key, its remaining time to live
// in seconds, as the server says: -1 for a field without expiry, -2 for no
// such field or hash. Redis 7.4+, Valkey 9.0+.
func (c cmds) HTTL(ctx context.Context, key string, fields ...string) *Future[[]int64] {
	return hashFieldTTL(c.s, ctx, "HTTL", "HTTL", ro, key, fields, nil)
}

// HPTTL is HTTL in milliseconds (-1 and -2 as for HTTL). Redis 7.4+,
// Valkey 9.0+.
func (c cmds) HPTTL(ctx context.Context, key string, fields ...string) *Future[[]int64] {
	return hashFieldTTL(c.s, ctx, "HPTTL", "HPTTL", ro, key, fields, nil)
}

// HExpireTime returns, per field of the hash at key, when it expires in
// Unix seconds: -1 for a field without expiry, -2 for no such field or
// hash. Redis 7.4+, Valkey 9.0+.
func (c cmds) HExpireTime(ctx context.Context, key string, fields ...string) *Future[[]int64] {
	return hashFieldTTL(c.s, ctx, "HEXPIRETIME", "HExpireTime", ro, key, fields, nil)
}

// HPExpireTime is HExpireTime in Unix milliseconds (-1 and -2 as for
// HExpireTime). Redis 7.4+, Valkey 9.0+.
func (c cmds) HPExpireTime(ctx context.Context, key string, fields ...string) *Future[[]int64] {
	return hashFieldTTL(c.s, ctx, "HPEXPIRETIME", "HPExpireTime", ro, key, fields, nil)
}

// HPersist removes the expiry of the fields of the hash at key and
// returns, per field: 1 when an expiry was removed, -1 when the field had
// none, -2 for no such field or hash. Redis 7.4+, Valkey 9.0+.
func (c cmds) HPersist(ctx context.Context, key string, fields ...string) *Future[[]int64] {
	return hashFieldTTL(c.s, ctx, "HPERSIST", "HPersist", idem, key, fields, nil)
}

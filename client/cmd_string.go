package client

import (
	"context"
	"strconv"
	"time"

	"github.com/actoredis/actoredis/messages"
)

// Commands of the string group.

// Append appends value to the string at key (creating it) and returns the
// new length. Since Redis 2.0.0.
func (c cmds) Append(ctx context.Context, key string, value any) *Future[int64] {
	f := newFuture(c.s, ctx, "APPEND", 0, toInt64)
	f.b.key(key).any(value)
	return send(c.s, f)
}

// Decr decrements the integer at key by one and returns the new value.
// Since Redis 1.0.0.
func (c cmds) Decr(ctx context.Context, key string) *Future[int64] {
	f := newFuture(c.s, ctx, "DECR", 0, toInt64)
	f.b.key(key)
	return send(c.s, f)
}

// DecrBy decrements the integer at key by decrement and returns the new
// value. Since Redis 1.0.0.
func (c cmds) DecrBy(ctx context.Context, key string, decrement int64) *Future[int64] {
	f := newFuture(c.s, ctx, "DECRBY", 0, toInt64)
	f.b.key(key).int(decrement)
	return send(c.s, f)
}

// Get returns the value of key; a missing key gives ErrNil.
// Since Redis 1.0.0.
func (c cmds) Get(ctx context.Context, key string) *Future[string] {
	f := newFuture(c.s, ctx, "GET", ro, toString)
	f.b.key(key)
	return send(c.s, f)
}

// GetDel returns the value of key and deletes the key; a missing key gives
// ErrNil. Since Redis 6.2.0.
func (c cmds) GetDel(ctx context.Context, key string) *Future[string] {
	f := newFuture(c.s, ctx, "GETDEL", 0, toString)
	f.b.key(key)
	return send(c.s, f)
}

// GetEx returns the value of key, like Get, but as a write command (GETEX
// without options). A missing key gives ErrNil. Since Redis 6.2.0.
func (c cmds) GetEx(ctx context.Context, key string) *Future[string] {
	return c.GetExWith(ctx, key, GetExOptions{})
}

// GetExOptions are the optional arguments of GETEX.
type GetExOptions struct {
	// Expiration changes the key's expiry: ExpiresIn (EX or PX),
	// ExpiresAt (EXAT or PXAT) or Persistent (PERSIST). The zero value
	// and KeepTTL leave it as it is.
	Expiration Expiration
}

// GetExWith returns the value of key and changes its expiry. A missing key
// gives ErrNil. Since Redis 6.2.0.
func (c cmds) GetExWith(ctx context.Context, key string, opts GetExOptions) *Future[string] {
	f := newFuture(c.s, ctx, "GETEX", idem, toString)
	f.b.key(key)
	opts.Expiration.append(&f.b, false)
	return send(c.s, f)
}

// GetRange returns the substring of the value at key from start to end,
// both inclusive; negative offsets count from the end (-1 is the last
// byte). A missing key gives "". Since Redis 2.4.0.
func (c cmds) GetRange(ctx context.Context, key string, start, end int64) *Future[string] {
	f := newFuture(c.s, ctx, "GETRANGE", ro, toString)
	f.b.key(key).int(start).int(end)
	return send(c.s, f)
}

// GetSet sets key to value and returns the old value; a key that did not
// exist gives ErrNil (and is set all the same). Redis deprecates GETSET
// for SET ... GET: see SetWith. Since Redis 1.0.0.
func (c cmds) GetSet(ctx context.Context, key string, value any) *Future[string] {
	f := newFuture(c.s, ctx, "GETSET", 0, toString)
	f.b.key(key).any(value)
	return send(c.s, f)
}

// Incr increments the integer at key by one and returns the new value.
// Since Redis 1.0.0.
func (c cmds) Incr(ctx context.Context, key string) *Future[int64] {
	f := newFuture(c.s, ctx, "INCR", 0, toInt64)
	f.b.key(key)
	return send(c.s, f)
}

// IncrBy increments the integer at key by increment and returns the new
// value. Since Redis 1.0.0.
func (c cmds) IncrBy(ctx context.Context, key string, increment int64) *Future[int64] {
	f := newFuture(c.s, ctx, "INCRBY", 0, toInt64)
	f.b.key(key).int(increment)
	return send(c.s, f)
}

// IncrByFloat increments the number at key by increment and returns the
// new value. Since Redis 2.6.0.
func (c cmds) IncrByFloat(ctx context.Context, key string, increment float64) *Future[float64] {
	f := newFuture(c.s, ctx, "INCRBYFLOAT", 0, toFloat64)
	f.b.key(key).float(increment)
	return send(c.s, f)
}

// LCS returns the longest common subsequence of the strings at key1 and
// key2 (a missing key counts as ""). Since Redis 7.0.0.
func (c cmds) LCS(ctx context.Context, key1, key2 string) *Future[string] {
	f := newFuture(c.s, ctx, "LCS", ro, toString)
	f.b.key(key1).key(key2)
	return send(c.s, f)
}

// LCSOptions are the optional arguments of LCS.
type LCSOptions struct {
	// Length asks only for the length of the subsequence (LEN).
	Length bool
	// Indexes asks for the positions of its matching ranges, and its
	// length (IDX). Length and Indexes exclude each other.
	Indexes bool
	// MinMatchLength, with Indexes, leaves out matches shorter than this
	// (MINMATCHLEN).
	MinMatchLength int64
	// WithMatchLength, with Indexes, has the server send each match's
	// length (WITHMATCHLEN). LCSMatch.Length is filled either way.
	WithMatchLength bool
}

// LCSWith is LCS with options; see LCSResult for what it fills in.
// Since Redis 7.0.0.
func (c cmds) LCSWith(ctx context.Context, key1, key2 string, opts LCSOptions) *Future[LCSResult] {
	conv := toLCSText
	switch {
	case opts.Indexes:
		conv = toLCSMatches
	case opts.Length:
		conv = toLCSLength
	}
	f := newFuture(c.s, ctx, "LCS", ro, conv)
	f.b.key(key1).key(key2)
	switch {
	case opts.Length && opts.Indexes:
		f.b.fail("LCSOptions.Length and Indexes exclude each other")
	case !opts.Indexes && (opts.MinMatchLength != 0 || opts.WithMatchLength):
		f.b.fail("LCSOptions.MinMatchLength and WithMatchLength need Indexes")
	}
	f.b.strIf(opts.Length, "LEN").strIf(opts.Indexes, "IDX")
	if opts.MinMatchLength != 0 {
		f.b.str("MINMATCHLEN").int(opts.MinMatchLength)
	}
	f.b.strIf(opts.WithMatchLength, "WITHMATCHLEN")
	return send(c.s, f)
}

// MGet returns the values of keys, in order; see NullString for missing
// keys. Since Redis 1.0.0.
func (c cmds) MGet(ctx context.Context, keys ...string) *Future[[]NullString] {
	f := newFuture(c.s, ctx, "MGET", ro, toNullStrings)
	f.b.keys(keys...)
	return send(c.s, f)
}

// pairs appends alternating keys (strings) and values (any accepted
// argument type), failing before anything is sent when the count is odd
// or zero or a key is not a string.
func (b *builder) pairs(method string, kv []any) {
	if len(kv) == 0 || len(kv)%2 != 0 {
		b.fail(method + " needs keys and values in pairs")
		return
	}
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			b.fail(method + ": key " + strconv.Itoa(i/2) + " is not a string")
			return
		}
		b.key(k).any(kv[i+1])
	}
}

// MSet sets keys to values, given as alternating key (a string) and value
// arguments: MSet(ctx, "a", 1, "b", "two"). An odd count or a key that is
// not a string fails with ErrInvalidArg before anything is sent. It
// returns "OK". Since Redis 1.0.1.
func (c cmds) MSet(ctx context.Context, pairs ...any) *Future[string] {
	f := newFuture(c.s, ctx, "MSET", idem, toStatus)
	f.b.pairs("MSet", pairs)
	return send(c.s, f)
}

// MSetNX is MSet that sets nothing when any of the keys exists; it reports
// whether it set them. Since Redis 1.0.1.
func (c cmds) MSetNX(ctx context.Context, pairs ...any) *Future[bool] {
	f := newFuture(c.s, ctx, "MSETNX", 0, toBool)
	f.b.pairs("MSetNX", pairs)
	return send(c.s, f)
}

// MSetEx sends MSETEX numkeys key value... [PX|EX ttl]: it sets keys to
// values, given as alternating key (a string) and value arguments as for
// MSet, all with ttl to live (EX when it is whole seconds, else PX; 0
// sends no expiry, and the keys lose any they had), in one atomic step,
// and reports whether it set them (always, without a condition: see
// MSetExWith). On a ClusterClient the keys must share a hash slot, as for
// MSetNX: keys in different slots fail with ErrCrossSlot, nothing sent.
// Valkey has it from 9.1.0, with the same grammar. Since Redis 8.4.0.
func (c cmds) MSetEx(ctx context.Context, ttl time.Duration, pairs ...any) *Future[bool] {
	return c.MSetExWith(ctx, MSetExOptions{Expiration: expirationOf(ttl)}, pairs...)
}

// MSetExOptions are the optional arguments of MSETEX.
type MSetExOptions struct {
	// Condition sets the keys only when none of them exists
	// (SetIfNotExists: NX) or all of them do (SetIfExists: XX). The
	// value conditions (IfValue of SET) do not apply.
	Condition SetCondition
	// Expiration is the keys' expiry: ExpiresIn (EX or PX), ExpiresAt
	// (EXAT or PXAT) or KeepTTL (KEEPTTL). The zero value and Persistent
	// send none: the keys have no expiry.
	Expiration Expiration
}

// MSetExWith is MSetEx with a condition and every expiry MSETEX takes; it
// reports whether it set the keys (false: the condition stopped it, and
// nothing was written). Valkey has it from 9.1.0. Since Redis 8.4.0.
func (c cmds) MSetExWith(ctx context.Context, opts MSetExOptions, pairs ...any) *Future[bool] {
	// Never idempotent: a repeat of NX answers false, and any repeat
	// may overwrite a key written since.
	f := newFuture(c.s, ctx, "MSETEX", 0, toBool)
	f.b.int(int64(len(pairs) / 2))
	f.b.pairs("MSetEx", pairs)
	f.b.token(setTokens.of(opts.Condition))
	opts.Expiration.append(&f.b, true)
	return send(c.s, f)
}

// PSetEx sets key to value, expiring after ttl (to the millisecond), and
// returns "OK". Since Redis 2.6.0.
func (c cmds) PSetEx(ctx context.Context, key string, value any, ttl time.Duration) *Future[string] {
	f := newFuture(c.s, ctx, "PSETEX", idem, toStatus)
	f.b.key(key).ms(ttl).any(value)
	return send(c.s, f)
}

// Set sets key to value (any argument type resp.AppendArg accepts), with
// an expiration when it is positive (in milliseconds: PX), and returns
// "OK". Any previous expiry is removed. SetWith has the other options.
// Since Redis 1.0.0.
func (c cmds) Set(ctx context.Context, key string, value any, expiration time.Duration) *Future[string] {
	f := newFuture(c.s, ctx, "SET", messages.Idempotent, toStatus)
	f.b.key(key).any(value)
	if expiration > 0 {
		f.b.str("PX").ms(expiration)
	}
	return send(c.s, f)
}

// SetCondition restricts when SET writes. The zero value, SetAlways,
// writes in every case.
type SetCondition uint8

// The conditions of SET.
const (
	// SetAlways writes in every case (no token).
	SetAlways SetCondition = iota
	// SetIfNotExists writes only when the key does not exist (NX).
	SetIfNotExists
	// SetIfExists writes only when the key exists (XX).
	SetIfExists
)

var setTokens = tokens[SetCondition]{typ: "SetCondition", zero: "always", list: []string{
	SetAlways: "", SetIfNotExists: "NX", SetIfExists: "XX",
}}

// String returns the condition's Redis token ("NX", "XX"), or "always".
func (s SetCondition) String() string { return setTokens.name(s) }

// SetOptions are the optional arguments of SET.
type SetOptions struct {
	// Condition writes only when the key does not exist (NX) or exists
	// (XX).
	Condition SetCondition
	// Get returns the old value in SetResult (GET).
	Get bool
	// Expiration is the new value's expiry: ExpiresIn (EX or PX),
	// ExpiresAt (EXAT or PXAT) or KeepTTL (KEEPTTL). The zero value and
	// Persistent give the key no expiry, as a plain SET does.
	Expiration Expiration
	// IfValue writes only when the key's current value passes the
	// comparison: compare-and-set. IfEqual (IFEQ) needs Valkey 8.1 or
	// Redis 8.4; IfNotEqual, IfDigestEqual and IfDigestNotEqual (IFNE,
	// IFDEQ, IFDNE) need Redis 8.4. It excludes Condition and Get (with
	// Get, the server replies with the old value whether it wrote or
	// not, so Written could not be told): either fails with
	// ErrInvalidArg before anything is sent.
	IfValue Comparison
}

// SetWith sets key to value with options. With SetOptions.Get, an old
// value that is not a string is a server error (WRONGTYPE) and nothing is
// written; with SetOptions.IfValue, a key of another type is one too.
// Since Redis 1.0.0.
func (c cmds) SetWith(ctx context.Context, key string, value any, opts SetOptions) *Future[SetResult] {
	conv := toSetWritten
	switch {
	case opts.Get && opts.Condition == SetIfNotExists:
		conv = toSetGetNX
	case opts.Get && opts.Condition == SetIfExists:
		conv = toSetGetXX
	case opts.Get:
		conv = toSetGet
	}
	flags := idem
	if opts.Get || opts.Condition == SetIfNotExists || opts.IfValue.isSet() {
		// A repeat after success would answer differently: the new value
		// as the old one, or "not written" for a lock we hold or a value
		// we swapped.
		flags = 0
	}
	f := newFuture(c.s, ctx, "SET", flags, conv)
	f.b.key(key).any(value)
	if opts.IfValue.isSet() && (opts.Condition != SetAlways || opts.Get) {
		f.b.fail("SetOptions.IfValue excludes Condition and Get")
	}
	f.b.token(setTokens.of(opts.Condition))
	opts.IfValue.append(&f.b)
	f.b.strIf(opts.Get, "GET")
	opts.Expiration.append(&f.b, true)
	return send(c.s, f)
}

// SetEx sets key to value, expiring after ttl, which must be whole seconds
// (use PSetEx for milliseconds; a fraction fails with ErrInvalidArg), and
// returns "OK". Since Redis 2.0.0.
func (c cmds) SetEx(ctx context.Context, key string, value any, ttl time.Duration) *Future[string] {
	f := newFuture(c.s, ctx, "SETEX", idem, toStatus)
	f.b.key(key).wholeSeconds(ttl, "SetEx").any(value)
	return send(c.s, f)
}

// SetNX sets key to value only when key does not exist, and reports
// whether it did. Since Redis 1.0.0.
func (c cmds) SetNX(ctx context.Context, key string, value any) *Future[bool] {
	f := newFuture(c.s, ctx, "SETNX", 0, toBool)
	f.b.key(key).any(value)
	return send(c.s, f)
}

// SetRange overwrites the string at key from offset with value (padding
// with zero bytes when the string is shorter) and returns the new length.
// Since Redis 2.2.0.
func (c cmds) SetRange(ctx context.Context, key string, offset int64, value any) *Future[int64] {
	f := newFuture(c.s, ctx, "SETRANGE", idem, toInt64)
	f.b.key(key).int(offset).any(value)
	return send(c.s, f)
}

// StrLen returns the length of the string at key (0 for a missing key).
// Since Redis 2.2.0.
func (c cmds) StrLen(ctx context.Context, key string) *Future[int64] {
	f := newFuture(c.s, ctx, "STRLEN", ro, toInt64)
	f.b.key(key)
	return send(c.s, f)
}

// SubStr is GetRange under its old name (SUBSTR), kept by Redis for
// compatibility. Since Redis 1.0.0.
func (c cmds) SubStr(ctx context.Context, key string, start, end int64) *Future[string] {
	f := newFuture(c.s, ctx, "SUBSTR", ro, toString)
	f.b.key(key).int(start).int(end)
	return send(c.s, f)
}

// Expiration is the expiry a SET or GETEX gives a key. Make one with
// ExpiresIn, ExpiresAt, KeepTTL or Persistent; the zero value sends no
// token (for SET: no expiry; for GETEX: the expiry is left as it is).
type Expiration struct {
	kind expirationKind
	ttl  time.Duration
	at   time.Time
}

type expirationKind uint8

const (
	expirationNone expirationKind = iota
	expirationIn
	expirationAt
	expirationKeep
	expirationPersist
)

// ExpiresIn expires the key after ttl, which must be positive: sent as EX
// when ttl is a whole number of seconds, else as PX in whole milliseconds
// (a fraction of a millisecond is dropped).
func ExpiresIn(ttl time.Duration) Expiration { return Expiration{kind: expirationIn, ttl: ttl} }

// ExpiresAt expires the key at t, which must not be the zero time: sent as
// EXAT when t is a whole second, else as PXAT in Unix milliseconds.
func ExpiresAt(t time.Time) Expiration { return Expiration{kind: expirationAt, at: t} }

// KeepTTL keeps the key's current expiry: KEEPTTL for SET, nothing for
// GETEX (which leaves the expiry alone anyway).
func KeepTTL() Expiration { return Expiration{kind: expirationKeep} }

// Persistent removes the key's expiry: PERSIST for GETEX, nothing for SET
// (which removes the expiry anyway).
func Persistent() Expiration { return Expiration{kind: expirationPersist} }

// String describes the expiration: "none", "in 10s", "at 2024-05-01T...",
// "keep" or "persist".
func (e Expiration) String() string {
	switch e.kind {
	case expirationIn:
		return "in " + e.ttl.String()
	case expirationAt:
		return "at " + e.at.Format(time.RFC3339Nano)
	case expirationKeep:
		return "keep"
	case expirationPersist:
		return "persist"
	}
	return "none"
}

// append adds the expiration's tokens to a SET (forSet) or GETEX.
func (e Expiration) append(b *builder, forSet bool) {
	switch e.kind {
	case expirationIn:
		switch {
		case e.ttl <= 0:
			b.fail("ExpiresIn needs a positive duration")
		case e.ttl%time.Second == 0:
			b.str("EX").sec(e.ttl)
		case e.ttl < time.Millisecond:
			b.fail("ExpiresIn needs at least one millisecond")
		default:
			b.str("PX").ms(e.ttl)
		}
	case expirationAt:
		switch {
		case e.at.IsZero():
			b.fail("ExpiresAt needs a time")
		case e.at.Nanosecond() == 0:
			b.str("EXAT").int(e.at.Unix())
		default:
			b.str("PXAT").int(e.at.UnixMilli())
		}
	case expirationKeep:
		b.strIf(forSet, "KEEPTTL")
	case expirationPersist:
		b.strIf(!forSet, "PERSIST")
	}
}

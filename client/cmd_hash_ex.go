package client

import (
	"context"
	"time"
)

// The hash commands that read or write fields together with their
// expiry: HGETDEL, HGETEX and HSETEX (Redis 8.0, Valkey 9.0 and 9.1).
// Redis and Valkey share HGETDEL's and HGETEX's grammar; Valkey's HSETEX
// adds the key conditions NX and XX, which HSetExOptions.KeyCondition
// sends.

// fieldsBlock appends FIELDS numfields field..., failing the command when
// there is no field.
func (b *builder) fieldsBlock(method string, fields []string) {
	if len(fields) == 0 {
		b.fail(method + " needs at least one field")
		return
	}
	b.str("FIELDS").int(int64(len(fields)))
	for _, field := range fields {
		b.str(field)
	}
}

// HGetDel sends HGETDEL key FIELDS numfields field...: it returns the
// values of fields, in order, nil for a field (or key) that does not
// exist, and deletes the fields; the hash goes once its last field does.
// Valkey has it from 9.1.0. Since Redis 8.0.0.
func (c cmds) HGetDel(ctx context.Context, key string, fields ...string) *Future[[]*string] {
	f := newFuture(c.s, ctx, "HGETDEL", 0, toStringPtrs)
	f.b.key(key)
	f.b.fieldsBlock("HGetDel", fields)
	return send(c.s, f)
}

// HGetEx sends HGETEX key [EX|PX ttl] FIELDS numfields field...: it
// returns the values of fields, in order, nil for a missing field, and
// gives the fields that exist ttl to live (EX when it is whole seconds,
// else PX). A ttl of 0 leaves their expiry as it is; a negative one fails
// with ErrInvalidArg before anything is sent. HGetExWith has EXAT, PXAT
// and PERSIST. Valkey has it from 9.0.0. Since Redis 8.0.0.
func (c cmds) HGetEx(ctx context.Context, key string, ttl time.Duration, fields ...string) *Future[[]*string] {
	return c.HGetExWith(ctx, key, HGetExOptions{Expiration: expirationOf(ttl)}, fields...)
}

// expirationOf is the expiration of a method's plain form: none for 0,
// ExpiresIn otherwise (which refuses a negative ttl).
func expirationOf(ttl time.Duration) Expiration {
	if ttl == 0 {
		return Expiration{}
	}
	return ExpiresIn(ttl)
}

// HGetExOptions are the optional arguments of HGETEX.
type HGetExOptions struct {
	// Expiration changes the fields' expiry: ExpiresIn (EX or PX),
	// ExpiresAt (EXAT or PXAT) or Persistent (PERSIST). The zero value
	// and KeepTTL leave it as it is.
	Expiration Expiration
}

// HGetExWith is HGetEx with every expiry HGETEX takes. Both servers share
// the grammar. Valkey has it from 9.0.0. Since Redis 8.0.0.
func (c cmds) HGetExWith(ctx context.Context, key string, opts HGetExOptions, fields ...string) *Future[[]*string] {
	f := newFuture(c.s, ctx, "HGETEX", 0, toStringPtrs)
	f.b.key(key)
	opts.Expiration.append(&f.b, false)
	f.b.fieldsBlock("HGetEx", fields)
	return send(c.s, f)
}

// HSetEx sends HSETEX key [EX|PX ttl] FIELDS numfields field value...:
// it sets the fields, given as alternating field (a string) and value
// (any argument type) arguments, with ttl to live (EX when it is whole
// seconds, else PX; 0 sends no expiry, and the fields lose any they had).
// It returns 1 when the fields were set, 0 when a condition of
// HSetExWith stopped it. An odd count or a field that is not a string
// fails with ErrInvalidArg before anything is sent. Valkey has it from
// 9.0.0. Since Redis 8.0.0.
func (c cmds) HSetEx(ctx context.Context, key string, ttl time.Duration, fieldsAndValues ...any) *Future[int64] {
	return c.HSetExWith(ctx, key, HSetExOptions{Expiration: expirationOf(ttl)}, fieldsAndValues...)
}

// FieldCondition restricts when HSETEX writes, by the fields it names.
// The zero value, FieldsAlways, writes in every case.
type FieldCondition uint8

// The field conditions of HSETEX.
const (
	// FieldsAlways writes in every case (no token).
	FieldsAlways FieldCondition = iota
	// FieldsIfNoneExist writes only when none of the fields exists (FNX).
	FieldsIfNoneExist
	// FieldsIfAllExist writes only when all of the fields exist (FXX).
	FieldsIfAllExist
)

var fieldConditionTokens = tokens[FieldCondition]{typ: "FieldCondition", zero: "always", list: []string{
	FieldsAlways: "", FieldsIfNoneExist: "FNX", FieldsIfAllExist: "FXX",
}}

// String returns the condition's token ("FNX", "FXX"), or "always".
func (fc FieldCondition) String() string { return fieldConditionTokens.name(fc) }

// HSetExOptions are the optional arguments of HSETEX.
type HSetExOptions struct {
	// KeyCondition writes only when the hash does not exist
	// (SetIfNotExists: NX) or exists (SetIfExists: XX). Valkey 9.1 and
	// later only: Redis 8 answers it with a syntax error. The value
	// conditions of SET (SetIfEqual, ...) do not apply.
	KeyCondition SetCondition
	// FieldCondition writes only when none of the fields exists (FNX) or
	// all of them do (FXX). Redis 8.0 and Valkey 9.0 and later.
	FieldCondition FieldCondition
	// Expiration is the fields' expiry: ExpiresIn (EX or PX), ExpiresAt
	// (EXAT or PXAT) or KeepTTL (KEEPTTL). The zero value and Persistent
	// send none: the fields set have no expiry.
	Expiration Expiration
}

// HSetExWith is HSetEx with conditions and every expiry HSETEX takes; it
// returns 1 when it set the fields, 0 when a condition stopped it. The
// tokens go in the order both servers accept: NX|XX, FNX|FXX, then the
// expiry. Valkey has it from 9.0.0 (NX and XX from 9.1.0). Since Redis
// 8.0.0.
func (c cmds) HSetExWith(ctx context.Context, key string, opts HSetExOptions, fieldsAndValues ...any) *Future[int64] {
	flags := idem
	if opts.KeyCondition == SetIfNotExists || opts.FieldCondition == FieldsIfNoneExist {
		// A repeat after success answers 0: the fields exist now.
		flags = 0
	}
	f := newFuture(c.s, ctx, "HSETEX", flags, toInt64)
	f.b.key(key)
	switch opts.KeyCondition {
	case SetAlways, SetIfNotExists, SetIfExists:
		f.b.token(setTokens.of(opts.KeyCondition))
	default:
		f.b.fail("HSetExOptions.KeyCondition takes SetIfNotExists or SetIfExists, not " + opts.KeyCondition.String())
	}
	f.b.token(fieldConditionTokens.of(opts.FieldCondition))
	opts.Expiration.append(&f.b, true)
	if n := len(fieldsAndValues); n == 0 || n%2 != 0 {
		f.b.fail("HSetEx needs fields and values in pairs")
	} else {
		f.b.str("FIELDS").int(int64(n / 2))
		f.b.hashPairs("HSetEx", fieldsAndValues)
	}
	return send(c.s, f)
}

package client

import (
	"context"

	"github.com/actoredis/actoredis/resp"
)

// INCREX (Redis 8.8, Valkey 9.2): an increment with bounds and an expiry
// in one atomic command, the building block of a window rate limiter.
// Like INCRBY and INCRBYFLOAT, the integer and the float forms are two
// methods, since their replies differ.

// IncrExOptions are the optional arguments of INCREX.
type IncrExOptions struct {
	// LowerBound and UpperBound bound the result (LBOUND, UBOUND): an
	// increment that would leave them is skipped (Applied is 0) unless
	// Saturate. Any argument type resp.AppendArg accepts; nil sends none.
	LowerBound, UpperBound any
	// Saturate caps the result at the bound it would cross instead of
	// skipping the increment (SATURATE).
	Saturate bool
	// Expiration sets the key's expiry with the increment: ExpiresIn (EX
	// or PX), ExpiresAt (EXAT or PXAT) or Persistent (PERSIST). The zero
	// value and KeepTTL leave the expiry as it is.
	Expiration Expiration
	// ExpireIfNoTTL sets Expiration only when the key has no expiry yet
	// (ENX): the window of a rate limiter starts at its first hit.
	ExpireIfNoTTL bool
	// Condition increments only when the key does not exist (NX) or
	// exists (XX). Valkey 9.2 only.
	Condition SetCondition
}

// IncrExResult is the reply of IncrEx: the key's value after the call and
// the increment applied, 0 when a bound made the server skip it.
type IncrExResult struct {
	Value, Applied int64
}

// IncrExFloatResult is the reply of IncrExFloat, as IncrExResult.
type IncrExFloatResult struct {
	Value, Applied float64
}

// IncrEx sends INCREX key BYINT by [options]: it adds by (negative
// subtracts) to the integer at key, a missing key counting as 0, within
// the bounds and with the expiry of opts, and returns the new value with
// the increment applied. A value that is not an integer is an error.
// Valkey has it from 9.2.0. Since Redis 8.8.0.
func (c cmds) IncrEx(ctx context.Context, key string, by int64, opts IncrExOptions) *Future[IncrExResult] {
	f := newFuture(c.s, ctx, "INCREX", 0, toIncrExResult)
	f.b.key(key).str("BYINT").int(by)
	opts.append(&f.b)
	return send(c.s, f)
}

// IncrExFloat sends INCREX key BYFLOAT by [options]: IncrEx on a float.
// Valkey has it from 9.2.0. Since Redis 8.8.0.
func (c cmds) IncrExFloat(ctx context.Context, key string, by float64, opts IncrExOptions) *Future[IncrExFloatResult] {
	f := newFuture(c.s, ctx, "INCREX", 0, toIncrExFloatResult)
	f.b.key(key).str("BYFLOAT").float(by)
	opts.append(&f.b)
	return send(c.s, f)
}

func (o IncrExOptions) append(b *builder) {
	b.token(setTokens.of(o.Condition))
	if o.LowerBound != nil {
		b.str("LBOUND").any(o.LowerBound)
	}
	if o.UpperBound != nil {
		b.str("UBOUND").any(o.UpperBound)
	}
	b.strIf(o.Saturate, "SATURATE")
	o.Expiration.append(b, false)
	if o.ExpireIfNoTTL && o.Expiration.kind != expirationIn && o.Expiration.kind != expirationAt {
		b.fail("IncrExOptions.ExpireIfNoTTL needs an Expiration to set")
	}
	b.strIf(o.ExpireIfNoTTL, "ENX")
}

// toIncrExResult reads [value, increment] of integers.
func toIncrExResult(v resp.Value) (IncrExResult, error) {
	if v.Kind != resp.KindArray || len(v.Elems) != 2 {
		return IncrExResult{}, unexpected(v, "array of 2")
	}
	value, err := v.Elems[0].AsInt64()
	if err != nil {
		return IncrExResult{}, err
	}
	applied, err := v.Elems[1].AsInt64()
	return IncrExResult{Value: value, Applied: applied}, err
}

// toIncrExFloatResult reads [value, increment]: bulk strings in RESP2,
// doubles in RESP3.
func toIncrExFloatResult(v resp.Value) (IncrExFloatResult, error) {
	if v.Kind != resp.KindArray || len(v.Elems) != 2 {
		return IncrExFloatResult{}, unexpected(v, "array of 2")
	}
	value, err := v.Elems[0].AsFloat64()
	if err != nil {
		return IncrExFloatResult{}, err
	}
	applied, err := v.Elems[1].AsFloat64()
	return IncrExFloatResult{Value: value, Applied: applied}, err
}

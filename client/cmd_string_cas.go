package client

import "context"

// Compare-and-set and compare-and-delete on strings: the value conditions
// of SET (IFEQ in Valkey 8.1 and Redis 8.4; IFNE, IFDEQ and IFDNE in Redis
// 8.4 only), DELIFEQ (Valkey 9.0), DELEX and DIGEST (Redis 8.4). The two
// servers spell compare-and-delete differently: DelIfEq is Valkey's,
// DelEx Redis's.

// Comparison is a condition on the current value of a string key, for
// SetOptions.IfValue and DelEx. Make one with IfEqual, IfNotEqual,
// IfDigestEqual or IfDigestNotEqual; the zero value is no condition.
type Comparison struct {
	kind  comparisonKind
	value any
}

type comparisonKind uint8

const (
	comparisonNone comparisonKind = iota
	comparisonEqual
	comparisonNotEqual
	comparisonDigestEqual
	comparisonDigestNotEqual
)

var comparisonTokens = tokens[comparisonKind]{typ: "Comparison", zero: "none", list: []string{
	comparisonEqual: "IFEQ", comparisonNotEqual: "IFNE",
	comparisonDigestEqual: "IFDEQ", comparisonDigestNotEqual: "IFDNE",
}}

// IfEqual holds when the key holds a string equal to value (IFEQ; a
// missing key does not hold it). value is any argument type
// resp.AppendArg accepts. Redis 8.4 and Valkey 8.1 (SET), Redis 8.4
// (DELEX).
func IfEqual(value any) Comparison { return Comparison{kind: comparisonEqual, value: value} }

// IfNotEqual holds when the key is missing or holds a string other than
// value (IFNE). Redis 8.4 only.
func IfNotEqual(value any) Comparison { return Comparison{kind: comparisonNotEqual, value: value} }

// IfDigestEqual holds when the digest of the key's string (as Digest
// returns it: 16 hex digits of its XXH3 hash) is digest (IFDEQ; a missing
// key does not hold it). Redis 8.4 only.
func IfDigestEqual(digest string) Comparison {
	return Comparison{kind: comparisonDigestEqual, value: digest}
}

// IfDigestNotEqual holds when the key is missing or the digest of its
// string is not digest (IFDNE). Redis 8.4 only.
func IfDigestNotEqual(digest string) Comparison {
	return Comparison{kind: comparisonDigestNotEqual, value: digest}
}

// String returns the comparison's token ("IFEQ", "IFNE", "IFDEQ",
// "IFDNE") or "none"; never the value, which may be a secret.
func (cmp Comparison) String() string { return comparisonTokens.name(cmp.kind) }

// isSet reports whether the comparison is a condition.
func (cmp Comparison) isSet() bool { return cmp.kind != comparisonNone }

// append adds the comparison's token and value; nothing for the zero
// value.
func (cmp Comparison) append(b *builder) {
	if !cmp.isSet() {
		return
	}
	b.token(comparisonTokens.of(cmp.kind))
	if cmp.value == nil {
		b.fail(cmp.String() + " needs a value to compare with")
		return
	}
	b.any(cmp.value)
}

// DelIfEq sends DELIFEQ key value: it deletes key when it holds a string
// equal to value, and returns 1 when it did, 0 when the key was missing or
// held another value; a key of another type is a WRONGTYPE error. This is
// how a lock holder releases its lock and no one else's. Redis 8.4 spells
// it DelEx(ctx, key, IfEqual(value)). Valkey 9.0.0 and later only.
func (c cmds) DelIfEq(ctx context.Context, key string, value any) *Future[int64] {
	f := newFuture(c.s, ctx, "DELIFEQ", 0, toInt64)
	f.b.key(key).any(value)
	return send(c.s, f)
}

// DelEx sends DELEX key [IFEQ|IFNE value | IFDEQ|IFDNE digest]: it
// deletes key when the comparison holds (always, for the zero
// Comparison) and returns 1 when it did, 0 otherwise; a condition on a
// key of another type is a WRONGTYPE error. Valkey 9.0 spells the IFEQ
// form DelIfEq. Since Redis 8.4.0.
func (c cmds) DelEx(ctx context.Context, key string, cmp Comparison) *Future[int64] {
	flags := idem
	if cmp.isSet() {
		// A repeat after success answers 0, and may delete a value
		// written since (IFNE, IFDNE).
		flags = 0
	}
	f := newFuture(c.s, ctx, "DELEX", flags, toInt64)
	f.b.key(key)
	cmp.append(&f.b)
	return send(c.s, f)
}

// Digest sends DIGEST key and returns the XXH3 digest of the string at
// key as 16 hex digits, what IfDigestEqual and IfDigestNotEqual compare
// with; a missing key gives ErrNil, a key of another type a WRONGTYPE
// error. Since Redis 8.4.0.
func (c cmds) Digest(ctx context.Context, key string) *Future[string] {
	f := newFuture(c.s, ctx, "DIGEST", ro, toString)
	f.b.key(key)
	return send(c.s, f)
}

package client

import "context"

// The stream commands of Redis 8.2 that say what becomes of the consumer
// groups' references to the entries they delete: XDELEX, XACKDEL, and the
// KEEPREF|DELREF|ACKED argument of XADD (XAddOptions.Refs) and XTRIM
// (XTrimWith).

// XRefPolicy says what a deletion does with the references to the
// deleted entries in the consumer groups' pending entries lists (PEL).
// The zero value, XRefDefault, sends no token: the server's default,
// which is KEEPREF.
type XRefPolicy uint8

// The reference policies of Redis 8.2.
const (
	// XRefDefault sends no token (KEEPREF, on a server that has it).
	XRefDefault XRefPolicy = iota
	// XRefKeep deletes the entries and leaves the groups' references to
	// them pending, as XDEL does (KEEPREF).
	XRefKeep
	// XRefDelete deletes the entries and every group's references to
	// them (DELREF).
	XRefDelete
	// XRefAcked deletes only the entries that every group has read and
	// acknowledged (ACKED).
	XRefAcked
)

var xRefTokens = tokens[XRefPolicy]{typ: "XRefPolicy", zero: "default", list: []string{
	XRefKeep: "KEEPREF", XRefDelete: "DELREF", XRefAcked: "ACKED",
}}

// String returns the policy's token ("KEEPREF", "DELREF", "ACKED") or
// "default".
func (p XRefPolicy) String() string { return xRefTokens.name(p) }

// The codes of XDelEx and XAckDel, one per ID.
const (
	// XDelNotFound: no entry with the ID in the stream (or no stream).
	XDelNotFound int64 = -1
	// XDelDeleted: the entry was deleted (and, for XAckDel,
	// acknowledged).
	XDelDeleted int64 = 1
	// XDelReferenced: the entry was kept (and, for XAckDel,
	// acknowledged), since a group still has it pending (XRefAcked).
	XDelReferenced int64 = 2
)

// streamIDs appends IDS numids id..., failing the command when there is
// no ID.
func streamIDs(b *builder, method string, ids []string) {
	if len(ids) == 0 {
		b.fail(method + " needs at least one ID")
		return
	}
	b.str("IDS").int(int64(len(ids)))
	for _, id := range ids {
		b.str(id)
	}
}

// XDelEx sends XDELEX key [KEEPREF|DELREF|ACKED] IDS numids id...: it
// deletes the entries ids of the stream at key, doing with the consumer
// groups' references what refs says, and returns one code per ID:
// XDelNotFound, XDelDeleted or XDelReferenced. Since Redis 8.2.0.
func (c cmds) XDelEx(ctx context.Context, key string, refs XRefPolicy, ids ...string) *Future[[]int64] {
	f := newFuture(c.s, ctx, "XDELEX", idem, toInt64s)
	f.b.key(key)
	f.b.token(xRefTokens.of(refs))
	streamIDs(&f.b, "XDelEx", ids)
	return send(c.s, f)
}

// XAckDel sends XACKDEL key group [KEEPREF|DELREF|ACKED] IDS numids
// id...: it acknowledges the entries ids for group and deletes them from
// the stream at key, doing with the other groups' references what refs
// says, and returns one code per ID: XDelNotFound, XDelDeleted or
// XDelReferenced. Since Redis 8.2.0.
func (c cmds) XAckDel(ctx context.Context, key, group string, refs XRefPolicy, ids ...string) *Future[[]int64] {
	f := newFuture(c.s, ctx, "XACKDEL", idem, toInt64s)
	f.b.key(key).str(group)
	f.b.token(xRefTokens.of(refs))
	streamIDs(&f.b, "XAckDel", ids)
	return send(c.s, f)
}

// XTrimOptions are the optional arguments of XTRIM.
type XTrimOptions struct {
	// Refs is what trimming does with the consumer groups' references to
	// the entries it evicts (KEEPREF, DELREF, ACKED). Redis 8.2 and
	// later.
	Refs XRefPolicy
}

// XTrimWith is XTrim with options, sent after the rule: XTRIM key
// MAXLEN|MINID ... [KEEPREF|DELREF|ACKED]. Since Redis 8.2.0.
func (c cmds) XTrimWith(ctx context.Context, key string, rule XTrimRule, opts XTrimOptions) *Future[int64] {
	f := newFuture(c.s, ctx, "XTRIM", 0, toInt64)
	f.b.key(key)
	if rule.kind == xTrimNone {
		f.b.fail("XTrim needs XMaxLen or XMinID")
	}
	streamAppendTrim(&f.b, rule)
	f.b.token(xRefTokens.of(opts.Refs))
	return send(c.s, f)
}

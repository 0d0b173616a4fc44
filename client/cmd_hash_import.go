package client

import (
	"context"

	"github.com/actoredis/actoredis/messages"
)

// HIMPORT (Redis 8.10): bulk import of hashes that share their field
// names. A fieldset, the names in order, is prepared once and belongs to
// the connection; each HIMPORT SET then sends only the values. Since the
// fieldsets live on one connection, these are methods of Conn, which
// holds one (Client.Conn).

// HImportPrepare sends HIMPORT PREPARE name field...: it defines the
// fieldset name on the connection (replacing one of that name) and
// returns "OK"; a field given twice is an error. Since Redis 8.10.0.
func (cn *Conn) HImportPrepare(ctx context.Context, name string, fields ...string) *Future[string] {
	f := newFuture(cn.s, ctx, "HIMPORT PREPARE", messages.Stateful, toStatus)
	f.b.str(name)
	if len(fields) == 0 {
		f.b.fail("HImportPrepare needs at least one field")
	}
	for _, field := range fields {
		f.b.str(field)
	}
	return send(cn.s, f)
}

// HImportSet sends HIMPORT SET key name value...: it makes key (replacing
// it) a hash of the fieldset's fields with values, by position, and
// returns "OK". There must be one value per field of the fieldset, which
// must have been prepared on this connection. Since Redis 8.10.0.
func (cn *Conn) HImportSet(ctx context.Context, key, name string, values ...any) *Future[string] {
	f := newFuture(cn.s, ctx, "HIMPORT SET", messages.Stateful, toStatus)
	f.b.key(key).str(name)
	if len(values) == 0 {
		f.b.fail("HImportSet needs at least one value")
	}
	for _, v := range values {
		f.b.any(v)
	}
	return send(cn.s, f)
}

// HImportDiscard sends HIMPORT DISCARD name: it drops the fieldset (not
// the hashes made from it) and returns 1, or 0 when there was none of
// that name. Since Redis 8.10.0.
func (cn *Conn) HImportDiscard(ctx context.Context, name string) *Future[int64] {
	f := newFuture(cn.s, ctx, "HIMPORT DISCARD", messages.Stateful, toInt64)
	f.b.str(name)
	return send(cn.s, f)
}

// HImportDiscardAll sends HIMPORT DISCARDALL: it drops every fieldset of
// the connection and returns how many there were. Since Redis 8.10.0.
func (cn *Conn) HImportDiscardAll(ctx context.Context) *Future[int64] {
	f := newFuture(cn.s, ctx, "HIMPORT DISCARDALL", messages.Stateful, toInt64)
	return send(cn.s, f)
}

package client

import (
	"context"
	"time"
)

// The stream commands of Redis 8.6 and 8.8 outside XADD and XREADGROUP:
// XCFGSET (the idempotent-producer configuration of a stream) and XNACK
// (a consumer gives pending entries back to its group).

// XNackMode is how XNACK changes the delivery counter of the entries it
// releases.
type XNackMode uint8

// The modes of XNACK.
const (
	// XNackFail keeps the counter (FAIL): this consumer failed on the
	// entry; another may try it.
	XNackFail XNackMode = iota
	// XNackSilent takes back the delivery (SILENT): the consumer shut down
	// or never tried, and the attempt should not count.
	XNackSilent
	// XNackFatal sets the counter to its maximum (FATAL): the entry is
	// poison, for a dead-letter sweep to find.
	XNackFatal
)

var xNackModeTokens = tokens[XNackMode]{typ: "XNackMode", list: []string{
	XNackFail: "FAIL", XNackSilent: "SILENT", XNackFatal: "FATAL",
}}

// String returns the mode's Redis token: "FAIL", "SILENT" or "FATAL".
func (m XNackMode) String() string { return xNackModeTokens.name(m) }

// XNackOptions are the optional arguments of XNACK.
type XNackOptions struct {
	// RetryCount sets the delivery counter of the released entries to
	// this value instead of what the mode does (RETRYCOUNT); 0: not
	// sent.
	RetryCount int64
	// Force releases IDs that exist in the stream but are not pending,
	// adding them to the group's pending list (FORCE).
	Force bool
}

// XNack sends XNACK key group <mode> IDS numids id...: it releases the
// pending entries ids of group back to the group, owned by no consumer and
// claimable at once (XREADGROUP CLAIM, XAUTOCLAIM), without acknowledging
// them, and returns how many it released. Since Redis 8.8.0.
func (c cmds) XNack(ctx context.Context, key, group string, mode XNackMode, ids ...string) *Future[int64] {
	return c.XNackWith(ctx, key, group, mode, ids, XNackOptions{})
}

// XNackWith is XNack with options (RETRYCOUNT, FORCE). Since Redis 8.8.0.
func (c cmds) XNackWith(ctx context.Context, key, group string, mode XNackMode, ids []string, opts XNackOptions) *Future[int64] {
	f := newFuture(c.s, ctx, "XNACK", 0, toInt64)
	f.b.key(key).str(group).token(xNackModeTokens.of(mode))
	if len(ids) == 0 {
		f.b.fail("XNack needs at least one ID")
	}
	f.b.str("IDS").int(int64(len(ids)))
	for _, id := range ids {
		f.b.str(id)
	}
	switch {
	case opts.RetryCount < 0:
		f.b.fail("XNackOptions.RetryCount must not be negative")
	case opts.RetryCount > 0:
		f.b.str("RETRYCOUNT").int(opts.RetryCount)
	}
	f.b.strIf(opts.Force, "FORCE")
	return send(c.s, f)
}

// XCfgSetOptions are the settings XCFGSET changes; at least one is set.
type XCfgSetOptions struct {
	// IdempotenceWindow is how long the stream remembers each idempotent
	// ID of XADD IDMP and IDMPAUTO (IDMP-DURATION, in whole seconds, 1s
	// to 24h; the server's default is 100s). 0: not changed.
	IdempotenceWindow time.Duration
	// IdempotenceMaxSize is how many recent idempotent IDs it keeps per
	// producer (IDMP-MAXSIZE, 1 to 10000; default 100). 0: not changed.
	IdempotenceMaxSize int64
}

// XCfgSet sends XCFGSET key [IDMP-DURATION seconds] [IDMP-MAXSIZE n]: it
// sets the idempotent-producer configuration of the existing stream at
// key, forgetting the IDs it remembered, and returns "OK". Since Redis
// 8.6.0.
func (c cmds) XCfgSet(ctx context.Context, key string, opts XCfgSetOptions) *Future[string] {
	f := newFuture(c.s, ctx, "XCFGSET", 0, toStatus)
	f.b.key(key)
	w := opts.IdempotenceWindow
	switch {
	case w < 0 || w%time.Second != 0:
		f.b.fail("XCfgSetOptions.IdempotenceWindow must be whole seconds")
	case w > 0:
		f.b.str("IDMP-DURATION").sec(w)
	}
	switch {
	case opts.IdempotenceMaxSize < 0:
		f.b.fail("XCfgSetOptions.IdempotenceMaxSize must not be negative")
	case opts.IdempotenceMaxSize > 0:
		f.b.str("IDMP-MAXSIZE").int(opts.IdempotenceMaxSize)
	}
	if w == 0 && opts.IdempotenceMaxSize == 0 {
		f.b.fail("XCfgSet needs IdempotenceWindow or IdempotenceMaxSize")
	}
	return send(c.s, f)
}

package client

import (
	"context"
	"time"

	"github.com/actoredis/actoredis/messages"
)

// LMOVEM and BLMOVEM (Redis 8.10): LMOVE and BLMOVE for many elements.

// LMoveMOptions are the optional arguments of LMOVEM and BLMOVEM (the
// how-many block). The zero value moves one element.
type LMoveMOptions struct {
	// Count moves up to this many elements, fewer when the source holds
	// fewer (COUNT); 0: not sent.
	Count int64
	// Exactly moves this many elements or none (EXACTLY); BLMoveM waits
	// until the source holds them all. 0: not sent; at most one of Count
	// and Exactly.
	Exactly int64
	// Bulk keeps the elements' order in the destination (BULK); false
	// moves them one by one (OBO), as that many LMOVEs would, which
	// reverses a LEFT-to-LEFT or RIGHT-to-RIGHT move. Sent with Count or
	// Exactly only.
	Bulk bool
}

func (o LMoveMOptions) append(b *builder, method string) {
	switch {
	case o.Count < 0 || o.Exactly < 0:
		b.fail(method + " needs a count of zero or more")
	case o.Count > 0 && o.Exactly > 0:
		b.fail(method + " takes Count or Exactly, not both")
	case o.Count > 0:
		b.str("COUNT").int(o.Count)
	case o.Exactly > 0:
		b.str("EXACTLY").int(o.Exactly)
	default:
		if o.Bulk {
			b.fail(method + " sends Bulk with Count or Exactly only")
		}
		return
	}
	if o.Bulk {
		b.str("BULK")
	} else {
		b.str("OBO")
	}
}

// LMoveM sends LMOVEM src dst <srcDir> <dstDir> [COUNT n | EXACTLY n
// OBO|BULK]: it moves elements from the srcDir end of the list at src to
// the dstDir end of the list at dst and returns them in their order in
// dst; nothing to move gives ErrNil. In a cluster src and dst must share
// a slot. Since Redis 8.10.0.
func (c cmds) LMoveM(ctx context.Context, src, dst string, srcDir, dstDir ListDirection, opts LMoveMOptions) *Future[[]string] {
	f := newFuture(c.s, ctx, "LMOVEM", 0, toStrings)
	f.b.key(src).key(dst).token(listDirectionTokens.of(srcDir)).token(listDirectionTokens.of(dstDir))
	opts.append(&f.b, "LMoveM")
	return send(c.s, f)
}

// BLMoveM is LMoveM that blocks until src holds what opts asks for (one
// element, at least one with Count, all with Exactly) or timeout passes
// (zero: forever; fractions of a second are sent to the millisecond). It
// sends BLMOVEM src dst <srcDir> <dstDir> timeout [how-many]; a timeout
// gives ErrNil. It runs on a dedicated connection, closed if ctx ends
// first, so nothing is moved for a caller that has gone. Since Redis
// 8.10.0.
func (c cmds) BLMoveM(ctx context.Context, src, dst string, srcDir, dstDir ListDirection, timeout time.Duration, opts LMoveMOptions) *Future[[]string] {
	f := newFuture(c.s, ctx, "BLMOVEM", messages.Blocking, toStrings)
	f.b.key(src).key(dst).token(listDirectionTokens.of(srcDir)).token(listDirectionTokens.of(dstDir)).listTimeout(timeout, "BLMoveM")
	opts.append(&f.b, "BLMoveM")
	return send(c.s, f)
}

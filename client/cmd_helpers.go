package client

import (
	"time"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// Helpers shared by the command files: the send step that knows about
// CLIENT REPLY, and argument checks.

// idem marks writes that may be repeated with the same effect.
const idem = messages.Idempotent

// submit is send for the command methods. On a Conn, a command written
// while CLIENT REPLY is OFF (or right after SKIP) is flagged NoReply by the
// Conn's sender and completed with a null value once written; submit makes
// such a future fail with ErrNoReply instead of converting that null (which
// would read as ErrNil, or as a successful empty answer).
//
// The wrapper costs one closure, and only on a Conn: commands on a Client
// never run with replies off.
func submit[T any](s sender, f *Future[T]) *Future[T] {
	if _, onConn := s.(connSender); onConn && f.conv != nil {
		conv := f.conv
		f.conv = func(v resp.Value) (T, error) {
			// Flags are final once the command was handed to the
			// connection, which happened before the reply completed it.
			if f.cmd.Flags.Has(messages.NoReply) && v.IsNull() {
				var zero T
				return zero, ErrNoReply
			}
			return conv(v)
		}
	}
	return send(s, f)
}

// wholeSeconds appends d as whole seconds, failing the command when d has
// a fraction of a second: commands that count in seconds never round a TTL
// silently (500ms would become 0 and delete the key).
func (b *builder) wholeSeconds(d time.Duration, method string) *builder {
	if d%time.Second != 0 {
		return b.fail(method + " counts in whole seconds; use its millisecond variant")
	}
	return b.sec(d)
}

// token appends the Redis token of an enum value; ok false fails the
// command with "unknown <what>".
func (b *builder) token(tok string, ok bool, what string) *builder {
	if !ok {
		return b.fail("unknown " + what)
	}
	if tok != "" {
		b.str(tok)
	}
	return b
}

package client

import (
	"time"

	"github.com/actoredis/actoredis/messages"
)

// Helpers shared by the command files: the send step that knows about
// CLIENT REPLY, and argument checks.

// idem marks writes that may be repeated with the same effect.
const idem = messages.Idempotent

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

package client

import (
	"iter"
	"time"

	"github.com/actoredis/actoredis/messages"
)

// Helpers shared by the command files: the flags most commands pass,
// argument checks, and the cursor walk of the SCAN family. Enums are
// written through enum.go.

// ro marks reads: they change no data and are safe to repeat.
const ro = messages.ReadOnly | messages.Idempotent

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

// walkCursor is the iterator of the SCAN family: it asks for the page at
// cursor 0, requests the next page before yielding the elements of the
// current one, and stops when the server returns cursor 0 or the consumer
// stops. An error is yielded once, with a zero element, and ends the walk.
func walkCursor[P, E any](page func(cursor uint64) *Future[P], split func(P) (uint64, []E)) iter.Seq2[E, error] {
	return walkCursorFrom(0, page, split)
}

// walkCursorFrom is walkCursor for any kind of cursor: start is the first
// cursor and the one that ends the walk (CLUSTERSCAN's cursors are
// strings, from "0" to "0").
func walkCursorFrom[C comparable, P, E any](start C, page func(cursor C) *Future[P], split func(P) (C, []E)) iter.Seq2[E, error] {
	return func(yield func(E, error) bool) {
		next := page(start)
		for next != nil {
			p, err := next.Result()
			if err != nil {
				var zero E
				yield(zero, err)
				return
			}
			cursor, elems := split(p)
			next = nil
			if cursor != start {
				next = page(cursor)
			}
			for _, e := range elems {
				if !yield(e, nil) {
					return
				}
			}
		}
	}
}

// scanMatchCount appends the MATCH and COUNT options shared by the SCAN
// family; an empty pattern and a count of 0 send nothing.
func (b *builder) scanMatchCount(match string, count int64) *builder {
	if match != "" {
		b.str("MATCH").str(match)
	}
	if count > 0 {
		b.str("COUNT").int(count)
	}
	return b
}

package messages

import "github.com/actoredis/actoredis/resp"

// A run is a command that stands for n pipelined commands: their
// encodings back to back in Args, their replies gathered in the promise's
// value (an array the reader fills in order) and one completion for all of
// them. A pipeline of 10,000 SETs is then one promise, not 10,000, and its
// replies sit in one slice instead of one promise each.

// StartRun makes c a run of n commands (n >= 1). Call it before c is sent.
func (c *Command) StartRun(n int) {
	c.Flags |= Run
	c.value.Elems = make([]resp.Value, 0, n)
}

// RunLen returns the number of commands c stands for: n for a run, 1 for
// any other command.
func (c *Command) RunLen() int {
	if c.Flags&Run == 0 {
		return 1
	}
	return cap(c.value.Elems)
}

// AddReply appends the reply of the run's next command and reports whether
// it was the last one (complete the run then, with CompleteRun). Only the
// connection's reader calls it, before completion, and never after the
// run has been taken out of its queue.
func (c *Command) AddReply(v resp.Value) (last bool) {
	c.value.Elems = append(c.value.Elems, v)
	return len(c.value.Elems) == cap(c.value.Elems)
}

// CompleteRun completes a run whose every reply has been added: its value
// is the array of them.
func (c *Command) CompleteRun() { c.Complete(resp.Value{Kind: resp.KindArray}, nil) }

// Reply returns the reply of the run's command i, and false when it has
// none: the run failed (a lost connection, a discarded pipeline) before
// that reply came. Call it once the run is complete.
func (c *Command) Reply(i int) (resp.Value, bool) {
	if i < len(c.value.Elems) {
		return c.value.Elems[i], true
	}
	return resp.Value{}, false
}

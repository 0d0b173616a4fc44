package messages

import (
	"sync/atomic"
	"unsafe"

	"github.com/actoredis/actoredis/resp"
)

// A run is a command that stands for n pipelined commands: their
// encodings back to back in Args, their replies gathered in the promise's
// value (an array the reader fills in order) and one completion for all of
// them. A pipeline of 10,000 SETs is then one promise, not 10,000, and its
// replies sit in one slice instead of one promise each. The client builds
// a run as a RunCommand; the connection sees its Command only.

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

// RunCommand is a run as the client builds and reads it: the Command
// that travels to the connection, then what the client keeps beside it.
// The Command is the first field, so that the future of a command of the
// run, which points at that Command as a lone command's future points at
// its own, finds the whole run again (RunOf) with no second pointer.
type RunCommand struct {
	Command // first: RunOf converts back
	n       int
	// offsets are where each command's encoding starts in Args, found
	// the first time a command's name is asked for (errors, String).
	offsets atomic.Pointer[[]int]
}

// NewRunCommand returns an open run named name (its name in the
// connection's errors) with room for size bytes of encodings.
func NewRunCommand(name string, size int) *RunCommand {
	r := &RunCommand{}
	r.Name = name
	r.Args = make([]byte, 0, size)
	return r
}

// RunOf returns the RunCommand whose Command c is. c must be one: the
// command a future of a run points at.
func RunOf(c *Command) *RunCommand { return (*RunCommand)(unsafe.Pointer(c)) }

// Append adds one command's complete encoding to the open run and returns
// its index in the run.
func (r *RunCommand) Append(enc []byte) int {
	r.Args = append(r.Args, enc...)
	r.n++
	return r.n - 1
}

// Seal closes the run to further commands and makes it a run of those
// appended (StartRun). Call it before the run is sent.
func (r *RunCommand) Seal() { r.StartRun(r.n) }

// CommandName returns the name of the run's command i: its first
// argument, and the second for a container command (CLIENT LIST); "" for
// an index past the run.
func (r *RunCommand) CommandName(i int) string {
	offsets := r.offsets.Load()
	if offsets == nil {
		found := commandOffsets(r.Args)
		offsets = &found
		r.offsets.Store(offsets) // a concurrent caller may find the same
	}
	if i >= len(*offsets) {
		return ""
	}
	enc := r.Args[(*offsets)[i]:]
	name := string(EncodedArg(enc, 0))
	if IsContainer(name) {
		if sub := EncodedArg(enc, 1); sub != nil {
			name += " " + string(sub)
		}
	}
	return name
}

// EncodedArg returns argument k of enc, a command's RESP encoding (an
// array of bulk strings, as the client writes it), or nil when enc has
// no argument k.
func EncodedArg(enc []byte, k int) []byte {
	i := -1
	for j := range enc {
		if enc[j] == '\n' {
			i = j
			break
		}
	}
	i++ // past the array header
	for a := 0; i > 0 && i < len(enc) && enc[i] == '$'; a++ {
		n, j := decimalAt(enc, i+1)
		start := j + 2
		if start+n > len(enc) {
			break
		}
		if a == k {
			return enc[start : start+n]
		}
		i = start + n + 2
	}
	return nil
}

// commandOffsets returns where each command of enc starts: encodings back
// to back, as a run holds them.
func commandOffsets(enc []byte) []int {
	var offsets []int
	for i := 0; i < len(enc) && enc[i] == '*'; {
		offsets = append(offsets, i)
		n, j := decimalAt(enc, i+1)
		i = j + 2
		for ; n > 0 && i < len(enc); n-- {
			size, j := decimalAt(enc, i+1)
			i = j + 2 + size + 2
		}
	}
	return offsets
}

// decimalAt reads the decimal number of a RESP header at enc[i:] and
// returns it with the index of the '\r' after it.
func decimalAt(enc []byte, i int) (n, end int) {
	for ; i < len(enc) && enc[i] != '\r'; i++ {
		n = n*10 + int(enc[i]-'0')
	}
	return n, i
}

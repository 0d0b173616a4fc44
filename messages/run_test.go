package messages

import (
	"errors"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/resp"
)

func TestRunTakesItsRepliesAndCompletesWithTheLast(t *testing.T) {
	var c Command
	assert.Equal(t, 1, c.RunLen(), "any other command stands for one")
	c.StartRun(3)
	assert.Equal(t, 3, c.RunLen())
	assert.True(t, c.Flags.Has(Run))
	assert.False(t, c.AddReply(resp.Value{Kind: resp.KindInteger, Int: 1}))
	assert.False(t, c.AddReply(resp.Value{Kind: resp.KindError, Str: "ERR x"}))
	assert.True(t, c.AddReply(resp.Value{Kind: resp.KindBulkString, Str: "v"}), "the third is the last")
	assert.False(t, c.IsDone())
	c.CompleteRun()
	require.True(t, c.IsDone())
	v, err := c.Result()
	require.NoError(t, err)
	assert.Equal(t, resp.KindArray, v.Kind)
	for i, want := range []string{"", "ERR x", "v"} {
		r, ok := c.Reply(i)
		require.True(t, ok)
		assert.Equal(t, want, r.Str)
	}
	_, ok := c.Reply(3)
	assert.False(t, ok)
}

// A run that fails midway keeps the replies that came before.
func TestFailedRunKeepsTheRepliesThatCame(t *testing.T) {
	var c Command
	c.StartRun(3)
	c.AddReply(resp.Value{Kind: resp.KindSimpleString, Str: "OK"})
	lost := errors.New("lost")
	c.Fail(lost)
	_, err := c.Result()
	require.ErrorIs(t, err, lost)
	r, ok := c.Reply(0)
	require.True(t, ok)
	assert.Equal(t, "OK", r.Str)
	_, ok = c.Reply(1)
	assert.False(t, ok)
}

func TestIsContainer(t *testing.T) {
	assert.True(t, IsContainer("OBJECT"))
	assert.True(t, IsContainer("client"))
	assert.False(t, IsContainer("GET"))
	assert.False(t, IsContainer("averyveryverylongcommandnamethatisnotone"))
}

// RunOf converts a run's Command back to its RunCommand: that holds only
// while the Command is the RunCommand's first field.
func TestRunOfReliesOnTheCommandFirst(t *testing.T) {
	assert.Zero(t, unsafe.Offsetof(RunCommand{}.Command))
	r := NewRunCommand("pipeline", 0)
	assert.Same(t, r, RunOf(&r.Command))
}

// A run's commands are appended back to back and named from their
// encodings, a container command with its subcommand.
func TestRunCommandNamesItsCommands(t *testing.T) {
	r := NewRunCommand("pipeline", 64)
	for i, args := range [][]string{{"SET", "k", "v"}, {"CLIENT", "LIST"}, {"GET", "k"}} {
		enc := resp.AppendArrayHeader(nil, len(args))
		for _, a := range args {
			enc = resp.AppendBulkString(enc, a)
		}
		assert.Equal(t, i, r.Append(enc))
	}
	r.Seal()
	assert.Equal(t, 3, r.RunLen())
	assert.True(t, r.Flags.Has(Run))
	for i, want := range []string{"SET", "CLIENT LIST", "GET", ""} {
		assert.Equal(t, want, r.CommandName(i))
	}
	assert.Equal(t, "k", string(EncodedArg(r.Args, 1)), "the first command's second argument")
	assert.Nil(t, EncodedArg(r.Args, 3))
}

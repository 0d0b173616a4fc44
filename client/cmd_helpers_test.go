package client

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// scriptSender is a sender for unit tests: it records every command and
// completes it at once with the reply its script gives for the arguments.
type scriptSender struct {
	t      testing.TB
	script func(args []string) resp.Value
	sent   []sentCmd
	closed chan struct{}
}

type sentCmd struct {
	args  []string
	flags messages.Flags
	slot  int
}

func newScript(t testing.TB, script func(args []string) resp.Value) (*scriptSender, cmds) {
	s := &scriptSender{t: t, script: script, closed: make(chan struct{})}
	return s, cmds{s: s}
}

// replying is a script that answers every command with the same reply.
func replying(t testing.TB, wire string) (*scriptSender, cmds) {
	v := decodeWire(t, wire)
	return newScript(t, func([]string) resp.Value { return v })
}

func (s *scriptSender) closedChan() <-chan struct{} { return s.closed }

func (s *scriptSender) send(_ context.Context, cmd *messages.Command, rt route) {
	args := decodeArgs(s.t, cmd.Args)
	s.sent = append(s.sent, sentCmd{args: args, flags: cmd.Flags, slot: rt.slot()})
	cmd.Complete(s.script(args), nil)
}

// last returns the last command sent, failing the test when none was.
func (s *scriptSender) last() sentCmd {
	s.t.Helper()
	require.NotEmpty(s.t, s.sent, "no command was sent")
	return s.sent[len(s.sent)-1]
}

// line returns the last command's arguments joined by spaces.
func (s *scriptSender) line() string { return strings.Join(s.last().args, " ") }

// decodeArgs reads an encoded command back into its arguments.
func decodeArgs(t testing.TB, enc []byte) []string {
	t.Helper()
	v, err := resp.NewReader(bytes.NewReader(enc), resp.DefaultLimits()).ReadValue()
	require.NoError(t, err)
	require.Equal(t, resp.KindArray, v.Kind)
	args, err := v.AsStrings()
	require.NoError(t, err)
	return args
}

// decodeWire reads one reply written in RESP, with "\n" standing for
// "\r\n" so the tests stay readable; the final one may be left out.
func decodeWire(t testing.TB, wire string) resp.Value {
	t.Helper()
	if !strings.HasSuffix(wire, "\n") {
		wire += "\n"
	}
	wire = strings.ReplaceAll(strings.ReplaceAll(wire, "\r\n", "\n"), "\n", "\r\n")
	v, err := resp.NewReader(strings.NewReader(wire), resp.DefaultLimits()).ReadValue()
	require.NoError(t, err)
	return v
}

// convert runs a converter on a reply written in RESP.
func convert[T any](t testing.TB, conv func(resp.Value) (T, error), wire string) (T, error) {
	t.Helper()
	return conv(decodeWire(t, wire))
}

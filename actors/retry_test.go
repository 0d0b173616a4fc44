package actors

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
	"github.com/actoredis/actoredis/resp/resptest"
)

func command(name string, flags messages.Flags, args ...string) *messages.Command {
	b := resp.AppendArrayHeader(nil, 1+len(args))
	b = resp.AppendBulkString(b, name)
	for _, a := range args {
		b = resp.AppendBulkString(b, a)
	}
	return &messages.Command{Name: name, Args: b, Flags: flags}
}

// A panic in the reader goroutine after it took a command off the FIFO,
// before completing it: that command and the others in flight fail with
// ErrConnPanic at once, not retried; the connection actor restarts; no
// goroutine is left once the pool is closed.
func TestReaderPanicAfterPop(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("GET", "a").Reply(resp.Value{Kind: resp.KindBulkString, Str: "1"})
	srv.Expect("GET", "b").Hang()
	p := Start(Config{Addr: srv.Addr(), PoolSize: 1, Backoff: NoBackoff{}})
	defer p.Close()
	ctx := context.Background()
	ping := command("PING", messages.ReadOnly)
	p.Send(ctx, ping, -1)
	require.NoError(t, ping.Wait(ctx))

	var once atomic.Bool
	hook := func() {
		if once.CompareAndSwap(false, true) {
			panic("injected")
		}
	}
	testReaderHook.Store(&hook)
	defer testReaderHook.Store(nil)
	a, b := command("GET", messages.ReadOnly, "a"), command("GET", messages.ReadOnly, "b")
	p.Send(ctx, a, 0)
	p.Send(ctx, b, 0)
	for _, cmd := range []*messages.Command{a, b} {
		wctx, cancel := context.WithTimeout(ctx, time.Second)
		require.NoError(t, cmd.Wait(wctx))
		cancel()
		_, err := cmd.Result()
		assert.ErrorIs(t, err, ErrConnPanic)
	}
	assert.Zero(t, p.Stats().Retries)
	require.Eventually(t, func() bool { return p.Stats().Restarts == 1 && p.Stats().Connected == 1 }, time.Second, time.Millisecond)
	again := command("PING", messages.ReadOnly)
	p.Send(ctx, again, -1)
	require.NoError(t, again.Wait(ctx))
	v, err := again.Result()
	require.NoError(t, err)
	assert.Equal(t, "PONG", v.Str)
	require.NoError(t, p.Close())
	srv.Close()
}

// Commands held while the connection dials, and sent ones that are safe to
// repeat, survive a failed dial and go out on the next connection, in the
// order they were sent.
func TestCarryAcrossRestartKeepsOrder(t *testing.T) {
	srv := resptest.New(t, resptest.Options{})
	srv.Expect("GET", "1").ResetConn()
	for _, k := range []string{"1", "2", "3"} {
		srv.Expect("GET", k).Reply(resp.Value{Kind: resp.KindBulkString, Str: k}).Always()
	}
	p := Start(Config{Addr: srv.Addr(), PoolSize: 1, Backoff: ConstantBackoff{Delay: 5 * time.Millisecond}})
	defer p.Close()
	ctx := context.Background()
	var cmds []*messages.Command
	for _, k := range []string{"1", "2", "3"} {
		cmd := command("GET", messages.ReadOnly, k)
		cmds = append(cmds, cmd)
		p.Send(ctx, cmd, 0)
	}
	for i, cmd := range cmds {
		require.NoError(t, cmd.Wait(ctx))
		v, err := cmd.Result()
		require.NoError(t, err)
		assert.Equal(t, string(rune('1'+i)), v.Str)
	}
	var order []string
	for _, c := range srv.Commands() {
		if c[0] == "GET" {
			order = append(order, c[1])
		}
	}
	assert.Equal(t, "1", order[0])
	assert.Equal(t, []string{"1", "2", "3"}, order[len(order)-3:], "the retries keep the order of the sends")
}

package client

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

func TestCommandArgsRoundTrip(t *testing.T) {
	f := newFuture(nil, context.Background(), "MSET", 0, toStatus)
	f.b.pairs("MSet", []any{"k1", "v1", "{x}k2", []byte("")})
	enc := f.b.finish()
	args := commandArgs(enc)
	require.Equal(t, [][]byte{[]byte("MSET"), []byte("k1"), []byte("v1"), []byte("{x}k2"), {}}, args)
	require.Equal(t, enc, encodeArgs(args))
	for _, bad := range []string{"", "*", "*1\r\n", "*1\r\n$3\r\nab", "+OK\r\n", "*x\r\n", "*1\r\n$-1\r\n"} {
		require.Nil(t, commandArgs([]byte(bad)), "%q", bad)
	}
}

func TestSpecialKind(t *testing.T) {
	require.Equal(t, splitKeys, specialKind("MGET"))
	require.Equal(t, splitPairs, specialKind("MSET"))
	require.Equal(t, refuseCross, specialKind("MSETNX"))
	require.Equal(t, broadcastAll, specialKind("SCRIPT LOAD"))
	require.Equal(t, broadcastSum, specialKind("DBSIZE"))
	require.Equal(t, plainCmd, specialKind("GET"))
	require.Equal(t, splitKeys, specialKind("mget"), "Do's names in any case")
	require.Equal(t, broadcastAll, specialKind("flushAll"))
	require.Equal(t, plainCmd, specialKind("get"))
}

func TestSlotsOf(t *testing.T) {
	s, err := slotsOf("{a}1", "{a}2")
	require.NoError(t, err)
	require.EqualValues(t, Slot("a"), s)
	_, err = slotsOf("a", "b")
	require.ErrorIs(t, err, ErrCrossSlot)
	s, err = slotsOf()
	require.NoError(t, err)
	require.Equal(t, -1, s)
}

func TestJoinerMergesAndFailsFirst(t *testing.T) {
	user := newSingle[int64]()
	user.conv = toInt64
	j := newJoiner(user.b.cmd, 2, func(vs []resp.Value) resp.Value {
		return resp.Value{Kind: resp.KindInteger, Int: vs[0].Int + vs[1].Int}
	})
	j.parts[1].Complete(resp.Value{Kind: resp.KindInteger, Int: 2}, nil)
	require.False(t, user.b.cmd.IsDone())
	j.parts[0].Complete(resp.Value{Kind: resp.KindInteger, Int: 3}, nil)
	n, err := user.Result()
	require.NoError(t, err)
	require.EqualValues(t, 5, n)

	bad := newSingle[int64]()
	bad.conv = toInt64
	j = newJoiner(bad.b.cmd, 2, func([]resp.Value) resp.Value { return resp.Value{} })
	j.parts[0].Complete(resp.Value{Kind: resp.KindInteger, Int: 1}, nil)
	j.parts[1].Complete(resp.Value{Kind: resp.KindError, Str: "WRONGTYPE x"}, nil)
	_, err = bad.Result()
	var re *Error
	require.ErrorAs(t, err, &re)
	require.Equal(t, "WRONGTYPE", re.Prefix())
}

func TestClusterOptionsValidate(t *testing.T) {
	require.ErrorIs(t, ClusterOptions{}.validate(), ErrInvalidArg)
	require.ErrorIs(t, ClusterOptions{Addrs: []string{"h:1"}, Node: Options{DB: 2}}.validate(), ErrInvalidArg)
	require.ErrorIs(t, ClusterOptions{Addrs: []string{"h:1"}, ReadFrom: 9}.validate(), ErrInvalidArg)
	require.NoError(t, ClusterOptions{Addrs: []string{"h:1"}, ReadFrom: ReadRoundRobin}.validate())
	require.Equal(t, "replicas-preferred", ReadReplicasPreferred.String())
}

func TestClusterRetryableNeverResendsASentWrite(t *testing.T) {
	cc := &ClusterClient{}
	optedIn := &ClusterClient{opts: ClusterOptions{Node: Options{Retry: RetryPolicy{ResendIdempotent: true}}}}
	write := &clusterCall{cc: cc, cmd: &messages.Command{Name: "INCR"}}
	set := &clusterCall{cc: cc, cmd: &messages.Command{Name: "SET", Flags: messages.Idempotent}}
	setOptedIn := &clusterCall{cc: optedIn, cmd: set.cmd}
	resend := &clusterCall{cc: cc, cmd: &messages.Command{Name: "INCR", Flags: messages.Resend}}
	read := &clusterCall{cc: cc, cmd: &messages.Command{Name: "GET", Flags: messages.ReadOnly}}
	sentClosed := &ConnError{Command: "INCR", Sent: true, Err: ErrClosed}
	require.ErrorIs(t, sentClosed, ErrClosed, "the case that must not count as not sent")
	for _, c := range []struct {
		k    *clusterCall
		err  error
		want bool
	}{
		{write, sentClosed, false},
		{set, sentClosed, false},
		{setOptedIn, sentClosed, true},
		{resend, sentClosed, true},
		{read, sentClosed, true},
		{write, &ConnError{Sent: false, Err: ErrConnClosed}, true},
		{write, ErrClosed, true},
		{write, &PoolTimeoutError{}, true},
		{write, errors.New("other"), false},
	} {
		require.Equal(t, c.want, c.k.retryableErr(c.err), "%v", c.err)
	}
}

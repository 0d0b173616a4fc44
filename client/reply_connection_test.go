package client

import (
	"testing"

	"github.com/actoredis/actoredis/resp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClientReplyStatus(t *testing.T) {
	got, err := convert(t, toReplyStatus, "_")
	require.NoError(t, err)
	assert.Equal(t, "OK", got, "OFF and SKIP complete with a null value")
	got, err = convert(t, toReplyStatus, "+OK")
	require.NoError(t, err)
	assert.Equal(t, "OK", got)
}

func TestClientInfoReply(t *testing.T) {
	// RESP2 sends a bulk string, RESP3 a verbatim string.
	for _, v := range []resp.Value{
		{Kind: resp.KindBulkString, Str: clientInfoLine + "\n"},
		resp.Verbatim("txt", clientInfoLine+"\n"),
	} {
		got, err := toClientInfo(v)
		require.NoError(t, err)
		assert.Equal(t, clientInfoWant, got)
	}
}

func TestClientInfoKeepsUnparsableFields(t *testing.T) {
	got := parseClientInfo("id=abc name= age=x flags=N")
	assert.Equal(t, ClientInfo{Flags: "N", Other: map[string]string{"id": "abc", "age": "x"}}, got)
}

func TestClientListReply(t *testing.T) {
	second := "id=4 addr=127.0.0.1:1 laddr=127.0.0.1:6390 fd=9 name= age=0 idle=0 flags=b db=0 cmd=blpop user=default resp=2"
	got, err := toClientInfos(resp.Verbatim("txt",
		clientInfoLine+"\n"+second+"\n"))
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, clientInfoWant, got[0])
	assert.Equal(t, int64(4), got[1].ID)
	assert.Equal(t, "b", got[1].Flags)
	assert.Equal(t, "blpop", got[1].Cmd)
	assert.Equal(t, 2, got[1].Protocol)
	assert.Nil(t, got[1].Other)

	got, err = toClientInfos(resp.Value{Kind: resp.KindBulkString, Str: ""})
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestTrackingInfoReply(t *testing.T) {
	want := TrackingInfo{Flags: []string{"on", "bcast"}, Redirect: 0, Prefixes: []string{"a:", "b:"}}
	resp2 := "*6\n$5\nflags\n*2\n+on\n+bcast\n$8\nredirect\n:0\n$8\nprefixes\n*2\n$2\na:\n$2\nb:\n"
	resp3 := "%3\n$5\nflags\n~2\n+on\n+bcast\n$8\nredirect\n:0\n$8\nprefixes\n*2\n$2\na:\n$2\nb:\n"
	for _, wire := range []string{resp2, resp3} {
		got, err := convert(t, toTrackingInfo, wire)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		assert.True(t, got.Enabled())
	}
	got, err := convert(t, toTrackingInfo, "*6\n$5\nflags\n*1\n+off\n$8\nredirect\n:-1\n$8\nprefixes\n*0\n")
	require.NoError(t, err)
	assert.Equal(t, TrackingInfo{Flags: []string{"off"}, Redirect: -1, Prefixes: []string{}}, got)
	assert.False(t, got.Enabled())
}

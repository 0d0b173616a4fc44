package client

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
)

func TestConnectionEncoding(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func(c cmds, cn *Conn) error
		want  string
		flags messages.Flags
	}{
		{"Ping", func(c cmds, _ *Conn) error { return c.Ping(ctx).Err() }, "PING", ro},
		{"Echo", func(c cmds, _ *Conn) error { return c.Echo(ctx, "hi there").Err() }, "ECHO hi there", ro},
		{"ClientID", func(c cmds, _ *Conn) error { return c.ClientID(ctx).Err() }, "CLIENT ID", ro},
		{"ClientInfo", func(c cmds, _ *Conn) error { return c.ClientInfo(ctx).Err() }, "CLIENT INFO", ro},
		{"ClientList", func(c cmds, _ *Conn) error { return c.ClientList(ctx).Err() }, "CLIENT LIST", ro},
		{"ClientListWith type", func(c cmds, _ *Conn) error {
			return c.ClientListWith(ctx, ClientListOptions{Type: ClientPubSub}).Err()
		}, "CLIENT LIST TYPE pubsub", ro},
		{"ClientListWith IDs", func(c cmds, _ *Conn) error {
			return c.ClientListWith(ctx, ClientListOptions{IDs: []int64{3, 12}}).Err()
		}, "CLIENT LIST ID 3 12", ro},
		{"ClientKill", func(c cmds, _ *Conn) error { return c.ClientKill(ctx, "127.0.0.1:5000").Err() },
			"CLIENT KILL ADDR 127.0.0.1:5000", 0},
		{"ClientKillWith all", func(c cmds, _ *Conn) error {
			return c.ClientKillWith(ctx, ClientKillOptions{ID: 7, Type: ClientNormal, User: "bob",
				Addr: "10.0.0.1:1", LocalAddr: "10.0.0.2:6379", IncludeSelf: true}).Err()
		}, "CLIENT KILL ID 7 TYPE normal USER bob ADDR 10.0.0.1:1 LADDR 10.0.0.2:6379 SKIPME no", 0},
		{"ClientKillWith type", func(c cmds, _ *Conn) error {
			return c.ClientKillWith(ctx, ClientKillOptions{Type: ClientReplica}).Err()
		}, "CLIENT KILL TYPE replica", 0},
		{"ClientPause", func(c cmds, _ *Conn) error { return c.ClientPause(ctx, 1500*time.Millisecond).Err() },
			"CLIENT PAUSE 1500", idem},
		{"ClientPauseWith", func(c cmds, _ *Conn) error { return c.ClientPauseWith(ctx, time.Second, PauseWrite).Err() },
			"CLIENT PAUSE 1000 WRITE", idem},
		{"ClientUnpause", func(c cmds, _ *Conn) error { return c.ClientUnpause(ctx).Err() }, "CLIENT UNPAUSE",
			messages.Blocking | idem},
		{"ClientUnblock", func(c cmds, _ *Conn) error { return c.ClientUnblock(ctx, 9).Err() }, "CLIENT UNBLOCK 9", 0},
		{"ClientUnblockWith", func(c cmds, _ *Conn) error { return c.ClientUnblockWith(ctx, 9, UnblockError).Err() },
			"CLIENT UNBLOCK 9 ERROR", 0},
		{"ClientGetName", func(c cmds, _ *Conn) error { return c.ClientGetName(ctx).Err() }, "CLIENT GETNAME", ro},
		{"ClientTrackingInfo", func(c cmds, _ *Conn) error { return c.ClientTrackingInfo(ctx).Err() },
			"CLIENT TRACKINGINFO", ro},
		{"ClientSetName", func(_ cmds, cn *Conn) error { return cn.ClientSetName(ctx, "worker-1").Err() },
			"CLIENT SETNAME worker-1", messages.Stateful},
		{"ClientNoEvict", func(_ cmds, cn *Conn) error { return cn.ClientNoEvict(ctx, true).Err() },
			"CLIENT NO-EVICT ON", messages.Stateful},
		{"ClientGetRedir", func(_ cmds, cn *Conn) error { return cn.ClientGetRedir(ctx).Err() }, "CLIENT GETREDIR", ro},
		{"ClientTracking", func(_ cmds, cn *Conn) error { return cn.ClientTracking(ctx, false).Err() },
			"CLIENT TRACKING OFF", messages.Stateful},
		{"ClientTrackingWith", func(_ cmds, cn *Conn) error {
			return cn.ClientTrackingWith(ctx, true, TrackingOptions{Redirect: 4, Broadcast: true,
				Prefixes: []string{"a:", "b:"}, NoLoop: true}).Err()
		}, "CLIENT TRACKING ON REDIRECT 4 PREFIX a: PREFIX b: BCAST NOLOOP", messages.Stateful},
		{"ClientTrackingWith optin", func(_ cmds, cn *Conn) error {
			return cn.ClientTrackingWith(ctx, true, TrackingOptions{OptIn: true}).Err()
		}, "CLIENT TRACKING ON OPTIN", messages.Stateful},
		{"ClientTrackingWith optout", func(_ cmds, cn *Conn) error {
			return cn.ClientTrackingWith(ctx, true, TrackingOptions{OptOut: true}).Err()
		}, "CLIENT TRACKING ON OPTOUT", messages.Stateful},
		{"ClientCaching", func(_ cmds, cn *Conn) error { return cn.ClientCaching(ctx, false).Err() },
			"CLIENT CACHING NO", messages.Stateful},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := replying(t, "+OK")
			cn := &Conn{cmds: c}
			_ = tt.call(c, cn)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
		})
	}
}

func TestConnectionInvalidArguments(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c cmds) error
	}{
		{"ClientKillWith no filter", func(c cmds) error { return c.ClientKillWith(ctx, ClientKillOptions{}).Err() }},
		{"ClientKillWith only IncludeSelf", func(c cmds) error {
			return c.ClientKillWith(ctx, ClientKillOptions{IncludeSelf: true}).Err()
		}},
		{"ClientKillWith unknown type", func(c cmds) error {
			return c.ClientKillWith(ctx, ClientKillOptions{Type: ClientType(9)}).Err()
		}},
		{"ClientListWith both filters", func(c cmds) error {
			return c.ClientListWith(ctx, ClientListOptions{Type: ClientNormal, IDs: []int64{1}}).Err()
		}},
		{"ClientPause negative", func(c cmds) error { return c.ClientPause(ctx, -time.Second).Err() }},
		{"ClientPauseWith unknown mode", func(c cmds) error { return c.ClientPauseWith(ctx, time.Second, PauseMode(4)).Err() }},
		{"ClientUnblockWith unknown mode", func(c cmds) error { return c.ClientUnblockWith(ctx, 1, UnblockMode(4)).Err() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := replying(t, "+OK")
			require.ErrorIs(t, tt.call(c), ErrInvalidArg)
			assert.Empty(t, s.sent)
		})
	}
}

func TestClientReplyRefusesUnknownMode(t *testing.T) {
	_, c := replying(t, "+OK")
	cn := &Conn{cmds: c}
	err := cn.ClientReply(context.Background(), ReplyMode(3)).Err()
	require.ErrorIs(t, err, ErrInvalidArg)
	assert.Equal(t, replyOn, cn.reply, "the mode is unchanged")
}

const clientInfoLine = "id=3 addr=127.0.0.1:55754 laddr=127.0.0.1:6390 fd=8 name=worker age=12 idle=1 flags=N " +
	"db=2 sub=1 psub=2 ssub=3 multi=-1 qbuf=26 qbuf-free=20448 argv-mem=10 multi-mem=0 rbs=16384 rbp=1024 " +
	"obl=0 oll=0 omem=0 tot-mem=37658 events=r cmd=client|info user=default redir=-1 resp=3 lib-name=x lib-ver=1.0"

var clientInfoWant = ClientInfo{
	ID: 3, Addr: "127.0.0.1:55754", LocalAddr: "127.0.0.1:6390", FD: 8, Name: "worker",
	Age: 12 * time.Second, Idle: time.Second, Flags: "N", DB: 2,
	Subscriptions: 1, PatternSubscriptions: 2, ShardSubscriptions: 3, MultiCommands: -1,
	QueryBuffer: 26, QueryBufferFree: 20448, ArgvMemory: 10, ReadBufferSize: 16384, ReadBufferPeak: 1024,
	TotalMemory: 37658, Events: "r", Cmd: "client|info", User: "default", Redirect: -1, Protocol: 3,
	Other: map[string]string{"lib-name": "x", "lib-ver": "1.0"},
}

func TestClientGetNameReply(t *testing.T) {
	_, c := replying(t, "$-1")
	name, err := c.ClientGetName(context.Background()).Result()
	require.NoError(t, err)
	assert.Equal(t, "", name, "no name is the empty string")
}

package client

import (
	"context"
	"time"

	"github.com/actoredis/actoredis/messages"
)

// Commands of the connection group. Those that read or change the state of
// the connection they run on (CLIENT SETNAME, TRACKING, CACHING, REPLY,
// NO-EVICT, GETREDIR) are methods of Conn; on a Client they would act on
// whichever pooled connection carried them. The others are shared by
// Client and Conn; on a Client, CLIENT ID, INFO, GETNAME and TRACKINGINFO
// describe one of the pooled connections.

// Ping asks the server for "PONG". Since Redis 1.0.0.
func (c cmds) Ping(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "PING", ro, toStatus))
}

// Echo returns message as the server sent it back. Since Redis 1.0.0.
func (c cmds) Echo(ctx context.Context, message string) *Future[string] {
	f := newFuture(c.s, ctx, "ECHO", ro, toString)
	f.b.str(message)
	return send(c.s, f)
}

// ClientID returns the server's ID of the connection the command ran on.
// Since Redis 5.0.0.
func (c cmds) ClientID(ctx context.Context) *Future[int64] {
	return send(c.s, newFuture(c.s, ctx, "CLIENT ID", ro, toInt64))
}

// ClientInfo describes the connection the command ran on. Since Redis 6.2.0.
func (c cmds) ClientInfo(ctx context.Context) *Future[ClientInfo] {
	return send(c.s, newFuture(c.s, ctx, "CLIENT INFO", ro, toClientInfo))
}

// ClientType is a kind of client for CLIENT LIST and CLIENT KILL. The zero
// value, ClientAnyType, sends no TYPE filter.
type ClientType uint8

// The client types.
const (
	// ClientAnyType sends no TYPE filter.
	ClientAnyType ClientType = iota
	// ClientNormal is an ordinary client (TYPE normal).
	ClientNormal
	// ClientMaster is the connection from this replica's master (TYPE
	// master).
	ClientMaster
	// ClientReplica is a replica connected to this server (TYPE replica).
	ClientReplica
	// ClientPubSub is a client in subscriber mode (TYPE pubsub).
	ClientPubSub
)

var clientTypeTokens = tokens[ClientType]{typ: "ClientType", zero: "any", list: []string{
	ClientAnyType: "", ClientNormal: "normal", ClientMaster: "master",
	ClientReplica: "replica", ClientPubSub: "pubsub",
}}

// String returns the type's Redis name ("normal", "master", "replica",
// "pubsub"), or "any".
func (t ClientType) String() string { return clientTypeTokens.name(t) }

// clientType adds "TYPE <t>" when t is a filter.
func (b *builder) clientType(t ClientType) {
	if t != ClientAnyType {
		b.str("TYPE").token(clientTypeTokens.of(t))
	}
}

// ClientList describes every connection to the server. Since Redis 2.4.0.
func (c cmds) ClientList(ctx context.Context) *Future[[]ClientInfo] {
	return c.ClientListWith(ctx, ClientListOptions{})
}

// ClientListOptions filter CLIENT LIST. The server takes one filter at a
// time: Type or IDs.
type ClientListOptions struct {
	// Type keeps clients of this type (TYPE).
	Type ClientType
	// IDs keeps the clients with these IDs (ID).
	IDs []int64
}

// ClientListWith is ClientList with filters. Since Redis 2.4.0.
func (c cmds) ClientListWith(ctx context.Context, opts ClientListOptions) *Future[[]ClientInfo] {
	f := newFuture(c.s, ctx, "CLIENT LIST", ro, toClientInfos)
	if opts.Type != ClientAnyType && len(opts.IDs) > 0 {
		f.b.fail("ClientListOptions takes Type or IDs, not both")
	}
	f.b.clientType(opts.Type)
	if len(opts.IDs) > 0 {
		f.b.str("ID")
		for _, id := range opts.IDs {
			f.b.int(id)
		}
	}
	return send(c.s, f)
}

// ClientKill closes the connection of the client at addr ("ip:port", as
// ClientInfo.Addr gives it) and returns how many it closed: 0 or 1. The
// calling connection is never closed by it. Since Redis 2.4.0.
func (c cmds) ClientKill(ctx context.Context, addr string) *Future[int64] {
	return c.ClientKillWith(ctx, ClientKillOptions{Addr: addr})
}

// ClientKillOptions are the filters of CLIENT KILL (the new syntax, of
// Redis 2.8.12 and later); a client must match every filter given. At
// least one of ID, Type, User, Addr, LocalAddr and MaxAge is required.
type ClientKillOptions struct {
	// ID kills the client with this ID (ID).
	ID int64
	// Type kills the clients of this type (TYPE).
	Type ClientType
	// User kills the clients authenticated as this ACL user (USER).
	User string
	// Addr kills the client at this address, "ip:port" (ADDR).
	Addr string
	// LocalAddr kills the clients connected to this local address of the
	// server, "ip:port" (LADDR).
	LocalAddr string
	// IncludeSelf lets the filters match the calling connection too
	// (SKIPME no); by default it is spared.
	IncludeSelf bool
	// MaxAge kills the clients connected for longer than this, in whole
	// seconds (MAXAGE; a fraction fails with ErrInvalidArg). Redis 7.4+,
	// Valkey 8.0+.
	MaxAge time.Duration
}

// ClientKillWith closes the connections of the clients matching every
// filter of opts and returns how many it closed. Since Redis 2.4.0.
func (c cmds) ClientKillWith(ctx context.Context, opts ClientKillOptions) *Future[int64] {
	f := newFuture(c.s, ctx, "CLIENT KILL", 0, toInt64)
	if opts.ID == 0 && opts.Type == ClientAnyType && opts.User == "" && opts.Addr == "" && opts.LocalAddr == "" && opts.MaxAge == 0 {
		f.b.fail("ClientKillWith needs at least one filter")
	}
	if opts.ID != 0 {
		f.b.str("ID").int(opts.ID)
	}
	f.b.clientType(opts.Type)
	if opts.User != "" {
		f.b.str("USER").str(opts.User)
	}
	if opts.Addr != "" {
		f.b.str("ADDR").str(opts.Addr)
	}
	if opts.LocalAddr != "" {
		f.b.str("LADDR").str(opts.LocalAddr)
	}
	if opts.MaxAge != 0 {
		f.b.str("MAXAGE").wholeSeconds(opts.MaxAge, "ClientKillWith MaxAge")
	}
	if opts.IncludeSelf {
		f.b.str("SKIPME").str("no")
	}
	return send(c.s, f)
}

// PauseMode is what CLIENT PAUSE suspends. The zero value, PauseAll,
// suspends every command.
type PauseMode uint8

// The modes of CLIENT PAUSE.
const (
	// PauseAll suspends every client command (the server's default).
	PauseAll PauseMode = iota
	// PauseWrite suspends the commands that may write (WRITE); reads go
	// on.
	PauseWrite
)

var pauseModeTokens = tokens[PauseMode]{typ: "PauseMode", list: []string{
	PauseAll: "ALL", PauseWrite: "WRITE",
}}

// String returns the mode's Redis token, "ALL" or "WRITE".
func (m PauseMode) String() string { return pauseModeTokens.name(m) }

// ClientPause suspends every client for timeout (to the millisecond), or
// until ClientUnpause, and returns "OK". Since Redis 2.9.50.
func (c cmds) ClientPause(ctx context.Context, timeout time.Duration) *Future[string] {
	return c.ClientPauseWith(ctx, timeout, PauseAll)
}

// ClientPauseWith is ClientPause with a mode. Since Redis 2.9.50.
func (c cmds) ClientPauseWith(ctx context.Context, timeout time.Duration, mode PauseMode) *Future[string] {
	f := newFuture(c.s, ctx, "CLIENT PAUSE", idem, toStatus)
	if timeout < 0 {
		f.b.fail("ClientPause timeout must not be negative")
	}
	f.b.ms(timeout)
	if mode != PauseAll { // the default sends nothing: Redis 6.0 knows no mode
		f.b.token(pauseModeTokens.of(mode))
	}
	return send(c.s, f)
}

// ClientUnpause resumes the clients suspended by ClientPause and returns
// "OK". On a Client it runs on a dedicated connection: on a multiplexed one
// it could queue behind a write the pause holds, and never run. Under
// PauseAll the server postpones it like every other command, so only the
// timeout ends such a pause. Since Redis 6.2.0.
func (c cmds) ClientUnpause(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "CLIENT UNPAUSE", messages.Blocking|idem, toStatus))
}

// UnblockMode is how CLIENT UNBLOCK ends the blocking command. The zero
// value, UnblockTimeout, makes it time out.
type UnblockMode uint8

// The modes of CLIENT UNBLOCK.
const (
	// UnblockTimeout ends it as if its timeout had passed (TIMEOUT, the
	// server's default).
	UnblockTimeout UnblockMode = iota
	// UnblockError ends it with an UNBLOCKED error reply (ERROR).
	UnblockError
)

var unblockModeTokens = tokens[UnblockMode]{typ: "UnblockMode", list: []string{
	UnblockTimeout: "TIMEOUT", UnblockError: "ERROR",
}}

// String returns the mode's Redis token, "TIMEOUT" or "ERROR".
func (m UnblockMode) String() string { return unblockModeTokens.name(m) }

// ClientUnblock ends the blocking command (BLPOP, XREAD BLOCK, WAIT, ...)
// that the client with this ID is waiting in, as if it had timed out, and
// reports whether that client was blocked. Since Redis 5.0.0.
func (c cmds) ClientUnblock(ctx context.Context, id int64) *Future[bool] {
	return c.ClientUnblockWith(ctx, id, UnblockTimeout)
}

// ClientUnblockWith is ClientUnblock with a mode. Since Redis 5.0.0.
func (c cmds) ClientUnblockWith(ctx context.Context, id int64, mode UnblockMode) *Future[bool] {
	f := newFuture(c.s, ctx, "CLIENT UNBLOCK", 0, toBool)
	f.b.int(id)
	if mode != UnblockTimeout { // the server's default, not sent
		f.b.token(unblockModeTokens.of(mode))
	}
	return send(c.s, f)
}

// ClientGetName returns the name of the connection the command ran on, ""
// when it has none. Since Redis 2.6.9.
func (c cmds) ClientGetName(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "CLIENT GETNAME", ro, toOptionalString))
}

// ClientTrackingInfo returns the client-side caching state of the
// connection the command ran on. Since Redis 6.2.0.
func (c cmds) ClientTrackingInfo(ctx context.Context) *Future[TrackingInfo] {
	return send(c.s, newFuture(c.s, ctx, "CLIENT TRACKINGINFO", ro, toTrackingInfo))
}

// ClientSetName names the connection (no spaces) for CLIENT LIST and
// returns "OK"; "" removes the name. The connection is closed, not reused,
// when the Conn is closed. Since Redis 2.6.9.
func (cn *Conn) ClientSetName(ctx context.Context, name string) *Future[string] {
	f := newFuture(cn.s, ctx, "CLIENT SETNAME", messages.Stateful, toStatus)
	f.b.str(name)
	return send(cn.s, f)
}

// ClientNoEvict exempts the connection from client eviction
// (maxmemory-clients) when on, and returns "OK". Since Redis 7.0.0.
func (cn *Conn) ClientNoEvict(ctx context.Context, on bool) *Future[string] {
	f := newFuture(cn.s, ctx, "CLIENT NO-EVICT", messages.Stateful, toStatus)
	f.b.str(onOff(on))
	return send(cn.s, f)
}

// ClientNoTouch, when on, keeps the connection's commands from touching
// the keys they read: their LRU/LFU access time is left alone for
// eviction, except by TOUCH itself. It returns "OK". The connection is
// closed, not reused, when the Conn is closed. Redis 7.2+, Valkey 8.0+.
func (cn *Conn) ClientNoTouch(ctx context.Context, on bool) *Future[string] {
	f := newFuture(cn.s, ctx, "CLIENT NO-TOUCH", messages.Stateful, toStatus)
	f.b.str(onOff(on))
	return send(cn.s, f)
}

// ClientInfoAttr is an attribute CLIENT SETINFO sets.
type ClientInfoAttr uint8

// The attributes of CLIENT SETINFO.
const (
	// ClientLibName is the client library's name (LIB-NAME), shown as
	// lib-name by CLIENT LIST and CLIENT INFO; no spaces.
	ClientLibName ClientInfoAttr = iota
	// ClientLibVer is the client library's version (LIB-VER), shown as
	// lib-ver.
	ClientLibVer
)

var clientInfoAttrTokens = tokens[ClientInfoAttr]{typ: "ClientInfoAttr", list: []string{
	ClientLibName: "LIB-NAME", ClientLibVer: "LIB-VER",
}}

// String returns the attribute's Redis token: "LIB-NAME" or "LIB-VER".
func (a ClientInfoAttr) String() string { return clientInfoAttrTokens.name(a) }

// ClientSetInfo sets an attribute of the connection that CLIENT LIST and
// CLIENT INFO show, and returns "OK". Every connection of the client
// already names actoredis and its version (see Options.DisableClientInfo);
// this renames one leased connection. The connection is closed, not
// reused, when the Conn is closed. Redis 7.2+, Valkey 8.0+.
func (cn *Conn) ClientSetInfo(ctx context.Context, attr ClientInfoAttr, value string) *Future[string] {
	f := newFuture(cn.s, ctx, "CLIENT SETINFO", messages.Stateful, toStatus)
	f.b.token(clientInfoAttrTokens.of(attr))
	f.b.str(value)
	return send(cn.s, f)
}

// ClientGetRedir returns the ID of the client receiving the connection's
// tracking invalidations: 0 when they come to this connection itself
// (RESP3), -1 when tracking is off. Since Redis 6.0.0.
func (cn *Conn) ClientGetRedir(ctx context.Context) *Future[int64] {
	return send(cn.s, newFuture(cn.s, ctx, "CLIENT GETREDIR", ro, toInt64))
}

// ClientTracking turns server-assisted client-side caching on or off for
// the connection and returns "OK". Under RESP3 the invalidations arrive on
// the connection itself as push messages; under RESP2 they need
// TrackingOptions.Redirect. Since Redis 6.0.0.
func (cn *Conn) ClientTracking(ctx context.Context, on bool) *Future[string] {
	return cn.ClientTrackingWith(ctx, on, TrackingOptions{})
}

// TrackingOptions are the optional arguments of CLIENT TRACKING ON.
type TrackingOptions struct {
	// Redirect sends the invalidations to the client with this ID
	// (REDIRECT).
	Redirect int64
	// Broadcast reports changes to every key matching Prefixes, read or
	// not (BCAST).
	Broadcast bool
	// Prefixes restrict Broadcast to keys starting with one of them
	// (PREFIX, repeated).
	Prefixes []string
	// OptIn tracks only the keys read right after ClientCaching(ctx,
	// true) (OPTIN).
	OptIn bool
	// OptOut tracks every key except those read right after
	// ClientCaching(ctx, false) (OPTOUT).
	OptOut bool
	// NoLoop skips invalidations of keys this connection modified itself
	// (NOLOOP).
	NoLoop bool
}

// ClientTrackingWith is ClientTracking with options. Since Redis 6.0.0.
func (cn *Conn) ClientTrackingWith(ctx context.Context, on bool, opts TrackingOptions) *Future[string] {
	f := newFuture(cn.s, ctx, "CLIENT TRACKING", messages.Stateful, toStatus)
	f.b.str(onOff(on))
	if opts.Redirect != 0 {
		f.b.str("REDIRECT").int(opts.Redirect)
	}
	for _, p := range opts.Prefixes {
		f.b.str("PREFIX").str(p)
	}
	f.b.strIf(opts.Broadcast, "BCAST").strIf(opts.OptIn, "OPTIN").
		strIf(opts.OptOut, "OPTOUT").strIf(opts.NoLoop, "NOLOOP")
	return send(cn.s, f)
}

// ClientCaching tells the server whether to track the keys read by the
// next command of the connection, under TrackingOptions.OptIn (yes) or
// OptOut (no), and returns "OK". Since Redis 6.0.0.
func (cn *Conn) ClientCaching(ctx context.Context, yes bool) *Future[string] {
	f := newFuture(cn.s, ctx, "CLIENT CACHING", messages.Stateful, toStatus)
	if yes {
		f.b.str("YES")
	} else {
		f.b.str("NO")
	}
	return send(cn.s, f)
}

// ReplyMode is the mode CLIENT REPLY switches a connection to.
type ReplyMode uint8

// The modes of CLIENT REPLY.
const (
	// ReplyOn is the normal mode: every command gets its reply (ON).
	ReplyOn ReplyMode = iota
	// ReplyOff stops the replies to every command until ReplyOn (OFF).
	ReplyOff
	// ReplySkip stops the reply to the next command only (SKIP).
	ReplySkip
)

var replyTokens = tokens[ReplyMode]{typ: "ReplyMode", list: []string{
	ReplyOn: "ON", ReplyOff: "OFF", ReplySkip: "SKIP",
}}

// String returns the mode's Redis token: "ON", "OFF" or "SKIP".
func (m ReplyMode) String() string { return replyTokens.name(m) }

// ClientReply switches the replies of the connection on or off, or skips
// the next one, and returns "OK" (with OFF and SKIP the server sends
// nothing; the future succeeds once the command was written).
//
// A command sent while replies are off, or the one right after SKIP, gets
// no reply: its future fails with ErrNoReply once the command was written,
// and whatever it did on the server stands. Under OFF, SKIP keeps replies
// off. Send no command on the Conn concurrently with ClientReply: which
// side of the switch it falls on would be a race. The connection is
// closed, not reused, when the Conn is closed. Since Redis 3.2.0.
func (cn *Conn) ClientReply(ctx context.Context, mode ReplyMode) *Future[string] {
	f := newFuture(cn.s, ctx, "CLIENT REPLY", messages.Stateful, toReplyStatus)
	f.b.token(replyTokens.of(mode))
	f.b.pos |= noReplyOK
	return send(replySender{cn: cn, mode: mode}, f)
}

func onOff(on bool) string {
	if on {
		return "ON"
	}
	return "OFF"
}

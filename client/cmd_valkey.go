package client

import (
	"context"

	"github.com/actoredis/actoredis/messages"
)

// The commands only Valkey has, outside the cluster group (see
// cmd_cluster_valkey.go): COMMANDLOG (server), CLIENT CAPA and CLIENT
// IMPORT-SOURCE (connection), SCRIPT SHOW (scripting). Redis answers each
// with its unknown-command or unknown-subcommand error.

// CommandLogType names one of Valkey's three command logs.
type CommandLogType uint8

// The command logs of COMMANDLOG.
const (
	// CommandLogSlow is the log of slow commands (slow), SLOWLOG's.
	CommandLogSlow CommandLogType = iota
	// CommandLogLargeRequest is the log of large requests
	// (large-request).
	CommandLogLargeRequest
	// CommandLogLargeReply is the log of large replies (large-reply).
	CommandLogLargeReply
)

var commandLogTokens = tokens[CommandLogType]{typ: "CommandLogType", list: []string{
	CommandLogSlow: "slow", CommandLogLargeRequest: "large-request", CommandLogLargeReply: "large-reply",
}}

// String returns the log's token: "slow", "large-request" or
// "large-reply".
func (t CommandLogType) String() string { return commandLogTokens.name(t) }

// CommandLogGet sends COMMANDLOG GET count type and returns up to count
// of the newest entries of that log, newest first (0 returns none; a
// negative count fails with ErrInvalidArg before anything is sent). Each
// entry's Duration (slow log) or Size (large-request and large-reply
// logs) is filled. On a ClusterClient it asks one primary. Valkey 8.1.0
// and later only.
func (c cmds) CommandLogGet(ctx context.Context, typ CommandLogType, count int64) *Future[[]CommandLogEntry] {
	conv := toCommandLogLarge
	if typ == CommandLogSlow {
		conv = toCommandLogSlow
	}
	f := newFuture(c.s, ctx, "COMMANDLOG GET", ro, conv)
	if count < 0 {
		f.b.fail("CommandLogGet needs a count of 0 or more")
	}
	f.b.int(count)
	f.b.token(commandLogTokens.of(typ))
	return send(c.s, f)
}

// CommandLogLen sends COMMANDLOG LEN type and returns the number of
// entries in that log. Valkey 8.1.0 and later only.
func (c cmds) CommandLogLen(ctx context.Context, typ CommandLogType) *Future[int64] {
	f := newFuture(c.s, ctx, "COMMANDLOG LEN", ro, toInt64)
	f.b.token(commandLogTokens.of(typ))
	return send(c.s, f)
}

// CommandLogReset sends COMMANDLOG RESET type: it empties that log and
// returns "OK". Valkey 8.1.0 and later only.
func (c cmds) CommandLogReset(ctx context.Context, typ CommandLogType) *Future[string] {
	f := newFuture(c.s, ctx, "COMMANDLOG RESET", idem, toStatus)
	f.b.token(commandLogTokens.of(typ))
	return send(c.s, f)
}

// ClientCapa sends CLIENT CAPA capability...: it declares what the
// connection's client can handle and returns "OK"; the server ignores
// capabilities it does not know. Valkey 8.0 knows "redirect": where the
// server would otherwise refuse or serve a command itself (a write sent
// to a replica, a command during a failover), it may answer with
// -REDIRECT host:port naming the primary. actoredis does not follow it:
// such a reply is an *Error with the prefix REDIRECT. The declaration
// belongs to the connection, hence to Conn, which closes the connection
// when it is closed. Valkey 8.0.0 and later only.
func (cn *Conn) ClientCapa(ctx context.Context, capabilities ...string) *Future[string] {
	f := newFuture(cn.s, ctx, "CLIENT CAPA", messages.Stateful, toStatus)
	if len(capabilities) == 0 {
		f.b.fail("ClientCapa needs at least one capability")
	}
	for _, capa := range capabilities {
		f.b.str(capa)
	}
	return send(cn.s, f)
}

// ClientImportSource sends CLIENT IMPORT-SOURCE ON|OFF: on marks the
// connection as the source of a data import (a sync tool), which may then
// read and write keys that have expired but are not deleted yet; it
// returns "OK". The server must run with import-mode yes for ON, else it
// answers "Server is not in import mode"; OFF is always accepted. The mark
// belongs to the connection, hence to Conn. Valkey 8.1.0 and later only.
func (cn *Conn) ClientImportSource(ctx context.Context, on bool) *Future[string] {
	f := newFuture(cn.s, ctx, "CLIENT IMPORT-SOURCE", messages.Stateful, toStatus)
	f.b.str(onOff(on))
	return send(cn.s, f)
}

// ScriptShow sends SCRIPT SHOW sha1 and returns the source of the script
// cached under sha1; an unknown sha1 is a NOSCRIPT error. On a
// ClusterClient it asks one primary (ScriptLoad loads on every primary).
// Valkey 8.0.0 and later only.
func (c cmds) ScriptShow(ctx context.Context, sha1 string) *Future[string] {
	f := newFuture(c.s, ctx, "SCRIPT SHOW", ro, toString)
	f.b.str(sha1)
	return send(c.s, f)
}

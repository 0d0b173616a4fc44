package client

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// Commands of the scripting group: Lua scripts (EVAL, SCRIPT) and
// functions (FUNCTION, FCALL). Scripts and functions reply with whatever
// they return, so those replies stay raw resp.Values: under RESP3 a Lua
// table may come back as a map or set where RESP2 gives an array.

// scriptCall builds EVAL, EVALSHA, FCALL and their _RO forms: the script
// or name, the number of keys, the keys (the first picks the connection)
// and the arguments.
func scriptCall(c cmds, ctx context.Context, name string, flags messages.Flags, body string, keys []string, args []any) *Future[resp.Value] {
	f := newFuture(c.s, ctx, name, flags, rawValue)
	f.b.str(body).int(int64(len(keys))).keys(keys...)
	for _, a := range args {
		f.b.any(a)
	}
	return send(c.s, f)
}

// Eval runs the Lua script with keys (KEYS) and args (ARGV) and returns
// its reply as sent. Since Redis 2.6.0.
func (c cmds) Eval(ctx context.Context, script string, keys []string, args ...any) *Future[resp.Value] {
	return scriptCall(c, ctx, "EVAL", 0, script, keys, args)
}

// EvalRO is Eval for a script that only reads: the server refuses one
// that writes. Since Redis 7.0.0.
func (c cmds) EvalRO(ctx context.Context, script string, keys []string, args ...any) *Future[resp.Value] {
	return scriptCall(c, ctx, "EVAL_RO", ro, script, keys, args)
}

// EvalSha runs the cached script whose SHA1 digest is sha (see ScriptLoad);
// a script not in the cache fails with a NOSCRIPT *Error. Since Redis
// 2.6.0.
func (c cmds) EvalSha(ctx context.Context, sha string, keys []string, args ...any) *Future[resp.Value] {
	return scriptCall(c, ctx, "EVALSHA", 0, sha, keys, args)
}

// EvalShaRO is EvalSha for a script that only reads. Since Redis 7.0.0.
func (c cmds) EvalShaRO(ctx context.Context, sha string, keys []string, args ...any) *Future[resp.Value] {
	return scriptCall(c, ctx, "EVALSHA_RO", ro, sha, keys, args)
}

// FCall calls the function with keys and args and returns its reply as
// sent. Since Redis 7.0.0.
func (c cmds) FCall(ctx context.Context, function string, keys []string, args ...any) *Future[resp.Value] {
	return scriptCall(c, ctx, "FCALL", 0, function, keys, args)
}

// FCallRO calls a function flagged no-writes. Since Redis 7.0.0.
func (c cmds) FCallRO(ctx context.Context, function string, keys []string, args ...any) *Future[resp.Value] {
	return scriptCall(c, ctx, "FCALL_RO", ro, function, keys, args)
}

// ScriptLoad loads script into the script cache without running it and
// returns its SHA1 digest, for EvalSha. Since Redis 2.6.0.
func (c cmds) ScriptLoad(ctx context.Context, script string) *Future[string] {
	f := newFuture(c.s, ctx, "SCRIPT LOAD", idem, toString)
	f.b.str(script)
	return send(c.s, f)
}

// ScriptExists reports, for each SHA1 digest, whether its script is in the
// cache. Since Redis 2.6.0.
func (c cmds) ScriptExists(ctx context.Context, shas ...string) *Future[[]bool] {
	f := newFuture(c.s, ctx, "SCRIPT EXISTS", ro, scriptToBools)
	if len(shas) == 0 {
		f.b.fail("ScriptExists needs at least one digest")
	}
	for _, s := range shas {
		f.b.str(s)
	}
	return send(c.s, f)
}

// ScriptFlushMode says how SCRIPT FLUSH and FUNCTION FLUSH free memory.
type ScriptFlushMode uint8

// The modes of SCRIPT FLUSH and FUNCTION FLUSH.
const (
	// ScriptFlushDefault sends no token: the server's lazyfree-lazy-user-flush
	// setting decides.
	ScriptFlushDefault ScriptFlushMode = iota
	// ScriptFlushAsync frees in the background (ASYNC).
	ScriptFlushAsync
	// ScriptFlushSync frees before replying (SYNC).
	ScriptFlushSync
)

var scriptFlushTokens = tokens[ScriptFlushMode]{typ: "ScriptFlushMode", zero: "default", list: []string{
	ScriptFlushDefault: "", ScriptFlushAsync: "ASYNC", ScriptFlushSync: "SYNC",
}}

// String returns the mode's token ("ASYNC", "SYNC"), or "default".
func (m ScriptFlushMode) String() string { return scriptFlushTokens.name(m) }

// ScriptFlushOptions are the optional arguments of SCRIPT FLUSH.
type ScriptFlushOptions struct {
	Mode ScriptFlushMode
}

// ScriptFlush empties the script cache and returns "OK". Since Redis 2.6.0.
func (c cmds) ScriptFlush(ctx context.Context) *Future[string] {
	return c.ScriptFlushWith(ctx, ScriptFlushOptions{})
}

// ScriptFlushWith is ScriptFlush with options (the mode since Redis 6.2).
// Since Redis 2.6.0.
func (c cmds) ScriptFlushWith(ctx context.Context, opts ScriptFlushOptions) *Future[string] {
	f := newFuture(c.s, ctx, "SCRIPT FLUSH", idem, toStatus)
	f.b.token(scriptFlushTokens.of(opts.Mode))
	return send(c.s, f)
}

// ScriptKill stops the script running on the server, if it has not
// written yet, and returns "OK"; with none running it fails with a
// NOTBUSY *Error. It runs on a dedicated connection leased for the call,
// so it never waits behind the very script it is meant to stop. Since
// Redis 2.6.0.
func (c cmds) ScriptKill(ctx context.Context) *Future[string] {
	f := newFuture(c.s, ctx, "SCRIPT KILL", messages.Blocking, toStatus)
	return send(c.s, f)
}

// ScriptDebugMode is the mode of SCRIPT DEBUG.
type ScriptDebugMode uint8

// The modes of SCRIPT DEBUG.
const (
	// ScriptDebugNo turns the debugger off (NO).
	ScriptDebugNo ScriptDebugMode = iota
	// ScriptDebugYes debugs the next EVAL in a forked server, whose
	// changes are rolled back (YES).
	ScriptDebugYes
	// ScriptDebugSync debugs the next EVAL in the server itself, blocking
	// it (SYNC).
	ScriptDebugSync
)

var scriptDebugTokens = tokens[ScriptDebugMode]{typ: "ScriptDebugMode", list: []string{
	ScriptDebugNo: "NO", ScriptDebugYes: "YES", ScriptDebugSync: "SYNC",
}}

// String returns the mode's token: "NO", "YES" or "SYNC".
func (m ScriptDebugMode) String() string { return scriptDebugTokens.name(m) }

// ScriptDebug sets the Lua debugger mode of the connection and returns
// "OK". The debugger speaks its own protocol on the connection, which
// redis-cli --ldb drives; this client does not. The mode is per
// connection: on a Client the command runs on a dedicated connection that
// is closed afterwards, so it never reaches the shared ones; use it on a
// Conn to keep the mode. Since Redis 3.2.0.
func (c cmds) ScriptDebug(ctx context.Context, mode ScriptDebugMode) *Future[string] {
	f := newFuture(c.s, ctx, "SCRIPT DEBUG", messages.Stateful, toStatus)
	f.b.token(scriptDebugTokens.of(mode))
	return send(c.s, f)
}

// Script is a Lua script run by its SHA1 digest, loaded on demand: Run
// sends EVALSHA and, when the server's cache lacks the script (a NOSCRIPT
// reply, after a restart or SCRIPT FLUSH), EVAL, which loads it. A Script
// is safe for concurrent use.
type Script struct {
	src string
	sha string
}

// NewScript returns the Script for src, computing its digest.
func NewScript(src string) *Script {
	sum := sha1.Sum([]byte(src))
	return &Script{src: src, sha: hex.EncodeToString(sum[:])}
}

// Source returns the script's Lua source.
func (s *Script) Source() string { return s.src }

// Hash returns the script's SHA1 digest in lowercase hex, as EVALSHA takes
// it.
func (s *Script) Hash() string { return s.sha }

// Scripter sends scripts: *Client, *Conn, *Tx and *ClusterClient
// implement it. A pipeline does not: its replies come only when it is
// executed, and Run waits for EVALSHA's reply; queue Eval or EvalSha
// there instead.
type Scripter interface {
	Eval(ctx context.Context, script string, keys []string, args ...any) *Future[resp.Value]
	EvalRO(ctx context.Context, script string, keys []string, args ...any) *Future[resp.Value]
	EvalSha(ctx context.Context, sha string, keys []string, args ...any) *Future[resp.Value]
	EvalShaRO(ctx context.Context, sha string, keys []string, args ...any) *Future[resp.Value]
	// repliesAtOnce marks the types whose commands are sent when called,
	// so that their futures complete without an Exec.
	repliesAtOnce()
}

func (*Client) repliesAtOnce()        {}
func (*Conn) repliesAtOnce()          {}
func (*Tx) repliesAtOnce()            {}
func (*ClusterClient) repliesAtOnce() {}

// Run runs the script through s with keys and args. It waits for the
// EVALSHA reply, since only that tells whether EVAL is needed, and
// returns a completed future; when the script was not cached it returns
// the EVAL's future, not yet awaited.
func (s *Script) Run(ctx context.Context, c Scripter, keys []string, args ...any) *Future[resp.Value] {
	f := c.EvalSha(ctx, s.sha, keys, args...)
	if scriptIsNoScript(f.Err()) {
		return c.Eval(ctx, s.src, keys, args...)
	}
	return f
}

// RunRO is Run with EVALSHA_RO and EVAL_RO, for a script that only reads.
func (s *Script) RunRO(ctx context.Context, c Scripter, keys []string, args ...any) *Future[resp.Value] {
	f := c.EvalShaRO(ctx, s.sha, keys, args...)
	if scriptIsNoScript(f.Err()) {
		return c.EvalRO(ctx, s.src, keys, args...)
	}
	return f
}

func scriptIsNoScript(err error) bool {
	var se *Error
	return errors.As(err, &se) && se.Prefix() == "NOSCRIPT"
}

// FunctionLoad loads a library of functions from its code (which starts
// with a #!lua name=... line) and returns the library's name; a library of
// that name already loaded is an error. Since Redis 7.0.0.
func (c cmds) FunctionLoad(ctx context.Context, code string) *Future[string] {
	return c.FunctionLoadWith(ctx, code, FunctionLoadOptions{})
}

// FunctionLoadOptions are the optional arguments of FUNCTION LOAD.
type FunctionLoadOptions struct {
	// Replace replaces a library of the same name (REPLACE).
	Replace bool
}

// FunctionLoadWith is FunctionLoad with options. Since Redis 7.0.0.
func (c cmds) FunctionLoadWith(ctx context.Context, code string, opts FunctionLoadOptions) *Future[string] {
	var flags messages.Flags
	if opts.Replace {
		flags = idem
	}
	f := newFuture(c.s, ctx, "FUNCTION LOAD", flags, toString)
	f.b.strIf(opts.Replace, "REPLACE").str(code)
	return send(c.s, f)
}

// FunctionDelete deletes the library named library and its functions and
// returns "OK". Since Redis 7.0.0.
func (c cmds) FunctionDelete(ctx context.Context, library string) *Future[string] {
	f := newFuture(c.s, ctx, "FUNCTION DELETE", 0, toStatus)
	f.b.str(library)
	return send(c.s, f)
}

// FunctionFlushOptions are the optional arguments of FUNCTION FLUSH.
type FunctionFlushOptions struct {
	Mode ScriptFlushMode
}

// FunctionFlush deletes every library and returns "OK". Since Redis 7.0.0.
func (c cmds) FunctionFlush(ctx context.Context) *Future[string] {
	return c.FunctionFlushWith(ctx, FunctionFlushOptions{})
}

// FunctionFlushWith is FunctionFlush with options. Since Redis 7.0.0.
func (c cmds) FunctionFlushWith(ctx context.Context, opts FunctionFlushOptions) *Future[string] {
	f := newFuture(c.s, ctx, "FUNCTION FLUSH", idem, toStatus)
	f.b.token(scriptFlushTokens.of(opts.Mode))
	return send(c.s, f)
}

// FunctionKill stops the function running on the server, if it has not
// written yet, and returns "OK"; with none running it fails with a
// NOTBUSY *Error. Like ScriptKill it runs on a dedicated connection.
// Since Redis 7.0.0.
func (c cmds) FunctionKill(ctx context.Context) *Future[string] {
	f := newFuture(c.s, ctx, "FUNCTION KILL", messages.Blocking, toStatus)
	return send(c.s, f)
}

// FunctionListOptions are the optional arguments of FUNCTION LIST.
type FunctionListOptions struct {
	// LibraryName lists only the libraries whose names match this glob
	// pattern (LIBRARYNAME); "": all.
	LibraryName string
	// WithCode includes each library's code (WITHCODE).
	WithCode bool
}

// FunctionList describes the loaded libraries. Since Redis 7.0.0.
func (c cmds) FunctionList(ctx context.Context) *Future[[]FunctionLibrary] {
	return c.FunctionListWith(ctx, FunctionListOptions{})
}

// FunctionListWith is FunctionList with options. Since Redis 7.0.0.
func (c cmds) FunctionListWith(ctx context.Context, opts FunctionListOptions) *Future[[]FunctionLibrary] {
	f := newFuture(c.s, ctx, "FUNCTION LIST", ro, scriptToLibraries)
	if opts.LibraryName != "" {
		f.b.str("LIBRARYNAME").str(opts.LibraryName)
	}
	f.b.strIf(opts.WithCode, "WITHCODE")
	return send(c.s, f)
}

// FunctionDump returns every loaded library as one opaque payload, for
// FunctionRestore. Since Redis 7.0.0.
func (c cmds) FunctionDump(ctx context.Context) *Future[[]byte] {
	f := newFuture(c.s, ctx, "FUNCTION DUMP", ro, toBytes)
	return send(c.s, f)
}

// FunctionRestorePolicy says what FUNCTION RESTORE does with the libraries
// already loaded.
type FunctionRestorePolicy uint8

// The policies of FUNCTION RESTORE.
const (
	// FunctionRestoreDefault sends no token: Redis appends, like
	// FunctionRestoreAppend.
	FunctionRestoreDefault FunctionRestorePolicy = iota
	// FunctionRestoreAppend adds the payload's libraries and fails on a
	// name already loaded (APPEND).
	FunctionRestoreAppend
	// FunctionRestoreReplace adds them, replacing those of the same name
	// (REPLACE).
	FunctionRestoreReplace
	// FunctionRestoreFlush deletes every library first (FLUSH).
	FunctionRestoreFlush
)

var functionRestoreTokens = tokens[FunctionRestorePolicy]{typ: "FunctionRestorePolicy", zero: "default", list: []string{
	FunctionRestoreDefault: "", FunctionRestoreAppend: "APPEND",
	FunctionRestoreReplace: "REPLACE", FunctionRestoreFlush: "FLUSH",
}}

// String returns the policy's token ("APPEND", "REPLACE", "FLUSH"), or
// "default".
func (p FunctionRestorePolicy) String() string { return functionRestoreTokens.name(p) }

// FunctionRestoreOptions are the optional arguments of FUNCTION RESTORE.
type FunctionRestoreOptions struct {
	Policy FunctionRestorePolicy
}

// FunctionRestore loads the libraries of a FunctionDump payload and
// returns "OK". Since Redis 7.0.0.
func (c cmds) FunctionRestore(ctx context.Context, payload []byte) *Future[string] {
	return c.FunctionRestoreWith(ctx, payload, FunctionRestoreOptions{})
}

// FunctionRestoreWith is FunctionRestore with options. Since Redis 7.0.0.
func (c cmds) FunctionRestoreWith(ctx context.Context, payload []byte, opts FunctionRestoreOptions) *Future[string] {
	var flags messages.Flags
	if opts.Policy == FunctionRestoreReplace || opts.Policy == FunctionRestoreFlush {
		flags = idem
	}
	f := newFuture(c.s, ctx, "FUNCTION RESTORE", flags, toStatus)
	f.b.bytes(payload)
	f.b.token(functionRestoreTokens.of(opts.Policy))
	return send(c.s, f)
}

// FunctionStats describes the function running now and the loaded
// libraries. Like FunctionKill it runs on a dedicated connection, so it
// answers while a function holds the server (and a shared connection).
// Since Redis 7.0.0.
func (c cmds) FunctionStats(ctx context.Context) *Future[FunctionStats] {
	f := newFuture(c.s, ctx, "FUNCTION STATS", messages.Blocking, scriptToFunctionStats)
	return send(c.s, f)
}

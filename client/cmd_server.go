package client

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// Commands of the server group: ACL, COMMAND, CONFIG, LATENCY, MEMORY,
// MODULE and SLOWLOG (each subcommand joined to its container: ACLGetUser,
// ConfigGet, ...), persistence (SAVE, BGSAVE, ...), replication (REPLICAOF,
// ROLE, FAILOVER) and the rest. Their result types and conversions live in
// convert_server.go; MONITOR, which needs a connection of its own, is
// Client.Monitor, in monitor.go.
//
// Commands that change the whole server (FLUSHALL, CONFIG SET, SHUTDOWN,
// REPLICAOF, ...) act on the server behind the client, whichever pooled
// connection carries them.

// ---- ACL ------------------------------------------------------------------

// ACLCat lists the ACL categories ("keyspace", "read", ...). Since Redis
// 6.0.
func (c cmds) ACLCat(ctx context.Context) *Future[[]string] {
	return c.ACLCatWith(ctx, ACLCatOptions{})
}

// ACLCatOptions are the optional argument of ACL CAT.
type ACLCatOptions struct {
	// Category lists the commands of this category instead of the
	// categories.
	Category string
}

// ACLCatWith sends ACL CAT [category]: the categories, or the commands of
// opts.Category. Since Redis 6.0.
func (c cmds) ACLCatWith(ctx context.Context, opts ACLCatOptions) *Future[[]string] {
	f := newFuture(c.s, ctx, "ACL CAT", ro, toStrings)
	f.b.strIf(opts.Category != "", opts.Category)
	return send(c.s, f)
}

// ACLDelUser deletes the ACL users named and returns how many existed.
// Since Redis 6.0.
func (c cmds) ACLDelUser(ctx context.Context, users ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "ACL DELUSER", idem, toInt64)
	if len(users) == 0 {
		f.b.fail("ACLDelUser needs at least one user")
	}
	for _, u := range users {
		f.b.str(u)
	}
	return send(c.s, f)
}

// ACLDryRun sends ACL DRYRUN user command args...: whether user may run
// the command, without running it. Since Redis 7.0.
func (c cmds) ACLDryRun(ctx context.Context, user, command string, args ...any) *Future[ACLDryRunResult] {
	f := newFuture(c.s, ctx, "ACL DRYRUN", ro, srvToDryRun)
	f.b.str(user).str(command)
	for _, a := range args {
		f.b.any(a)
	}
	return send(c.s, f)
}

// ACLGenPass returns a random password of 256 bits as 64 hex digits.
// Since Redis 6.0.
func (c cmds) ACLGenPass(ctx context.Context) *Future[string] {
	return c.ACLGenPassWith(ctx, ACLGenPassOptions{})
}

// ACLGenPassOptions are the optional argument of ACL GENPASS.
type ACLGenPassOptions struct {
	// Bits is the number of random bits (rounded up to a multiple of 4);
	// 0 leaves the server's 256.
	Bits int
}

// ACLGenPassWith sends ACL GENPASS [bits]. Since Redis 6.0.
func (c cmds) ACLGenPassWith(ctx context.Context, opts ACLGenPassOptions) *Future[string] {
	f := newFuture(c.s, ctx, "ACL GENPASS", ro, toString)
	if opts.Bits < 0 {
		f.b.fail("ACLGenPassOptions.Bits must not be negative")
	}
	if opts.Bits > 0 {
		f.b.int(int64(opts.Bits))
	}
	return send(c.s, f)
}

// ACLGetUser describes an ACL user; ErrNil when there is none. Since
// Redis 6.0. Since Redis 6.0.0.
func (c cmds) ACLGetUser(ctx context.Context, user string) *Future[ACLUser] {
	f := newFuture(c.s, ctx, "ACL GETUSER", ro, srvToACLUser)
	f.b.str(user)
	return send(c.s, f)
}

// ACLList returns every ACL user as an ACL rule line ("user default on
// nopass ~* &* +@all"). Since Redis 6.0.
func (c cmds) ACLList(ctx context.Context) *Future[[]string] {
	return send(c.s, newFuture(c.s, ctx, "ACL LIST", ro, toStrings))
}

// ACLLoad reloads the users from the server's ACL file and returns "OK".
// Since Redis 6.0.
func (c cmds) ACLLoad(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "ACL LOAD", idem, toStatus))
}

// ACLLog sends ACL LOG [count]: the latest security events, newest first;
// count 0 leaves the server's 10. Since Redis 6.0.
func (c cmds) ACLLog(ctx context.Context, count int64) *Future[[]ACLLogEntry] {
	f := newFuture(c.s, ctx, "ACL LOG", ro, srvToACLLog)
	if count < 0 {
		f.b.fail("ACLLog count must not be negative")
	}
	if count > 0 {
		f.b.int(count)
	}
	return send(c.s, f)
}

// ACLLogReset sends ACL LOG RESET: it clears the log and returns "OK".
// Since Redis 6.0.
func (c cmds) ACLLogReset(ctx context.Context) *Future[string] {
	f := newFuture(c.s, ctx, "ACL LOG", idem, toStatus)
	f.b.str("RESET")
	return send(c.s, f)
}

// ACLSave writes the users to the server's ACL file and returns "OK".
// Since Redis 6.0.
func (c cmds) ACLSave(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "ACL SAVE", idem, toStatus))
}

// ACLSetUser creates or changes an ACL user with rules ("on", ">secret",
// "~key:*", "+get", ...), applied in order, and returns "OK". Rules may
// hold passwords: they never appear in errors. Since Redis 6.0.
func (c cmds) ACLSetUser(ctx context.Context, user string, rules ...string) *Future[string] {
	f := newFuture(c.s, ctx, "ACL SETUSER", 0, toStatus)
	f.b.str(user)
	for _, r := range rules {
		f.b.str(r)
	}
	return send(c.s, f)
}

// ACLUsers returns the names of the ACL users. Since Redis 6.0.
func (c cmds) ACLUsers(ctx context.Context) *Future[[]string] {
	return send(c.s, newFuture(c.s, ctx, "ACL USERS", ro, toStrings))
}

// ACLWhoAmI returns the user the connection is authenticated as. Since
// Redis 6.0. Since Redis 6.0.0.
func (c cmds) ACLWhoAmI(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "ACL WHOAMI", ro, toString))
}

// ---- persistence ----------------------------------------------------------

// BGRewriteAOF starts an append-only file rewrite in the background and
// returns the server's status text. Since Redis 1.0.
func (c cmds) BGRewriteAOF(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "BGREWRITEAOF", 0, toStatus))
}

// BGSave starts a background save of the dataset and returns the server's
// status text ("Background saving started"). Since Redis 1.0.
func (c cmds) BGSave(ctx context.Context) *Future[string] {
	return c.BGSaveWith(ctx, BGSaveOptions{})
}

// BGSaveOptions are the optional argument of BGSAVE.
type BGSaveOptions struct {
	// Schedule schedules the save for when a running AOF rewrite ends
	// instead of failing (SCHEDULE).
	Schedule bool
}

// BGSaveWith sends BGSAVE [SCHEDULE]. Since Redis 1.0 (SCHEDULE 3.2.2).
func (c cmds) BGSaveWith(ctx context.Context, opts BGSaveOptions) *Future[string] {
	f := newFuture(c.s, ctx, "BGSAVE", 0, toStatus)
	f.b.strIf(opts.Schedule, "SCHEDULE")
	return send(c.s, f)
}

// Save saves the dataset to disk synchronously and returns "OK". Since
// Redis 1.0. Since Redis 1.0.0.
func (c cmds) Save(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "SAVE", 0, toStatus))
}

// LastSave returns the time of the last successful save to disk. Since
// Redis 1.0. Since Redis 1.0.0.
func (c cmds) LastSave(ctx context.Context) *Future[time.Time] {
	return send(c.s, newFuture(c.s, ctx, "LASTSAVE", ro, srvToUnixTime))
}

// ---- COMMAND --------------------------------------------------------------

// CommandCount returns the number of commands the server knows. Since
// Redis 2.8.13. Since Redis 2.8.13.
func (c cmds) CommandCount(ctx context.Context) *Future[int64] {
	return send(c.s, newFuture(c.s, ctx, "COMMAND COUNT", ro, toInt64))
}

// CommandDocs sends COMMAND DOCS [name...]: the documentation of the
// commands named (of every command when none is), by command name.
// Since Redis 7.0.
func (c cmds) CommandDocs(ctx context.Context, names ...string) *Future[map[string]CommandDoc] {
	f := newFuture(c.s, ctx, "COMMAND DOCS", ro, srvToCommandDocs)
	for _, n := range names {
		f.b.str(n)
	}
	return send(c.s, f)
}

// CommandGetKeys sends COMMAND GETKEYS command args...: the keys of that
// command line. Since Redis 2.8.13.
func (c cmds) CommandGetKeys(ctx context.Context, command string, args ...any) *Future[[]string] {
	f := newFuture(c.s, ctx, "COMMAND GETKEYS", ro, toStrings)
	f.b.str(command)
	for _, a := range args {
		f.b.any(a)
	}
	return send(c.s, f)
}

// CommandGetKeysAndFlags sends COMMAND GETKEYSANDFLAGS command args...:
// the keys of that command line with their access flags. Since Redis 7.0.
func (c cmds) CommandGetKeysAndFlags(ctx context.Context, command string, args ...any) *Future[[]CommandKeyFlags] {
	f := newFuture(c.s, ctx, "COMMAND GETKEYSANDFLAGS", ro, srvToKeyFlags)
	f.b.str(command)
	for _, a := range args {
		f.b.any(a)
	}
	return send(c.s, f)
}

// CommandInfo sends COMMAND INFO name...: one CommandInfo per name, in
// order; an unknown command gives a CommandInfo with an empty Name.
// Without names it describes every command. Since Redis 2.8.13.
func (c cmds) CommandInfo(ctx context.Context, names ...string) *Future[[]CommandInfo] {
	f := newFuture(c.s, ctx, "COMMAND INFO", ro, srvToCommandInfos)
	for _, n := range names {
		f.b.str(n)
	}
	return send(c.s, f)
}

// CommandList returns the names of every command. Since Redis 7.0.
func (c cmds) CommandList(ctx context.Context) *Future[[]string] {
	return c.CommandListWith(ctx, CommandListOptions{})
}

// CommandListOptions filter COMMAND LIST (FILTERBY); the server takes one
// filter at a time.
type CommandListOptions struct {
	// Module keeps the commands of this module (MODULE).
	Module string
	// ACLCategory keeps the commands of this ACL category (ACLCAT).
	ACLCategory string
	// Pattern keeps the commands matching this glob pattern (PATTERN).
	Pattern string
}

// CommandListWith is CommandList with a filter. Since Redis 7.0.
func (c cmds) CommandListWith(ctx context.Context, opts CommandListOptions) *Future[[]string] {
	f := newFuture(c.s, ctx, "COMMAND LIST", ro, toStrings)
	n := 0
	for _, p := range [...]struct{ tok, val string }{{"MODULE", opts.Module}, {"ACLCAT", opts.ACLCategory}, {"PATTERN", opts.Pattern}} {
		if p.val != "" {
			n++
			f.b.str("FILTERBY").str(p.tok).str(p.val)
		}
	}
	if n > 1 {
		f.b.fail("CommandListOptions takes one filter")
	}
	return send(c.s, f)
}

// ---- CONFIG ---------------------------------------------------------------

// ConfigGet returns the configuration parameters matching any of the glob
// patterns, by name. Several patterns need Redis 7.0. Since Redis 2.0.
func (c cmds) ConfigGet(ctx context.Context, patterns ...string) *Future[map[string]string] {
	f := newFuture(c.s, ctx, "CONFIG GET", ro, srvToStringMap)
	if len(patterns) == 0 {
		f.b.fail("ConfigGet needs at least one pattern")
	}
	for _, p := range patterns {
		f.b.str(p)
	}
	return send(c.s, f)
}

// ConfigSet sets configuration parameters, given as name, value, name,
// value...; several pairs (set atomically) need Redis 7.0. It returns
// "OK". Since Redis 2.0.
func (c cmds) ConfigSet(ctx context.Context, pairs ...string) *Future[string] {
	f := newFuture(c.s, ctx, "CONFIG SET", idem, toStatus)
	if len(pairs) == 0 || len(pairs)%2 != 0 {
		f.b.fail("ConfigSet needs name, value pairs")
	}
	for _, p := range pairs {
		f.b.str(p)
	}
	return send(c.s, f)
}

// ConfigResetStat resets the statistics INFO reports and returns "OK".
// Since Redis 2.0.
func (c cmds) ConfigResetStat(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "CONFIG RESETSTAT", idem, toStatus))
}

// ConfigRewrite rewrites the server's configuration file with the running
// configuration and returns "OK". Since Redis 2.8.
func (c cmds) ConfigRewrite(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "CONFIG REWRITE", idem, toStatus))
}

// ---- databases ------------------------------------------------------------

// DBSize returns the number of keys in the selected database. Since Redis
// 1.0.
func (c cmds) DBSize(ctx context.Context) *Future[int64] {
	return send(c.s, newFuture(c.s, ctx, "DBSIZE", ro, toInt64))
}

// FlushMode chooses how FLUSHALL and FLUSHDB free memory. The zero value,
// FlushDefault, sends no token (the server's lazyfree-lazy-user-flush
// decides).
type FlushMode uint8

// The flush modes.
const (
	FlushDefault FlushMode = iota // no token
	FlushAsync                    // ASYNC: free in a background thread
	FlushSync                     // SYNC: free before replying
)

var flushModeTokens = [...]string{FlushDefault: "", FlushAsync: "ASYNC", FlushSync: "SYNC"}

// String returns "ASYNC", "SYNC" or "default".
func (m FlushMode) String() string {
	if m == FlushDefault {
		return "default"
	}
	if int(m) < len(flushModeTokens) {
		return flushModeTokens[m]
	}
	return "FlushMode(" + strconv.Itoa(int(m)) + ")"
}

func (b *builder) srvFlushMode(m FlushMode) *builder {
	ok := int(m) < len(flushModeTokens)
	tok := ""
	if ok {
		tok = flushModeTokens[m]
	}
	return b.token(tok, ok, "FlushMode")
}

// FlushOptions are the optional argument of FLUSHALL and FLUSHDB.
type FlushOptions struct {
	Mode FlushMode
}

// FlushAll deletes every key of every database and returns "OK". Since
// Redis 1.0. Since Redis 1.0.0.
func (c cmds) FlushAll(ctx context.Context) *Future[string] {
	return c.FlushAllWith(ctx, FlushOptions{})
}

// FlushAllWith sends FLUSHALL [ASYNC|SYNC]. Since Redis 1.0 (ASYNC 4.0,
// SYNC 6.2).
func (c cmds) FlushAllWith(ctx context.Context, opts FlushOptions) *Future[string] {
	f := newFuture(c.s, ctx, "FLUSHALL", idem, toStatus)
	f.b.srvFlushMode(opts.Mode)
	return send(c.s, f)
}

// FlushDB deletes every key of the selected database and returns "OK".
// Since Redis 1.0.
func (c cmds) FlushDB(ctx context.Context) *Future[string] {
	return c.FlushDBWith(ctx, FlushOptions{})
}

// FlushDBWith sends FLUSHDB [ASYNC|SYNC]. Since Redis 1.0 (ASYNC 4.0,
// SYNC 6.2).
func (c cmds) FlushDBWith(ctx context.Context, opts FlushOptions) *Future[string] {
	f := newFuture(c.s, ctx, "FLUSHDB", idem, toStatus)
	f.b.srvFlushMode(opts.Mode)
	return send(c.s, f)
}

// SwapDB swaps databases i and j and returns "OK". Since Redis 4.0.
func (c cmds) SwapDB(ctx context.Context, i, j int) *Future[string] {
	f := newFuture(c.s, ctx, "SWAPDB", 0, toStatus)
	f.b.int(int64(i)).int(int64(j))
	return send(c.s, f)
}

// ---- INFO, TIME, LOLWUT ---------------------------------------------------

// Info sends INFO [section...] ("server", "memory", "all", "everything",
// ...; several need Redis 7.0) and returns the report parsed by section.
// Since Redis 1.0.
func (c cmds) Info(ctx context.Context, sections ...string) *Future[ServerInfo] {
	f := newFuture(c.s, ctx, "INFO", ro, srvToInfo)
	for _, s := range sections {
		f.b.str(s)
	}
	return send(c.s, f)
}

// Time returns the server's clock, to the microsecond. Since Redis 2.6.
func (c cmds) Time(ctx context.Context) *Future[time.Time] {
	return send(c.s, newFuture(c.s, ctx, "TIME", ro, srvToTime))
}

// LolWut returns the server's version drawn as art. Since Redis 5.0.
func (c cmds) LolWut(ctx context.Context) *Future[string] {
	return c.LolWutWith(ctx, LolWutOptions{})
}

// LolWutOptions are the optional argument of LOLWUT.
type LolWutOptions struct {
	// Version draws the art of that Redis version (VERSION); 0 leaves the
	// server's own.
	Version int
}

// LolWutWith sends LOLWUT [VERSION v]. Since Redis 5.0.
func (c cmds) LolWutWith(ctx context.Context, opts LolWutOptions) *Future[string] {
	f := newFuture(c.s, ctx, "LOLWUT", ro, toString)
	if opts.Version != 0 {
		f.b.str("VERSION").int(int64(opts.Version))
	}
	return send(c.s, f)
}

// ---- LATENCY --------------------------------------------------------------

// LatencyDoctor returns the server's human-readable latency analysis.
// Since Redis 2.8.13.
func (c cmds) LatencyDoctor(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "LATENCY DOCTOR", ro, toString))
}

// LatencyGraph returns an ASCII-art graph of the latency samples of event.
// Since Redis 2.8.13.
func (c cmds) LatencyGraph(ctx context.Context, event string) *Future[string] {
	f := newFuture(c.s, ctx, "LATENCY GRAPH", ro, toString)
	f.b.str(event)
	return send(c.s, f)
}

// LatencyHistogram sends LATENCY HISTOGRAM [command...]: the latency
// histogram of the commands named (of every command run so far when none
// is), by command name. Since Redis 7.0.
func (c cmds) LatencyHistogram(ctx context.Context, commands ...string) *Future[map[string]CommandHistogram] {
	f := newFuture(c.s, ctx, "LATENCY HISTOGRAM", ro, srvToHistograms)
	for _, n := range commands {
		f.b.str(n)
	}
	return send(c.s, f)
}

// LatencyHistory returns the latency samples of event, oldest first.
// Since Redis 2.8.13.
func (c cmds) LatencyHistory(ctx context.Context, event string) *Future[[]LatencySample] {
	f := newFuture(c.s, ctx, "LATENCY HISTORY", ro, srvToLatencySamples)
	f.b.str(event)
	return send(c.s, f)
}

// LatencyLatest returns the latest sample of every event. Since Redis
// 2.8.13.
func (c cmds) LatencyLatest(ctx context.Context) *Future[[]LatencyEvent] {
	return send(c.s, newFuture(c.s, ctx, "LATENCY LATEST", ro, srvToLatencyEvents))
}

// LatencyReset clears the samples of the events named (of every event
// when none is) and returns how many event series it cleared. Since Redis
// 2.8.13.
func (c cmds) LatencyReset(ctx context.Context, events ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "LATENCY RESET", idem, toInt64)
	for _, e := range events {
		f.b.str(e)
	}
	return send(c.s, f)
}

// ---- MEMORY ---------------------------------------------------------------

// MemoryDoctor returns the server's human-readable memory analysis. Since
// Redis 4.0. Since Redis 4.0.0.
func (c cmds) MemoryDoctor(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "MEMORY DOCTOR", ro, toString))
}

// MemoryMallocStats returns the allocator's internal statistics, as text.
// Since Redis 4.0.
func (c cmds) MemoryMallocStats(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "MEMORY MALLOC-STATS", ro, toString))
}

// MemoryPurge asks the allocator to release dirty pages and returns "OK".
// Since Redis 4.0.
func (c cmds) MemoryPurge(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "MEMORY PURGE", idem, toStatus))
}

// MemoryStats returns the server's memory figures (see MemoryStats).
// Since Redis 4.0.
func (c cmds) MemoryStats(ctx context.Context) *Future[MemoryStats] {
	return send(c.s, newFuture(c.s, ctx, "MEMORY STATS", ro, srvToMemoryStats))
}

// MemoryUsage returns the bytes key and its value take in memory; ErrNil
// when the key does not exist. Since Redis 4.0.
func (c cmds) MemoryUsage(ctx context.Context, key string) *Future[int64] {
	return c.MemoryUsageWith(ctx, key, MemoryUsageOptions{})
}

// MemoryUsageOptions are the optional argument of MEMORY USAGE.
type MemoryUsageOptions struct {
	// Samples is how many nested values to sample (SAMPLES); 0 leaves the
	// server's 5. Use AllSamples for every one.
	Samples int64
	// AllSamples samples every nested value (SAMPLES 0).
	AllSamples bool
}

// MemoryUsageWith sends MEMORY USAGE key [SAMPLES n]. Since Redis 4.0.
func (c cmds) MemoryUsageWith(ctx context.Context, key string, opts MemoryUsageOptions) *Future[int64] {
	f := newFuture(c.s, ctx, "MEMORY USAGE", ro, toInt64)
	f.b.key(key)
	switch {
	case opts.Samples < 0:
		f.b.fail("MemoryUsageOptions.Samples must not be negative")
	case opts.AllSamples && opts.Samples != 0:
		f.b.fail("MemoryUsageOptions takes Samples or AllSamples, not both")
	case opts.AllSamples:
		f.b.str("SAMPLES").int(0)
	case opts.Samples > 0:
		f.b.str("SAMPLES").int(opts.Samples)
	}
	return send(c.s, f)
}

// ---- MODULE ---------------------------------------------------------------

// ModuleList describes the loaded modules. Since Redis 4.0.
func (c cmds) ModuleList(ctx context.Context) *Future[[]ModuleInfo] {
	return send(c.s, newFuture(c.s, ctx, "MODULE LIST", ro, srvToModules))
}

// ModuleLoad loads the module at path (on the server's file system) with
// args and returns "OK". Since Redis 4.0.
func (c cmds) ModuleLoad(ctx context.Context, path string, args ...string) *Future[string] {
	f := newFuture(c.s, ctx, "MODULE LOAD", 0, toStatus)
	f.b.str(path)
	for _, a := range args {
		f.b.str(a)
	}
	return send(c.s, f)
}

// ModuleLoadExOptions are the configuration and arguments of MODULE
// LOADEX.
type ModuleLoadExOptions struct {
	// Configs are module configuration parameters, name then value, sent
	// in order as CONFIG name value.
	Configs [][2]string
	// Args are the module's arguments (ARGS).
	Args []string
}

// ModuleLoadEx sends MODULE LOADEX path [CONFIG name value...] [ARGS
// arg...] and returns "OK". Since Redis 7.0.
func (c cmds) ModuleLoadEx(ctx context.Context, path string, opts ModuleLoadExOptions) *Future[string] {
	f := newFuture(c.s, ctx, "MODULE LOADEX", 0, toStatus)
	f.b.str(path)
	for _, kv := range opts.Configs {
		f.b.str("CONFIG").str(kv[0]).str(kv[1])
	}
	if len(opts.Args) > 0 {
		f.b.str("ARGS")
		for _, a := range opts.Args {
			f.b.str(a)
		}
	}
	return send(c.s, f)
}

// ModuleUnload unloads the module called name and returns "OK". Since
// Redis 4.0. Since Redis 4.0.0.
func (c cmds) ModuleUnload(ctx context.Context, name string) *Future[string] {
	f := newFuture(c.s, ctx, "MODULE UNLOAD", 0, toStatus)
	f.b.str(name)
	return send(c.s, f)
}

// ---- replication ----------------------------------------------------------

// ReplicaOf makes the server a replica of the master at host:port and
// returns the server's status text. Since Redis 5.0.
func (c cmds) ReplicaOf(ctx context.Context, host string, port int) *Future[string] {
	f := newFuture(c.s, ctx, "REPLICAOF", 0, toStatus)
	f.b.str(host).int(int64(port))
	return send(c.s, f)
}

// ReplicaOfNoOne sends REPLICAOF NO ONE: the server stops replicating and
// becomes a master. Since Redis 5.0.
func (c cmds) ReplicaOfNoOne(ctx context.Context) *Future[string] {
	f := newFuture(c.s, ctx, "REPLICAOF", idem, toStatus)
	f.b.str("NO").str("ONE")
	return send(c.s, f)
}

// SlaveOf is ReplicaOf under its older name. Since Redis 1.0.
func (c cmds) SlaveOf(ctx context.Context, host string, port int) *Future[string] {
	f := newFuture(c.s, ctx, "SLAVEOF", 0, toStatus)
	f.b.str(host).int(int64(port))
	return send(c.s, f)
}

// SlaveOfNoOne is ReplicaOfNoOne under its older name. Since Redis 1.0.
func (c cmds) SlaveOfNoOne(ctx context.Context) *Future[string] {
	f := newFuture(c.s, ctx, "SLAVEOF", idem, toStatus)
	f.b.str("NO").str("ONE")
	return send(c.s, f)
}

// Role describes the server's part in replication. Since Redis 2.8.12.
func (c cmds) Role(ctx context.Context) *Future[Role] {
	return send(c.s, newFuture(c.s, ctx, "ROLE", ro, srvToRole))
}

// Failover hands the master role to one of the server's replicas, chosen
// by the server, and returns "OK" once the failover has started. Since
// Redis 6.2. Since Redis 6.2.0.
func (c cmds) Failover(ctx context.Context) *Future[string] {
	return c.FailoverWith(ctx, FailoverOptions{})
}

// FailoverOptions are the optional arguments of FAILOVER.
type FailoverOptions struct {
	// ToHost and ToPort choose the replica to promote (TO host port).
	ToHost string
	ToPort int
	// Force promotes ToHost even when it has not caught up once Timeout
	// has passed (FORCE; needs ToHost and Timeout).
	Force bool
	// Timeout bounds the wait for the replica to catch up (TIMEOUT, in
	// milliseconds); 0 waits without a bound.
	Timeout time.Duration
	// Abort cancels a failover in progress (ABORT); no other option may
	// be set with it.
	Abort bool
}

// FailoverWith sends FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms].
// Since Redis 6.2.
func (c cmds) FailoverWith(ctx context.Context, opts FailoverOptions) *Future[string] {
	f := newFuture(c.s, ctx, "FAILOVER", 0, toStatus)
	switch {
	case opts.Abort && (opts.ToHost != "" || opts.Force || opts.Timeout != 0):
		f.b.fail("FailoverOptions.Abort takes no other option")
	case opts.Force && (opts.ToHost == "" || opts.Timeout <= 0):
		f.b.fail("FailoverOptions.Force needs ToHost and Timeout")
	case opts.Timeout < 0:
		f.b.fail("FailoverOptions.Timeout must not be negative")
	case opts.Timeout > 0 && opts.Timeout < time.Millisecond:
		f.b.fail("FailoverOptions.Timeout counts in milliseconds")
	}
	if opts.ToHost != "" {
		f.b.str("TO").str(opts.ToHost).int(int64(opts.ToPort))
		f.b.strIf(opts.Force, "FORCE")
	}
	f.b.strIf(opts.Abort, "ABORT")
	if opts.Timeout > 0 {
		f.b.str("TIMEOUT").ms(opts.Timeout)
	}
	return send(c.s, f)
}

// ---- SHUTDOWN -------------------------------------------------------------

// Shutdown stops the server, saving first when save points are configured,
// and returns "OK": the server closes the connection instead of replying,
// and that closed connection is the success. Since Redis 1.0.
func (c cmds) Shutdown(ctx context.Context) *Future[string] {
	return c.ShutdownWith(ctx, ShutdownOptions{})
}

// ShutdownSave chooses whether SHUTDOWN saves. The zero value,
// ShutdownDefault, sends no token (save when save points are configured).
type ShutdownSave uint8

// The save choices of SHUTDOWN.
const (
	ShutdownDefault   ShutdownSave = iota // no token
	ShutdownNoSave                        // NOSAVE
	ShutdownSaveFirst                     // SAVE
)

var shutdownSaveTokens = [...]string{ShutdownDefault: "", ShutdownNoSave: "NOSAVE", ShutdownSaveFirst: "SAVE"}

// String returns "NOSAVE", "SAVE" or "default".
func (s ShutdownSave) String() string {
	if s == ShutdownDefault {
		return "default"
	}
	if int(s) < len(shutdownSaveTokens) {
		return shutdownSaveTokens[s]
	}
	return "ShutdownSave(" + strconv.Itoa(int(s)) + ")"
}

// ShutdownOptions are the optional arguments of SHUTDOWN.
type ShutdownOptions struct {
	Save ShutdownSave
	// Now skips waiting for lagging replicas (NOW; Redis 7.0).
	Now bool
	// Force ignores errors that would stop the shutdown, such as a failed
	// save (FORCE; Redis 7.0).
	Force bool
	// Abort cancels a shutdown in progress (ABORT; Redis 7.0); no other
	// option may be set with it. The server replies "OK" or an error.
	Abort bool
}

// ShutdownWith sends SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. A
// connection closed after the command was written counts as success
// ("OK"). Since Redis 1.0.
func (c cmds) ShutdownWith(ctx context.Context, opts ShutdownOptions) *Future[string] {
	inner := makeFuture(c.s, ctx, "SHUTDOWN", 0, toStatus, false) // its completion is hooked: never in a run
	ok := int(opts.Save) < len(shutdownSaveTokens)
	tok := ""
	if ok {
		tok = shutdownSaveTokens[opts.Save]
	}
	if opts.Abort && (opts.Save != ShutdownDefault || opts.Now || opts.Force) {
		inner.b.fail("ShutdownOptions.Abort takes no other option")
	}
	inner.b.token(tok, ok, "ShutdownSave")
	inner.b.strIf(opts.Now, "NOW").strIf(opts.Force, "FORCE").strIf(opts.Abort, "ABORT")
	outer := newSingle[string]()
	outer.ctx, outer.conv = ctx, toStatus
	outer.b.cmd.Name = "SHUTDOWN"
	inner.b.cmd.OnComplete(func() {
		v, err := inner.b.cmd.Result()
		var ce *ConnError
		if !opts.Abort && errors.As(err, &ce) && ce.Sent {
			v, err = resp.Value{Kind: resp.KindSimpleString, Str: "OK"}, nil
		}
		outer.b.cmd.Complete(v, err)
	})
	send(c.s, inner)
	outer.closed = inner.closed
	return outer
}

// ---- SLOWLOG --------------------------------------------------------------

// SlowLogGet returns the latest entries of the slow log, newest first (the
// server's default of 10). Since Redis 2.2.12.
func (c cmds) SlowLogGet(ctx context.Context) *Future[[]SlowLogEntry] {
	return c.SlowLogGetWith(ctx, SlowLogGetOptions{})
}

// SlowLogGetOptions are the optional argument of SLOWLOG GET.
type SlowLogGetOptions struct {
	// Count is how many entries to return; 0 leaves the server's 10.
	Count int64
	// All returns every entry (count -1).
	All bool
}

// SlowLogGetWith sends SLOWLOG GET [count]. Since Redis 2.2.12.
func (c cmds) SlowLogGetWith(ctx context.Context, opts SlowLogGetOptions) *Future[[]SlowLogEntry] {
	f := newFuture(c.s, ctx, "SLOWLOG GET", ro, srvToSlowLog)
	switch {
	case opts.Count < 0:
		f.b.fail("SlowLogGetOptions.Count must not be negative")
	case opts.All && opts.Count != 0:
		f.b.fail("SlowLogGetOptions takes Count or All, not both")
	case opts.All:
		f.b.int(-1)
	case opts.Count > 0:
		f.b.int(opts.Count)
	}
	return send(c.s, f)
}

// SlowLogLen returns the number of entries in the slow log. Since Redis
// 2.2.12.
func (c cmds) SlowLogLen(ctx context.Context) *Future[int64] {
	return send(c.s, newFuture(c.s, ctx, "SLOWLOG LEN", ro, toInt64))
}

// SlowLogReset clears the slow log and returns "OK". Since Redis 2.2.12.
func (c cmds) SlowLogReset(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "SLOWLOG RESET", idem, toStatus))
}

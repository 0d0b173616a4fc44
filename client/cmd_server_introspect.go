package client

import "context"

// The commands of the server group that describe the server: COMMAND,
// LATENCY, MEMORY, MODULE and SLOWLOG. The result types are in
// reply_server_introspect.go.

// ---- COMMAND --------------------------------------------------------------

// CommandCount returns the number of commands the server knows. Since
// Redis 2.8.13.
func (c cmds) CommandCount(ctx context.Context) *Future[int64] {
	return send(c.s, newFuture(c.s, ctx, "COMMAND COUNT", ro, toInt64))
}

// CommandDocs sends COMMAND DOCS [name...]: the documentation of the
// commands named (of every command when none is), by command name.
// Since Redis 7.0.0.
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
// the keys of that command line with their access flags. Since Redis 7.0.0.
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

// CommandList returns the names of every command. Since Redis 7.0.0.
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

// CommandListWith is CommandList with a filter. Since Redis 7.0.0.
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
// is), by command name. Since Redis 7.0.0.
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
// Redis 4.0.0.
func (c cmds) MemoryDoctor(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "MEMORY DOCTOR", ro, toString))
}

// MemoryMallocStats returns the allocator's internal statistics, as text.
// Since Redis 4.0.0.
func (c cmds) MemoryMallocStats(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "MEMORY MALLOC-STATS", ro, toString))
}

// MemoryPurge asks the allocator to release dirty pages and returns "OK".
// Since Redis 4.0.0.
func (c cmds) MemoryPurge(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "MEMORY PURGE", idem, toStatus))
}

// MemoryStats returns the server's memory figures (see MemoryStats).
// Since Redis 4.0.0.
func (c cmds) MemoryStats(ctx context.Context) *Future[MemoryStats] {
	return send(c.s, newFuture(c.s, ctx, "MEMORY STATS", ro, srvToMemoryStats))
}

// MemoryUsage returns the bytes key and its value take in memory; ErrNil
// when the key does not exist. Since Redis 4.0.0.
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

// MemoryUsageWith sends MEMORY USAGE key [SAMPLES n]. Since Redis 4.0.0.
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

// ModuleList describes the loaded modules. Since Redis 4.0.0.
func (c cmds) ModuleList(ctx context.Context) *Future[[]ModuleInfo] {
	return send(c.s, newFuture(c.s, ctx, "MODULE LIST", ro, srvToModules))
}

// ModuleLoad loads the module at path (on the server's file system) with
// args and returns "OK". Since Redis 4.0.0.
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
// arg...] and returns "OK". Since Redis 7.0.0.
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
// Redis 4.0.0.
func (c cmds) ModuleUnload(ctx context.Context, name string) *Future[string] {
	f := newFuture(c.s, ctx, "MODULE UNLOAD", 0, toStatus)
	f.b.str(name)
	return send(c.s, f)
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

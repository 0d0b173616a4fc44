package client

import (
	"context"
	"errors"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// Commands of the server group: persistence (SAVE, BGSAVE, ...), CONFIG
// (each subcommand joined to its container: ConfigGet, ...), databases,
// INFO, replication (REPLICAOF, ROLE, FAILOVER) and SHUTDOWN. ACL is in
// cmd_server_acl.go; COMMAND, LATENCY, MEMORY, MODULE and SLOWLOG, which
// describe the server, are in cmd_server_introspect.go. The result types
// are in the matching reply_server*.go files. MONITOR, which needs a
// connection of its own, is Client.Monitor, in monitor.go.
//
// Commands that change the whole server (FLUSHALL, CONFIG SET, SHUTDOWN,
// REPLICAOF, ...) act on the server behind the client, whichever pooled
// connection carries them.

// ---- persistence ----------------------------------------------------------

// BGRewriteAOF starts an append-only file rewrite in the background and
// returns the server's status text. Since Redis 1.0.0.
func (c cmds) BGRewriteAOF(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "BGREWRITEAOF", 0, toStatus))
}

// BGSave starts a background save of the dataset and returns the server's
// status text ("Background saving started"). Since Redis 1.0.0.
func (c cmds) BGSave(ctx context.Context) *Future[string] {
	return c.BGSaveWith(ctx, BGSaveOptions{})
}

// BGSaveOptions are the optional argument of BGSAVE.
type BGSaveOptions struct {
	// Schedule schedules the save for when a running AOF rewrite ends
	// instead of failing (SCHEDULE).
	Schedule bool
}

// BGSaveWith sends BGSAVE [SCHEDULE]. SCHEDULE needs Redis 3.2.2. Since
// Redis 1.0.0.
func (c cmds) BGSaveWith(ctx context.Context, opts BGSaveOptions) *Future[string] {
	f := newFuture(c.s, ctx, "BGSAVE", 0, toStatus)
	f.b.strIf(opts.Schedule, "SCHEDULE")
	return send(c.s, f)
}

// Save saves the dataset to disk synchronously and returns "OK". Since
// Redis 1.0.0.
func (c cmds) Save(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "SAVE", 0, toStatus))
}

// LastSave returns the time of the last successful save to disk. Since
// Redis 1.0.0.
func (c cmds) LastSave(ctx context.Context) *Future[time.Time] {
	return send(c.s, newFuture(c.s, ctx, "LASTSAVE", ro, srvToUnixTime))
}

// ---- CONFIG ---------------------------------------------------------------

// ConfigGet returns the configuration parameters matching any of the glob
// patterns, by name. Several patterns need Redis 7.0. Since Redis 2.0.0.
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
// "OK". Since Redis 2.0.0.
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
// Since Redis 2.0.0.
func (c cmds) ConfigResetStat(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "CONFIG RESETSTAT", idem, toStatus))
}

// ConfigRewrite rewrites the server's configuration file with the running
// configuration and returns "OK". Since Redis 2.8.0.
func (c cmds) ConfigRewrite(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "CONFIG REWRITE", idem, toStatus))
}

// ---- databases ------------------------------------------------------------

// DBSize returns the number of keys in the selected database. Since Redis
// 1.0.0.
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

var flushModeTokens = tokens[FlushMode]{typ: "FlushMode", zero: "default", list: []string{
	FlushDefault: "", FlushAsync: "ASYNC", FlushSync: "SYNC",
}}

// String returns "ASYNC", "SYNC" or "default".
func (m FlushMode) String() string { return flushModeTokens.name(m) }

// FlushOptions are the optional argument of FLUSHALL and FLUSHDB.
type FlushOptions struct {
	Mode FlushMode
}

// FlushAll deletes every key of every database and returns "OK". Since
// Redis 1.0.0.
func (c cmds) FlushAll(ctx context.Context) *Future[string] {
	return c.FlushAllWith(ctx, FlushOptions{})
}

// FlushAllWith sends FLUSHALL [ASYNC|SYNC]. ASYNC needs Redis 4.0.0, SYNC
// Redis 6.2.0. Since Redis 1.0.0.
func (c cmds) FlushAllWith(ctx context.Context, opts FlushOptions) *Future[string] {
	f := newFuture(c.s, ctx, "FLUSHALL", idem, toStatus)
	f.b.token(flushModeTokens.of(opts.Mode))
	return send(c.s, f)
}

// FlushDB deletes every key of the selected database and returns "OK".
// Since Redis 1.0.0.
func (c cmds) FlushDB(ctx context.Context) *Future[string] {
	return c.FlushDBWith(ctx, FlushOptions{})
}

// FlushDBWith sends FLUSHDB [ASYNC|SYNC]. ASYNC needs Redis 4.0.0, SYNC
// Redis 6.2.0. Since Redis 1.0.0.
func (c cmds) FlushDBWith(ctx context.Context, opts FlushOptions) *Future[string] {
	f := newFuture(c.s, ctx, "FLUSHDB", idem, toStatus)
	f.b.token(flushModeTokens.of(opts.Mode))
	return send(c.s, f)
}

// SwapDB swaps databases i and j and returns "OK". Since Redis 4.0.0.
func (c cmds) SwapDB(ctx context.Context, i, j int) *Future[string] {
	f := newFuture(c.s, ctx, "SWAPDB", 0, toStatus)
	f.b.int(int64(i)).int(int64(j))
	return send(c.s, f)
}

// ---- INFO, TIME, LOLWUT ---------------------------------------------------

// Info sends INFO [section...] ("server", "memory", "all", "everything",
// ...; several need Redis 7.0) and returns the report parsed by section.
// Since Redis 1.0.0.
func (c cmds) Info(ctx context.Context, sections ...string) *Future[ServerInfo] {
	f := newFuture(c.s, ctx, "INFO", ro, srvToInfo)
	for _, s := range sections {
		f.b.str(s)
	}
	return send(c.s, f)
}

// Time returns the server's clock, to the microsecond. Since Redis 2.6.0.
func (c cmds) Time(ctx context.Context) *Future[time.Time] {
	return send(c.s, newFuture(c.s, ctx, "TIME", ro, srvToTime))
}

// LolWut returns the server's version drawn as art. Since Redis 5.0.0.
func (c cmds) LolWut(ctx context.Context) *Future[string] {
	return c.LolWutWith(ctx, LolWutOptions{})
}

// LolWutOptions are the optional argument of LOLWUT.
type LolWutOptions struct {
	// Version draws the art of that Redis version (VERSION); 0 leaves the
	// server's own.
	Version int
}

// LolWutWith sends LOLWUT [VERSION v]. Since Redis 5.0.0.
func (c cmds) LolWutWith(ctx context.Context, opts LolWutOptions) *Future[string] {
	f := newFuture(c.s, ctx, "LOLWUT", ro, toString)
	if opts.Version != 0 {
		f.b.str("VERSION").int(int64(opts.Version))
	}
	return send(c.s, f)
}

// ---- replication ----------------------------------------------------------

// ReplicaOf makes the server a replica of the master at host:port and
// returns the server's status text. Since Redis 5.0.0.
func (c cmds) ReplicaOf(ctx context.Context, host string, port int) *Future[string] {
	f := newFuture(c.s, ctx, "REPLICAOF", 0, toStatus)
	f.b.str(host).int(int64(port))
	return send(c.s, f)
}

// ReplicaOfNoOne sends REPLICAOF NO ONE: the server stops replicating and
// becomes a master. Since Redis 5.0.0.
func (c cmds) ReplicaOfNoOne(ctx context.Context) *Future[string] {
	f := newFuture(c.s, ctx, "REPLICAOF", idem, toStatus)
	f.b.str("NO").str("ONE")
	return send(c.s, f)
}

// SlaveOf is ReplicaOf under its older name. Since Redis 1.0.0.
func (c cmds) SlaveOf(ctx context.Context, host string, port int) *Future[string] {
	f := newFuture(c.s, ctx, "SLAVEOF", 0, toStatus)
	f.b.str(host).int(int64(port))
	return send(c.s, f)
}

// SlaveOfNoOne is ReplicaOfNoOne under its older name. Since Redis 1.0.0.
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
// Redis 6.2.0.
func (c cmds) Failover(ctx context.Context) *Future[string] {
	return c.FailoverWith(ctx, FailoverCommandOptions{})
}

// FailoverCommandOptions are the optional arguments of the FAILOVER
// command. A client that follows a Sentinel-managed primary is another
// thing: see NewFailover and SentinelOptions.
type FailoverCommandOptions struct {
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
// Since Redis 6.2.0.
func (c cmds) FailoverWith(ctx context.Context, opts FailoverCommandOptions) *Future[string] {
	f := newFuture(c.s, ctx, "FAILOVER", 0, toStatus)
	switch {
	case opts.Abort && (opts.ToHost != "" || opts.Force || opts.Timeout != 0):
		f.b.fail("FailoverCommandOptions.Abort takes no other option")
	case opts.Force && (opts.ToHost == "" || opts.Timeout <= 0):
		f.b.fail("FailoverCommandOptions.Force needs ToHost and Timeout")
	case opts.Timeout < 0:
		f.b.fail("FailoverCommandOptions.Timeout must not be negative")
	case opts.Timeout > 0 && opts.Timeout < time.Millisecond:
		f.b.fail("FailoverCommandOptions.Timeout counts in milliseconds")
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
// and that closed connection is the success. Since Redis 1.0.0.
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

var shutdownSaveTokens = tokens[ShutdownSave]{typ: "ShutdownSave", zero: "default", list: []string{
	ShutdownDefault: "", ShutdownNoSave: "NOSAVE", ShutdownSaveFirst: "SAVE",
}}

// String returns "NOSAVE", "SAVE" or "default".
func (s ShutdownSave) String() string { return shutdownSaveTokens.name(s) }

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
// ("OK"). Since Redis 1.0.0.
func (c cmds) ShutdownWith(ctx context.Context, opts ShutdownOptions) *Future[string] {
	inner := makeFuture(c.s, ctx, "SHUTDOWN", 0, toStatus, false) // its completion is hooked: never in a run
	if opts.Abort && (opts.Save != ShutdownDefault || opts.Now || opts.Force) {
		inner.b.fail("ShutdownOptions.Abort takes no other option")
	}
	inner.b.token(shutdownSaveTokens.of(opts.Save))
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

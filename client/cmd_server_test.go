package client

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

func TestServerEncoding(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"ACLCat", func(c cmds) error { return c.ACLCat(ctx).Err() }, "ACL CAT", ro},
		{"ACLCatWith", func(c cmds) error { return c.ACLCatWith(ctx, ACLCatOptions{Category: "read"}).Err() }, "ACL CAT read", ro},
		{"ACLDelUser", func(c cmds) error { return c.ACLDelUser(ctx, "a", "b").Err() }, "ACL DELUSER a b", idem},
		{"ACLDryRun", func(c cmds) error { return c.ACLDryRun(ctx, "u", "set", "k", 1).Err() }, "ACL DRYRUN u set k 1", ro},
		{"ACLGenPass", func(c cmds) error { return c.ACLGenPass(ctx).Err() }, "ACL GENPASS", ro},
		{"ACLGenPassWith", func(c cmds) error { return c.ACLGenPassWith(ctx, ACLGenPassOptions{Bits: 32}).Err() }, "ACL GENPASS 32", ro},
		{"ACLGetUser", func(c cmds) error { return c.ACLGetUser(ctx, "u").Err() }, "ACL GETUSER u", ro},
		{"ACLList", func(c cmds) error { return c.ACLList(ctx).Err() }, "ACL LIST", ro},
		{"ACLLoad", func(c cmds) error { return c.ACLLoad(ctx).Err() }, "ACL LOAD", idem},
		{"ACLLog", func(c cmds) error { return c.ACLLog(ctx, 0).Err() }, "ACL LOG", ro},
		{"ACLLog count", func(c cmds) error { return c.ACLLog(ctx, 5).Err() }, "ACL LOG 5", ro},
		{"ACLLogReset", func(c cmds) error { return c.ACLLogReset(ctx).Err() }, "ACL LOG RESET", idem},
		{"ACLSave", func(c cmds) error { return c.ACLSave(ctx).Err() }, "ACL SAVE", idem},
		{"ACLSetUser", func(c cmds) error { return c.ACLSetUser(ctx, "u", "on", ">pw").Err() }, "ACL SETUSER u on >pw", 0},
		{"ACLUsers", func(c cmds) error { return c.ACLUsers(ctx).Err() }, "ACL USERS", ro},
		{"ACLWhoAmI", func(c cmds) error { return c.ACLWhoAmI(ctx).Err() }, "ACL WHOAMI", ro},
		{"BGRewriteAOF", func(c cmds) error { return c.BGRewriteAOF(ctx).Err() }, "BGREWRITEAOF", 0},
		{"BGSave", func(c cmds) error { return c.BGSave(ctx).Err() }, "BGSAVE", 0},
		{"BGSaveWith", func(c cmds) error { return c.BGSaveWith(ctx, BGSaveOptions{Schedule: true}).Err() }, "BGSAVE SCHEDULE", 0},
		{"CommandCount", func(c cmds) error { return c.CommandCount(ctx).Err() }, "COMMAND COUNT", ro},
		{"CommandDocs", func(c cmds) error { return c.CommandDocs(ctx, "get").Err() }, "COMMAND DOCS get", ro},
		{"CommandGetKeys", func(c cmds) error { return c.CommandGetKeys(ctx, "set", "k", 1).Err() }, "COMMAND GETKEYS set k 1", ro},
		{"CommandGetKeysAndFlags", func(c cmds) error { return c.CommandGetKeysAndFlags(ctx, "get", "k").Err() },
			"COMMAND GETKEYSANDFLAGS get k", ro},
		{"CommandInfo", func(c cmds) error { return c.CommandInfo(ctx, "get", "set").Err() }, "COMMAND INFO get set", ro},
		{"CommandList", func(c cmds) error { return c.CommandList(ctx).Err() }, "COMMAND LIST", ro},
		{"CommandListWith", func(c cmds) error {
			return c.CommandListWith(ctx, CommandListOptions{ACLCategory: "read"}).Err()
		}, "COMMAND LIST FILTERBY ACLCAT read", ro},
		{"ConfigGet", func(c cmds) error { return c.ConfigGet(ctx, "a*", "b").Err() }, "CONFIG GET a* b", ro},
		{"ConfigSet", func(c cmds) error { return c.ConfigSet(ctx, "a", "1", "b", "2").Err() }, "CONFIG SET a 1 b 2", idem},
		{"ConfigResetStat", func(c cmds) error { return c.ConfigResetStat(ctx).Err() }, "CONFIG RESETSTAT", idem},
		{"ConfigRewrite", func(c cmds) error { return c.ConfigRewrite(ctx).Err() }, "CONFIG REWRITE", idem},
		{"DBSize", func(c cmds) error { return c.DBSize(ctx).Err() }, "DBSIZE", ro},
		{"Failover", func(c cmds) error { return c.Failover(ctx).Err() }, "FAILOVER", 0},
		{"FailoverWith", func(c cmds) error {
			return c.FailoverWith(ctx, FailoverCommandOptions{ToHost: "h", ToPort: 7, Force: true, Timeout: 1500 * time.Millisecond}).Err()
		}, "FAILOVER TO h 7 FORCE TIMEOUT 1500", 0},
		{"FailoverWith abort", func(c cmds) error { return c.FailoverWith(ctx, FailoverCommandOptions{Abort: true}).Err() }, "FAILOVER ABORT", 0},
		{"FlushAll", func(c cmds) error { return c.FlushAll(ctx).Err() }, "FLUSHALL", idem},
		{"FlushAllWith", func(c cmds) error { return c.FlushAllWith(ctx, FlushOptions{Mode: FlushAsync}).Err() }, "FLUSHALL ASYNC", idem},
		{"FlushDB", func(c cmds) error { return c.FlushDB(ctx).Err() }, "FLUSHDB", idem},
		{"FlushDBWith", func(c cmds) error { return c.FlushDBWith(ctx, FlushOptions{Mode: FlushSync}).Err() }, "FLUSHDB SYNC", idem},
		{"Info", func(c cmds) error { return c.Info(ctx, "server", "memory").Err() }, "INFO server memory", ro},
		{"LastSave", func(c cmds) error { return c.LastSave(ctx).Err() }, "LASTSAVE", ro},
		{"LatencyDoctor", func(c cmds) error { return c.LatencyDoctor(ctx).Err() }, "LATENCY DOCTOR", ro},
		{"LatencyGraph", func(c cmds) error { return c.LatencyGraph(ctx, "command").Err() }, "LATENCY GRAPH command", ro},
		{"LatencyHistogram", func(c cmds) error { return c.LatencyHistogram(ctx, "set").Err() }, "LATENCY HISTOGRAM set", ro},
		{"LatencyHistory", func(c cmds) error { return c.LatencyHistory(ctx, "command").Err() }, "LATENCY HISTORY command", ro},
		{"LatencyLatest", func(c cmds) error { return c.LatencyLatest(ctx).Err() }, "LATENCY LATEST", ro},
		{"LatencyReset", func(c cmds) error { return c.LatencyReset(ctx, "a", "b").Err() }, "LATENCY RESET a b", idem},
		{"LolWut", func(c cmds) error { return c.LolWut(ctx).Err() }, "LOLWUT", ro},
		{"LolWutWith", func(c cmds) error { return c.LolWutWith(ctx, LolWutOptions{Version: 6}).Err() }, "LOLWUT VERSION 6", ro},
		{"MemoryDoctor", func(c cmds) error { return c.MemoryDoctor(ctx).Err() }, "MEMORY DOCTOR", ro},
		{"MemoryMallocStats", func(c cmds) error { return c.MemoryMallocStats(ctx).Err() }, "MEMORY MALLOC-STATS", ro},
		{"MemoryPurge", func(c cmds) error { return c.MemoryPurge(ctx).Err() }, "MEMORY PURGE", idem},
		{"MemoryStats", func(c cmds) error { return c.MemoryStats(ctx).Err() }, "MEMORY STATS", ro},
		{"MemoryUsage", func(c cmds) error { return c.MemoryUsage(ctx, "k").Err() }, "MEMORY USAGE k", ro},
		{"MemoryUsageWith", func(c cmds) error {
			return c.MemoryUsageWith(ctx, "k", MemoryUsageOptions{Samples: 3}).Err()
		}, "MEMORY USAGE k SAMPLES 3", ro},
		{"MemoryUsageWith all", func(c cmds) error {
			return c.MemoryUsageWith(ctx, "k", MemoryUsageOptions{AllSamples: true}).Err()
		}, "MEMORY USAGE k SAMPLES 0", ro},
		{"ModuleList", func(c cmds) error { return c.ModuleList(ctx).Err() }, "MODULE LIST", ro},
		{"ModuleLoad", func(c cmds) error { return c.ModuleLoad(ctx, "/m.so", "x").Err() }, "MODULE LOAD /m.so x", 0},
		{"ModuleLoadEx", func(c cmds) error {
			return c.ModuleLoadEx(ctx, "/m.so", ModuleLoadExOptions{Configs: [][2]string{{"a", "1"}}, Args: []string{"x", "y"}}).Err()
		}, "MODULE LOADEX /m.so CONFIG a 1 ARGS x y", 0},
		{"ModuleUnload", func(c cmds) error { return c.ModuleUnload(ctx, "m").Err() }, "MODULE UNLOAD m", 0},
		{"ReplicaOf", func(c cmds) error { return c.ReplicaOf(ctx, "h", 6379).Err() }, "REPLICAOF h 6379", 0},
		{"ReplicaOfNoOne", func(c cmds) error { return c.ReplicaOfNoOne(ctx).Err() }, "REPLICAOF NO ONE", idem},
		{"SlaveOf", func(c cmds) error { return c.SlaveOf(ctx, "h", 6379).Err() }, "SLAVEOF h 6379", 0},
		{"SlaveOfNoOne", func(c cmds) error { return c.SlaveOfNoOne(ctx).Err() }, "SLAVEOF NO ONE", idem},
		{"Role", func(c cmds) error { return c.Role(ctx).Err() }, "ROLE", ro},
		{"Save", func(c cmds) error { return c.Save(ctx).Err() }, "SAVE", 0},
		{"Shutdown", func(c cmds) error { return c.Shutdown(ctx).Err() }, "SHUTDOWN", 0},
		{"ShutdownWith", func(c cmds) error {
			return c.ShutdownWith(ctx, ShutdownOptions{Save: ShutdownNoSave, Now: true, Force: true}).Err()
		}, "SHUTDOWN NOSAVE NOW FORCE", 0},
		{"ShutdownWith abort", func(c cmds) error { return c.ShutdownWith(ctx, ShutdownOptions{Abort: true}).Err() }, "SHUTDOWN ABORT", 0},
		{"SlowLogGet", func(c cmds) error { return c.SlowLogGet(ctx).Err() }, "SLOWLOG GET", ro},
		{"SlowLogGetWith", func(c cmds) error { return c.SlowLogGetWith(ctx, SlowLogGetOptions{Count: 3}).Err() }, "SLOWLOG GET 3", ro},
		{"SlowLogGetWith all", func(c cmds) error { return c.SlowLogGetWith(ctx, SlowLogGetOptions{All: true}).Err() }, "SLOWLOG GET -1", ro},
		{"SlowLogLen", func(c cmds) error { return c.SlowLogLen(ctx).Err() }, "SLOWLOG LEN", ro},
		{"SlowLogReset", func(c cmds) error { return c.SlowLogReset(ctx).Err() }, "SLOWLOG RESET", idem},
		{"SwapDB", func(c cmds) error { return c.SwapDB(ctx, 0, 1).Err() }, "SWAPDB 0 1", 0},
		{"Time", func(c cmds) error { return c.Time(ctx).Err() }, "TIME", ro},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindSimpleString, Str: "OK"} })
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
		})
	}
}

func TestServerInvalidArguments(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c cmds) error
	}{
		{"ACLDelUser none", func(c cmds) error { return c.ACLDelUser(ctx).Err() }},
		{"ACLGenPass negative", func(c cmds) error { return c.ACLGenPassWith(ctx, ACLGenPassOptions{Bits: -1}).Err() }},
		{"ACLLog negative", func(c cmds) error { return c.ACLLog(ctx, -1).Err() }},
		{"CommandList two filters", func(c cmds) error {
			return c.CommandListWith(ctx, CommandListOptions{Module: "m", Pattern: "p"}).Err()
		}},
		{"ConfigGet none", func(c cmds) error { return c.ConfigGet(ctx).Err() }},
		{"ConfigSet odd", func(c cmds) error { return c.ConfigSet(ctx, "a", "1", "b").Err() }},
		{"FailoverWith abort and target", func(c cmds) error {
			return c.FailoverWith(ctx, FailoverCommandOptions{Abort: true, ToHost: "h", ToPort: 1}).Err()
		}},
		{"FailoverWith force alone", func(c cmds) error { return c.FailoverWith(ctx, FailoverCommandOptions{Force: true}).Err() }},
		{"FailoverWith sub-millisecond", func(c cmds) error {
			return c.FailoverWith(ctx, FailoverCommandOptions{Timeout: time.Microsecond}).Err()
		}},
		{"FlushAllWith unknown mode", func(c cmds) error { return c.FlushAllWith(ctx, FlushOptions{Mode: FlushMode(9)}).Err() }},
		{"MemoryUsageWith both", func(c cmds) error {
			return c.MemoryUsageWith(ctx, "k", MemoryUsageOptions{Samples: 2, AllSamples: true}).Err()
		}},
		{"ShutdownWith abort and save", func(c cmds) error {
			return c.ShutdownWith(ctx, ShutdownOptions{Abort: true, Save: ShutdownSaveFirst}).Err()
		}},
		{"ShutdownWith unknown save", func(c cmds) error { return c.ShutdownWith(ctx, ShutdownOptions{Save: 7}).Err() }},
		{"SlowLogGetWith both", func(c cmds) error { return c.SlowLogGetWith(ctx, SlowLogGetOptions{Count: 1, All: true}).Err() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := replying(t, "+OK")
			err := tt.call(c)
			assert.ErrorIs(t, err, ErrInvalidArg)
			assert.Empty(t, s.sent, "nothing sent")
		})
	}
}

func TestServerEnumStrings(t *testing.T) {
	assert.Equal(t, "default", FlushDefault.String())
	assert.Equal(t, "ASYNC", FlushAsync.String())
	assert.Equal(t, "FlushMode(9)", FlushMode(9).String())
	assert.Equal(t, "NOSAVE", ShutdownNoSave.String())
	assert.Equal(t, "replica", RoleReplica.String())
	assert.Equal(t, "unknown", RoleKind(9).String())
}

// srvFailSender fails every command with err, as a lost connection does.
type srvFailSender struct{ err error }

func (s srvFailSender) send(_ context.Context, cmd *messages.Command, _ route) { cmd.Fail(s.err) }
func (s srvFailSender) closedChan() <-chan struct{}                            { return nil }

func TestServerShutdownClosedConnectionIsSuccess(t *testing.T) {
	ctx := context.Background()
	sent := cmds{s: srvFailSender{&ConnError{Command: "SHUTDOWN", Sent: true, Err: ErrConnClosed}}}
	got, err := sent.Shutdown(ctx).Result()
	require.NoError(t, err)
	assert.Equal(t, "OK", got)

	// Not written: a failure.
	unsent := cmds{s: srvFailSender{&ConnError{Command: "SHUTDOWN", Sent: false, Err: ErrConnClosed}}}
	assert.ErrorIs(t, unsent.Shutdown(ctx).Err(), ErrConnClosed)
	// ABORT expects a reply: a lost connection is a failure.
	assert.ErrorIs(t, sent.ShutdownWith(ctx, ShutdownOptions{Abort: true}).Err(), ErrConnClosed)
	// A server error stays an error.
	_, c := replying(t, "-ERR Errors trying to SHUTDOWN. Check logs.")
	var re *Error
	assert.ErrorAs(t, c.Shutdown(ctx).Err(), &re)
}

func TestServerParseMonitor(t *testing.T) {
	ev := srvParseMonitor(`1700000000.000123 [2 127.0.0.1:5000] "set" "k" "a \"q\"\n\x01\\"`)
	assert.Equal(t, time.Unix(1700000000, 123000), ev.Time)
	assert.Equal(t, 2, ev.DB)
	assert.Equal(t, "127.0.0.1:5000", ev.Addr)
	assert.Equal(t, []string{"set", "k", "a \"q\"\n\x01\\"}, ev.Args)
	ev = srvParseMonitor(`1700000000.5 [0 lua] "get" ""`)
	assert.Equal(t, "lua", ev.Addr)
	assert.Equal(t, []string{"get", ""}, ev.Args)
	for _, bad := range []string{"OK", `x [0 a] "b"`, `1.1 [x a] "b"`, `1.1 [0 a] "unterminated`, `1.1 [0 a] "\x4"`, `1.1 [0 a] bare`} {
		assert.Equal(t, MonitorEvent{Raw: bad}, srvParseMonitor(bad), bad)
	}
}

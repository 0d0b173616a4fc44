//go:build integration

package integration

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

// serverError asserts that err is a server error reply whose message
// contains part.
func serverError(t *testing.T, err error, part string) {
	t.Helper()
	var re *client.Error
	require.True(t, errors.As(err, &re), "want a server error, got %v", err)
	assert.Contains(t, re.Error(), part)
}

func TestServerACL(t *testing.T) {
	dir := t.TempDir()
	aclFile := filepath.Join(dir, "users.acl")
	require.NoError(t, os.WriteFile(aclFile, []byte("user default on nopass ~* &* +@all\n"), 0o600))
	srv := redistest.Start(t, redistest.WithArgs("--aclfile", aclFile))
	eachProtocol(t, client.Options{Addr: srv.Addr()}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		valueOf(t, c.ACLDelUser(ctx, "alice", "bob"))
		valueOf(t, c.ACLLogReset(ctx))

		cats := valueOf(t, c.ACLCat(ctx))
		assert.Contains(t, cats, "keyspace")
		assert.Contains(t, valueOf(t, c.ACLCatWith(ctx, client.ACLCatOptions{Category: "string"})), "get")

		assert.Equal(t, "OK", valueOf(t, c.ACLSetUser(ctx, "alice", "on", ">s3cret", "~app:*", "&news", "+get", "+set")))
		u := valueOf(t, c.ACLGetUser(ctx, "alice"))
		assert.Contains(t, u.Flags, "on")
		require.Len(t, u.Passwords, 1)
		assert.Len(t, u.Passwords[0], 64)
		assert.ElementsMatch(t, []string{"-@all", "+get", "+set"}, strings.Fields(u.Commands), "the server's order varies")
		assert.Equal(t, "~app:*", u.Keys)
		assert.Equal(t, "&news", u.Channels)
		assert.Empty(t, u.Selectors)
		assert.Equal(t, "OK", valueOf(t, c.ACLSetUser(ctx, "alice", "(~other:* +hget)")))
		u = valueOf(t, c.ACLGetUser(ctx, "alice"))
		require.Len(t, u.Selectors, 1)
		assert.Equal(t, client.ACLSelector{Commands: "-@all +hget", Keys: "~other:*", Channels: ""}, u.Selectors[0])
		assert.ErrorIs(t, c.ACLGetUser(ctx, "nobody").Err(), client.ErrNil)

		assert.Equal(t, []string{"alice", "default"}, valueOf(t, c.ACLUsers(ctx)))
		list := valueOf(t, c.ACLList(ctx))
		require.Len(t, list, 2)
		assert.True(t, strings.HasPrefix(list[0], "user alice on "), list[0])
		assert.Equal(t, "default", valueOf(t, c.ACLWhoAmI(ctx)))

		assert.Equal(t, client.ACLDryRunResult{Allowed: true}, valueOf(t, c.ACLDryRun(ctx, "alice", "get", "app:1")))
		denied := valueOf(t, c.ACLDryRun(ctx, "alice", "del", "app:1"))
		assert.False(t, denied.Allowed)
		assert.Contains(t, denied.Reason, "del")

		pw := valueOf(t, c.ACLGenPass(ctx))
		assert.Len(t, pw, 64)
		assert.Len(t, valueOf(t, c.ACLGenPassWith(ctx, client.ACLGenPassOptions{Bits: 32})), 8)

		// A failed AUTH lands in the log.
		assert.Error(t, c.Do(ctx, "AUTH", "alice", "wrong").Err())
		log := valueOf(t, c.ACLLog(ctx, 0))
		require.Len(t, log, 1)
		assert.Equal(t, int64(1), log[0].Count)
		assert.Equal(t, "auth", log[0].Reason)
		assert.Equal(t, "toplevel", log[0].Context)
		assert.Equal(t, "AUTH", log[0].Object)
		assert.Equal(t, "alice", log[0].Username)
		assert.Less(t, log[0].Age, time.Minute)
		assert.NotZero(t, log[0].ClientInfo.ID)
		assert.Len(t, valueOf(t, c.ACLLog(ctx, 1)), 1)
		assert.Equal(t, "OK", valueOf(t, c.ACLLogReset(ctx)))
		assert.Empty(t, valueOf(t, c.ACLLog(ctx, 0)))

		assert.Equal(t, "OK", valueOf(t, c.ACLSave(ctx)))
		saved, err := os.ReadFile(aclFile)
		require.NoError(t, err)
		assert.Contains(t, string(saved), "user alice")
		assert.Equal(t, int64(1), valueOf(t, c.ACLDelUser(ctx, "alice", "bob")))
		assert.Equal(t, "OK", valueOf(t, c.ACLLoad(ctx)))
		assert.Equal(t, []string{"alice", "default"}, valueOf(t, c.ACLUsers(ctx)), "loaded back from the file")
		assert.Equal(t, int64(1), valueOf(t, c.ACLDelUser(ctx, "alice")))
		assert.Equal(t, "OK", valueOf(t, c.ACLSave(ctx)))
	})
}

func TestServerCommand(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		n := valueOf(t, c.CommandCount(ctx))
		assert.Greater(t, n, int64(200))
		names := valueOf(t, c.CommandList(ctx))
		assert.Greater(t, len(names), int(n), "with the subcommands")
		assert.Contains(t, names, "get")
		assert.Contains(t, names, "config|get")
		xs := valueOf(t, c.CommandListWith(ctx, client.CommandListOptions{Pattern: "xa*"}))
		slices.Sort(xs)
		assert.Equal(t, []string{"xack", "xadd", "xautoclaim"}, xs)
		assert.Contains(t, valueOf(t, c.CommandListWith(ctx, client.CommandListOptions{ACLCategory: "hyperloglog"})), "pfadd")
		assert.Empty(t, valueOf(t, c.CommandListWith(ctx, client.CommandListOptions{Module: "nosuchmodule"})))

		docs := valueOf(t, c.CommandDocs(ctx, "getrange", "memory"))
		require.Contains(t, docs, "getrange")
		gr := docs["getrange"]
		assert.Equal(t, "2.4.0", gr.Since)
		assert.Equal(t, "string", gr.Group)
		require.Len(t, gr.Arguments, 3)
		// Servers from Redis 7.2 (and Valkey) also name each argument
		// for display; 7.0 does not.
		for i, want := range []client.CommandDocArg{
			{Name: "key", Type: "key", KeySpecIndex: 0},
			{Name: "start", Type: "integer", KeySpecIndex: -1},
		} {
			got := gr.Arguments[i]
			assert.Contains(t, []string{"", want.Name}, got.DisplayText, "display text of %s", want.Name)
			got.DisplayText = ""
			assert.Equal(t, want, got)
		}
		assert.Contains(t, docs["memory"].Subcommands, "memory|usage")
		usage := docs["memory"].Subcommands["memory|usage"]
		assert.NotEmpty(t, usage.Summary)
		require.Len(t, usage.Arguments, 2)
		assert.Equal(t, "SAMPLES", usage.Arguments[1].Token)
		assert.Equal(t, []string{"optional"}, usage.Arguments[1].Flags)
		set := valueOf(t, c.CommandDocs(ctx, "set"))["set"]
		assert.Equal(t, "O(1)", set.Complexity)
		require.NotEmpty(t, set.History)
		assert.Equal(t, "2.6.12", set.History[0].Version)
		assert.Len(t, valueOf(t, c.CommandDocs(ctx)), int(n))

		assert.Equal(t, []string{"a", "c"}, valueOf(t, c.CommandGetKeys(ctx, "mset", "a", 1, "c", 2)))
		kf := valueOf(t, c.CommandGetKeysAndFlags(ctx, "lmove", "src", "dst", "LEFT", "RIGHT"))
		require.Len(t, kf, 2)
		assert.Equal(t, "src", kf[0].Key)
		assert.Contains(t, kf[0].Flags, "RW")
		assert.Equal(t, "dst", kf[1].Key)
		assert.Contains(t, kf[1].Flags, "insert")

		assert.Equal(t, []client.CommandInfo{{}}, valueOf(t, c.CommandInfo(ctx, "nosuchcommand")))
		infos := valueOf(t, c.CommandInfo(ctx, "get", "nosuchcommand", "config"))
		require.Len(t, infos, 3)
		get := infos[0]
		assert.Equal(t, "get", get.Name)
		assert.Equal(t, int64(2), get.Arity)
		assert.Contains(t, get.Flags, "readonly")
		assert.Equal(t, [3]int64{1, 1, 1}, [3]int64{get.FirstKey, get.LastKey, get.Step})
		assert.Contains(t, get.ACLCategories, "@string")
		assert.Equal(t, client.CommandInfo{}, infos[1])
		config := infos[2]
		assert.Equal(t, "config", config.Name)
		var subs []string
		for _, s := range config.Subcommands {
			subs = append(subs, s.Name)
		}
		assert.Contains(t, subs, "config|get")
		assert.Len(t, valueOf(t, c.CommandInfo(ctx)), int(n))
	})
}

func TestServerConfig(t *testing.T) {
	srv := redistest.Start(t)
	eachProtocol(t, client.Options{Addr: srv.Addr()}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		got := valueOf(t, c.ConfigGet(ctx, "port", "maxmemory-*"))
		assert.Equal(t, strconv.Itoa(srv.Port()), got["port"])
		assert.Contains(t, got, "maxmemory-policy")
		assert.Contains(t, got, "maxmemory-samples")
		assert.Equal(t, "OK", valueOf(t, c.ConfigSet(ctx, "maxmemory-policy", "allkeys-lru", "slowlog-max-len", "77")))
		assert.Equal(t, map[string]string{"maxmemory-policy": "allkeys-lru", "slowlog-max-len": "77"},
			valueOf(t, c.ConfigGet(ctx, "maxmemory-policy", "slowlog-max-len")))
		serverError(t, c.ConfigSet(ctx, "no-such-parameter", "1").Err(), "no-such-parameter")
		assert.ErrorIs(t, c.ConfigSet(ctx, "odd").Err(), client.ErrInvalidArg)

		valueOf(t, c.Ping(ctx))
		assert.Equal(t, "OK", valueOf(t, c.ConfigResetStat(ctx)))
		info := valueOf(t, c.Info(ctx, "stats"))
		calls, _ := info.Get("total_commands_processed")
		assert.LessOrEqual(t, len(calls), 2, "reset: %s", calls)
		// The harness starts the server without a configuration file.
		serverError(t, c.ConfigRewrite(ctx).Err(), "config file")
	})
}

func TestServerPersistence(t *testing.T) {
	srv := redistest.Start(t)
	eachProtocol(t, client.Options{Addr: srv.Addr()}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		before := time.Now().Add(-2 * time.Second)
		assert.Equal(t, "OK", valueOf(t, c.Save(ctx)))
		last := valueOf(t, c.LastSave(ctx))
		assert.True(t, last.After(before) && last.Before(time.Now().Add(2*time.Second)), "%v", last)
		assert.FileExists(t, filepath.Join(srv.Dir(), "dump.rdb"))

		waitIdle := func() {
			require.Eventually(t, func() bool {
				info := valueOf(t, c.Info(ctx, "persistence"))
				a, _ := info.Get("rdb_bgsave_in_progress")
				b, _ := info.Get("aof_rewrite_in_progress")
				s, _ := info.Get("aof_rewrite_scheduled")
				return a == "0" && b == "0" && s == "0"
			}, 10*time.Second, 20*time.Millisecond)
		}
		waitIdle()
		assert.Equal(t, "Background saving started", valueOf(t, c.BGSave(ctx)))
		waitIdle()
		assert.Contains(t, valueOf(t, c.BGRewriteAOF(ctx)), "Background append only file rewriting")
		st := valueOf(t, c.BGSaveWith(ctx, client.BGSaveOptions{Schedule: true}))
		assert.Contains(t, []string{"Background saving started", "Background saving scheduled"}, st)
		waitIdle()
	})
}

func TestServerDatabases(t *testing.T) {
	srv := redistest.Start(t)
	eachProtocol(t, client.Options{Addr: srv.Addr()}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		db1 := openClient(t, client.Options{Addr: srv.Addr(), DB: 1, Protocol: c.Options().Protocol})
		valueOf(t, c.FlushAll(ctx))
		valueOf(t, c.MSet(ctx, "a", 1, "b", 2))
		valueOf(t, db1.Set(ctx, "z", 1, 0))
		assert.Equal(t, int64(2), valueOf(t, c.DBSize(ctx)))
		assert.Equal(t, "OK", valueOf(t, c.SwapDB(ctx, 0, 1)))
		assert.Equal(t, int64(1), valueOf(t, c.DBSize(ctx)))
		assert.Equal(t, int64(2), valueOf(t, db1.DBSize(ctx)))
		assert.Equal(t, "OK", valueOf(t, c.FlushDB(ctx)))
		assert.Equal(t, int64(0), valueOf(t, c.DBSize(ctx)))
		assert.Equal(t, int64(2), valueOf(t, db1.DBSize(ctx)), "FLUSHDB leaves the other databases")
		assert.Equal(t, "OK", valueOf(t, db1.FlushDBWith(ctx, client.FlushOptions{Mode: client.FlushSync})))
		assert.Equal(t, int64(0), valueOf(t, db1.DBSize(ctx)))
		valueOf(t, c.Set(ctx, "a", 1, 0))
		valueOf(t, db1.Set(ctx, "a", 1, 0))
		assert.Equal(t, "OK", valueOf(t, c.FlushAllWith(ctx, client.FlushOptions{Mode: client.FlushAsync})))
		assert.Equal(t, int64(0), valueOf(t, c.DBSize(ctx)))
		assert.Equal(t, int64(0), valueOf(t, db1.DBSize(ctx)))
		assert.Equal(t, "OK", valueOf(t, c.FlushAllWith(ctx, client.FlushOptions{Mode: client.FlushSync})))
		assert.Equal(t, "OK", valueOf(t, c.FlushDBWith(ctx, client.FlushOptions{Mode: client.FlushAsync})))
		serverError(t, c.SwapDB(ctx, 0, 99).Err(), "DB index")
	})
}

func TestServerInfoTimeLolWut(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		all := valueOf(t, c.Info(ctx))
		assert.Contains(t, all.Sections, "server")
		assert.Contains(t, all.Sections, "memory")
		assert.True(t, strings.HasPrefix(all.Sections["server"]["redis_version"], "7."), all.Sections["server"]["redis_version"])
		assert.Contains(t, all.Raw, "# Server")
		two := valueOf(t, c.Info(ctx, "server", "clients"))
		assert.Len(t, two.Sections, 2)
		n, ok := two.Get("connected_clients")
		assert.True(t, ok)
		assert.NotEqual(t, "0", n)
		_, ok = two.Get("used_memory")
		assert.False(t, ok)

		now := valueOf(t, c.Time(ctx))
		assert.WithinDuration(t, time.Now(), now, 5*time.Second)
		assert.NotZero(t, now.Nanosecond()%int(time.Second), "microseconds kept (almost surely)")

		// "Redis ver. 7.0.15", "Valkey ver.255.255.255": the server's own name.
		assert.Regexp(t, `(Redis|Valkey) ver\. ?\d`, valueOf(t, c.LolWut(ctx)))
		assert.Regexp(t, `(Redis|Valkey) ver\. ?\d`, valueOf(t, c.LolWutWith(ctx, client.LolWutOptions{Version: 5})))
	})
}

func TestServerLatency(t *testing.T) {
	srv := redistest.Start(t, redistest.WithArgs("--latency-monitor-threshold", "1", "--latency-tracking", "yes"))
	eachProtocol(t, client.Options{Addr: srv.Addr()}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		valueOf(t, c.LatencyReset(ctx))
		valueOf(t, c.Do(ctx, "DEBUG", "SLEEP", "0.02"))
		latest := valueOf(t, c.LatencyLatest(ctx))
		require.NotEmpty(t, latest)
		ev := latest[0]
		assert.Equal(t, "command", ev.Name)
		assert.WithinDuration(t, time.Now(), ev.Time, 5*time.Second)
		assert.GreaterOrEqual(t, ev.Latest, 20*time.Millisecond)
		assert.GreaterOrEqual(t, ev.Max, ev.Latest)
		hist := valueOf(t, c.LatencyHistory(ctx, "command"))
		require.Len(t, hist, 1)
		assert.GreaterOrEqual(t, hist[0].Latency, 20*time.Millisecond)
		assert.Contains(t, valueOf(t, c.LatencyGraph(ctx, "command")), "command")
		assert.NotEmpty(t, valueOf(t, c.LatencyDoctor(ctx)))
		assert.Equal(t, int64(1), valueOf(t, c.LatencyReset(ctx, "command")))
		assert.Empty(t, valueOf(t, c.LatencyHistory(ctx, "command")))

		valueOf(t, c.Set(ctx, key("k"), "v", 0))
		h := valueOf(t, c.LatencyHistogram(ctx, "set", "nosuchcommand"))
		require.Contains(t, h, "set")
		assert.Len(t, h, 1)
		assert.GreaterOrEqual(t, h["set"].Calls, int64(1))
		var total int64
		for _, n := range h["set"].Buckets {
			total = max(total, n)
		}
		assert.Equal(t, h["set"].Calls, total, "cumulative buckets end at Calls")
		assert.Contains(t, valueOf(t, c.LatencyHistogram(ctx)), "set")
	})
}

func TestServerMemory(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k := key("h")
		valueOf(t, c.Do(ctx, "HSET", k, "f1", strings.Repeat("x", 100), "f2", "y"))
		n := valueOf(t, c.MemoryUsage(ctx, k))
		assert.Greater(t, n, int64(100))
		assert.Greater(t, valueOf(t, c.MemoryUsageWith(ctx, k, client.MemoryUsageOptions{Samples: 1})), int64(0))
		assert.Greater(t, valueOf(t, c.MemoryUsageWith(ctx, k, client.MemoryUsageOptions{AllSamples: true})), int64(100))
		assert.ErrorIs(t, c.MemoryUsage(ctx, key("missing")).Err(), client.ErrNil)

		st := valueOf(t, c.MemoryStats(ctx))
		assert.Greater(t, st["peak.allocated"], 0.0)
		assert.Greater(t, st["keys.count"], 0.0)
		assert.Greater(t, st["dataset.percentage"], 0.0)
		assert.Contains(t, st, "db.0.overhead.hashtable.main")
		assert.NotEmpty(t, valueOf(t, c.MemoryDoctor(ctx)))
		assert.NotEmpty(t, valueOf(t, c.MemoryMallocStats(ctx)))
		assert.Equal(t, "OK", valueOf(t, c.MemoryPurge(ctx)))
	})
}

func TestServerModule(t *testing.T) {
	srv := redistest.Start(t, redistest.WithArgs("--enable-module-command", "yes"))
	eachProtocol(t, client.Options{Addr: srv.Addr()}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		// No module is installed on the test machine: the list holds at
		// most the modules built into the server (Valkey 9 lists its Lua
		// engine, path "lua"), and loading fails.
		for _, m := range valueOf(t, c.ModuleList(ctx)) {
			assert.Equal(t, client.ModuleInfo{Name: "lua", Version: m.Version, Path: "lua", Args: []string{}}, m)
		}
		missing := filepath.Join(t.TempDir(), "nosuch.so")
		serverError(t, c.ModuleLoad(ctx, missing, "a").Err(), "Error loading the extension")
		serverError(t, c.ModuleLoadEx(ctx, missing, client.ModuleLoadExOptions{
			Configs: [][2]string{{"x", "1"}}, Args: []string{"a"}}).Err(), "Error loading the extension")
		serverError(t, c.ModuleUnload(ctx, "nosuch").Err(), "no such module")
	})
}

func TestServerSlowLog(t *testing.T) {
	srv := redistest.Start(t, redistest.WithArgs("--slowlog-log-slower-than", "0"))
	eachProtocol(t, client.Options{Addr: srv.Addr(), ClientName: "slowpoke"}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		assert.Equal(t, "OK", valueOf(t, c.SlowLogReset(ctx)))
		valueOf(t, c.Set(ctx, key("k"), "v", 0))
		valueOf(t, c.Get(ctx, key("k")))
		assert.GreaterOrEqual(t, valueOf(t, c.SlowLogLen(ctx)), int64(2))
		entries := valueOf(t, c.SlowLogGet(ctx))
		require.NotEmpty(t, entries)
		var found bool
		for _, e := range entries {
			if slices.Equal(e.Args, []string{"SET", key("k"), "v"}) {
				found = true
				assert.WithinDuration(t, time.Now(), e.Time, 5*time.Second)
				assert.GreaterOrEqual(t, e.Duration, time.Duration(0))
				assert.Contains(t, e.ClientAddr, "127.0.0.1:")
				assert.Equal(t, "slowpoke", e.ClientName)
			}
		}
		assert.True(t, found, "%+v", entries)
		assert.Len(t, valueOf(t, c.SlowLogGetWith(ctx, client.SlowLogGetOptions{Count: 1})), 1)
		assert.GreaterOrEqual(t, len(valueOf(t, c.SlowLogGetWith(ctx, client.SlowLogGetOptions{All: true}))), 2)
		assert.Greater(t, entries[0].ID, entries[len(entries)-1].ID, "newest first")
	})
}

func TestServerMonitor(t *testing.T) {
	srv := redistest.Start(t)
	eachProtocol(t, client.Options{Addr: srv.Addr()}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		m, err := c.Monitor(ctx)
		require.NoError(t, err)
		other := openClient(t, client.Options{Addr: srv.Addr(), DB: 3})
		k := key("watched")
		valueOf(t, other.Set(ctx, k, "a \"quoted\"\nvalue\x01", 0))
		timeout := time.After(5 * time.Second)
		for found := false; !found; {
			select {
			case ev, ok := <-m.Events():
				require.True(t, ok)
				if len(ev.Args) == 3 && ev.Args[1] == k {
					found = true
					assert.Equal(t, []string{"SET", k, "a \"quoted\"\nvalue\x01"}, ev.Args)
					assert.Equal(t, 3, ev.DB)
					assert.Contains(t, ev.Addr, "127.0.0.1:")
					assert.WithinDuration(t, time.Now(), ev.Time, 5*time.Second)
					assert.NotEmpty(t, ev.Raw)
				}
			case <-timeout:
				t.Fatal("no MONITOR event for the SET")
			}
		}
		assert.Equal(t, int64(0), m.Dropped())
		require.NoError(t, m.Close())
		require.NoError(t, m.Close(), "a second Close does nothing")
		for range m.Events() { //nolint:revive // drain until closed
		}
		// The client still works, and the monitor's connection is gone.
		assert.Equal(t, "PONG", valueOf(t, c.Ping(ctx)))
		require.Eventually(t, func() bool {
			for _, ci := range valueOf(t, c.ClientList(ctx)) {
				if strings.Contains(ci.Flags, "O") {
					return false
				}
			}
			return true
		}, 5*time.Second, 20*time.Millisecond)
	})
}

func TestServerMonitorDropsWhenFull(t *testing.T) {
	srv := redistest.Start(t)
	c := openClient(t, client.Options{Addr: srv.Addr()})
	ctx := context.Background()
	m, err := c.Monitor(ctx)
	require.NoError(t, err)
	defer m.Close()
	var last *client.Future[string]
	for i := 0; i < 1500; i++ {
		last = c.Echo(ctx, "x")
	}
	valueOf(t, last)
	require.Eventually(t, func() bool { return m.Dropped() > 0 }, 5*time.Second, 10*time.Millisecond)
	assert.Len(t, m.Events(), cap(m.Events())-1, "full but for the place kept for the Err event")
}

// A Monitor whose connection is lost ends with one Err event, then its
// channel closes; Err says why.
func TestServerMonitorConnectionLost(t *testing.T) {
	srv := redistest.Start(t)
	c := openClient(t, client.Options{Addr: srv.Addr()})
	ctx := context.Background()
	m, err := c.Monitor(ctx)
	require.NoError(t, err)
	defer m.Close()
	reply, err := srv.Do("CLIENT", "LIST")
	require.NoError(t, err)
	id := ""
	for _, line := range strings.Split(reply.(string), "\n") {
		if strings.Contains(line, " flags=O ") {
			id = strings.TrimPrefix(strings.Fields(line)[0], "id=")
		}
	}
	require.NotEmpty(t, id, "the monitor's connection in CLIENT LIST")
	_, err = srv.Do("CLIENT", "KILL", "ID", id)
	require.NoError(t, err)
	var last client.MonitorEvent
	timeout := time.After(5 * time.Second)
	for open := true; open; {
		select {
		case ev, ok := <-m.Events():
			if ok {
				last = ev
			}
			open = ok
		case <-timeout:
			t.Fatal("the feed did not end")
		}
	}
	require.ErrorIs(t, last.Err, client.ErrLeaseBroken)
	var lost *client.MonitorLostError
	require.ErrorAs(t, m.Err(), &lost)
	assert.Equal(t, srv.Addr(), lost.Node)
	require.NoError(t, m.Close())
	assert.Equal(t, "PONG", c.Ping(ctx).Val(), "the client goes on")
}

func TestServerReplication(t *testing.T) {
	for _, proto := range protocols {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			ctx := context.Background()
			ms, rs := redistest.Start(t), redistest.Start(t)
			m := openClient(t, client.Options{Addr: ms.Addr(), Protocol: proto})
			r := openClient(t, client.Options{Addr: rs.Addr(), Protocol: proto})
			assert.Equal(t, client.Role{Kind: client.RoleMaster}, valueOf(t, m.Role(ctx)))
			serverError(t, m.Failover(ctx).Err(), "requires connected replicas")
			serverError(t, m.FailoverWith(ctx, client.FailoverCommandOptions{Abort: true}).Err(), "No failover in progress")

			assert.Equal(t, "OK", valueOf(t, r.ReplicaOf(ctx, "127.0.0.1", ms.Port())))
			require.Eventually(t, func() bool {
				role := valueOf(t, r.Role(ctx))
				return role.Kind == client.RoleReplica && role.State == "connected"
			}, 10*time.Second, 20*time.Millisecond)
			role := valueOf(t, r.Role(ctx))
			assert.Equal(t, "127.0.0.1", role.MasterHost)
			assert.Equal(t, ms.Port(), role.MasterPort)
			require.Eventually(t, func() bool { return len(valueOf(t, m.Role(ctx)).Replicas) == 1 }, 10*time.Second, 20*time.Millisecond)
			mr := valueOf(t, m.Role(ctx))
			assert.Equal(t, rs.Port(), mr.Replicas[0].Port)
			assert.Equal(t, "127.0.0.1", mr.Replicas[0].Host)

			// A real failover: the master hands its role to the replica.
			assert.Equal(t, "OK", valueOf(t, m.FailoverWith(ctx, client.FailoverCommandOptions{
				ToHost: "127.0.0.1", ToPort: rs.Port(), Timeout: 5 * time.Second})))
			require.Eventually(t, func() bool {
				return valueOf(t, r.Role(ctx)).Kind == client.RoleMaster && valueOf(t, m.Role(ctx)).Kind == client.RoleReplica
			}, 10*time.Second, 20*time.Millisecond)

			assert.Equal(t, "OK", valueOf(t, m.ReplicaOfNoOne(ctx)))
			assert.Equal(t, client.RoleMaster, valueOf(t, m.Role(ctx)).Kind)
			assert.Equal(t, "OK", valueOf(t, m.SlaveOf(ctx, "127.0.0.1", rs.Port())))
			assert.Equal(t, client.RoleReplica, valueOf(t, m.Role(ctx)).Kind)
			assert.Equal(t, "OK", valueOf(t, m.SlaveOfNoOne(ctx)))
			assert.Equal(t, client.RoleMaster, valueOf(t, m.Role(ctx)).Kind)
		})
	}
}

func TestServerShutdown(t *testing.T) {
	for _, proto := range protocols {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			ctx := context.Background()
			srv := redistest.Start(t)
			c := openClient(t, client.Options{Addr: srv.Addr(), Protocol: proto})
			serverError(t, c.ShutdownWith(ctx, client.ShutdownOptions{Abort: true}).Err(), "No shutdown in progress")
			assert.ErrorIs(t, c.ShutdownWith(ctx, client.ShutdownOptions{Abort: true, Now: true}).Err(), client.ErrInvalidArg)
			assert.Equal(t, "OK", valueOf(t, c.ShutdownWith(ctx, client.ShutdownOptions{Save: client.ShutdownNoSave, Now: true, Force: true})))
			require.Eventually(t, func() bool { return !srv.Running() }, 10*time.Second, 20*time.Millisecond)

			srv2 := redistest.Start(t)
			c2 := openClient(t, client.Options{Addr: srv2.Addr(), Protocol: proto})
			assert.Equal(t, "OK", valueOf(t, c2.Shutdown(ctx)))
			require.Eventually(t, func() bool { return !srv2.Running() }, 10*time.Second, 20*time.Millisecond)
		})
	}
}

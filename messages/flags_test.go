package messages

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

const roi = ReadOnly | Idempotent

func TestFlagsOf(t *testing.T) {
	tests := []struct {
		name string
		want Flags
	}{
		{"GET", roi},
		{"get", roi},
		{"Set", Idempotent},
		{"INCR", 0},
		{"LPUSH", 0},
		{"RPOPLPUSH", 0},
		{"APPEND", 0},
		{"BLPOP", Blocking},
		{"WAIT", Blocking},
		{"WAITAOF", Blocking},
		{"SCRIPT KILL", Blocking},
		{"XREAD", roi},
		{"XREADGROUP", 0},
		{"CLIENT LIST", Idempotent},
		{"client|list", Idempotent},
		{"client list", Idempotent},
		{"CLIENT REPLY", Stateful},
		{"CLIENT NO-TOUCH", Stateful},
		{"CLUSTER MYSHARDID", Idempotent},
		{"HEXPIRE", Idempotent},
		{"HPERSIST", Idempotent},
		{"HTTL", roi},
		{"HPEXPIRETIME", roi},
		{"XINFO STREAM", roi},
		{"MONITOR", Stateful | Streams},
		{"SUBSCRIBE", Stateful | PushReply},
		{"SUNSUBSCRIBE", Stateful | PushReply},
		{"SELECT", Stateful},
		{"MULTI", Stateful},
		{"JSON.GET", 0},
		{"", 0},
		{strings.Repeat("g", 100), 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, FlagsOf(tt.name), "%s: got %v", tt.name, FlagsOf(tt.name))
	}
}

func TestLookupFlags(t *testing.T) {
	tests := []struct {
		line string
		want Flags
	}{
		{"GET k", roi},
		{"XREAD COUNT 1 STREAMS s 0", roi},
		{"XREAD BLOCK 0 STREAMS s $", roi | Blocking},
		{"xread block 0 streams s $", roi | Blocking},
		{"XREADGROUP GROUP g c STREAMS s >", 0},
		{"XREADGROUP GROUP g c BLOCK 10 STREAMS s >", Blocking},
		{"BLPOP q 0", Blocking},
		{"CLIENT REPLY OFF", Stateful},
		{"CLIENT TRACKING ON", Stateful},
		{"CLIENT CACHING YES", Stateful},
		{"CLIENT SETNAME n", Stateful},
		{"CLIENT NO-EVICT ON", Stateful},
		{"client setinfo lib-name x", Stateful},
		{"CLIENT KILL ID 1", 0},
		{"HEXPIRE h 10 FIELDS 1 f", Idempotent},
		{"HEXPIRE h 10 NX FIELDS 1 f", 0},
		{"hpexpireat h 10 gt FIELDS 1 f", 0},
		{"WAITAOF 1 0 0", Blocking},
		{"CLIENT PAUSE 10", Idempotent},
		{"CLIENT UNPAUSE", Idempotent | Blocking},
		{"SCRIPT KILL", Blocking},
		{"FUNCTION KILL", Blocking},
		{"FUNCTION STATS", Idempotent | Blocking},
		{"CLIENT UNBLOCK 1", 0},
		{"CLIENT LIST", Idempotent},
		{"CLIENT INFO", Idempotent},
		{"CLIENT NOSUCH", 0},
		{"CLIENT", 0},
		{"CONFIG GET maxmemory", Idempotent},
		{"OBJECT ENCODING k", roi},
		{"SET k v", Idempotent},
		{"SET k v XX", Idempotent},
		{"SET k v EX 10", Idempotent},
		{"SET k v NX", 0},
		{"set k v get", 0},
		{"EXPIRE k 10", Idempotent},
		{"EXPIRE k 10 GT", 0},
		{"ZADD z 1 m", Idempotent},
		{"ZADD z INCR 1 m", 0},
		{"ZADD z NX 1 m", 0},
		{"GEOADD g XX 1 2 m", 0},
		{"INCR k", 0},
		{"MONITOR", Stateful | Streams},
		{"PSUBSCRIBE p*", Stateful | PushReply},
		{"WAIT 1 0", Blocking},
		{"FT.SEARCH idx q", 0},
	}
	for _, tt := range tests {
		f := strings.Fields(tt.line)
		got := LookupFlags(f[0], f[1:])
		assert.Equal(t, tt.want, got, "%s: got %v", tt.line, got)
	}
}

func TestLookupFlagsWithoutStringArguments(t *testing.T) {
	// Do passes "" for arguments that are not strings.
	assert.Equal(t, Flags(0), LookupFlags("CLIENT", []string{""}))
	assert.Equal(t, Idempotent, LookupFlags("SET", []string{"k", ""}))
	assert.Equal(t, roi, LookupFlags("XREAD", []string{"", ""}))
}

func TestLookupFlagsAllocatesNothing(t *testing.T) {
	args := []string{"GROUP", "g", "c", "BLOCK", "10", "STREAMS", "s", ">"}
	sub := []string{"list"}
	n := testing.AllocsPerRun(100, func() {
		_ = LookupFlags("XREADGROUP", args)
		_ = LookupFlags("client", sub)
		_ = FlagsOf("CLIENT LIST")
	})
	assert.Zero(t, n)
}

// TestTableInvariants checks what must hold of every entry, whatever the
// server said.
func TestTableInvariants(t *testing.T) {
	for name, f := range commandFlags {
		assert.Equal(t, strings.ToLower(name), name)
		if f.Has(ReadOnly) {
			assert.True(t, f.Has(Idempotent), "%s: read-only but not idempotent", name)
		}
		if f&(PushReply|Streams) != 0 {
			assert.True(t, f.Has(Stateful), "%s: %v needs a connection of its own", name, f)
		}
		assert.False(t, f.Has(Blocking|Stateful), "%s: both blocking and stateful", name)
		assert.False(t, f.Has(Blocking|ReadOnly) && name != "xread", "%s: read-only commands do not block, but XREAD BLOCK", name)
		assert.False(t, f.Has(NoReply), "%s: NoReply belongs to CLIENT REPLY's mode, not to a name", name)
		if container, _, ok := strings.Cut(name, "|"); ok {
			assert.Contains(t, commandFlags, container, "%s: no container", name)
			assert.True(t, containers[container])
		}
	}
	for name, f := range laterCommands {
		if g, ok := commandFlags[name]; ok {
			assert.Equal(t, g, f, "%s is a command of the matrix: its flags are the generated table's (policy in internal/gen)", name)
		}
	}
	// The writes that change by an amount or move data are never
	// idempotent.
	for _, name := range []string{"incr", "incrby", "incrbyfloat", "decr", "decrby", "append", "lpush",
		"rpush", "lpop", "rpop", "rpoplpush", "lmove", "spop", "smove", "zincrby", "hincrby", "xadd",
		"rename", "getdel", "getset", "lrem", "ltrim", "linsert", "zremrangebyrank", "xclaim", "xautoclaim",
		"eval", "evalsha", "fcall", "publish", "spublish", "copy", "restore", "migrate", "move"} {
		assert.False(t, commandFlags[name].Has(Idempotent), "%s is not idempotent", name)
	}
}

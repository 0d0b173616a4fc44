// Command gen writes messages/table.go, the flags of every command and
// subcommand of Redis: ReadOnly and Blocking as the server's own COMMAND
// reply flags them (with the exceptions in blockingPolicy), Idempotent,
// Stateful, PushReply and Streams from actoredis's policy below.
//
// It asks a running redis-server (REDIS_ADDR, or -addr; 127.0.0.1:6379 by
// default) and is run by hand when the table should follow a new Redis
// release:
//
//	cd messages && REDIS_ADDR=127.0.0.1:6379 go generate
//
// Every name in the policy must be a command of that server, so a typo or
// a command that was renamed stops the generator instead of vanishing.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"maps"
	"net"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// stateful commands change or depend on per-connection state: they never
// run on a shared connection.
var stateful = []string{
	"select", "multi", "exec", "discard", "watch", "unwatch", "monitor", "quit", "reset",
	"hello", "auth", "readonly", "readwrite", "asking", "sync", "psync", "replconf",
	"subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe",
	"client|reply", "client|tracking", "client|caching", "client|setname", "client|no-evict", "script|debug",
}

// pushReply commands are answered by RESP3 push frames.
var pushReply = []string{"subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe"}

// streams commands turn their connection into a stream.
var streams = []string{"monitor"}

// blockingPolicy overrides the server's blocking flag. XREAD and
// XREADGROUP block only with BLOCK (messages.LookupFlags looks at the
// arguments). The others must have a connection of their own although
// Redis 7.0 does not flag them blocking: WAIT holds its connection until
// the replicas answer or the timeout ends; SCRIPT KILL, FUNCTION KILL and
// FUNCTION STATS must not queue behind the busy script they are about (it
// may run from the same shared connection), nor CLIENT UNPAUSE behind the
// writes a pause holds.
var blockingPolicy = map[string]bool{
	"xread": false, "xreadgroup": false,
	"wait": true, "script|kill": true, "function|kill": true, "function|stats": true, "client|unpause": true,
}

// idempotent commands that the server does not flag readonly (every
// readonly one is idempotent): repeating them leaves the same state. They
// are either reads of server or connection state (and every HELP
// subcommand), or writes whose effect
// does not depend on how often they run, in their plain form (without NX,
// GET, INCR, ...: messages.LookupFlags drops the flag for those tokens).
// Counting and moving writes (INCR, APPEND, LPUSH, RPOPLPUSH, SMOVE,
// RENAME, ...) are not here.
var idempotent = []string{
	// Reads of the server, the connection or the cluster.
	"ping", "echo", "info", "time", "lastsave", "role",
	"command", "command|count", "command|docs", "command|getkeys", "command|getkeysandflags",
	"command|info", "command|list", "config|get",
	"client|getname", "client|getredir", "client|id", "client|info", "client|list", "client|trackinginfo",
	"acl|cat", "acl|dryrun", "acl|genpass", "acl|getuser", "acl|list", "acl|log", "acl|users", "acl|whoami",
	"cluster|count-failure-reports", "cluster|countkeysinslot", "cluster|getkeysinslot", "cluster|info",
	"cluster|keyslot", "cluster|links", "cluster|myid", "cluster|nodes", "cluster|replicas",
	"cluster|shards", "cluster|slaves", "cluster|slots",
	"function|dump", "function|list", "function|stats",
	"latency|doctor", "latency|graph", "latency|histogram", "latency|history", "latency|latest",
	"memory|doctor", "memory|malloc-stats", "memory|stats", "memory|usage", "module|list",
	"pubsub|channels", "pubsub|numpat", "pubsub|numsub", "pubsub|shardchannels", "pubsub|shardnumsub",
	"script|exists", "slowlog|get", "slowlog|len",
	// Writes that set, rather than change by, a value.
	"set", "setex", "psetex", "mset", "getex", "setrange", "setbit", "bitop", "lset",
	"del", "unlink", "expire", "pexpire", "expireat", "pexpireat", "persist",
	"hset", "hmset", "hdel", "sadd", "srem", "sinterstore", "sunionstore", "sdiffstore",
	"zadd", "zrem", "zremrangebyscore", "zremrangebylex", "zinterstore", "zunionstore", "zdiffstore",
	"zrangestore", "pfadd", "pfmerge", "xdel", "xack", "xsetid", "xgroup|setid",
	"geoadd", "georadius", "georadiusbymember", "geosearchstore", "sort",
	// Administration that sets a state.
	"flushall", "flushdb", "script|flush", "script|load", "function|flush",
	"config|set", "config|resetstat", "config|rewrite", "latency|reset", "slowlog|reset", "memory|purge",
	"acl|deluser", "acl|load", "acl|save", "replicaof", "slaveof", "client|pause", "client|unpause",
	"cluster|flushslots", "cluster|meet", "cluster|replicate", "cluster|saveconfig",
}

// command is what the generator keeps of one entry of COMMAND.
type command struct {
	name     string
	readOnly bool
	blocking bool
}

func main() {
	addr := flag.String("addr", envOr("REDIS_ADDR", "127.0.0.1:6379"), "address of the redis-server to ask")
	out := flag.String("out", "table.go", "file to write")
	flag.Parse()
	cmds, version, err := fetch(*addr)
	if err == nil {
		var src []byte
		if src, err = render(cmds, version); err == nil {
			err = os.WriteFile(*out, src, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// fetch asks the server for COMMAND and its version.
func fetch(addr string) ([]command, string, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, "", err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
		return nil, "", err
	}
	req, _ := resp.AppendCommand(nil, "COMMAND")
	req, _ = resp.AppendCommand(req, "INFO", "server")
	if _, err := conn.Write(req); err != nil {
		return nil, "", err
	}
	lim := resp.DefaultLimits()
	r := resp.NewReader(bufio.NewReader(conn), lim)
	all, err := r.ReadValue()
	if err != nil {
		return nil, "", err
	}
	info, err := r.ReadValue()
	if err != nil {
		return nil, "", err
	}
	if err := all.Err(); err != nil {
		return nil, "", err
	}
	version := ""
	for line := range strings.Lines(info.Str) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "redis_version:"); ok {
			version = v
		}
	}
	var cmds []command
	if err := walk(all.Elems, &cmds); err != nil {
		return nil, "", err
	}
	if len(cmds) == 0 {
		return nil, "", errors.New("COMMAND returned nothing")
	}
	return cmds, version, nil
}

// walk collects the commands of a COMMAND reply and their subcommands
// (the tenth element of each, since Redis 7.0).
func walk(entries []resp.Value, out *[]command) error {
	for _, e := range entries {
		if len(e.Elems) < 3 {
			return fmt.Errorf("unexpected COMMAND entry %v", e)
		}
		c := command{name: strings.ToLower(e.Elems[0].Str)}
		for _, f := range e.Elems[2].Elems {
			switch f.Str {
			case "readonly":
				c.readOnly = true
			case "blocking":
				c.blocking = true
			}
		}
		*out = append(*out, c)
		if len(e.Elems) > 9 {
			if err := walk(e.Elems[9].Elems, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// render applies the policy to the server's flags and writes table.go.
func render(cmds []command, version string) ([]byte, error) {
	known := make(map[string]bool, len(cmds))
	for _, c := range cmds {
		known[c.name] = true
	}
	policy := map[string][]string{
		"stateful": stateful, "pushReply": pushReply, "streams": streams, "idempotent": idempotent,
	}
	policy["blockingPolicy"] = slices.Sorted(maps.Keys(blockingPolicy))
	for list, names := range policy {
		for _, n := range names {
			if !known[n] {
				return nil, fmt.Errorf("%s names %q, which the server does not know", list, n)
			}
		}
	}
	slices.SortFunc(cmds, func(a, b command) int { return strings.Compare(a.name, b.name) })
	var b bytes.Buffer
	b.WriteString("// Code generated by go run ./internal/gen; DO NOT EDIT.\n\n")
	b.WriteString("package messages\n\n")
	fmt.Fprintf(&b, "// commandFlags holds the flags of every command and subcommand of Redis\n")
	fmt.Fprintf(&b, "// %s (COMMAND), by lowercase name, \"container|sub\" for a subcommand.\n", version)
	b.WriteString("// ReadOnly and Blocking are the server's readonly and blocking flags,\n")
	b.WriteString("// except that XREAD and XREADGROUP are not Blocking here (only with BLOCK,\n")
	b.WriteString("// which LookupFlags sees) and WAIT, SCRIPT KILL, FUNCTION KILL, FUNCTION\n")
	b.WriteString("// STATS and CLIENT UNPAUSE are (they need a connection of their own). The\n")
	b.WriteString("// other flags are actoredis's policy, kept in internal/gen.\n")
	b.WriteString("var commandFlags = map[string]Flags{\n")
	in := func(list []string, name string) bool { return slices.Contains(list, name) }
	for _, c := range cmds {
		var names []string
		if c.readOnly {
			names = append(names, "ReadOnly")
		}
		if c.readOnly || in(idempotent, c.name) || strings.HasSuffix(c.name, "|help") {
			names = append(names, "Idempotent")
		}
		blocking := c.blocking
		if v, ok := blockingPolicy[c.name]; ok {
			blocking = v
		}
		if blocking {
			names = append(names, "Blocking")
		}
		if in(stateful, c.name) {
			names = append(names, "Stateful")
		}
		if in(pushReply, c.name) {
			names = append(names, "PushReply")
		}
		if in(streams, c.name) {
			names = append(names, "Streams")
		}
		value := "0"
		if len(names) > 0 {
			value = strings.Join(names, " | ")
		}
		fmt.Fprintf(&b, "\t%q: %s,\n", c.name, value)
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}

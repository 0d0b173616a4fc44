// Command gen writes messages/table.go, the flags of every command and
// subcommand of the servers of the test matrix (the union of their COMMAND
// replies): ReadOnly and Blocking as the servers' own COMMAND replies flag
// them (with the exceptions in blockingPolicy), Idempotent, Stateful,
// PushReply and Streams from actoredis's policy below. Beside it, one list
// per server (-lists, testdata/commands/<server>.tsv): each command with
// its group and version (COMMAND DOCS) and the server's own flags, which
// the tests check the table against, server by server, and which
// client's coverage test counts typed methods against.
//
// It asks running servers, each named -server name=host:port (or
// name=/path/of/unix.sock), and is run
// when the table should follow a new release; scripts/gen-flags.sh starts
// the servers of the matrix and runs it:
//
//	cd messages && go generate
//
// The servers must agree on each command's readonly flag, and on its
// blocking flag but where blockingPolicy decides, so the table means the
// same on each. Every name in the policy must be a command of some server,
// so a typo or a command that was renamed stops the generator instead of
// vanishing.
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
	"path/filepath"
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
	// Redis 7.2, Valkey 8.0.
	"client|no-touch", "client|setinfo",
	// Valkey 8.0 and 9: the connection's capabilities and import mode.
	"client|capa", "client|import-source",
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
	"cluster|shards", "cluster|slaves", "cluster|slots", "cluster|myshardid", "cluster|slot-stats",
	"cluster|getslotmigrations",
	"function|dump", "function|list", "function|stats",
	"latency|doctor", "latency|graph", "latency|histogram", "latency|history", "latency|latest",
	"memory|doctor", "memory|malloc-stats", "memory|stats", "memory|usage", "module|list",
	"pubsub|channels", "pubsub|numpat", "pubsub|numsub", "pubsub|shardchannels", "pubsub|shardnumsub",
	"script|exists", "slowlog|get", "slowlog|len", "script|show", "commandlog|get", "commandlog|len",
	// Writes that set, rather than change by, a value.
	"set", "setex", "psetex", "mset", "getex", "setrange", "setbit", "bitop", "lset",
	"del", "unlink", "expire", "pexpire", "expireat", "pexpireat", "persist",
	"hset", "hmset", "hdel", "sadd", "srem", "sinterstore", "sunionstore", "sdiffstore",
	"zadd", "zrem", "zremrangebyscore", "zremrangebylex", "zinterstore", "zunionstore", "zdiffstore",
	"zrangestore", "pfadd", "pfmerge", "xdel", "xack", "xsetid", "xgroup|setid",
	"geoadd", "georadius", "georadiusbymember", "geosearchstore", "sort",
	// Hash-field expiration (Redis 7.4, Valkey 9.0): EXPIRE's rule; HSETEX
	// (Valkey 9.0, Redis 8.0) SETEX's.
	"hexpire", "hpexpire", "hexpireat", "hpexpireat", "hpersist", "hsetex",
	// Administration that sets a state.
	"flushall", "flushdb", "script|flush", "script|load", "function|flush",
	"config|set", "config|resetstat", "config|rewrite", "latency|reset", "slowlog|reset", "memory|purge",
	"commandlog|reset",
	"acl|deluser", "acl|load", "acl|save", "replicaof", "slaveof", "client|pause", "client|unpause",
	"cluster|flushslots", "cluster|meet", "cluster|replicate", "cluster|saveconfig",
}

// command is what the generator keeps of one entry of COMMAND, with its
// group and version from COMMAND DOCS.
type command struct {
	name     string
	readOnly bool
	blocking bool
	group    string
	since    string
}

// server is one server of the matrix and its commands.
type server struct {
	name    string // redis-7.0, valkey-9: the list's file name
	addr    string
	product string // "redis" or "valkey"
	version string
	cmds    []command
}

// serverFlags gathers the -server flags.
type serverFlags []*server

func (s *serverFlags) String() string { return fmt.Sprint(len(*s)) }

func (s *serverFlags) Set(v string) error {
	name, addr, ok := strings.Cut(v, "=")
	if !ok || name == "" || addr == "" {
		return fmt.Errorf("want name=host:port, got %q", v)
	}
	*s = append(*s, &server{name: name, addr: addr})
	return nil
}

func main() {
	var servers serverFlags
	flag.Var(&servers, "server", "name=host:port (or name=/unix/socket) of a running server of the matrix (repeat it)")
	out := flag.String("out", "table.go", "file to write")
	lists := flag.String("lists", "testdata/commands", "directory of the per-server lists")
	flag.Parse()
	err := run(servers, *out, *lists)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(servers []*server, out, lists string) error {
	if len(servers) == 0 {
		return errors.New("no -server given")
	}
	for _, s := range servers {
		if err := s.fetch(); err != nil {
			return fmt.Errorf("%s (%s): %w", s.name, s.addr, err)
		}
	}
	union, err := merge(servers)
	if err != nil {
		return err
	}
	src, err := render(union, servers)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(lists, 0o755); err != nil {
		return err
	}
	for _, s := range servers {
		if err := os.WriteFile(filepath.Join(lists, s.name+".tsv"), s.list(), 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(out, src, 0o644)
}

// fetch asks the server for COMMAND, COMMAND DOCS and its version.
func (s *server) fetch() error {
	network := "tcp"
	if strings.HasPrefix(s.addr, "/") {
		network = "unix"
	}
	conn, err := net.DialTimeout(network, s.addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
		return err
	}
	req, _ := resp.AppendCommand(nil, "COMMAND")
	req, _ = resp.AppendCommand(req, "COMMAND", "DOCS")
	req, _ = resp.AppendCommand(req, "INFO", "server")
	if _, err := conn.Write(req); err != nil {
		return err
	}
	lim := resp.DefaultLimits()
	r := resp.NewReader(bufio.NewReader(conn), lim)
	var replies [3]resp.Value
	for i := range replies {
		if replies[i], err = r.ReadValue(); err != nil {
			return err
		}
		if err := replies[i].Err(); err != nil {
			return err
		}
	}
	s.product, s.version = "redis", ""
	for line := range strings.Lines(replies[2].Str) {
		line = strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(line, "redis_version:"); ok && s.version == "" {
			s.version = v
		}
		if v, ok := strings.CutPrefix(line, "valkey_version:"); ok {
			s.product, s.version = "valkey", v
		}
	}
	if err := walk(replies[0].Elems, &s.cmds); err != nil {
		return err
	}
	if len(s.cmds) == 0 {
		return errors.New("COMMAND returned nothing")
	}
	docs := map[string]doc{}
	if err := walkDocs(replies[1], "", docs); err != nil {
		return err
	}
	for i := range s.cmds {
		d, ok := docs[s.cmds[i].name]
		if !ok {
			return fmt.Errorf("COMMAND DOCS has no %s", s.cmds[i].name)
		}
		s.cmds[i].group, s.cmds[i].since = d.group, d.since
	}
	slices.SortFunc(s.cmds, func(a, b command) int { return strings.Compare(a.name, b.name) })
	return nil
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

// doc is what the generator keeps of a command's COMMAND DOCS entry.
type doc struct{ group, since string }

// walkDocs collects the group and version of each command of a COMMAND
// DOCS reply (RESP2: name, [field, value, ...], ...), subcommands
// included, by lowercase name ("container|sub").
func walkDocs(v resp.Value, parent string, into map[string]doc) error {
	if len(v.Elems)%2 != 0 {
		return fmt.Errorf("unexpected COMMAND DOCS reply %v", v)
	}
	for i := 0; i < len(v.Elems); i += 2 {
		name := strings.ToLower(v.Elems[i].Str)
		fields := v.Elems[i+1].Elems
		if len(fields)%2 != 0 {
			return fmt.Errorf("unexpected COMMAND DOCS entry for %s", name)
		}
		var d doc
		for j := 0; j < len(fields); j += 2 {
			switch fields[j].Str {
			case "group":
				d.group = fields[j+1].Str
			case "since":
				d.since = fields[j+1].Str
			case "subcommands":
				if err := walkDocs(fields[j+1], name, into); err != nil {
					return err
				}
			}
		}
		if parent != "" && !strings.Contains(name, "|") {
			name = parent + "|" + name
		}
		into[name] = d
	}
	return nil
}

// list renders the server's list: a header, then one command a line with
// its group, version and the server's flags (readonly, blocking).
func (s *server) list() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s %s: COMMAND and COMMAND DOCS, written by messages/internal/gen\n", s.product, s.version)
	b.WriteString("command\tgroup\tsince\tflags\n")
	for _, c := range s.cmds {
		var flags []string
		if c.readOnly {
			flags = append(flags, "readonly")
		}
		if c.blocking {
			flags = append(flags, "blocking")
		}
		f := "-"
		if len(flags) > 0 {
			f = strings.Join(flags, ",")
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", c.name, c.group, c.since, f)
	}
	return b.Bytes()
}

// merge returns the union of the servers' commands, failing where two
// servers disagree on a flag the table takes from them.
func merge(servers []*server) ([]command, error) {
	byName := map[string]command{}
	from := map[string]string{}
	var errs []error
	for _, s := range servers {
		for _, c := range s.cmds {
			prev, seen := byName[c.name]
			if !seen {
				byName[c.name], from[c.name] = c, s.name
				continue
			}
			if prev.readOnly != c.readOnly {
				errs = append(errs, fmt.Errorf("%s: readonly %v on %s, %v on %s", c.name, prev.readOnly, from[c.name], c.readOnly, s.name))
			}
			if _, decided := blockingPolicy[c.name]; !decided && prev.blocking != c.blocking {
				errs = append(errs, fmt.Errorf("%s: blocking %v on %s, %v on %s (decide it in blockingPolicy)", c.name, prev.blocking, from[c.name], c.blocking, s.name))
			}
		}
	}
	return slices.SortedFunc(maps.Values(byName), func(a, b command) int { return strings.Compare(a.name, b.name) }), errors.Join(errs...)
}

// render applies the policy to the servers' flags and writes table.go.
func render(cmds []command, servers []*server) ([]byte, error) {
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
				return nil, fmt.Errorf("%s names %q, which no server knows", list, n)
			}
		}
	}
	var names []string
	for _, s := range servers {
		names = append(names, fmt.Sprintf("%s (%s %s)", s.name, s.product, s.version))
	}
	var b bytes.Buffer
	b.WriteString("// Code generated by go run ./internal/gen; DO NOT EDIT.\n\n")
	b.WriteString("package messages\n\n")
	b.WriteString("// commandFlags holds the flags of every command and subcommand of the\n")
	b.WriteString("// servers of the test matrix (the union of their COMMAND replies), by\n")
	b.WriteString("// lowercase name, \"container|sub\" for a subcommand:\n")
	fmt.Fprintf(&b, "// %s.\n", strings.Join(names, ", "))
	b.WriteString("// ReadOnly and Blocking are the servers' readonly and blocking flags,\n")
	b.WriteString("// except where blockingOverrides says otherwise. The other flags are\n")
	b.WriteString("// actoredis's policy, kept in internal/gen. Each server's own list is in\n")
	b.WriteString("// testdata/commands.\n")
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
	b.WriteString("}\n\n")
	b.WriteString("// blockingOverrides are the commands whose Blocking flag is actoredis's\n")
	b.WriteString("// decision, not the servers' blocking flag: XREAD and XREADGROUP block\n")
	b.WriteString("// only with BLOCK (LookupFlags sees it); the others need a connection of\n")
	b.WriteString("// their own although Redis 7.0 does not flag them blocking.\n")
	b.WriteString("var blockingOverrides = map[string]bool{\n")
	for _, name := range slices.Sorted(maps.Keys(blockingPolicy)) {
		fmt.Fprintf(&b, "\t%q: %v,\n", name, blockingPolicy[name])
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}

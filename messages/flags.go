package messages

import (
	"bytes"
	"iter"
	"maps"
	"slices"
	"strings"
)

//go:generate bash ../scripts/gen-flags.sh

// The flags table: what routing and retry need to know of a command given
// its name (FlagsOf) or its name and arguments (LookupFlags, for Do and
// anything else untyped). The table of the commands of every server of the
// test matrix (Redis 7.0 and 7.4, Valkey 8.0 and 9), commandFlags, is
// generated from the servers' COMMAND replies (table.go), and checked
// against each server's list (testdata/commands); typed command methods
// set their own flags, which client's tests check against it.

// laterCommands are commands of servers outside the matrix (Redis 8) that
// routing must know anyway: sent through Do to such a server, they would
// otherwise run on a shared connection. A command of the generated table
// is looked up there; an entry here for it must agree with it.
var laterCommands = map[string]Flags{
	"delex":  Idempotent,            // Redis 8.4; not with a condition
	"digest": ReadOnly | Idempotent, // Redis 8.4
	// Vector sets, Redis 8.0 (VRANGE 8.4). VADD is not idempotent: a
	// repeat inserts the node into the HNSW graph again (new level and
	// links) and answers false; VREM and VSETATTR leave the same set when
	// repeated, as SREM and HSET do.
	"vadd":        0,
	"vrem":        Idempotent,
	"vsetattr":    Idempotent,
	"vsim":        ReadOnly | Idempotent,
	"vcard":       ReadOnly | Idempotent,
	"vdim":        ReadOnly | Idempotent,
	"vemb":        ReadOnly | Idempotent,
	"vgetattr":    ReadOnly | Idempotent,
	"vinfo":       ReadOnly | Idempotent,
	"vlinks":      ReadOnly | Idempotent,
	"vrandmember": ReadOnly | Idempotent,
	"vismember":   ReadOnly | Idempotent,
	"vrange":      ReadOnly | Idempotent,
	// Redis 8.2: a repeat deletes (and acknowledges) nothing more, as
	// XDEL and XACK, which the table has Idempotent.
	"xdelex":  Idempotent,
	"xackdel": Idempotent,
	// Redis 8.4 to 8.10 (cmdsrest).
	"increx":     0,                     // Redis 8.8
	"lmovem":     0,                     // Redis 8.10
	"blmovem":    Blocking,              // Redis 8.10
	"sunioncard": ReadOnly | Idempotent, // Redis 8.10
	"sdiffcard":  ReadOnly | Idempotent, // Redis 8.10
	// Node state, never ReadOnly: a replica must not answer for its
	// primary.
	"cluster|migration": 0,          // Redis 8.4: IMPORT, CANCEL, STATUS
	"hotkeys|start":     0,          // Redis 8.6
	"hotkeys|stop":      0,          // Redis 8.6
	"hotkeys|get":       Idempotent, // Redis 8.6
	"hotkeys|reset":     0,          // Redis 8.6
	"xcfgset":           0,          // Redis 8.6
	"xnack":             0,          // Redis 8.8
	// Redis 8.8: the array type.
	"arset":       Idempotent,
	"armset":      Idempotent,
	"arget":       ReadOnly | Idempotent,
	"armget":      ReadOnly | Idempotent,
	"argetrange":  ReadOnly | Idempotent,
	"ardel":       Idempotent,
	"ardelrange":  Idempotent,
	"arlen":       ReadOnly | Idempotent,
	"arcount":     ReadOnly | Idempotent,
	"arinsert":    0, // moves the cursor: a repeat writes again
	"arring":      0,
	"arnext":      ReadOnly | Idempotent,
	"arseek":      Idempotent,
	"arscan":      ReadOnly | Idempotent,
	"arlastitems": ReadOnly | Idempotent,
	"arinfo":      ReadOnly | Idempotent,
	"arop":        ReadOnly | Idempotent,
	"argrep":      ReadOnly | Idempotent,
	// Redis 8.10. BACKUP is the node's own; HIMPORT's fieldsets belong
	// to the connection.
	"backup|start":       0,
	"backup|seal":        0,
	"backup|status":      Idempotent,
	"backup|list":        Idempotent,
	"backup|abort":       0,
	"backup|cleanup":     0,
	"himport|prepare":    Stateful,
	"himport|set":        Stateful,
	"himport|discard":    Stateful,
	"himport|discardall": Stateful,
}

// containers are the commands with subcommands (CLIENT, XINFO, ...).
var containers = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range []map[string]Flags{commandFlags, laterCommands} {
		for name := range t {
			if container, _, ok := strings.Cut(name, "|"); ok {
				m[container] = true
			}
		}
	}
	return m
}()

// blockingWith are the commands that block only with a token: XREAD and
// XREADGROUP with BLOCK.
var blockingWith = map[string]string{"xread": "BLOCK", "xreadgroup": "BLOCK"}

// notIdempotentWith are the tokens that make a repeat of an otherwise
// idempotent write answer differently or do more: SET NX and SET GET, the
// value conditions of SET and DELEX (IFEQ, ...), the conditions of
// EXPIRE, ZADD and the hash-field TTL commands, HSETEX NX and FNX, ZADD
// INCR.
var notIdempotentWith = map[string][]string{
	"set":       {"NX", "GET", "IFEQ", "IFNE", "IFDEQ", "IFDNE"},
	"delex":     {"IFEQ", "IFNE", "IFDEQ", "IFDNE"},
	"expire":    {"NX", "XX", "GT", "LT"},
	"pexpire":   {"NX", "XX", "GT", "LT"},
	"expireat":  {"NX", "XX", "GT", "LT"},
	"pexpireat": {"NX", "XX", "GT", "LT"},
	"zadd":      {"NX", "XX", "GT", "LT", "INCR"},
	"geoadd":    {"NX", "XX"},
	// Redis 7.4, Valkey 9.0; HSETEX of Valkey 9.0 and Redis 8.0.
	"hsetex":     {"NX", "FNX"},
	"hexpire":    {"NX", "XX", "GT", "LT"},
	"hpexpire":   {"NX", "XX", "GT", "LT"},
	"hexpireat":  {"NX", "XX", "GT", "LT"},
	"hpexpireat": {"NX", "XX", "GT", "LT"},
}

// maxName bounds the names looked up without allocating; longer ones are
// not commands.
const maxName = 64

// FlagsOf returns the flags of a command by its exact name, in any case:
// "GET", "client list" or "client|list" for a subcommand. An unknown
// command has no flags. The flags are those of the command's plain form:
// XREAD is not Blocking (it is with BLOCK) and SET is Idempotent (it is
// not with NX); LookupFlags sees the arguments.
func FlagsOf(name string) Flags {
	f, _ := lookupName(name)
	return f
}

// lookupName looks a command up by its exact name, as FlagsOf takes it.
func lookupName(name string) (Flags, bool) {
	if len(name) > maxName {
		return 0, false
	}
	var buf [maxName]byte
	key := appendLower(buf[:0], name)
	if i := bytes.IndexByte(key, ' '); i >= 0 {
		key[i] = '|'
	}
	return lookup(key)
}

// Commands yields every command and subcommand of the generated table, of
// every server of the test matrix (lowercase, "container|sub" for a
// subcommand), in order, with its flags.
func Commands() iter.Seq2[string, Flags] {
	return func(yield func(string, Flags) bool) {
		for _, name := range slices.Sorted(maps.Keys(commandFlags)) {
			if !yield(name, commandFlags[name]) {
				return
			}
		}
	}
}

// LookupFlags returns the flags of a command given its name (any case) and
// its arguments after the name, as strings where they are strings (others
// may be empty). The first argument of a container command (CLIENT,
// XINFO, ...) names its subcommand. XREAD and XREADGROUP are blocking only
// with BLOCK; SET, EXPIRE, ZADD and GEOADD are not idempotent with the
// tokens that change what a repeat does. An unknown command has no flags.
func LookupFlags(name string, args []string) Flags {
	if len(name) > maxName {
		return 0
	}
	var buf [2*maxName + 1]byte
	key := appendLower(buf[:0], name)
	f, _ := lookup(key)
	if len(args) > 0 && len(args[0]) <= maxName && containers[string(key)] {
		sub := appendLower(append(key, '|'), args[0])
		if g, ok := lookup(sub); ok {
			return g
		}
		return f
	}
	if tok, ok := blockingWith[string(key)]; ok && hasToken(args, tok) {
		f |= Blocking
	}
	if f.Has(Idempotent) {
		if toks, ok := notIdempotentWith[string(key)]; ok && hasToken(args, toks...) {
			f &^= Idempotent
		}
	}
	return f
}

func lookup(key []byte) (Flags, bool) {
	if f, ok := commandFlags[string(key)]; ok {
		return f, true
	}
	f, ok := laterCommands[string(key)]
	return f, ok
}

// hasToken reports whether any argument is one of the tokens, in any case.
func hasToken(args []string, tokens ...string) bool {
	for _, a := range args {
		for _, t := range tokens {
			if strings.EqualFold(a, t) {
				return true
			}
		}
	}
	return false
}

func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		dst = append(dst, lowerASCII(s[i]))
	}
	return dst
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Known reports whether name (in any case, as FlagsOf takes it) is a
// command or subcommand the flags know, Redis 7.0's or a later one: it
// tells a command with no flags from an unknown one.
func Known(name string) bool {
	_, ok := lookupName(name)
	return ok
}

// IsContainer reports whether name (in any case) is a container command,
// such as CLIENT or CONFIG, whose name includes its subcommand.
func IsContainer(name string) bool {
	if len(name) > maxName {
		return false
	}
	var buf [maxName]byte
	return containers[string(appendLower(buf[:0], name))]
}

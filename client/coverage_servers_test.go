package client_test

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// commandMethodsRedis74 maps the commands that Redis 7.2 and 7.4 added
// (Valkey has them too, from 8.0 or 9.0), named as in the per-server lists
// (lowercase, "container|sub"), to the methods that send them, as
// commandMethods does for Redis 7.0's. allCommandMethods joins the maps.
var commandMethodsRedis74 = map[string][]string{
	// Redis 7.2 (and Valkey 8.0).
	"client|no-touch":   {"Conn.ClientNoTouch"},
	"client|setinfo":    {"Conn.ClientSetInfo"},
	"cluster|myshardid": {"ClusterMyShardID"},
	"waitaof":           {"WaitAOF"},
	// Redis 7.4 (and Valkey 9.0): hash-field expiration.
	"hexpire":      {"HExpire", "HExpireWith"},
	"hpexpire":     {"HPExpire", "HPExpireWith"},
	"hexpireat":    {"HExpireAt", "HExpireAtWith"},
	"hpexpireat":   {"HPExpireAt", "HPExpireAtWith"},
	"httl":         {"HTTL"},
	"hpttl":        {"HPTTL"},
	"hexpiretime":  {"HExpireTime"},
	"hpexpiretime": {"HPExpireTime"},
	"hpersist":     {"HPersist"},
}

// allCommandMethods is commandMethods and commandMethodsRedis74 (and any
// later map of the same form) in one map.
func allCommandMethods() map[string][]string {
	all := make(map[string][]string, len(commandMethods)+len(commandMethodsRedis74)+len(laterCommandMethods))
	for _, m := range []map[string][]string{commandMethods, commandMethodsRedis74, laterCommandMethods} {
		for name, entries := range m {
			all[name] = append(all[name], entries...)
		}
	}
	return all
}

// serverLists are the command lists of the servers of the matrix, written
// by messages/internal/gen from each server's COMMAND and COMMAND DOCS
// replies.
const serverLists = "../messages/testdata/commands"

// laterNotCounted are the commands of the newer servers that are not
// counted, beside those Redis 7.0's TSV does not count, the containers
// and the HELP subcommands.
var laterNotCounted = map[string]string{
	"cluster|syncslots": "internal: between the nodes of a slot migration (Valkey's SYSCMD)",
}

// completeOn are the servers every counted command of which has a method.
var completeOn = []string{"redis-7.0", "redis-7.4.1", "valkey-8.0.1", "valkey-9"}

// serverCommand is one line of a server's list.
type serverCommand struct{ name, group, since string }

func readServerList(t *testing.T, path string) []serverCommand {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []serverCommand
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "command\tgroup\tsince\tflags" {
			continue
		}
		cols := strings.Split(line, "\t")
		require.Len(t, cols, 4, "%s: %q", path, line)
		out = append(out, serverCommand{name: cols[0], group: cols[1], since: cols[2]})
	}
	require.NoError(t, sc.Err())
	return out
}

// TestCommandCoveragePerServer counts, for each server of the matrix, the
// commands of its own COMMAND reply that have a typed method, out of those
// counted (Redis 7.0's TSV says which of its commands count; a newer
// command counts unless it is a container, a HELP subcommand or in
// laterNotCounted). The servers in completeOn must be covered entirely;
// the others log what is missing. Every entry of commandMethodsRedis74 must
// be a command of some server and name methods that exist.
func TestCommandCoveragePerServer(t *testing.T) {
	notCounted := map[string]bool{}
	for _, c := range readCommands(t) {
		if !c.counted {
			notCounted[c.name] = true
		}
	}
	methods := allCommandMethods()
	paths, err := filepath.Glob(filepath.Join(serverLists, "*.tsv"))
	require.NoError(t, err)
	require.Len(t, paths, 4, "redis-7.0, redis-7.4.1, valkey-8.0.1 and valkey-9")
	onSomeServer := map[string]bool{}
	for _, path := range paths {
		server := strings.TrimSuffix(filepath.Base(path), ".tsv")
		cmds := readServerList(t, path)
		containers := map[string]bool{}
		for _, c := range cmds {
			onSomeServer[c.name] = true
			if container, _, ok := strings.Cut(c.name, "|"); ok {
				containers[container] = true
			}
		}
		var missing []string
		covered, total := 0, 0
		for _, c := range cmds {
			if notCounted[c.name] || containers[c.name] || strings.HasSuffix(c.name, "|help") || laterNotCounted[c.name] != "" {
				continue
			}
			total++
			if slices.ContainsFunc(methods[c.name], hasMethod) {
				covered++
			} else {
				missing = append(missing, c.name+" ("+c.since+")")
			}
		}
		t.Logf("%s: %d/%d commands typed", server, covered, total)
		if len(missing) == 0 {
			continue
		}
		if slices.Contains(completeOn, server) {
			t.Errorf("%s: %d counted commands without a method: %s", server, len(missing), strings.Join(missing, ", "))
		} else {
			t.Logf("%s: not typed yet: %s", server, strings.Join(missing, ", "))
		}
	}
	for name, entries := range commandMethodsRedis74 {
		assert.True(t, onSomeServer[name], "commandMethodsRedis74 has %q, which no server of the matrix knows", name)
		for _, entry := range entries {
			assert.True(t, hasMethod(entry), "%s -> %s does not exist", name, entry)
		}
	}
}

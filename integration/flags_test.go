//go:build integration

package integration

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/messages"
)

// blockingExceptions are the commands whose Blocking bit in the flags
// table differs from the server's blocking flag on purpose (see
// messages/internal/gen): XREAD and XREADGROUP block only with BLOCK,
// which messages.LookupFlags sees in the arguments; the others need a
// connection of their own although the server does not flag them.
var blockingExceptions = map[string]bool{
	"xread": false, "xreadgroup": false,
	"wait": true, "script|kill": true, "function|kill": true, "function|stats": true, "client|unpause": true,
}

// serverFlags is what the server says of one command.
type serverFlags struct{ readOnly, blocking bool }

// collectInfos flattens COMMAND INFO's commands and subcommands by name.
func collectInfos(infos []client.CommandInfo, into map[string]serverFlags) {
	for _, in := range infos {
		if in.Name == "" {
			continue
		}
		var f serverFlags
		for _, flag := range in.Flags {
			switch strings.ToLower(flag) {
			case "readonly":
				f.readOnly = true
			case "blocking":
				f.blocking = true
			}
		}
		into[strings.ToLower(in.Name)] = f
		collectInfos(in.Subcommands, into)
	}
}

// serverList returns the name of the list that messages/internal/gen
// wrote for this server (messages/testdata/commands/<name>.tsv), "" for a
// server outside the matrix.
func serverList(name, version string) string {
	switch {
	case name == "redis" && strings.HasPrefix(version, "7.0."):
		return "redis-7.0"
	case name == "valkey" && version == "255.255.255":
		return "valkey-9" // the development tree
	}
	list := name + "-" + version
	if _, err := os.Stat(listPath(list)); err != nil {
		return ""
	}
	return list
}

func listPath(list string) string {
	return filepath.Join("..", "messages", "testdata", "commands", list+".tsv")
}

// readServerList reads the commands of a list and the server flags it
// recorded.
func readServerList(t *testing.T, list string) map[string]serverFlags {
	t.Helper()
	data, err := os.ReadFile(listPath(list))
	require.NoError(t, err)
	out := map[string]serverFlags{}
	for line := range strings.Lines(string(data)) {
		line = strings.TrimRight(line, "\n")
		if strings.HasPrefix(line, "#") || line == "command\tgroup\tsince\tflags" {
			continue
		}
		cols := strings.Split(line, "\t")
		require.Len(t, cols, 4, "%s: %q", list, line)
		out[cols[0]] = serverFlags{readOnly: strings.Contains(cols[3], "readonly"), blocking: strings.Contains(cols[3], "blocking")}
	}
	return out
}

// TestFlagsTableMatchesServer checks messages' flags table against the
// server's own COMMAND INFO, under both protocols: every command and
// subcommand of the server is in the table, ReadOnly exactly where the
// server says readonly, Blocking exactly where it says blocking but for
// blockingExceptions. The table is the union of the servers of the matrix
// (messages/internal/gen); on a server of the matrix, the server's
// commands and flags must also be exactly the list the generator wrote for
// it, so the table's hermetic test (messages.TestTableMatchesEveryServer)
// checks what the server says. Against a server outside the matrix,
// commands the table lacks are logged, not failed.
func TestFlagsTableMatchesServer(t *testing.T) {
	ctx := context.Background()
	for _, proto := range protocols {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			c := openClient(t, client.Options{Protocol: proto})
			name, version := serverIdentity(t, c)
			is70 := name == "redis" && strings.HasPrefix(version, "7.0.")
			list := serverList(name, version)
			server := map[string]serverFlags{}
			collectInfos(valueOf(t, c.CommandInfo(ctx)), server)
			require.Greater(t, len(server), 300, "COMMAND INFO described too few commands")

			var newer []string
			for cmd, sf := range server {
				ours := messages.FlagsOf(cmd)
				if !inTable(cmd) {
					if list != "" {
						t.Errorf("%s is not in the flags table", cmd)
					} else {
						newer = append(newer, cmd)
					}
					continue
				}
				if ours.Has(messages.ReadOnly) != sf.readOnly {
					t.Errorf("%s: ReadOnly %v in the table, readonly %v on the server", cmd, ours.Has(messages.ReadOnly), sf.readOnly)
				}
				wantBlocking := sf.blocking
				if b, ok := blockingExceptions[cmd]; ok {
					wantBlocking = b
					// An exception corrects 7.0's table; newer servers
					// may agree with it (WAIT is blocking from 7.2).
					if is70 && b == sf.blocking {
						t.Errorf("%s: the server now agrees with the exception; drop it", cmd)
					}
				}
				if ours.Has(messages.Blocking) != wantBlocking {
					t.Errorf("%s: Blocking %v in the table, blocking %v on the server", cmd, ours.Has(messages.Blocking), sf.blocking)
				}
			}
			if list != "" {
				assert.Equal(t, readServerList(t, list), server,
					"%s %s: the server's commands and flags differ from %s: run go generate in messages", name, version, listPath(list))
			}
			n := 0
			for range messages.Commands() {
				n++
			}
			if len(newer) > 0 {
				t.Logf("%s %s has %d commands the table lacks: %s", name, version, len(newer), strings.Join(newer, " "))
			}
			t.Logf("%s %s (list %q): %d commands and subcommands on the server, %d in the table", name, version, list, len(server), n)
		})
	}
}

func inTable(name string) bool {
	for n := range messages.Commands() {
		if n == name {
			return true
		}
	}
	return false
}

//go:build integration

package integration

import (
	"context"
	"strconv"
	"strings"
	"testing"

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

// TestFlagsTableMatchesServer checks messages' flags table against the
// server's own COMMAND INFO, under both protocols: the same commands and
// subcommands, ReadOnly exactly where the server says readonly, Blocking
// exactly where it says blocking but for blockingExceptions. Against a
// server newer than 7.0 (the table's), commands the table lacks are
// logged, not failed.
func TestFlagsTableMatchesServer(t *testing.T) {
	ctx := context.Background()
	for _, proto := range protocols {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			c := openClient(t, client.Options{Protocol: proto})
			info := valueOf(t, c.Info(ctx, "server"))
			version, _ := info.Get("redis_version")
			is70 := strings.HasPrefix(version, "7.0.")
			server := map[string]serverFlags{}
			collectInfos(valueOf(t, c.CommandInfo(ctx)), server)
			require.Greater(t, len(server), 300, "COMMAND INFO described too few commands")

			var newer []string
			for name, sf := range server {
				ours := messages.FlagsOf(name)
				if !inTable(name) {
					if is70 {
						t.Errorf("%s is not in the flags table", name)
					} else {
						newer = append(newer, name)
					}
					continue
				}
				if ours.Has(messages.ReadOnly) != sf.readOnly {
					t.Errorf("%s: ReadOnly %v in the table, readonly %v on the server", name, ours.Has(messages.ReadOnly), sf.readOnly)
				}
				wantBlocking := sf.blocking
				if b, ok := blockingExceptions[name]; ok {
					wantBlocking = b
					// An exception corrects 7.0's table; newer servers
					// may agree with it (WAIT is blocking from 7.2).
					if is70 && b == sf.blocking {
						t.Errorf("%s: the server now agrees with the exception; drop it", name)
					}
				}
				if ours.Has(messages.Blocking) != wantBlocking {
					t.Errorf("%s: Blocking %v in the table, blocking %v on the server", name, ours.Has(messages.Blocking), sf.blocking)
				}
			}
			n := 0
			for name := range messages.Commands() {
				n++
				if _, ok := server[name]; !ok {
					t.Errorf("%s is in the flags table but not on the server (%s)", name, version)
				}
			}
			if len(newer) > 0 {
				t.Logf("redis %s has %d commands the 7.0 table lacks: %s", version, len(newer), strings.Join(newer, " "))
			}
			t.Logf("redis %s: %d commands and subcommands on the server, %d in the table", version, len(server), n)
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

//go:build integration

package integration

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
	"github.com/actoredis/actoredis/resp"
)

// Knowing the server (issue 16): what the handshake tells the server and
// learns from it, and a command the server does not have. Each test reads
// which server it runs on and asserts what that server does, so it holds
// on Redis 7.0 and 7.4 and on Valkey alike.

// serverIdentity reads the server's name and version from INFO, not from
// the client's handshake: Valkey reports server_name and valkey_version
// (and a redis_version of 7.2.4 for compatibility), Redis only
// redis_version.
func serverIdentity(t *testing.T, c *client.Client) (name, version string) {
	t.Helper()
	info := valueOf(t, c.Info(t.Context(), "server"))
	name, ok := info.Get("server_name")
	if !ok {
		name = "redis"
	}
	version, ok = info.Get(name + "_version")
	require.True(t, ok, "INFO server has no %s_version", name)
	return name, version
}

// hasClientSetInfo reports whether a server knows CLIENT SETINFO: Redis
// from 7.2, every Valkey (forked from 7.2.4).
func hasClientSetInfo(name, version string) bool {
	if name != "redis" {
		return true
	}
	major, rest, _ := strings.Cut(version, ".")
	minor, _, _ := strings.Cut(rest, ".")
	ma, _ := strconv.Atoi(major)
	mi, _ := strconv.Atoi(minor)
	return ma > 7 || ma == 7 && mi >= 2
}

func TestHelloInfoNamesTheServer(t *testing.T) {
	for _, proto := range protocols {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			c := openClient(t, client.Options{Protocol: proto})
			valueOf(t, c.Ping(t.Context()))
			name, version := serverIdentity(t, c)
			// Valkey 9 lists its Lua engine as a module, in MODULE LIST too.
			modules := valueOf(t, c.ModuleList(t.Context()))
			if len(modules) == 0 {
				modules = nil
			}
			got := c.HelloInfo()
			t.Logf("HelloInfo: %+v", got)
			assert.Equal(t, client.HelloInfo{
				Addr: redistest.Shared(t).Addr(), Name: name, Version: version, Protocol: proto,
				Mode: "standalone", Role: "master", Modules: modules,
			}, got)
		})
	}
}

// Every connection names the library where the server knows CLIENT
// SETINFO; where it does not (Redis 7.0), the refusal costs nothing else:
// the connection's name, database and protocol are set all the same.
func TestHandshakeNamesTheLibrary(t *testing.T) {
	for _, proto := range protocols {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			c := openClient(t, client.Options{Protocol: proto, DB: 1, ClientName: "info-test"})
			name, version := serverIdentity(t, c)
			ci := valueOf(t, openConn(t, c).ClientInfo(t.Context()))
			assert.Equal(t, "info-test", ci.Name)
			assert.Equal(t, 1, ci.DB)
			assert.Equal(t, proto, ci.Protocol)
			libName, hasName := ci.Other["lib-name"]
			libVer := ci.Other["lib-ver"]
			if hasClientSetInfo(name, version) {
				assert.Equal(t, "actoredis", libName, "%s %s", name, version)
				assert.Equal(t, "(devel)", libVer, "a test binary records no module version")
			} else {
				assert.False(t, hasName, "%s %s has no lib-name field", name, version)
			}

			// The same on the shared connections, seen from outside.
			valueOf(t, c.Ping(t.Context()))
			for _, other := range valueOf(t, c.ClientList(t.Context())) {
				if other.Name == "info-test" && hasClientSetInfo(name, version) {
					assert.Equal(t, "actoredis", other.Other["lib-name"], "connection %d", other.ID)
				}
			}
		})
	}
}

func TestHandshakeDisableClientInfo(t *testing.T) {
	c := openClient(t, client.Options{DisableClientInfo: true, ClientName: "no-info"})
	name, version := serverIdentity(t, c)
	ci := valueOf(t, openConn(t, c).ClientInfo(t.Context()))
	assert.Equal(t, "no-info", ci.Name)
	assert.Empty(t, ci.Other["lib-name"], "%s %s", name, version)
	assert.Empty(t, ci.Other["lib-ver"], "%s %s", name, version)
}

// A command the server does not have fails with the server's own error,
// and nothing else is lost: the commands issued around it on its
// connection, in a pipeline with it, and after it all succeed, on the
// same connections. HEXPIRE came with Redis 7.4 and Valkey 9.0; whether
// this server has it is asked of the server itself (COMMAND INFO).
func TestUnknownCommandFailsAlone(t *testing.T) {
	ctx := context.Background()
	c := openClient(t, client.Options{})
	key := "{" + t.Name() + "}:"
	dropKeys(t, c, key)
	t.Cleanup(func() { dropKeys(t, c, key) })
	valueOf(t, c.HSet(ctx, key+"h", "f", "v"))
	restarts := c.Stats().Restarts

	hasHExpire := !valueOf(t, c.Do(ctx, "COMMAND", "INFO", "HEXPIRE")).Elems[0].IsNull()
	t.Logf("%s %s has HEXPIRE: %v", c.HelloInfo().Name, c.HelloInfo().Version, hasHExpire)
	commands := [][]any{
		{"ACTOREDIS-NO-SUCH-COMMAND", key + "h"}, // no server has it
		{"HEXPIRE", key + "h", "100", "FIELDS", "1", "f"},
	}
	for _, cmd := range commands {
		name := cmd[0].(string)
		known := name == "HEXPIRE" && hasHExpire
		t.Run(name, func(t *testing.T) {
			check := func(t *testing.T, f *client.Future[resp.Value]) {
				t.Helper()
				v, err := f.Result()
				if known {
					require.NoError(t, err)
					assert.Equal(t, []int64{1}, mustInt64s(t, v), "HEXPIRE set the field's TTL")
					return
				}
				var se *client.Error
				require.ErrorAs(t, err, &se)
				assert.Equal(t, "ERR", se.Prefix())
				assert.Contains(t, err.Error(), "unknown command '"+name+"'", "the server's own message")
			}

			// Issued without waiting, between two commands on its key.
			set := c.Set(ctx, key+"s", "1", 0)
			f := c.Do(ctx, cmd...)
			get := c.Get(ctx, key+"s")
			check(t, f)
			assert.NoError(t, set.Err())
			assert.Equal(t, "1", get.Val())

			// In a pipeline: the others keep their replies.
			p := c.Pipeline()
			incr := p.Incr(ctx, key+"n")
			pf := p.Do(ctx, cmd...)
			hget := p.HGet(ctx, key+"h", "f")
			err := p.Exec(ctx)
			if known {
				assert.NoError(t, err)
			} else {
				var se *client.Error
				assert.ErrorAs(t, err, &se, "Exec returns the first error")
			}
			check(t, pf)
			assert.Positive(t, incr.Val())
			assert.Equal(t, "v", hget.Val())

			// And after.
			assert.Equal(t, "PONG", valueOf(t, c.Ping(ctx)))
			assert.Equal(t, "1", valueOf(t, c.Get(ctx, key+"s")))
		})
	}
	assert.Equal(t, restarts, c.Stats().Restarts, "no connection was lost or replaced")
}

func mustInt64s(t *testing.T, v resp.Value) []int64 {
	t.Helper()
	out, err := v.AsInt64s()
	require.NoError(t, err)
	return out
}

// A cluster's nodes all shake hands: the client reports the first
// primary's, in cluster mode.
func TestClusterHelloInfo(t *testing.T) {
	cl := redistest.StartCluster(t, 3, 0)
	cc, err := client.NewCluster(client.ClusterOptions{Addrs: cl.Addrs()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = cc.Close() })
	ctx := t.Context()
	require.NoError(t, cc.ForEachPrimary(ctx, func(ctx context.Context, c *client.Client) error {
		if err := c.Ping(ctx).Err(); err != nil {
			return err
		}
		info := c.HelloInfo()
		if info.Mode != "cluster" || info.Role != "master" || info.Addr == "" {
			return errors.New("node " + c.Options().Addr + ": HelloInfo " + info.Mode + " " + info.Role)
		}
		return nil
	}))
	got := cc.HelloInfo()
	assert.Equal(t, "cluster", got.Mode)
	assert.Equal(t, 3, got.Protocol)
	assert.NotEmpty(t, got.Version)
	assert.Contains(t, cl.Addrs(), got.Addr)
}

package messages

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listed is one line of a server's list (testdata/commands/<server>.tsv).
type listed struct {
	name               string
	readOnly, blocking bool
}

// listHeader is the header line of a list.
const listHeader = "command\tgroup\tsince\tflags"

// readList reads the list of one server of the matrix, as
// internal/gen wrote it from the server's COMMAND reply.
func readList(t *testing.T, path string) []listed {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []listed
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == listHeader {
			continue
		}
		cols := strings.Split(line, "\t")
		require.Len(t, cols, 4, "%s: %q", path, line)
		out = append(out, listed{
			name:     cols[0],
			readOnly: strings.Contains(cols[3], "readonly"),
			blocking: strings.Contains(cols[3], "blocking"),
		})
	}
	require.NoError(t, sc.Err())
	return out
}

// TestTableMatchesEveryServer checks the generated table against the list
// of each server of the matrix: every command of every server is in it,
// ReadOnly exactly where that server says readonly, Blocking exactly where
// it says blocking but for blockingOverrides; and the table holds no
// command that no server has. The integration test TestFlagsTableMatchesServer
// checks each list against its live server.
func TestTableMatchesEveryServer(t *testing.T) {
	paths, err := filepath.Glob("testdata/commands/*.tsv")
	require.NoError(t, err)
	require.Len(t, paths, 4, "redis-7.0, redis-7.4.1, valkey-8.0.1 and valkey-9")
	seen := map[string]bool{}
	for _, path := range paths {
		cmds := readList(t, path)
		require.Greater(t, len(cmds), 300, path)
		for _, c := range cmds {
			seen[c.name] = true
			f, ok := commandFlags[c.name]
			if !assert.True(t, ok, "%s: %s is not in the table", path, c.name) {
				continue
			}
			assert.Equal(t, c.readOnly, f.Has(ReadOnly), "%s: %s ReadOnly", path, c.name)
			want := c.blocking
			if b, ok := blockingOverrides[c.name]; ok {
				want = b
			}
			assert.Equal(t, want, f.Has(Blocking), "%s: %s Blocking", path, c.name)
		}
	}
	for name := range commandFlags {
		assert.True(t, seen[name], "%s is in the table but on no server of the matrix", name)
	}
}

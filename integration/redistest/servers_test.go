package redistest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeEnv is a machine for chooseSource: its variables, a PATH of
// binaries, the versions they report, and whether containers run.
type fakeEnv struct {
	vars       map[string]string
	path       map[string]string // name -> binary
	versions   map[string]string // binary -> --version output
	containers error
}

func (f fakeEnv) env() env {
	return env{
		getenv: func(k string) string { return f.vars[k] },
		lookPath: func(name string) (string, error) {
			if bin, ok := f.path[name]; ok {
				return bin, nil
			}
			return "", errors.New("not found")
		},
		versionOf: func(bin string) (string, error) {
			if out, ok := f.versions[bin]; ok {
				return out, nil
			}
			return "", os.ErrNotExist
		},
		containers: func() error { return f.containers },
	}
}

// fakeCache makes a build cache with a bin/redis-server and bin/redis-cli
// in a tree per name.
func fakeCache(t *testing.T, names ...string) string {
	t.Helper()
	cache := t.TempDir()
	for _, n := range names {
		bin := filepath.Join(cache, n, "bin")
		if err := os.MkdirAll(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, b := range []string{"redis-server", "redis-cli"} {
			if err := os.WriteFile(filepath.Join(bin, b), []byte("#!/bin/sh\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	return cache
}

var errNoDaemon = errors.New("no Docker daemon answers")

func TestSourceFallbackOrder(t *testing.T) {
	cache := fakeCache(t, "redis-7.4.1", "valkey-8.0.1", "valkey-unstable-2026-05-19", "valkey-unstable-2025-01-01", "redis-7.4.9", "redis-7.4.10")
	tests := []struct {
		name       string
		vars       map[string]string
		path       map[string]string
		containers error
		wantServer string // a path relative to the cache, or absolute
		wantCLI    string
		wantImage  string
	}{
		{
			name:       "PATH when nothing is chosen",
			path:       map[string]string{"redis-server": "/usr/bin/redis-server", "redis-cli": "/usr/bin/redis-cli"},
			wantServer: "/usr/bin/redis-server", wantCLI: "/usr/bin/redis-cli",
		},
		{
			name:       "PATH before a container",
			path:       map[string]string{"redis-server": "/opt/none/redis-server"},
			wantServer: "/opt/none/redis-server",
		},
		{
			name:      "a container of the default image without redis-server",
			wantImage: defaultImage,
		},
		{
			name:      "REDIS_IMAGE before PATH",
			vars:      map[string]string{envImage: "valkey/valkey:8"},
			path:      map[string]string{"redis-server": "/usr/bin/redis-server"},
			wantImage: "valkey/valkey:8",
		},
		{
			name:       "REDISTEST_SERVER before PATH, with the cli beside it",
			vars:       map[string]string{envServer: "redis-7.4.1"},
			path:       map[string]string{"redis-server": "/usr/bin/redis-server", "redis-cli": "/usr/bin/redis-cli"},
			wantServer: "redis-7.4.1/bin/redis-server", wantCLI: "redis-7.4.1/bin/redis-cli",
		},
		{
			name:       "a version prefix takes the newest build",
			vars:       map[string]string{envServer: "redis-7.4"},
			wantServer: "redis-7.4.10/bin/redis-server", wantCLI: "redis-7.4.10/bin/redis-cli",
		},
		{
			name:       "valkey-8 is valkey-8.0.1",
			vars:       map[string]string{envServer: "valkey-8"},
			wantServer: "valkey-8.0.1/bin/redis-server", wantCLI: "valkey-8.0.1/bin/redis-cli",
		},
		{
			name:       "valkey-9 is the newest development tree",
			vars:       map[string]string{envServer: "valkey-9"},
			wantServer: "valkey-unstable-2026-05-19/bin/redis-server", wantCLI: "valkey-unstable-2026-05-19/bin/redis-cli",
		},
		{
			name:       "a directory",
			vars:       map[string]string{envServer: filepath.Join(cache, "valkey-8.0.1", "bin")},
			wantServer: "valkey-8.0.1/bin/redis-server", wantCLI: "valkey-8.0.1/bin/redis-cli",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{envCache: cache}
			for k, v := range tt.vars {
				vars[k] = v
			}
			src, err := chooseSource(fakeEnv{vars: vars, path: tt.path, containers: tt.containers}.env())
			if err != nil {
				t.Fatal(err)
			}
			abs := func(p string) string {
				if p == "" || filepath.IsAbs(p) {
					return p
				}
				return filepath.Join(cache, p)
			}
			if src.server != abs(tt.wantServer) || src.cli != abs(tt.wantCLI) || src.image != tt.wantImage {
				t.Errorf("server %q cli %q image %q; want %q %q %q",
					src.server, src.cli, src.image, abs(tt.wantServer), abs(tt.wantCLI), tt.wantImage)
			}
		})
	}
}

func TestSourceRedis70IsTheSystemOne(t *testing.T) {
	f := fakeEnv{
		vars: map[string]string{envServer: "redis-7.0"},
		// PATH leads to a newer server first, as PATH=<cache>/bin:$PATH does.
		path: map[string]string{"redis-server": "/cache/redis-7.4.1/bin/redis-server"},
		versions: map[string]string{
			"/cache/redis-7.4.1/bin/redis-server": "Redis server v=7.4.1 sha=00000000:1 malloc=jemalloc-5.3.0 bits=64 build=68eb\n",
			"/usr/bin/redis-server":               "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=c4c\n",
		},
	}
	src, err := chooseSource(f.env())
	if err != nil {
		t.Fatal(err)
	}
	if src.server != "/usr/bin/redis-server" {
		t.Errorf("redis-7.0 chose %s, want /usr/bin/redis-server", src.server)
	}

	delete(f.versions, "/usr/bin/redis-server")
	_, err = chooseSource(f.env())
	for _, hint := range []string{"no Redis 7.0", "redis 7.4.1", "apt-get install -y redis-server"} {
		if err == nil || !strings.Contains(err.Error(), hint) {
			t.Errorf("without 7.0: error %v does not say %q", err, hint)
		}
	}
}

// A server that was asked for and is missing is an error that says how to
// get it; the harness never falls back to another one.
func TestSourceMissingServerSaysHowToGetIt(t *testing.T) {
	tests := []struct {
		name  string
		vars  map[string]string
		path  map[string]string
		ctr   error
		hints []string
	}{
		{
			name:  "not built",
			vars:  map[string]string{envServer: "valkey-9"},
			path:  map[string]string{"redis-server": "/usr/bin/redis-server"},
			hints: []string{"REDISTEST_SERVER=valkey-9", "not built in", "bash scripts/build-server.sh valkey-9", "make test-matrix"},
		},
		{
			name:  "an image without a daemon",
			vars:  map[string]string{envImage: "redis:7.4"},
			path:  map[string]string{"redis-server": "/usr/bin/redis-server"},
			ctr:   errNoDaemon,
			hints: []string{"REDIS_IMAGE=redis:7.4", "no Docker daemon answers"},
		},
		{
			name:  "both chosen",
			vars:  map[string]string{envImage: "redis:7.4", envServer: "redis-7.4.1"},
			hints: []string{"both", "unset one"},
		},
		{
			name:  "nothing at all",
			ctr:   errNoDaemon,
			hints: []string{"apt-get install -y redis-server", "scripts/build-server.sh", "REDISTEST_SERVER", "REDIS_ADDR", "Docker", "no Docker daemon answers"},
		},
		{
			name:  "a directory without a server",
			vars:  map[string]string{envServer: "/nonexistent/bin"},
			hints: []string{"no executable /nonexistent/bin/redis-server"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{envCache: t.TempDir()}
			for k, v := range tt.vars {
				vars[k] = v
			}
			src, err := chooseSource(fakeEnv{vars: vars, path: tt.path, containers: tt.ctr}.env())
			if err == nil {
				t.Fatalf("chose %+v, want an error", src)
			}
			for _, h := range tt.hints {
				if !strings.Contains(err.Error(), h) {
					t.Errorf("the error does not say %q: %v", h, err)
				}
			}
		})
	}
}

func TestClustersAndSentinelsNeedProcesses(t *testing.T) {
	_, err := needProcesses(&source{name: "redis:7.4", image: "redis:7.4"}, nil, "a cluster")
	for _, h := range []string{"a cluster runs redis-server processes", "REDIS_IMAGE=redis:7.4", "REDISTEST_SERVER"} {
		if err == nil || !strings.Contains(err.Error(), h) {
			t.Errorf("the error does not say %q: %v", h, err)
		}
	}
}

func TestParseVersion(t *testing.T) {
	lines := map[string]Version{
		"Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=c4c": {"redis", 7, 0, 15},
		"Valkey server v=8.0.1 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=1":   {"valkey", 8, 0, 1},
		"Valkey server v=255.255.255 sha=82740995:0 malloc=jemalloc-5.3.0 bits=64":     {"valkey", 255, 255, 255},
	}
	for line, want := range lines {
		got, err := parseVersionLine(line)
		if err != nil || got != want {
			t.Errorf("parseVersionLine(%q) = %v, %v; want %v", line, got, err, want)
		}
	}
	if _, err := parseVersionLine("redis-server: command not found"); err == nil {
		t.Error("parseVersionLine of no version: no error")
	}
	infos := []struct {
		info map[string]string
		want Version
	}{
		{map[string]string{"redis_version": "7.4.1"}, Version{"redis", 7, 4, 1}},
		{map[string]string{"redis_version": "7.2.4", "server_name": "valkey", "valkey_version": "8.0.1"}, Version{"valkey", 8, 0, 1}},
	}
	for _, tt := range infos {
		got, err := parseVersionInfo(tt.info)
		if err != nil || got != tt.want {
			t.Errorf("parseVersionInfo(%v) = %v, %v; want %v", tt.info, got, err, tt.want)
		}
	}
	v := Version{"valkey", 8, 0, 1}
	if !v.AtLeast(8, 0) || v.AtLeast(8, 1) || !v.AtLeast(7, 4) || !v.Valkey() || v.String() != "valkey 8.0.1" {
		t.Errorf("Version %v: AtLeast, Valkey or String wrong", v)
	}
}

func TestNaturalCompare(t *testing.T) {
	if naturalCompare("redis-7.4.10", "redis-7.4.9") <= 0 || naturalCompare("a-2", "a-10") >= 0 || naturalCompare("x", "x") != 0 {
		t.Error("naturalCompare does not order digit runs as numbers")
	}
}

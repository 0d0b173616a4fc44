package redistest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Which server the harness starts is decided once per test binary, here,
// from the environment:
//
//  1. REDIS_IMAGE=image (redis:7.4, valkey/valkey:8, ...): containers of
//     that image, through the container backend.
//  2. REDISTEST_SERVER=name: the binaries of a server of the test matrix:
//     redis-7.0 is the system's (the first redis-server 7.0 on PATH or in
//     /usr/bin); the others (redis-7.4.1, valkey-8.0.1, valkey-9 for the
//     Valkey development tree, or any version prefix of a built tarball's
//     name) are looked up in the build cache that scripts/build-server.sh
//     fills: $ACTOREDIS_SERVER_CACHE, by default
//     $HOME/.cache/actoredis/servers. A name holding a slash is a
//     directory with redis-server (and redis-cli) in it.
//  3. Neither: redis-server from PATH, with the redis-cli beside it.
//  4. Else a container of redis:7.0 when a container backend is linked in
//     and its Docker daemon answers.
//
// A server that was asked for and cannot be had is an error that says how
// to get it; the harness never falls back from what was asked for.

// Environment variables that choose the server.
const (
	envServer = "REDISTEST_SERVER"
	envImage  = "REDIS_IMAGE"
	envCache  = "ACTOREDIS_SERVER_CACHE"
)

// source is where the harness's private servers come from: binaries on
// this machine or an image.
type source struct {
	name   string // what was asked for, for messages: a server name, an image or "PATH"
	server string // redis-server; empty for containers
	cli    string // redis-cli; empty when there is none
	image  string // the container image; empty for processes

	versionOnce sync.Once
	version     Version
	versionErr  error
}

func (s *source) container() bool { return s.image != "" }

// env is what source selection reads of the machine, so that tests can
// give it another one.
type env struct {
	getenv   func(string) string
	lookPath func(string) (string, error)
	// versionOf runs bin --version.
	versionOf func(bin string) (string, error)
	// containers reports why containers cannot be run, or nil.
	containers func() error
}

func osEnv() env {
	return env{
		getenv:   os.Getenv,
		lookPath: exec.LookPath,
		versionOf: func(bin string) (string, error) {
			out, err := exec.Command(bin, "--version").Output()
			return string(out), err
		},
		containers: containersAvailable,
	}
}

var chosen struct {
	once sync.Once
	src  *source
	err  error
}

// currentSource returns the source chosen for this test binary.
func currentSource() (*source, error) {
	chosen.once.Do(func() { chosen.src, chosen.err = chooseSource(osEnv()) })
	return chosen.src, chosen.err
}

// chooseSource applies the order in the comment at the top of this file.
func chooseSource(e env) (*source, error) {
	image, name := e.getenv(envImage), e.getenv(envServer)
	switch {
	case image != "" && name != "":
		return nil, fmt.Errorf("redistest: both %s=%s and %s=%s are set; unset one: "+
			"REDIS_IMAGE runs containers, REDISTEST_SERVER runs binaries of this machine", envImage, image, envServer, name)
	case image != "":
		if err := e.containers(); err != nil {
			return nil, fmt.Errorf("redistest: %s=%s: %w", envImage, image, err)
		}
		return &source{name: image, image: image}, nil
	case name != "":
		return namedSource(e, name)
	}
	if bin, err := e.lookPath("redis-server"); err == nil {
		return &source{name: "PATH", server: bin, cli: cliBeside(e, bin)}, nil
	}
	if err := e.containers(); err == nil {
		return &source{name: defaultImage, image: defaultImage}, nil
	} else {
		return nil, fmt.Errorf("%w (containers: %v)", errNoRedis, err)
	}
}

// cliBeside returns the redis-cli in server's directory, else the one on
// PATH, else "".
func cliBeside(e env, server string) string {
	if cli := filepath.Join(filepath.Dir(server), "redis-cli"); executable(cli) {
		return cli
	}
	if cli, err := e.lookPath("redis-cli"); err == nil {
		return cli
	}
	return ""
}

func executable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// buildHint is the command that builds name into the cache.
func buildHint(name string) string {
	return "bash scripts/build-server.sh " + name + " in the repository (about a minute; make test-matrix builds every server of the matrix)"
}

// namedSource resolves REDISTEST_SERVER=name.
func namedSource(e env, name string) (*source, error) {
	if strings.Contains(name, "/") {
		bin := filepath.Join(name, "redis-server")
		if !executable(bin) {
			return nil, fmt.Errorf("redistest: %s=%s: no executable %s", envServer, name, bin)
		}
		return &source{name: name, server: bin, cli: cliBeside(e, bin)}, nil
	}
	if name == "redis-7.0" {
		return systemRedis70(e)
	}
	cache := serverCache(e)
	dir, err := cachedServer(cache, name)
	if err != nil {
		return nil, fmt.Errorf("redistest: %s=%s: %w; build it with: %s", envServer, name, err, buildHint(name))
	}
	bin := filepath.Join(dir, "bin", "redis-server")
	return &source{name: filepath.Base(dir), server: bin, cli: cliBeside(e, bin)}, nil
}

// systemRedis70 finds Redis 7.0 on PATH or in /usr/bin.
func systemRedis70(e env) (*source, error) {
	var candidates []string
	if bin, err := e.lookPath("redis-server"); err == nil {
		candidates = append(candidates, bin)
	}
	candidates = append(candidates, "/usr/bin/redis-server")
	var seen []string
	for _, bin := range candidates {
		out, err := e.versionOf(bin)
		if err != nil {
			continue
		}
		v, err := parseVersionLine(out)
		if err != nil {
			continue
		}
		seen = append(seen, bin+" is "+v.String())
		if v.Server == "redis" && v.Major == 7 && v.Minor == 0 {
			return &source{name: "redis-7.0", server: bin, cli: cliBeside(e, bin)}, nil
		}
	}
	found := "none found"
	if len(seen) > 0 {
		found = strings.Join(seen, ", ")
	}
	return nil, fmt.Errorf("redistest: %s=redis-7.0: no Redis 7.0 on PATH or in /usr/bin (%s); "+
		"install it: apt-get install -y redis-server on Debian 12, or run bash scripts/ensure-redis.sh", envServer, found)
}

// serverCache is the directory scripts/build-server.sh builds into.
func serverCache(e env) string {
	if dir := e.getenv(envCache); dir != "" {
		return dir
	}
	home := e.getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".cache", "actoredis", "servers")
}

// cachedServer finds the built server that name stands for in cache: the
// tree of that name, or the newest one whose name starts with name and a
// "." or "-" (redis-7.4 for redis-7.4.1); valkey-9 stands for the Valkey
// development tree, valkey-unstable-*. A tree counts when its
// bin/redis-server is executable.
func cachedServer(cache, name string) (string, error) {
	entries, err := os.ReadDir(cache)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	prefixes := []string{name + ".", name + "-"}
	if name == "valkey-9" {
		prefixes = []string{"valkey-unstable-"}
	}
	var matches []string
	for _, ent := range entries {
		n := ent.Name()
		if strings.HasPrefix(n, ".") || strings.HasSuffix(n, ".tmp") {
			continue // a build in progress
		}
		if n != name && !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(n, p) }) {
			continue
		}
		if executable(filepath.Join(cache, n, "bin", "redis-server")) {
			if n == name {
				return filepath.Join(cache, n), nil
			}
			matches = append(matches, n)
		}
	}
	if len(matches) == 0 {
		return "", fmt.Errorf("not built in %s", cache)
	}
	slices.SortFunc(matches, naturalCompare)
	return filepath.Join(cache, matches[len(matches)-1]), nil
}

// naturalCompare orders strings with runs of digits compared as numbers,
// so that redis-7.4.10 comes after redis-7.4.9.
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, _ := strconv.Atoi(a[:da])
			nb, _ := strconv.Atoi(b[:db])
			if na != nb {
				return na - nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// Version is a server's name and version.
type Version struct {
	// Server is "redis" or "valkey".
	Server string
	// Major, Minor and Patch are the server's own version: Valkey's, not
	// the Redis version it claims compatibility with. Valkey's development
	// tree reports 255.255.255.
	Major, Minor, Patch int
}

// String returns "redis 7.4.1" or "valkey 8.0.1".
func (v Version) String() string {
	return fmt.Sprintf("%s %d.%d.%d", v.Server, v.Major, v.Minor, v.Patch)
}

// Valkey reports whether the server is Valkey.
func (v Version) Valkey() bool { return v.Server == "valkey" }

// AtLeast reports whether the version is major.minor or newer.
func (v Version) AtLeast(major, minor int) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

// parseVersionLine reads redis-server --version: "Redis server v=7.0.15
// sha=..." or "Valkey server v=8.0.1 ...".
func parseVersionLine(out string) (Version, error) {
	fields := strings.Fields(out)
	for i, f := range fields {
		if !strings.HasPrefix(f, "v=") || i == 0 {
			continue
		}
		v, err := parseVersionNumber(f[2:])
		if err != nil {
			break
		}
		v.Server = strings.ToLower(fields[0])
		return v, nil
	}
	return Version{}, fmt.Errorf("redistest: no version in %q", strings.TrimSpace(out))
}

// parseVersionInfo reads INFO server: Valkey has valkey_version (and a
// redis_version it is compatible with), Redis only redis_version.
func parseVersionInfo(info map[string]string) (Version, error) {
	server, number := "redis", info["redis_version"]
	if vv := info["valkey_version"]; vv != "" {
		server, number = "valkey", vv
	}
	v, err := parseVersionNumber(number)
	v.Server = server
	return v, err
}

func parseVersionNumber(s string) (Version, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return Version{}, fmt.Errorf("redistest: version %q is not major.minor.patch", s)
	}
	var n [3]int
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil {
			return Version{}, fmt.Errorf("redistest: version %q is not major.minor.patch", s)
		}
		n[i] = x
	}
	return Version{Major: n[0], Minor: n[1], Patch: n[2]}, nil
}

// ServerVersion returns the name and version of the server that Start,
// StartCluster and StartSentinel start in this test binary (the one
// REDISTEST_SERVER, REDIS_IMAGE or PATH chose), so that a test of
// behaviour that differs between versions can assert the behaviour of the
// server it has. Without a private server (only REDIS_ADDR), it is the
// shared server's. It fails tb when there is no server to be had.
func ServerVersion(tb testing.TB) Version {
	tb.Helper()
	src, err := currentSource()
	if err != nil {
		if os.Getenv("REDIS_ADDR") != "" {
			return Shared(tb).Version()
		}
		tb.Fatalf("%v", err)
	}
	v, err := src.serverVersion()
	if err != nil {
		tb.Fatalf("redistest: the version of %s: %v", src.name, err)
	}
	return v
}

// serverVersion asks the binary (--version) or, for an image, a server
// started from it; once per test binary.
func (s *source) serverVersion() (Version, error) {
	s.versionOnce.Do(func() {
		if !s.container() {
			var out []byte
			out, s.versionErr = exec.Command(s.server, "--version").Output()
			if s.versionErr == nil {
				s.version, s.versionErr = parseVersionLine(string(out))
			}
			return
		}
		dir, err := os.MkdirTemp("", "redistest-version-")
		if err != nil {
			s.versionErr = err
			return
		}
		defer os.RemoveAll(dir)
		inst, err := startWith(newConfig(nil), dir, s.backend(dir, nil))
		if err != nil {
			s.versionErr = err
			return
		}
		s.version, s.versionErr = inst.serverVersion()
		s.versionErr = errors.Join(s.versionErr, inst.close())
	})
	return s.version, s.versionErr
}

// backend returns the factory of backends that run this source's server.
func (s *source) backend(dir string, args []string) func() (backend, Kind) {
	if s.container() {
		return func() (backend, Kind) { return newContainer(s.image, args), KindDocker }
	}
	return func() (backend, Kind) { return newProcess(s.server, dir, args), KindProcess }
}

// processSource returns the source for what runs only as processes
// (clusters and sentinels), or an error that says why there is none.
func processSource(what string) (*source, error) {
	src, err := currentSource()
	return needProcesses(src, err, what)
}

// needProcesses is processSource for a given choice.
func needProcesses(src *source, err error, what string) (*source, error) {
	if err != nil {
		return nil, err
	}
	if src.container() {
		return nil, fmt.Errorf("redistest: %s runs redis-server processes, not containers (%s=%s or no redis-server on PATH); "+
			"install redis-server (apt-get install -y redis-server), or choose a built server with %s=name "+
			"(bash scripts/build-server.sh name)", what, envImage, src.image, envServer)
	}
	return src, nil
}

// serverVersion reads the version from INFO server; the instance keeps it.
func (in *instance) serverVersion() (Version, error) {
	in.mu.Lock()
	v := in.version
	in.mu.Unlock()
	if v.Server != "" {
		return v, nil
	}
	info, err := (&Server{inst: in}).Info("server")
	if err != nil {
		return Version{}, err
	}
	v, err = parseVersionInfo(info)
	if err != nil {
		return Version{}, err
	}
	in.mu.Lock()
	in.version = v
	in.mu.Unlock()
	return v, nil
}

// Version returns the server's name and version, from its INFO server.
func (s *Server) Version() Version {
	s.tb.Helper()
	v, err := s.inst.serverVersion()
	if err != nil {
		s.tb.Fatalf("redistest: the version of %s: %v", s.Addr(), err)
	}
	return v
}

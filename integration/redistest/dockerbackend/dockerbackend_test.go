package dockerbackend

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	dc "github.com/ory/dockertest/v3/docker"

	"github.com/actoredis/actoredis/integration/redistest"
)

// No Docker daemon runs where these tests were written: they check what
// the backend asks of Docker and what it says when no daemon answers.
// Every test sees a daemon that is not there, at noDaemon.
const noDaemon = "unix:///nonexistent/docker.sock"

func TestMain(m *testing.M) {
	os.Setenv("DOCKER_HOST", noDaemon)
	os.Setenv("REDIS_IMAGE", "valkey/valkey:9")
	os.Unsetenv("REDISTEST_SERVER")
	os.Exit(m.Run())
}

func TestSplitImage(t *testing.T) {
	tests := []struct{ image, repo, tag string }{
		{"redis:7.4", "redis", "7.4"},
		{"redis", "redis", "latest"},
		{"valkey/valkey:8", "valkey/valkey", "8"},
		{"valkey/valkey:9.0-alpine", "valkey/valkey", "9.0-alpine"},
		{"registry.example:5000/redis:8.2", "registry.example:5000/redis", "8.2"},
		{"registry.example:5000/redis", "registry.example:5000/redis", "latest"},
		{"redis@sha256:0123abcd", "redis", "sha256:0123abcd"},
	}
	for _, tt := range tests {
		repo, tag, err := splitImage(tt.image)
		if err != nil || repo != tt.repo || tag != tt.tag {
			t.Errorf("splitImage(%q) = %q, %q, %v; want %q, %q", tt.image, repo, tag, err, tt.repo, tt.tag)
		}
	}
	for _, bad := range []string{"", "redis 7.4"} {
		if _, _, err := splitImage(bad); err == nil {
			t.Errorf("splitImage(%q): no error", bad)
		}
	}
}

func TestRunOptionsPublishOnLoopbackOnly(t *testing.T) {
	spec := redistest.ContainerSpec{
		Name:   "redistest-1-30200",
		Image:  "valkey/valkey:8",
		Cmd:    []string{"valkey-server", "--port", "30200"},
		Port:   30200,
		Labels: map[string]string{"redistest": "1"},
	}
	opts, err := runOptions(spec)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Repository != "valkey/valkey" || opts.Tag != "8" || opts.Name != spec.Name ||
		strings.Join(opts.Cmd, " ") != "valkey-server --port 30200" || opts.Labels["redistest"] != "1" {
		t.Errorf("options %+v", opts)
	}
	want := map[dc.Port][]dc.PortBinding{"30200/tcp": {{HostIP: "127.0.0.1", HostPort: "30200"}}}
	if fmt.Sprint(opts.PortBindings) != fmt.Sprint(want) || len(opts.ExposedPorts) != 1 || opts.ExposedPorts[0] != "30200/tcp" {
		t.Errorf("ports: exposed %v, bindings %v; want 30200/tcp on 127.0.0.1:30200", opts.ExposedPorts, opts.PortBindings)
	}
	var hc dc.HostConfig
	hc.AutoRemove = true
	hostConfig(&hc)
	if hc.AutoRemove || hc.RestartPolicy.Name != "no" {
		t.Errorf("host config %+v: a stopped container must stay, and never restart by itself", hc)
	}
	spec.Port = 0
	if _, err := runOptions(spec); err == nil {
		t.Error("port 0: no error")
	}
}

func TestNoDaemonSaysWhere(t *testing.T) {
	r := New("")
	err := r.Available()
	if err == nil || !strings.Contains(err.Error(), "no Docker daemon answers at "+noDaemon) ||
		!strings.Contains(err.Error(), "DOCKER_HOST") {
		t.Fatalf("Available without a daemon: %v", err)
	}
	if _, err := r.Run(redistest.ContainerSpec{Image: "redis:7.4", Port: 30201}); err == nil || !strings.Contains(err.Error(), noDaemon) {
		t.Errorf("Run without a daemon: %v", err)
	}
}

// fakeTB records Fatalf instead of failing the test.
type fakeTB struct {
	testing.TB
	t     *testing.T
	mu    sync.Mutex
	fatal string
}

func (f *fakeTB) Helper()           {}
func (f *fakeTB) TempDir() string   { return f.t.TempDir() }
func (f *fakeTB) Cleanup(fn func()) { f.t.Cleanup(fn) }
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.fatal = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

// Importing the package registers it: with REDIS_IMAGE set and no daemon,
// the harness fails and names the image and the daemon it tried; it does
// not fall back to a redis-server on PATH.
func TestHarnessWithImageAndNoDaemon(t *testing.T) {
	tb := &fakeTB{t: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		redistest.Start(tb)
	}()
	<-done
	for _, h := range []string{"REDIS_IMAGE=valkey/valkey:9", "no Docker daemon answers at " + noDaemon} {
		if !strings.Contains(tb.fatal, h) {
			t.Errorf("Start: %q does not say %q", tb.fatal, h)
		}
	}
}

package redistest

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakeRuntime records what the container backend asks of a runtime.
type fakeRuntime struct {
	available error
	runErr    error
	specs     []ContainerSpec
	ctr       *fakeContainer
}

func (f *fakeRuntime) Available() error { return f.available }

func (f *fakeRuntime) Run(spec ContainerSpec) (Container, error) {
	f.specs = append(f.specs, spec)
	if f.runErr != nil {
		return nil, f.runErr
	}
	f.ctr = &fakeContainer{running: true}
	return f.ctr, nil
}

type fakeContainer struct {
	running  bool
	calls    []string
	startErr error
}

func (c *fakeContainer) ID() string             { return "f00d" }
func (c *fakeContainer) Running() (bool, error) { return c.running, nil }
func (c *fakeContainer) Start() error {
	c.calls = append(c.calls, "start")
	if c.startErr != nil {
		return c.startErr
	}
	c.running = true
	return nil
}
func (c *fakeContainer) Kill() error {
	c.calls = append(c.calls, "kill")
	c.running = false
	return nil
}
func (c *fakeContainer) Stop(time.Duration) error {
	c.calls = append(c.calls, "stop")
	c.running = false
	return nil
}
func (c *fakeContainer) Remove() error              { c.calls = append(c.calls, "remove"); return nil }
func (c *fakeContainer) Logs(n int) (string, error) { return "the log", nil }

func useFakeRuntime(t *testing.T, rt ContainerRuntime) {
	t.Helper()
	saved := containerRuntime()
	UseContainers(rt)
	t.Cleanup(func() { UseContainers(saved) })
}

func TestServerCommandOfImage(t *testing.T) {
	for image, want := range map[string]string{
		"redis:7.0":                      "redis-server",
		"redis:8.2-alpine":               "redis-server",
		"valkey/valkey:8":                "valkey-server",
		"valkey/valkey:9.0@sha256:abc":   "valkey-server",
		"registry.example:5000/valkey:9": "valkey-server",
		"registry.example:5000/redis":    "redis-server",
		"bitnami/valkey-cluster:8":       "redis-server",
	} {
		if got := serverCommand(image); got != want {
			t.Errorf("serverCommand(%q) = %q, want %q", image, got, want)
		}
	}
}

func TestContainerLaunchSpec(t *testing.T) {
	rt := &fakeRuntime{}
	useFakeRuntime(t, rt)
	c := newContainer("valkey/valkey:8", []string{"--requirepass", "pw"})
	if err := c.launch(30123); err != nil {
		t.Fatal(err)
	}
	spec := rt.specs[0]
	if spec.Image != "valkey/valkey:8" || spec.Port != 30123 || spec.Labels["redistest"] != "1" ||
		!strings.HasPrefix(spec.Name, "redistest-") || !strings.HasSuffix(spec.Name, "-30123") {
		t.Errorf("spec %+v", spec)
	}
	want := append([]string{"valkey-server"}, containerArgs(30123, []string{"--requirepass", "pw"})...)
	if !slices.Equal(spec.Cmd, want) {
		t.Errorf("Cmd = %q, want %q", spec.Cmd, want)
	}
	for _, a := range []string{"--port 30123", "--bind 0.0.0.0", "--protected-mode no", "--requirepass pw"} {
		if !strings.Contains(strings.Join(spec.Cmd, " "), a) {
			t.Errorf("Cmd %q lacks %q", spec.Cmd, a)
		}
	}

	// Kill, then a restart on the same port starts the same container.
	if err := c.kill(); err != nil || !c.exited() {
		t.Fatalf("kill: %v, exited %v", err, c.exited())
	}
	if err := c.launch(30123); err != nil {
		t.Fatal(err)
	}
	if len(rt.specs) != 1 || !slices.Equal(rt.ctr.calls, []string{"kill", "start"}) {
		t.Errorf("a restart ran %d containers and called %v, want 1 and [kill start]", len(rt.specs), rt.ctr.calls)
	}
	if err := c.terminate(time.Second); err != nil {
		t.Fatal(err)
	}
	if err := c.release(); err != nil || c.logTail(5) != "(no container)" {
		t.Errorf("release: %v", err)
	}
	if !slices.Equal(rt.ctr.calls, []string{"kill", "start", "stop", "remove"}) {
		t.Errorf("calls %v", rt.ctr.calls)
	}
}

func TestContainerPortTaken(t *testing.T) {
	rt := &fakeRuntime{runErr: errors.New("API error (500): driver failed programming external connectivity: Bind for 127.0.0.1:30124 failed: port is already allocated")}
	useFakeRuntime(t, rt)
	err := newContainer("redis:7.4", nil).launch(30124)
	if !errors.Is(err, errPortTaken) {
		t.Errorf("launch on a taken port: %v, want errPortTaken (so that Start tries another port)", err)
	}
	rt.runErr = errors.New("manifest for redis:9.9 not found")
	err = newContainer("redis:9.9", nil).launch(30125)
	if err == nil || errors.Is(err, errPortTaken) || !strings.Contains(err.Error(), "starting a redis:9.9 container: manifest") {
		t.Errorf("launch of a missing image: %v", err)
	}
}

func TestContainersAvailable(t *testing.T) {
	useFakeRuntime(t, nil)
	err := containersAvailable()
	for _, h := range []string{"no container backend", "integration/redistest/dockerbackend", "make test-docker REDIS_IMAGE="} {
		if err == nil || !strings.Contains(err.Error(), h) {
			t.Errorf("without a runtime: %v does not say %q", err, h)
		}
	}
	if err := newContainer("redis:7.4", nil).launch(30126); !errors.Is(err, errNoContainerBackend) {
		t.Errorf("launch without a runtime: %v", err)
	}
	down := errors.New("no Docker daemon answers at unix:///var/run/docker.sock")
	useFakeRuntime(t, &fakeRuntime{available: down})
	if err := containersAvailable(); !errors.Is(err, down) {
		t.Errorf("with a runtime whose daemon is down: %v", err)
	}
	useFakeRuntime(t, &fakeRuntime{})
	if err := containersAvailable(); err != nil {
		t.Errorf("with a runtime that answers: %v", err)
	}
}

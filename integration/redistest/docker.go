package redistest

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The container backend. The harness does not talk to Docker itself: a
// ContainerRuntime does, registered with UseContainers. The one the
// project ships is built on github.com/ory/dockertest/v3 and lives in its
// own module, github.com/actoredis/actoredis/integration/redistest/dockerbackend,
// so that the Docker client and the thirty-odd modules it brings stay out
// of the library's go.mod and out of every build that does not ask for
// them; `make test-docker REDIS_IMAGE=redis:7.4` links it into the
// integration tests.

// defaultImage is the image run when no server was chosen and none is on
// PATH.
const defaultImage = "redis:7.0"

// ContainerRuntime runs the harness's containers. Its methods may be
// called from any goroutine, one call at a time per Container.
type ContainerRuntime interface {
	// Available returns nil when containers can be run now (a Docker
	// daemon answers), else an error that says why not.
	Available() error
	// Run creates and starts a container of spec and returns at once.
	// When spec.Port is taken on the host, its error says "port is
	// already allocated" or "address already in use", as Docker does.
	Run(spec ContainerSpec) (Container, error)
}

// ContainerSpec is one container to run.
type ContainerSpec struct {
	// Name is the container's name, unique on the host.
	Name string
	// Image is the image reference: redis:7.4, valkey/valkey:8,
	// registry.example:5000/redis:8.2.
	Image string
	// Cmd is the command line: the server binary and its arguments.
	Cmd []string
	// Port is published on 127.0.0.1:Port of the host, to the same port
	// inside the container, so that the server knows its own address.
	Port int
	// Labels mark the container; the harness sets redistest=1, so that
	// containers a killed test binary left behind can be found.
	Labels map[string]string
}

// Container is one container that a ContainerRuntime started.
type Container interface {
	// ID returns the container's ID.
	ID() string
	// Running reports whether the container runs.
	Running() (bool, error)
	// Start starts the stopped container again, with the same port.
	Start() error
	// Kill sends SIGKILL and returns once the container has stopped.
	Kill() error
	// Stop sends SIGTERM, waits up to grace, then kills.
	Stop(grace time.Duration) error
	// Remove removes the container and its volumes, running or not.
	Remove() error
	// Logs returns the last tail lines of the container's output.
	Logs(tail int) (string, error)
}

var containers struct {
	mu sync.Mutex
	rt ContainerRuntime
}

// UseContainers makes rt the harness's container runtime. The
// dockerbackend module calls it when it is imported; call it before the
// first test starts a server.
func UseContainers(rt ContainerRuntime) {
	containers.mu.Lock()
	defer containers.mu.Unlock()
	containers.rt = rt
}

func containerRuntime() ContainerRuntime {
	containers.mu.Lock()
	defer containers.mu.Unlock()
	return containers.rt
}

// errNoContainerBackend says how to link the container backend in.
var errNoContainerBackend = errors.New("no container backend is linked into this test binary: " +
	"it is the module github.com/actoredis/actoredis/integration/redistest/dockerbackend; " +
	"run make test-docker REDIS_IMAGE=<image> from the repository, " +
	"or import that package for its side effect in a test of your own module")

// containersAvailable reports why containers cannot be run, or nil.
func containersAvailable() error {
	rt := containerRuntime()
	if rt == nil {
		return errNoContainerBackend
	}
	return rt.Available()
}

// serverCommand is the server binary of image: valkey-server in Valkey's
// images (valkey/valkey, or any repository named valkey), redis-server in
// the others.
func serverCommand(image string) string {
	repo := image
	if i := strings.LastIndexByte(repo, '/'); i >= 0 {
		repo = repo[i+1:]
	}
	if i := strings.IndexAny(repo, ":@"); i >= 0 {
		repo = repo[:i]
	}
	if repo == "valkey" {
		return "valkey-server"
	}
	return "redis-server"
}

// containerArgs are a containerised server's arguments on port: it
// listens on every interface of the container (connections arrive from
// Docker's bridge), so protected mode is off and DEBUG allowed from
// anywhere; the port is published on the host's loopback only.
func containerArgs(port int, extra []string) []string {
	return append([]string{
		"--port", strconv.Itoa(port),
		"--bind", "0.0.0.0",
		"--protected-mode", "no",
		"--save", "",
		"--appendonly", "no",
		"--enable-debug-command", "yes",
		"--dir", "/data",
	}, extra...)
}

// container is the backend of a server in a container.
type container struct {
	rt    ContainerRuntime
	image string
	extra []string

	c    Container // nil before the first launch
	port int
	argv []string
}

func newContainer(image string, extra []string) *container {
	return &container{rt: containerRuntime(), image: image, extra: extra}
}

func (c *container) launch(port int) error {
	if c.rt == nil {
		return fmt.Errorf("redistest: %w", errNoContainerBackend)
	}
	if c.c != nil && c.port == port {
		// A restart: the container keeps its port binding.
		err := c.c.Start()
		if err != nil && portTakenLog(err.Error()) {
			return fmt.Errorf("%w: %v", errPortTaken, err)
		}
		return err
	}
	c.port = port
	c.argv = containerArgs(port, c.extra)
	spec := ContainerSpec{
		Name:   fmt.Sprintf("redistest-%d-%d", os.Getpid(), port),
		Image:  c.image,
		Cmd:    append([]string{serverCommand(c.image)}, c.argv...),
		Port:   port,
		Labels: map[string]string{"redistest": "1"},
	}
	ct, err := c.rt.Run(spec)
	if err != nil {
		if portTakenLog(err.Error()) {
			return fmt.Errorf("%w: %v", errPortTaken, err)
		}
		return fmt.Errorf("redistest: starting a %s container: %w", c.image, err)
	}
	c.c = ct
	return nil
}

func (c *container) exited() bool {
	if c.c == nil {
		return true
	}
	running, err := c.c.Running()
	return err != nil || !running
}

func (c *container) kill() error {
	if c.exited() {
		return nil
	}
	if err := c.c.Kill(); err != nil && !c.exited() {
		return err
	}
	return nil
}

func (c *container) terminate(grace time.Duration) error {
	if c.exited() {
		return nil
	}
	return c.c.Stop(grace)
}

// owns says yes: Docker refuses to publish a port that is taken, so the
// server on it is the container's.
func (c *container) owns(map[string]string) bool { return true }

func (c *container) release() error {
	if c.c == nil {
		return nil
	}
	if err := c.c.Remove(); err != nil {
		return err
	}
	c.c = nil
	return nil
}

func (c *container) logTail(n int) string {
	if c.c == nil {
		return "(no container)"
	}
	out, err := c.c.Logs(n)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	return out
}

func (c *container) args() []string { return c.argv }

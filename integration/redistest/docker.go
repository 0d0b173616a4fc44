package redistest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The Docker fallback, used only when redis-server is not on PATH and a
// Docker daemon answers. It drives the docker CLI rather than a Docker SDK:
// the SDK (dockertest and the Docker client it brings) would add some thirty
// modules to every integration test build for a path that machines with
// redis-server never take.

// defaultImage is the image run when no server was chosen and none is on
// PATH.
const defaultImage = "redis:7.0"

// Time limits for docker commands. A run may pull the image first.
const (
	dockerRunTimeout = 5 * time.Minute
	dockerCmdTimeout = 30 * time.Second
	dockerPingWait   = 5 * time.Second
)

var docker struct {
	once      sync.Once
	available bool
}

// dockerAvailable reports whether the docker CLI is on PATH and its daemon
// answers. It asks once per test binary.
func dockerAvailable() bool {
	docker.once.Do(func() {
		if _, err := exec.LookPath("docker"); err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), dockerPingWait)
		defer cancel()
		out, err := exec.CommandContext(ctx, "docker", "version", "--format", "{{.Server.Version}}").Output()
		docker.available = err == nil && strings.TrimSpace(string(out)) != ""
	})
	return docker.available
}

// runDocker runs one docker command and returns its combined output.
func runDocker(timeout time.Duration, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, "docker", args...).CombinedOutput()
	text := strings.TrimSpace(string(out))
	if err != nil {
		return text, fmt.Errorf("docker %s: %w: %s", args[0], err, text)
	}
	return text, nil
}

// container runs redis-server in a Docker container whose port P is
// published on 127.0.0.1:P, so that the server knows its own address (as
// Cluster and Sentinel will need). Inside, it listens on all interfaces
// and allows DEBUG from anywhere, as connections arrive from the bridge.
// Containers carry the label redistest=1: a test binary that dies without
// its cleanups leaves them behind, and
// docker rm -f $(docker ps -aq --filter label=redistest=1) removes them.
type container struct {
	image string
	extra []string

	id   string // empty before the first launch
	port int
	argv []string
}

func newContainer(image string, extra []string) *container {
	return &container{image: image, extra: extra}
}

// containersAvailable reports why containers cannot be run, or nil.
func containersAvailable() error {
	if !dockerAvailable() {
		return errors.New("no Docker daemon answers (docker version)")
	}
	return nil
}

func (c *container) launch(port int) error {
	if c.id != "" && c.port == port {
		// A restart: the container keeps its port binding.
		_, err := runDocker(dockerCmdTimeout, "start", c.id)
		if err != nil && portTakenLog(err.Error()) {
			return fmt.Errorf("%w: %v", errPortTaken, err)
		}
		return err
	}
	c.port = port
	c.argv = append([]string{
		"--port", strconv.Itoa(port),
		"--bind", "0.0.0.0",
		"--protected-mode", "no",
		"--save", "",
		"--appendonly", "no",
		"--enable-debug-command", "yes",
		"--dir", "/data",
	}, c.extra...)
	name := fmt.Sprintf("redistest-%d-%d", os.Getpid(), port)
	args := append([]string{
		"run", "--detach", "--name", name, "--label", "redistest=1",
		"--publish", fmt.Sprintf("127.0.0.1:%d:%d", port, port),
		c.image, "redis-server",
	}, c.argv...)
	out, err := runDocker(dockerRunTimeout, args...)
	if err != nil {
		// A container that could not bind its port was still created.
		_, _ = runDocker(dockerCmdTimeout, "rm", "--force", name)
		if portTakenLog(err.Error()) {
			return fmt.Errorf("%w: %v", errPortTaken, err)
		}
		return fmt.Errorf("redistest: starting a %s container: %w", c.image, err)
	}
	c.id = lastLines(out, 1) // the id follows any image pull output
	return nil
}

func (c *container) exited() bool {
	if c.id == "" {
		return true
	}
	out, err := runDocker(dockerCmdTimeout, "inspect", "--format", "{{.State.Running}}", c.id)
	return err != nil || out != "true"
}

func (c *container) kill() error {
	if c.exited() {
		return nil
	}
	if _, err := runDocker(dockerCmdTimeout, "kill", "--signal", "KILL", c.id); err != nil && !c.exited() {
		return err
	}
	_, err := runDocker(dockerCmdTimeout, "wait", c.id)
	return err
}

func (c *container) terminate(grace time.Duration) error {
	if c.exited() {
		return nil
	}
	secs := strconv.Itoa(int((grace + time.Second - 1) / time.Second))
	_, err := runDocker(grace+dockerCmdTimeout, "stop", "-t", secs, c.id)
	return err
}

// owns says yes: Docker refuses to publish a port that is taken, so the
// server on it is the container's.
func (c *container) owns(map[string]string) bool { return true }

func (c *container) release() error {
	if c.id == "" {
		return nil
	}
	_, err := runDocker(dockerCmdTimeout, "rm", "--force", "--volumes", c.id)
	if err != nil && strings.Contains(err.Error(), "No such container") {
		err = nil
	}
	if err == nil {
		c.id = ""
	}
	return err
}

func (c *container) logTail(n int) string {
	if c.id == "" {
		return "(no container)"
	}
	out, err := runDocker(dockerCmdTimeout, "logs", "--tail", strconv.Itoa(n), c.id)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	return out
}

func (c *container) args() []string { return c.argv }

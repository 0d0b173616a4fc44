// Package dockerbackend is redistest's container backend, built on
// github.com/ory/dockertest/v3. Importing it registers it:
//
//	import _ "github.com/actoredis/actoredis/integration/redistest/dockerbackend"
//
// after which the harness runs its servers in containers of REDIS_IMAGE
// (redis:7.4, redis:8.2, valkey/valkey:8, valkey/valkey:9, ...), or of
// redis:7.0 when no server was chosen and none is on PATH.
//
// It is a module of its own so that the Docker client and the modules it
// brings stay out of actoredis's go.mod and out of every build that does
// not ask for them. From the repository, make test-docker
// REDIS_IMAGE=redis:7.4 links it into the integration tests (through a
// temporary go.work and an overlay file; nothing in the tree changes).
//
// The Docker daemon is the one DOCKER_HOST names, else the platform's
// default socket.
package dockerbackend

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"

	"github.com/actoredis/actoredis/integration/redistest"
)

func init() { redistest.UseContainers(New("")) }

// pingTimeout bounds the check that a daemon answers.
const pingTimeout = 5 * time.Second

// Runtime is a redistest.ContainerRuntime on a Docker daemon.
type Runtime struct {
	endpoint string

	once sync.Once
	pool *dockertest.Pool
	err  error
}

// New returns a runtime for the daemon at endpoint ("" for DOCKER_HOST or
// the default socket). It connects on first use.
func New(endpoint string) *Runtime { return &Runtime{endpoint: endpoint} }

// connect makes the pool and pings the daemon, once.
func (r *Runtime) connect() (*dockertest.Pool, error) {
	r.once.Do(func() {
		pool, err := dockertest.NewPool(r.endpoint)
		if err != nil {
			r.err = fmt.Errorf("no Docker client: %w", err)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), pingTimeout)
		defer cancel()
		if err := pool.Client.PingWithContext(ctx); err != nil {
			r.err = fmt.Errorf("no Docker daemon answers at %s: %w; "+
				"start one, or point DOCKER_HOST at one", pool.Client.Endpoint(), err)
			return
		}
		r.pool = pool
	})
	return r.pool, r.err
}

// Available returns nil when the daemon answers a ping.
func (r *Runtime) Available() error {
	_, err := r.connect()
	return err
}

// Run pulls the image when it is missing, then creates and starts the
// container.
func (r *Runtime) Run(spec redistest.ContainerSpec) (redistest.Container, error) {
	pool, err := r.connect()
	if err != nil {
		return nil, err
	}
	opts, err := runOptions(spec)
	if err != nil {
		return nil, err
	}
	res, err := pool.RunWithOptions(opts, hostConfig)
	if err != nil {
		// A container that could not publish its port was still created.
		_ = pool.RemoveContainerByName(spec.Name)
		return nil, err
	}
	return &container{client: pool.Client, id: res.Container.ID}, nil
}

// splitImage splits an image reference into repository and tag (or
// digest, which the Docker API takes in the tag's place); no tag is
// "latest".
func splitImage(image string) (repository, tag string, err error) {
	if image == "" || strings.ContainsAny(image, " \t") {
		return "", "", fmt.Errorf("image %q is not an image reference (such as redis:7.4 or valkey/valkey:8)", image)
	}
	if i := strings.IndexByte(image, '@'); i >= 0 {
		return image[:i], image[i+1:], nil
	}
	// A colon after the last slash separates the tag; one before it is a
	// registry's port.
	slash := strings.LastIndexByte(image, '/')
	if i := strings.LastIndexByte(image, ':'); i > slash {
		return image[:i], image[i+1:], nil
	}
	return image, "latest", nil
}

// runOptions turns the harness's spec into dockertest's options: the
// port published on the host's loopback only, to the same port inside.
func runOptions(spec redistest.ContainerSpec) (*dockertest.RunOptions, error) {
	repo, tag, err := splitImage(spec.Image)
	if err != nil {
		return nil, err
	}
	if spec.Port <= 0 || spec.Port > 65535 {
		return nil, fmt.Errorf("port %d out of range", spec.Port)
	}
	port := dc.Port(strconv.Itoa(spec.Port) + "/tcp")
	return &dockertest.RunOptions{
		Name:         spec.Name,
		Repository:   repo,
		Tag:          tag,
		Cmd:          spec.Cmd,
		Labels:       spec.Labels,
		ExposedPorts: []string{string(port)},
		PortBindings: map[dc.Port][]dc.PortBinding{
			port: {{HostIP: "127.0.0.1", HostPort: strconv.Itoa(spec.Port)}},
		},
	}, nil
}

// hostConfig keeps a stopped container (Restart starts it again) and
// never restarts it behind the harness's back.
func hostConfig(hc *dc.HostConfig) {
	hc.AutoRemove = false
	hc.RestartPolicy = dc.RestartPolicy{Name: "no"}
}

// container is one container of the runtime.
type container struct {
	client *dc.Client
	id     string
}

func (c *container) ID() string { return c.id }

func (c *container) Running() (bool, error) {
	ct, err := c.client.InspectContainer(c.id)
	if err != nil {
		return false, err
	}
	return ct.State.Running, nil
}

func (c *container) Start() error {
	err := c.client.StartContainer(c.id, nil)
	var already *dc.ContainerAlreadyRunning
	if errors.As(err, &already) {
		return nil
	}
	return err
}

func (c *container) Kill() error {
	err := c.client.KillContainer(dc.KillContainerOptions{ID: c.id, Signal: dc.SIGKILL})
	var notRunning *dc.ContainerNotRunning
	if err != nil && !errors.As(err, &notRunning) {
		return err
	}
	_, err = c.client.WaitContainer(c.id)
	return err
}

func (c *container) Stop(grace time.Duration) error {
	secs := uint((grace + time.Second - 1) / time.Second)
	err := c.client.StopContainer(c.id, secs)
	var notRunning *dc.ContainerNotRunning
	if errors.As(err, &notRunning) {
		return nil
	}
	return err
}

func (c *container) Remove() error {
	err := c.client.RemoveContainer(dc.RemoveContainerOptions{ID: c.id, Force: true, RemoveVolumes: true})
	var missing *dc.NoSuchContainer
	if errors.As(err, &missing) {
		return nil
	}
	return err
}

func (c *container) Logs(tail int) (string, error) {
	var out bytes.Buffer
	err := c.client.Logs(dc.LogsOptions{
		Container:    c.id,
		OutputStream: &out,
		ErrorStream:  &out,
		Stdout:       true,
		Stderr:       true,
		Tail:         strconv.Itoa(tail),
	})
	return strings.TrimRight(out.String(), "\n"), err
}

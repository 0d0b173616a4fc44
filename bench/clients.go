package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	goredis "github.com/redis/go-redis/v9"
	"github.com/redis/rueidis"

	"github.com/actoredis/actoredis/client"
)

// driver is one client under test. Each worker goroutine asks it for its
// session once per measurement and issues every command through it; the
// peers' sessions are the shared client itself, the raw-socket driver's
// is the worker's own connection.
type driver interface {
	session(worker int) session
	Close() error
}

// session is a driver reduced to the operations the workloads issue.
// Every method blocks until the reply has arrived, so a goroutine has
// exactly one command (or one pipeline) in flight, whatever the client.
type session interface {
	Get(ctx context.Context, key string) error
	Set(ctx context.Context, key, value string) error
}

// pipeliner is a session that can send a pipeline: SetPipeline sends one
// SET of value per key through the client's pipeline API and returns when
// every reply has arrived, with the first error among them. A session
// without it is not measured on the pipeline workloads.
type pipeliner interface {
	SetPipeline(ctx context.Context, keys []string, value string) error
}

// clientNames lists the clients in their default order; -clients picks a
// subset.
var clientNames = []string{
	"actoredis",
	"go-redis",
	"go-redis-autopipeline",
	"rueidis",
	"rueidis-1conn",
	rawClient,
}

// rawClient is the hand-written baseline (raw.go): shown in the tables,
// never counted as a peer.
const rawClient = "raw-socket"

// defaultClients are the clients measured without -clients: all of them,
// but the raw-socket baseline only when a pipeline workload is selected,
// so that the default GET/SET run stays as long as it was.
func defaultClients(pipelines bool) []string {
	if pipelines {
		return clientNames
	}
	return slices.DeleteFunc(slices.Clone(clientNames), func(n string) bool { return n == rawClient })
}

// isPeer reports whether name counts for the "vs best peer" column.
func isPeer(name string) bool { return name != "actoredis" && name != rawClient }

// clientNotes describes each client's configuration for the report.
var clientNotes = map[string]string{
	"actoredis":             "client.New(Options{Addr}) defaults: RESP3, PoolSize max(2, GOMAXPROCS) multiplexed connections",
	"go-redis":              "redis.NewClient(&Options{Addr}) defaults: one command per pooled connection, PoolSize 10×GOMAXPROCS",
	"go-redis-autopipeline": "the same defaults, commands through Client.AutoPipeline() (blocking face, DefaultBlockingAutoPipelineOptions)",
	"rueidis":               "rueidis.NewClient(ClientOption{InitAddress}) defaults: auto-pipelining over 2^PipelineMultiplex connections (2 at GOMAXPROCS 2), CLIENT TRACKING OPTIN",
	"rueidis-1conn":         "the same with PipelineMultiplex -1 (one pipelined connection) and DisableCache true (no CLIENT TRACKING)",
	rawClient:               "baseline, not a peer: hand-written RESP2 over one plain net.Conn per goroutine (dialed on first use), each command or whole pipeline written with one Write from a reused buffer, replies read with a 64 KiB bufio.Reader (GET: bulk discarded; SET: checked to be +OK)",
}

// pipelineNotes describes how each client sends a pipeline.
var pipelineNotes = map[string]string{
	"actoredis":             "p := c.Pipeline(); p.Set(ctx, k, v, 0) per key; p.Exec(ctx) (10,000 commands or more run on a dedicated connection)",
	"go-redis":              "c.Pipelined(ctx, func(p) { p.Set(ctx, k, v, 0) per key }) on one pooled connection",
	"go-redis-autopipeline": "not measured: with the default (not full-duplex) options its Pipeline() is the underlying client's Pipeline(), i.e. the go-redis row again",
	"rueidis":               "c.DoMulti(ctx, cmds...) with cmds a fresh rueidis.Commands of B().Set().Key(k).Value(v).Build(), each result's Error() checked",
	"rueidis-1conn":         "the same DoMulti, on its one connection",
	rawClient:               "all N SETs appended to the connection's reused buffer and written with one Write, then N replies read, each checked to be +OK",
}

// actoredisOptions are the Options of the measured actoredis client (its
// Addr aside): the defaults unless -actoredis-pool or
// -actoredis-flush-delay say otherwise.
var actoredisOptions client.Options

// newDriver connects the named client to addr and checks it with one
// SET and GET round trip.
func newDriver(ctx context.Context, name, addr string) (driver, error) {
	var d driver
	switch name {
	case "actoredis":
		opts := actoredisOptions
		opts.Addr = addr
		c, err := client.New(opts)
		if err != nil {
			return nil, err
		}
		d = actoredisDriver{c}
	case "go-redis":
		d = goredisDriver{c: goredis.NewClient(&goredis.Options{Addr: addr})}
	case "go-redis-autopipeline":
		c := goredis.NewClient(&goredis.Options{Addr: addr})
		ap, err := c.AutoPipeline()
		if err != nil {
			_ = c.Close()
			return nil, err
		}
		d = autopipelineDriver{c: c, ap: ap}
	case "rueidis", "rueidis-1conn":
		opt := rueidis.ClientOption{InitAddress: []string{addr}}
		if name == "rueidis-1conn" {
			opt.PipelineMultiplex = -1
			opt.DisableCache = true
		}
		c, err := rueidis.NewClient(opt)
		if err != nil {
			return nil, err
		}
		d = rueidisDriver{c}
	case rawClient:
		d = newRawDriver(addr)
	default:
		return nil, fmt.Errorf("unknown client %q (known: %s)", name, strings.Join(clientNames, ", "))
	}
	s := d.session(0)
	if err := s.Set(ctx, "bench:check:"+name, "ok"); err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("%s: SET: %w", name, err)
	}
	if err := s.Get(ctx, "bench:check:"+name); err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("%s: GET: %w", name, err)
	}
	return d, nil
}

type actoredisDriver struct{ c *client.Client }

func (d actoredisDriver) Get(ctx context.Context, key string) error {
	_, err := d.c.Get(ctx, key).Result()
	return err
}

func (d actoredisDriver) Set(ctx context.Context, key, value string) error {
	_, err := d.c.Set(ctx, key, value, 0).Result()
	return err
}

func (d actoredisDriver) SetPipeline(ctx context.Context, keys []string, value string) error {
	p := d.c.Pipeline()
	for _, k := range keys {
		p.Set(ctx, k, value, 0)
	}
	return p.Exec(ctx)
}

func (d actoredisDriver) session(int) session { return d }

func (d actoredisDriver) Close() error { return d.c.Close() }

type goredisDriver struct{ c *goredis.Client }

func (d goredisDriver) Get(ctx context.Context, key string) error {
	_, err := d.c.Get(ctx, key).Result()
	return err
}

func (d goredisDriver) Set(ctx context.Context, key, value string) error {
	return d.c.Set(ctx, key, value, 0).Err()
}

func (d goredisDriver) SetPipeline(ctx context.Context, keys []string, value string) error {
	_, err := d.c.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for _, k := range keys {
			p.Set(ctx, k, value, 0)
		}
		return nil
	})
	return err
}

func (d goredisDriver) session(int) session { return d }

func (d goredisDriver) Close() error { return d.c.Close() }

type autopipelineDriver struct {
	c  *goredis.Client
	ap *goredis.AutoPipeliner
}

func (d autopipelineDriver) Get(ctx context.Context, key string) error {
	_, err := d.ap.Get(ctx, key).Result()
	return err
}

func (d autopipelineDriver) Set(ctx context.Context, key, value string) error {
	return d.ap.Set(ctx, key, value, 0).Err()
}

// autopipelineDriver has no SetPipeline: see pipelineNotes.
func (d autopipelineDriver) session(int) session { return d }

func (d autopipelineDriver) Close() error {
	return errors.Join(d.ap.Close(), d.c.Close())
}

type rueidisDriver struct{ c rueidis.Client }

func (d rueidisDriver) Get(ctx context.Context, key string) error {
	_, err := d.c.Do(ctx, d.c.B().Get().Key(key).Build()).ToString()
	return err
}

func (d rueidisDriver) Set(ctx context.Context, key, value string) error {
	return d.c.Do(ctx, d.c.B().Set().Key(key).Value(value).Build()).Error()
}

func (d rueidisDriver) SetPipeline(ctx context.Context, keys []string, value string) error {
	cmds := make(rueidis.Commands, len(keys))
	for i, k := range keys {
		cmds[i] = d.c.B().Set().Key(k).Value(value).Build()
	}
	var first error
	for _, r := range d.c.DoMulti(ctx, cmds...) {
		if err := r.Error(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (d rueidisDriver) session(int) session { return d }

func (d rueidisDriver) Close() error {
	d.c.Close()
	return nil
}

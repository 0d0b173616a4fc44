package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	goredis "github.com/redis/go-redis/v9"
	"github.com/redis/rueidis"

	"github.com/actoredis/actoredis/client"
)

// driver is one client under test, reduced to the two operations the
// workloads issue. Every method blocks until the reply has arrived, so a
// goroutine has exactly one command in flight, whatever the client.
type driver interface {
	Get(ctx context.Context, key string) error
	Set(ctx context.Context, key, value string) error
	Close() error
}

// clientNames lists the clients in their default order; -clients picks a
// subset.
var clientNames = []string{
	"actoredis",
	"go-redis",
	"go-redis-autopipeline",
	"rueidis",
	"rueidis-1conn",
}

// clientNotes describes each client's configuration for the report.
var clientNotes = map[string]string{
	"actoredis":             "client.New(Options{Addr}) defaults: RESP3, PoolSize max(4, 2×GOMAXPROCS) multiplexed connections",
	"go-redis":              "redis.NewClient(&Options{Addr}) defaults: one command per pooled connection, PoolSize 10×GOMAXPROCS",
	"go-redis-autopipeline": "the same defaults, commands through Client.AutoPipeline() (blocking face, DefaultBlockingAutoPipelineOptions)",
	"rueidis":               "rueidis.NewClient(ClientOption{InitAddress}) defaults: auto-pipelining over 2^PipelineMultiplex connections (2 at GOMAXPROCS 2), CLIENT TRACKING OPTIN",
	"rueidis-1conn":         "the same with PipelineMultiplex -1 (one pipelined connection) and DisableCache true (no CLIENT TRACKING)",
}

// newDriver connects the named client to addr and checks it with one
// SET and GET round trip.
func newDriver(ctx context.Context, name, addr string) (driver, error) {
	var d driver
	switch name {
	case "actoredis":
		c, err := client.New(client.Options{Addr: addr})
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
	default:
		return nil, fmt.Errorf("unknown client %q (known: %s)", name, strings.Join(clientNames, ", "))
	}
	if err := d.Set(ctx, "bench:check:"+name, "ok"); err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("%s: SET: %w", name, err)
	}
	if err := d.Get(ctx, "bench:check:"+name); err != nil {
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

func (d actoredisDriver) Close() error { return d.c.Close() }

type goredisDriver struct{ c *goredis.Client }

func (d goredisDriver) Get(ctx context.Context, key string) error {
	_, err := d.c.Get(ctx, key).Result()
	return err
}

func (d goredisDriver) Set(ctx context.Context, key, value string) error {
	return d.c.Set(ctx, key, value, 0).Err()
}

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

func (d rueidisDriver) Close() error {
	d.c.Close()
	return nil
}

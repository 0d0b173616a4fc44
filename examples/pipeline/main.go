// Command pipeline queues commands in a pipeline and sends them in one
// write; each command's future completes with its own reply.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/actoredis/actoredis/client"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "pipeline:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := os.Getenv("REDIS_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	c, err := client.New(client.Options{Addr: addr})
	if err != nil {
		return err
	}
	defer c.Close()
	ctx := context.Background()

	p := c.Pipeline()
	sets := make([]*client.Future[string], 5)
	for i := range sets {
		sets[i] = p.Set(ctx, "example:pipe:"+strconv.Itoa(i), i*i, 0)
	}
	counter := p.Incr(ctx, "example:pipe:counter")
	square := p.Get(ctx, "example:pipe:3")
	if err := p.Exec(ctx); err != nil { // one batch, one write
		return err
	}
	fmt.Println("5 SETs:", sets[0].Val(), sets[4].Val(), "| INCR:", counter.Val(), "| GET example:pipe:3:", square.Val())

	// The closure style.
	var keys *client.Future[int64]
	err = c.Pipelined(ctx, func(p *client.Pipeline) error {
		for i := range 5 {
			p.Expire(ctx, "example:pipe:"+strconv.Itoa(i), 60e9)
		}
		keys = p.Exists(ctx, "example:pipe:0", "example:pipe:1", "example:pipe:9")
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Println("EXISTS of 3 keys:", keys.Val())
	return c.Del(ctx, "example:pipe:0", "example:pipe:1", "example:pipe:2", "example:pipe:3", "example:pipe:4", "example:pipe:counter").Err()
}

// Command keyspace turns on keyspace notifications (CONFIG SET
// notify-keyspace-events) and watches the events of one key prefix with a
// pattern subscription while it sets, expires and deletes keys.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/actoredis/actoredis/client"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "keyspace:", err)
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
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	// K: keyspace events, g: generic commands (DEL, EXPIRE), $: strings,
	// x: expirations.
	if err := c.Do(ctx, "CONFIG", "SET", "notify-keyspace-events", "Kg$x").Err(); err != nil {
		return err
	}
	sub, err := c.PSubscribe(ctx, "__keyspace@0__:example:ks:*")
	if err != nil {
		return err
	}
	defer sub.Close()

	c.Set(ctx, "example:ks:a", "1", 0)
	c.Set(ctx, "example:ks:b", "2", 50*time.Millisecond) // expires soon
	c.Del(ctx, "example:ks:a")

	// set a, del a; set b, expire b, expired b (events of different keys
	// may interleave: only one key's commands are ordered)
	want := 5
	for i := 0; i < want; i++ {
		select {
		case msg := <-sub.Messages():
			fmt.Printf("%-28s %s\n", msg.Channel, msg.Payload)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return c.Do(ctx, "CONFIG", "SET", "notify-keyspace-events", "").Err()
}

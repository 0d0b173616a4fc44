// Command pubsub is a small chat room: three members subscribe to a room
// (one also follows every room with a pattern), each member posts a line,
// and every member prints what reached it, from its own Go channel.
package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/actoredis/actoredis/client"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "pubsub:", err)
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

	members := []string{"ada", "bob", "cy"}
	subs := map[string]*client.Subscription{}
	for _, m := range members {
		sub, err := c.Subscribe(ctx, "chat:lobby") // returns once the server confirmed
		if err != nil {
			return err
		}
		subs[m] = sub
	}
	// A moderator follows every room with a pattern.
	mod, err := c.PSubscribe(ctx, "chat:*")
	if err != nil {
		return err
	}
	defer mod.Close()

	for _, m := range members {
		if err := c.Publish(ctx, "chat:lobby", m+": hello from "+m).Err(); err != nil {
			return err
		}
	}

	var mu sync.Mutex
	lines := map[string][]string{}
	var wg sync.WaitGroup
	for m, sub := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for msg := range sub.Messages() { // closed by sub.Close
				mu.Lock()
				lines[m] = append(lines[m], msg.Payload)
				done := len(lines[m]) == len(members)
				mu.Unlock()
				if done {
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, m := range members {
		fmt.Printf("%s received %d lines: %v\n", m, len(lines[m]), lines[m])
		subs[m].Close()
	}
	for range members {
		msg := <-mod.Messages()
		fmt.Printf("moderator saw %q on %s (pattern %s)\n", msg.Payload, msg.Channel, msg.Pattern)
	}
	stats := mod.Stats()
	fmt.Printf("moderator: %d delivered, %d dropped\n", stats.Delivered, stats.Dropped)
	return nil
}

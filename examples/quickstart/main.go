// Command quickstart connects to Redis (REDIS_ADDR, default
// 127.0.0.1:6379), runs a few commands as futures from many goroutines and
// prints the replies.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/actoredis/actoredis/client"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
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

	pong, err := c.Ping(ctx).Result()
	if err != nil {
		return err
	}
	fmt.Println("PING ->", pong)

	// A command returns a future at once; Result waits for the reply.
	set := c.Set(ctx, "quickstart:greeting", "hello from actoredis", time.Minute)
	get := c.Get(ctx, "quickstart:greeting") // same key: runs after the SET
	fmt.Println("SET ->", set.Val())
	greeting, err := get.Result()
	if err != nil {
		return err
	}
	fmt.Println("GET ->", greeting)

	// A missing key is ErrNil.
	if _, err := c.Get(ctx, "quickstart:missing").Result(); errors.Is(err, client.ErrNil) {
		fmt.Println("GET quickstart:missing -> (nil)")
	}

	// A server error is a *client.Error with its prefix.
	c.Del(ctx, "quickstart:list")
	c.Do(ctx, "LPUSH", "quickstart:list", "x")
	var rerr *client.Error
	if err := c.Get(ctx, "quickstart:list").Err(); errors.As(err, &rerr) {
		fmt.Println("GET on a list ->", rerr.Prefix())
	}

	// Thousands of futures from many goroutines, none awaited until the end.
	c.Del(ctx, "quickstart:counter")
	var wg sync.WaitGroup
	futures := make([][]*client.Future[int64], 100)
	for g := range futures {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				futures[g] = append(futures[g], c.Incr(ctx, "quickstart:counter"))
			}
		}(g)
	}
	wg.Wait()
	for _, fs := range futures {
		for _, f := range fs {
			if err := f.Err(); err != nil {
				return err
			}
		}
	}
	total, err := c.Get(ctx, "quickstart:counter").Result()
	if err != nil {
		return err
	}
	fmt.Println("INCR x 10000 from 100 goroutines ->", total)

	// Per-key order holds without waiting: 1..1000 in issue order.
	c.Del(ctx, "quickstart:ordered")
	ordered := make([]*client.Future[int64], 1000)
	for i := range ordered {
		ordered[i] = c.Incr(ctx, "quickstart:ordered")
	}
	for i, f := range ordered {
		if v := f.Val(); v != int64(i+1) {
			return errors.New("out of order: future " + strconv.Itoa(i) + " got " + strconv.FormatInt(v, 10))
		}
	}
	fmt.Println("1000 INCR futures on one key came back in order")
	c.Del(ctx, "quickstart:greeting", "quickstart:list", "quickstart:counter", "quickstart:ordered")
	return nil
}

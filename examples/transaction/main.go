// Command transaction runs MULTI/EXEC transactions: a TxPipeline applied
// atomically, and an optimistic Watch transaction retried on conflicts by
// WatchRetry while goroutines compete for one key.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"

	"github.com/actoredis/actoredis/client"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "transaction:", err)
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

	// MULTI/EXEC: both keys change together or not at all.
	var from, to *client.Future[int64]
	c.Set(ctx, "example:tx:alice", 100, 0)
	c.Set(ctx, "example:tx:bob", 0, 0)
	err = c.TxPipelined(ctx, func(p *client.Pipeline) error {
		from = p.DecrBy(ctx, "example:tx:alice", 30)
		to = p.IncrBy(ctx, "example:tx:bob", 30)
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Println("transfer: alice", from.Val(), "bob", to.Val())

	// WATCH: read, compute, write back only if nobody changed the key.
	c.Set(ctx, "example:tx:balance", 0, 0)
	var wg sync.WaitGroup
	var mu sync.Mutex
	attempts := 0
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := client.WatchRetry(ctx, c, 100, func(tx *client.Tx) error {
				mu.Lock()
				attempts++
				mu.Unlock()
				cur, err := tx.Get(ctx, "example:tx:balance").Result()
				if err != nil && !errors.Is(err, client.ErrNil) {
					return err
				}
				n, _ := strconv.Atoi(cur)
				return tx.TxPipelined(ctx, func(p *client.Pipeline) error {
					p.Set(ctx, "example:tx:balance", n+5, 0)
					return nil
				})
			}, "example:tx:balance")
			if err != nil {
				fmt.Fprintln(os.Stderr, "watch:", err)
			}
		}()
	}
	wg.Wait()
	balance := c.Get(ctx, "example:tx:balance").Val()
	fmt.Printf("20 goroutines added 5 each: balance %s after %d attempts (%d retried on WATCH conflicts)\n", balance, attempts, attempts-20)
	return c.Del(ctx, "example:tx:alice", "example:tx:bob", "example:tx:balance").Err()
}

package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strconv"
	"time"

	"github.com/actoredis/actoredis/client"
)

// A pipeline's commands leave together, as one batch and one write, when
// Exec is called; each keeps its own future.
func ExampleClient_Pipeline() {
	addr, stop := exampleServer()
	defer stop()
	c, err := client.New(client.Options{Addr: addr})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	p := c.Pipeline()
	set := p.Set(ctx, "page:home", "<html>", time.Hour)
	views := p.Incr(ctx, "page:home:views")
	if err := p.Exec(ctx); err != nil { // the first error among the commands
		log.Fatal(err)
	}
	fmt.Println(set.Val(), views.Val())
	// Output: OK 1
}

func ExampleClient_Pipelined() {
	addr, stop := exampleServer()
	defer stop()
	c, err := client.New(client.Options{Addr: addr})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	var lengths []*client.Future[int64]
	err = c.Pipelined(ctx, func(p *client.Pipeline) error {
		for _, job := range []string{"resize", "thumbnail", "upload"} {
			lengths = append(lengths, p.RPush(ctx, "jobs", job))
		}
		return nil // an error here discards the pipeline: nothing is sent
	})
	fmt.Println(err, lengths[2].Val())
	// Output: <nil> 3
}

// The commands of a transactional pipeline run atomically, in MULTI/EXEC.
func ExampleClient_TxPipelined() {
	addr, stop := exampleServer()
	defer stop()
	c, err := client.New(client.Options{Addr: addr})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	var stock, sold *client.Future[int64]
	err = c.TxPipelined(ctx, func(p *client.Pipeline) error {
		stock = p.IncrBy(ctx, "item:7:stock", -1)
		sold = p.IncrBy(ctx, "item:7:sold", 1)
		return nil
	})
	fmt.Println(err, stock.Val(), sold.Val())
	// Output: <nil> -1 1
}

// Watch reads a key on a connection of its own and writes only if no one
// else changed the key meanwhile; otherwise it returns ErrTxFailed and
// nothing is written.
func ExampleClient_Watch() {
	addr, stop := exampleServer()
	defer stop()
	c, err := client.New(client.Options{Addr: addr})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	// Awaited: Watch runs on a connection of its own, not ordered after
	// the commands of the shared ones.
	if err := c.Set(ctx, "balance", 100, 0).Err(); err != nil {
		log.Fatal(err)
	}
	err = c.Watch(ctx, func(tx *client.Tx) error {
		cur, err := tx.Get(ctx, "balance").Result()
		if err != nil {
			return err
		}
		n, err := strconv.Atoi(cur)
		if err != nil {
			return err
		}
		return tx.TxPipelined(ctx, func(p *client.Pipeline) error {
			p.Set(ctx, "balance", n-30, 0)
			return nil
		})
	}, "balance")
	fmt.Println(err, c.Get(ctx, "balance").Val())
	// Output: <nil> 70
}

// WatchRetry runs the transaction again, with a short backoff, when a
// watched key changed before EXEC.
func ExampleWatchRetry() {
	c, err := client.New(client.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	err = client.WatchRetry(ctx, c, 10, func(tx *client.Tx) error {
		cur, err := tx.Get(ctx, "counter").Result()
		if err != nil && !errors.Is(err, client.ErrNil) {
			return err
		}
		n, _ := strconv.Atoi(cur) // a missing key counts as 0
		return tx.TxPipelined(ctx, func(p *client.Pipeline) error {
			p.Set(ctx, "counter", n*2+1, 0)
			return nil
		})
	}, "counter")
	if errors.Is(err, client.ErrTxFailed) {
		log.Println("still contended after 10 attempts")
	}
}

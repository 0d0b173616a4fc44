package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/actoredis/actoredis/client"
)

// The examples with an Output section run against exampleServer, a
// stand-in for redis-server (see example_server_test.go); the others need
// a real server and are only compiled.

func ExampleNew() {
	c, err := client.New(client.Options{
		Addr:     "127.0.0.1:6379",
		Password: os.Getenv("REDIS_PASSWORD"),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close() // ends every goroutine of the client

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	pong, err := c.Ping(ctx).Result()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pong)
}

func ExampleNewFromURL() {
	c, err := client.NewFromURL("redis://localhost:6379/0?pool_size=4&read_timeout=500ms")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
}

func ExampleParseURL() {
	opts, err := client.ParseURL("rediss://alice:s3cret@cache.example.com:6380/2?pool_size=8&read_timeout=500ms")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(opts.Addr, opts.DB, opts.PoolSize, opts.ReadTimeout, opts.TLSConfig != nil)
	fmt.Println(opts) // never prints the password

	_, err = client.ParseURL("http://localhost")
	fmt.Println(errors.Is(err, client.ErrInvalidURL))
	// Output:
	// cache.example.com:6380 2 8 500ms true
	// Options{Network:tcp Addr:cache.example.com:6380 Username:alice Password:<redacted> DB:2 Protocol:0}
	// true
}

// The zero value of Options connects to 127.0.0.1:6379 with RESP3; set
// only what differs from the defaults documented on each field.
func ExampleOptions() {
	c, err := client.New(client.Options{
		Addr:        "redis.internal:6379",
		Username:    "app",
		Password:    os.Getenv("REDIS_PASSWORD"),
		ClientName:  "billing",
		ReadTimeout: 500 * time.Millisecond,
		OnEvent:     func(e client.Event) { log.Print(e) }, // connections up and down
	})
	if err != nil {
		log.Fatal(err) // a wrong option, such as a negative timeout
	}
	defer c.Close()
}

func ExampleClient_Get() {
	addr, stop := exampleServer() // a stand-in for redis-server
	defer stop()
	c, err := client.New(client.Options{Addr: addr})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	c.Set(ctx, "greeting", "hello", time.Minute) // returns at once
	v, err := c.Get(ctx, "greeting").Result()    // same key: runs after the SET
	fmt.Println(v, err)

	_, err = c.Get(ctx, "missing").Result()
	fmt.Println(errors.Is(err, client.ErrNil))
	// Output:
	// hello <nil>
	// true
}

// Futures issued one after another on the same key execute in issue
// order, even when none is awaited until the end.
func ExampleFuture() {
	addr, stop := exampleServer()
	defer stop()
	c, err := client.New(client.Options{Addr: addr})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	futures := make([]*client.Future[int64], 5)
	for i := range futures {
		futures[i] = c.Incr(ctx, "counter")
	}
	for _, f := range futures {
		n, err := f.Result()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(n, " ")
	}
	fmt.Println()
	// Output: 1 2 3 4 5
}

// Await waits on a context of its own, whatever the context the command
// was given.
func ExampleFuture_Await() {
	addr, stop := exampleServer()
	defer stop()
	c, err := client.New(client.Options{Addr: addr})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	c.Set(ctx, "greeting", "hello", 0)
	get := c.Get(ctx, "greeting") // its own context has no deadline
	wait, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	v, err := get.Await(wait) // context.DeadlineExceeded after 5 s
	fmt.Println(v, err)
	// Output: hello <nil>
}

// Done is a channel to select on, alongside other events.
func ExampleFuture_Done() {
	addr, stop := exampleServer()
	defer stop()
	c, err := client.New(client.Options{Addr: addr})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	f := c.Incr(ctx, "visits")
	select {
	case <-f.Done():
		fmt.Println(f.Result())
	case <-time.After(5 * time.Second):
		fmt.Println("no reply yet")
	}
	// Output: 1 <nil>
}

// Do sends a command that has no typed method and returns the raw reply.
func ExampleClient_Do() {
	addr, stop := exampleServer()
	defer stop()
	c, err := client.New(client.Options{Addr: addr})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	v, err := c.Do(context.Background(), "INCRBY", "visits", 5).Result()
	fmt.Println(v.Kind, v.Int, err)
	// Output: integer 5 <nil>
}

// An error reply from the server is a *client.Error; its prefix tells
// which.
func ExampleError() {
	addr, stop := exampleServer()
	defer stop()
	c, err := client.New(client.Options{Addr: addr})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	c.RPush(ctx, "jobs", "job-1")
	err = c.Get(ctx, "jobs").Err() // GET on a list
	var rerr *client.Error
	if errors.As(err, &rerr) {
		fmt.Println(rerr.Prefix())
	}
	fmt.Println(err)
	// Output:
	// WRONGTYPE
	// actoredis: WRONGTYPE Operation against a key holding the wrong kind of value
}

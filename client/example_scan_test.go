package client_test

import (
	"context"
	"fmt"
	"log"

	"github.com/actoredis/actoredis/client"
)

// ScanIter walks the keyspace with SCAN, page by page, as one loop.
func ExampleClient_ScanIter() {
	addr, stop := exampleServer()
	defer stop()
	c, err := client.New(client.Options{Addr: addr})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	for _, k := range []string{"user:1", "user:2", "session:9"} {
		// Awaited: SCAN has no key, so it is not ordered after them.
		if err := c.Set(ctx, k, "x", 0).Err(); err != nil {
			log.Fatal(err)
		}
	}
	for key, err := range c.ScanIter(ctx, client.ScanOptions{Match: "user:*"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(key)
	}
	// Unordered output:
	// user:1
	// user:2
}

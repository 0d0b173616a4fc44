package client_test

import (
	"context"
	"log"
	"time"

	"github.com/actoredis/actoredis/client"
)

// A Conn is one dedicated connection, for a sequence that must stay on it:
// here a write and the WAIT that counts the replicas that have it.
func ExampleClient_Conn() {
	c, err := client.New(client.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	cn, err := c.Conn(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer cn.Close() // back to the pool, or closed if it keeps per-connection state

	cn.ClientSetName(ctx, "order-writer")
	if err := cn.Set(ctx, "order:42", "paid", 0).Err(); err != nil {
		log.Fatal(err)
	}
	n, err := cn.Wait(ctx, 1, 100*time.Millisecond).Result()
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("order:42 is on %d replica(s)", n)
}

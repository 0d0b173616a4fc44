package client_test

import (
	"context"
	"errors"
	"log"
	"os"
	"time"

	"github.com/actoredis/actoredis/client"
)

// NewFailover returns a *Client that the sentinels keep pointed at the
// primary.
func ExampleNewFailover() {
	c, err := client.NewFailover(client.SentinelOptions{
		MasterName:    "mymaster",
		SentinelAddrs: []string{"10.0.0.1:26379", "10.0.0.2:26379", "10.0.0.3:26379"},
		Options:       client.Options{Password: os.Getenv("REDIS_PASSWORD")}, // the data connections
	})
	if err != nil {
		log.Fatal(err) // ErrMasterNotFound: the sentinels do not know mymaster
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	_, err = c.Incr(ctx, "orders").Result()
	if errors.Is(err, client.ErrFailover) {
		log.Print("the primary moved while the INCR was in flight: it may have run")
	}
}

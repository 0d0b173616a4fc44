package client_test

import (
	"context"
	"log"
	"time"

	"github.com/actoredis/actoredis/client"
)

// A retry policy, a reconnect backoff and an event callback; a write that
// is safe to repeat in this application is marked with Idempotent, and a
// failed one is sent again only when SafeToRetry says it was not applied.
func ExampleSafeToRetry() {
	c, err := client.New(client.Options{
		Addr: "127.0.0.1:6379",
		Retry: client.RetryPolicy{
			MaxAttempts: 5,
			Backoff:     client.EqualJitterBackoff{Base: 10 * time.Millisecond, Cap: 200 * time.Millisecond},
		},
		ReconnectBackoff: client.DecorrelatedJitterBackoff{Base: 50 * time.Millisecond, Cap: 2 * time.Second},
		OnEvent:          func(e client.Event) { log.Println(e) },
	})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	if _, err := c.Idempotent().Incr(ctx, "visits").Result(); err != nil {
		log.Println("visits:", err)
	}
	_, err = c.LPush(ctx, "queue", "job").Result()
	if err != nil && client.SafeToRetry(err) {
		_, err = c.LPush(ctx, "queue", "job").Result() // not applied the first time
	}
	if err != nil {
		log.Println("queue:", err) // errors.Is(err, client.ErrAmbiguous): it may have been applied
	}
	st := c.PoolStats()
	log.Println("retries:", st.Retries, "restarts:", st.Restarts, "in flight:", st.InFlight)
}

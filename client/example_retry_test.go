package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/resp"
	"github.com/actoredis/actoredis/resp/resptest"
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
	st := c.Stats()
	log.Println("retries:", st.Retries, "restarts:", st.Restarts, "in flight:", st.InFlight)
}

// Two failed writes, told apart by SafeToRetry. The scripted server
// refuses the first while it loads its dataset (the write did not run:
// send it again) and drops the connection under the second (it may have
// run: sending it again could apply it twice).
func ExampleSafeToRetry_transient() {
	srv, err := resptest.Start(resptest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	srv.Expect("INCR", "jobs").ReplyError("LOADING Redis is loading the dataset in memory")
	srv.Expect("INCR", "hits").ResetConn()

	c, err := client.New(client.Options{Addr: srv.Addr()})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	_, err = c.Incr(ctx, "jobs").Result()
	fmt.Println(client.SafeToRetry(err), errors.Is(err, client.ErrLoading))
	_, err = c.Incr(ctx, "hits").Result()
	fmt.Println(client.SafeToRetry(err), errors.Is(err, client.ErrAmbiguous))
	// Output:
	// true true
	// false true
}

// An INCR is not safe to repeat, so the client never sends one twice on
// its own. Through Idempotent it is retried like a read: here the
// scripted server drops the connection under the first INCR, and the
// client sends it again on the next connection.
func ExampleClient_Idempotent() {
	srv, err := resptest.Start(resptest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	srv.Expect("INCR", "visits").ResetConn()
	srv.Expect("INCR", "visits").Reply(resp.Value{Kind: resp.KindInteger, Int: 1})

	c, err := client.New(client.Options{Addr: srv.Addr()})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	n, err := c.Idempotent().Incr(context.Background(), "visits").Result()
	fmt.Println(n, err)
	// Output: 1 <nil>
}

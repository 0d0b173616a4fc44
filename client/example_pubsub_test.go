package client_test

import (
	"context"
	"fmt"
	"log"

	"github.com/actoredis/actoredis/client"
)

func ExampleClient_Subscribe() {
	addr, stop := exampleServer()
	defer stop()
	c, err := client.New(client.Options{Addr: addr})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	sub, err := c.Subscribe(ctx, "news") // returns once the server confirmed
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close() // unsubscribes and closes Messages, once

	c.Publish(ctx, "news", "hello, subscribers")
	msg := <-sub.Messages()
	fmt.Println(msg.Kind, msg.Channel, msg.Payload)
	// Output: message news hello, subscribers
}

// A consumer ranges over Messages until the subscription ends. Besides
// messages it gets events: a renewed connection (messages published
// meanwhile may be missing) and, under a dropping policy, the number of
// messages dropped, where the gap is.
func ExampleSubscription_Messages() {
	c, err := client.New(client.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	sub, err := c.SubscribeWith(context.Background(), client.SubscribeOptions{
		Channels:   []string{"orders"},
		Patterns:   []string{"audit.*"},
		BufferSize: 4096,
		Policy:     client.DropOldest,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close()

	for msg := range sub.Messages() {
		switch msg.Kind {
		case client.KindMessage, client.KindPMessage:
			log.Printf("%s: %s", msg.Channel, msg.Payload)
		case client.KindReconnected:
			log.Print("resubscribed: reload what may have been missed")
		case client.KindDropped:
			log.Printf("%d messages dropped", msg.Dropped)
		}
	}
	if err := sub.Err(); err != nil {
		log.Print(err) // why it ended by itself (ErrSlowConsumer under Block)
	}
}

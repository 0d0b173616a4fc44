package client_test

import (
	"context"
	"fmt"
	"log"

	"github.com/actoredis/actoredis/client"
)

// A similarity search in a vector set (Redis 8.0 and later): the vectors
// go as FP32 blobs, the attributes as JSON that a FILTER can test.
func ExampleClient_VSimWith() {
	c, err := client.New(client.Options{Addr: "127.0.0.1:6379"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	films := map[string][]float32{"alien": {0.9, 0.1, 0.3}, "heat": {0.1, 0.8, 0.5}}
	for name, embedding := range films {
		err := c.VAddWith(ctx, "films", client.VectorFP32(embedding), name,
			client.VAddOptions{Attributes: `{"year": 1979}`}).Err()
		if err != nil {
			log.Fatal(err)
		}
	}
	matches, err := c.VSimWith(ctx, "films", client.VSimVector(client.VectorFP32([]float32{1, 0, 0.2})),
		client.VSimOptions{WithScores: true, Count: 5, Filter: ".year < 1990"}).Result()
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range matches {
		fmt.Printf("%s %.3f\n", m.Element, m.Score)
	}
}

// A consumer acknowledges an entry and deletes it once every group has
// acknowledged it (Redis 8.2 and later).
func ExampleClient_XAckDel() {
	c, err := client.New(client.Options{Addr: "127.0.0.1:6379"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	codes, err := c.XAckDel(ctx, "jobs", "billing", client.XRefAcked, "1700000000000-0").Result()
	if err != nil {
		log.Fatal(err)
	}
	switch codes[0] {
	case client.XDelDeleted:
		fmt.Println("acknowledged and deleted")
	case client.XDelReferenced:
		fmt.Println("acknowledged; another group still has it pending")
	case client.XDelNotFound:
		fmt.Println("no such entry")
	}
}

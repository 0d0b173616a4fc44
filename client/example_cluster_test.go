package client_test

import (
	"context"
	"log"
	"os"
	"time"

	"github.com/actoredis/actoredis/client"
)

func ExampleNewCluster() {
	cc, err := client.NewCluster(client.ClusterOptions{
		Addrs:    []string{"10.0.0.1:7000", "10.0.0.2:7000"}, // any node is enough
		Node:     client.Options{Password: os.Getenv("REDIS_PASSWORD")},
		ReadFrom: client.ReadReplicasPreferred, // reads may go to replicas
	})
	if err != nil {
		log.Fatal(err)
	}
	defer cc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	// To the owner of the key's slot; MOVED and ASK replies are followed.
	if err := cc.Set(ctx, "user:42", "alice", 0).Err(); err != nil {
		log.Fatal(err)
	}
	// Keys in several slots: one DEL per slot, the counts summed.
	n, err := cc.Del(ctx, "user:1", "user:2").Result()
	if err != nil {
		log.Fatal(err)
	}
	log.Println(n, "deleted")

	// The keys of a transaction must share a slot: a hash tag does it.
	tx := cc.TxPipeline()
	tx.Incr(ctx, "{user:42}:logins")
	tx.Set(ctx, "{user:42}:last", time.Now().Unix(), 0)
	if err := tx.Exec(ctx); err != nil {
		log.Fatal(err) // ErrCrossSlot without the hash tag
	}
}

// Command cluster connects to a Redis Cluster named by REDIS_CLUSTER_ADDRS
// (comma-separated host:port of one or more nodes), writes and reads keys
// spread over every primary, runs a pipeline split by node, a multi-key
// MGET across slots, a transaction within one slot (a hash tag), and walks
// the keyspace of every primary with ScanIter. It starts nothing itself:
// for a local cluster, see integration/redistest.StartCluster, or
//
//	redis-cli --cluster create 127.0.0.1:7000 ... --cluster-replicas 1
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/actoredis/actoredis/client"
)

func main() {
	addrs := os.Getenv("REDIS_CLUSTER_ADDRS")
	if addrs == "" {
		fmt.Fprintln(os.Stderr, "cluster: set REDIS_CLUSTER_ADDRS to one or more cluster nodes, "+
			"for example REDIS_CLUSTER_ADDRS=127.0.0.1:7000,127.0.0.1:7001")
		os.Exit(2)
	}
	if err := run(strings.Split(addrs, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "cluster:", err)
		os.Exit(1)
	}
}

func run(addrs []string) error {
	cc, err := client.NewCluster(client.ClusterOptions{Addrs: addrs})
	if err != nil {
		return err
	}
	defer cc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	// Each command goes to the primary that owns its key's slot.
	keys := make([]string, 6)
	for i := range keys {
		keys[i] = "example:cluster:" + strconv.Itoa(i)
		owner, err := cc.MasterFor(ctx, keys[i])
		if err != nil {
			return err
		}
		if err := cc.Set(ctx, keys[i], "value "+strconv.Itoa(i), time.Minute).Err(); err != nil {
			return err
		}
		fmt.Printf("SET %s (slot %d) on %s\n", keys[i], client.Slot(keys[i]), owner)
	}

	// MGET across slots: split per slot, joined in the caller's order.
	vals, err := cc.MGet(ctx, keys...).Result()
	if err != nil {
		return err
	}
	for i, v := range vals {
		fmt.Printf("MGET %s -> %q\n", keys[i], v.Value)
	}

	// A pipeline is split by node and sent in parallel; the futures
	// complete with their own replies.
	p := cc.Pipeline()
	incrs := make([]*client.Future[int64], len(keys))
	for i, k := range keys {
		incrs[i] = p.Incr(ctx, k+":hits")
	}
	if err := p.Exec(ctx); err != nil {
		return err
	}
	fmt.Println("pipelined INCR ->", incrs[0].Val(), "...", incrs[len(incrs)-1].Val())

	// A transaction must stay in one slot: a hash tag keeps the keys
	// together; keys in two slots fail with ErrCrossSlot.
	err = cc.TxPipelined(ctx, func(p *client.ClusterPipeline) error {
		p.Set(ctx, "{example:user1}:name", "Ada", time.Minute)
		p.Set(ctx, "{example:user1}:lang", "Go", time.Minute)
		return nil
	})
	fmt.Println("MULTI/EXEC on one slot ->", err)
	err = cc.TxPipelined(ctx, func(p *client.ClusterPipeline) error {
		p.Set(ctx, "example:a", "1", time.Minute)
		p.Set(ctx, "example:b", "1", time.Minute)
		return nil
	})
	fmt.Println("MULTI/EXEC across slots refused:", errors.Is(err, client.ErrCrossSlot))

	// One iterator over the keyspace of every primary.
	n := 0
	for _, err := range cc.ScanIter(ctx, client.ScanOptions{Match: "example:cluster:*"}) {
		if err != nil {
			return err
		}
		n++
	}
	fmt.Println("SCAN over every primary found", n, "keys")

	var all []string
	for _, k := range keys {
		all = append(all, k, k+":hits")
	}
	all = append(all, "{example:user1}:name", "{example:user1}:lang")
	deleted, err := cc.Del(ctx, all...).Result()
	if err != nil {
		return err
	}
	fmt.Println("DEL across slots ->", deleted)
	st := cc.Stats()
	fmt.Printf("%d nodes, %d topology reads, %d MOVED, %d ASK\n", st.Nodes, st.Refreshes, st.Moved, st.Ask)
	return nil
}

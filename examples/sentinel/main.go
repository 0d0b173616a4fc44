// Command sentinel connects to a Sentinel-managed primary, writes a key
// with WAIT 1 on a leased connection, reads it back (from a replica with
// -replica-reads), and listens on a channel, printing every event, for
// -listen (so that a failover during that time shows as a Reconnected
// event).
//
//	SENTINEL_ADDRS=127.0.0.1:26379,127.0.0.1:26380 SENTINEL_MASTER=mymaster go run ./examples/sentinel
//
// SENTINEL_PASSWORD authenticates to the sentinels, REDIS_PASSWORD to the
// primary and replicas.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/actoredis/actoredis/client"
)

func main() {
	listen := flag.Duration("listen", 0, "listen on channel sentinel:news this long before exiting")
	replicaReads := flag.Bool("replica-reads", false, "send read-only commands to replicas")
	flag.Parse()
	if err := run(*listen, *replicaReads); err != nil {
		fmt.Fprintln(os.Stderr, "sentinel:", err)
		os.Exit(1)
	}
}

func run(listen time.Duration, replicaReads bool) error {
	addrs := os.Getenv("SENTINEL_ADDRS")
	if addrs == "" {
		return errors.New("set SENTINEL_ADDRS to the sentinels' host:port, comma-separated " +
			"(and SENTINEL_MASTER to the monitored name, default mymaster)")
	}
	master := os.Getenv("SENTINEL_MASTER")
	if master == "" {
		master = "mymaster"
	}
	c, err := client.NewFailover(client.SentinelOptions{
		MasterName:       master,
		SentinelAddrs:    strings.Split(addrs, ","),
		SentinelPassword: os.Getenv("SENTINEL_PASSWORD"),
		ReplicaReads:     replicaReads,
		Options:          client.Options{Password: os.Getenv("REDIS_PASSWORD"), ClientName: "example-sentinel"},
	})
	if errors.Is(err, client.ErrMasterNotFound) {
		return fmt.Errorf("%w (is SENTINEL_MASTER right?)", err)
	}
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second+listen)
	defer cancel()

	// WAIT counts the replicas that acknowledged this connection's writes,
	// so the write and the WAIT share a leased connection (always to the
	// primary; with -replica-reads, c.Role would ask a replica).
	cn, err := c.Conn(ctx)
	if err != nil {
		return err
	}
	role, err := cn.Role(ctx).Result()
	if err != nil {
		cn.Close()
		return err
	}
	fmt.Println("connected to the primary; ROLE ->", role.Kind)
	if err := cn.Set(ctx, "sentinel:greeting", "hello", time.Minute).Err(); err != nil {
		cn.Close()
		return err
	}
	acked, err := cn.Wait(ctx, 1, 500*time.Millisecond).Result()
	cn.Close()
	if err != nil {
		return err
	}
	fmt.Println("SET sentinel:greeting, acknowledged by", acked, "replica(s)")
	v, err := c.Get(ctx, "sentinel:greeting").Result()
	if err != nil {
		return err
	}
	fmt.Println("GET ->", v)

	if listen <= 0 {
		return nil
	}
	sub, err := c.Subscribe(ctx, "sentinel:news")
	if err != nil {
		return err
	}
	defer sub.Close()
	fmt.Println("listening on sentinel:news for", listen)
	timer := time.NewTimer(listen)
	defer timer.Stop()
	for {
		select {
		case m := <-sub.Messages():
			switch m.Kind {
			case client.KindReconnected:
				fmt.Println("reconnected (a failover, or a lost connection): messages may have been missed")
			case client.KindMessage:
				fmt.Println("message:", m.Payload)
			}
		case <-timer.C:
			return nil
		}
	}
}

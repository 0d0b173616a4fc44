// Command newcommands uses commands that Redis and Valkey added after 7.0,
// each on the server that has it: a session in a hash whose fields expire
// (HSETEX, HTTL, HGETDEL: Redis 8.0, Valkey 9.0/9.1), a compare-and-set
// (SET IFEQ: Valkey 8.1, Redis 8.4), a lock released only by its holder
// (DELIFEQ: Valkey 9.0) and a write waited for until it is in the
// append-only file (WAITAOF: Redis 7.2, Valkey 8.0). It asks the server
// which of them it has (COMMAND INFO and COMMAND DOCS), runs those and
// says which it lacks, so it exits cleanly against Redis 7.0 too.
//
// It connects to REDIS_ADDR (default 127.0.0.1:6379) and removes the keys
// it wrote.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/actoredis/actoredis/client"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "newcommands:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := os.Getenv("REDIS_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	c, err := client.New(client.Options{Addr: addr})
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		return err
	}
	hello := c.HelloInfo()
	fmt.Printf("server: %s %s\n", hello.Name, hello.Version)

	has, err := serverCommands(ctx, c, "hsetex", "httl", "hgetdel", "delifeq", "waitaof")
	if err != nil {
		return err
	}
	ifeq, err := setTakes(ctx, c, "IFEQ")
	if err != nil {
		return err
	}
	defer c.Del(context.Background(), "newcommands:session", "newcommands:config", "newcommands:lock")

	steps := []struct {
		name string
		has  bool
		run  func(context.Context, *client.Client) error
	}{
		{"session hash with expiring fields (HSETEX, HTTL, HGETDEL)", has["hsetex"] && has["httl"] && has["hgetdel"], session},
		{"compare-and-set (SET IFEQ)", ifeq, compareAndSet},
		{"lock released by its holder only (DELIFEQ)", has["delifeq"], lock},
		{"write made durable (WAITAOF)", has["waitaof"], waitAOF},
	}
	for _, s := range steps {
		fmt.Println("==", s.name)
		if !s.has {
			fmt.Printf("   %s %s lacks it: skipped\n", hello.Name, hello.Version)
			continue
		}
		if err := s.run(ctx, c); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}

// serverCommands reports which of the commands the server has.
func serverCommands(ctx context.Context, c *client.Client, names ...string) (map[string]bool, error) {
	infos, err := c.CommandInfo(ctx, names...).Result()
	if err != nil {
		return nil, err
	}
	has := map[string]bool{}
	for _, in := range infos {
		if in.Name != "" { // an unknown command has an empty entry
			has[strings.ToLower(in.Name)] = true
		}
	}
	return has, nil
}

// setTakes reports whether the server's SET takes the token (IFEQ).
func setTakes(ctx context.Context, c *client.Client, token string) (bool, error) {
	docs, err := c.CommandDocs(ctx, "set").Result()
	if err != nil {
		return false, err
	}
	var walk func([]client.CommandDocArg) bool
	walk = func(args []client.CommandDocArg) bool {
		for _, a := range args {
			if strings.EqualFold(a.Token, token) || walk(a.Arguments) {
				return true
			}
		}
		return false
	}
	return walk(docs["set"].Arguments), nil
}

// session stores a login session whose fields expire on their own, reads
// their time to live, and takes the session out at logout.
func session(ctx context.Context, c *client.Client) error {
	key := "newcommands:session"
	n, err := c.HSetEx(ctx, key, 30*time.Minute, "user", "ada", "token", "t-1234").Result()
	if err != nil {
		return err
	}
	fmt.Println("   HSETEX user, token for 30m ->", n)
	secs, err := c.HTTL(ctx, key, "user", "token").Result()
	if err != nil {
		return err
	}
	fmt.Println("   HTTL user, token ->", secs, "seconds")
	fields, err := c.HGetDel(ctx, key, "user", "token", "cart").Result()
	if err != nil {
		return err
	}
	for i, name := range []string{"user", "token", "cart"} {
		if fields[i] == nil {
			fmt.Printf("   HGETDEL %s -> (nil)\n", name)
		} else {
			fmt.Printf("   HGETDEL %s -> %s\n", name, *fields[i])
		}
	}
	left, err := c.Exists(ctx, key).Result()
	fmt.Println("   the session is gone:", left == 0)
	return err
}

// compareAndSet updates a value only if nobody changed it since it was
// read: the write of whoever read the old value second is refused.
func compareAndSet(ctx context.Context, c *client.Client) error {
	key := "newcommands:config"
	if err := c.Set(ctx, key, "v1", 0).Err(); err != nil {
		return err
	}
	read, err := c.Get(ctx, key).Result()
	if err != nil {
		return err
	}
	for _, next := range []string{"v2", "v2-from-a-stale-reader"} {
		r, err := c.SetWith(ctx, key, next, client.SetOptions{IfValue: client.IfEqual(read)}).Result()
		if err != nil {
			return err
		}
		fmt.Printf("   SET %s IFEQ %s -> written: %v\n", next, read, r.Written)
	}
	now, err := c.Get(ctx, key).Result()
	fmt.Println("   the value is", now)
	return err
}

// lock takes a lock with a token of its own and releases it only while
// it still holds it: another holder's lock is left alone.
func lock(ctx context.Context, c *client.Client) error {
	key := "newcommands:lock"
	got, err := c.SetWith(ctx, key, "token-a", client.SetOptions{Condition: client.SetIfNotExists,
		Expiration: client.ExpiresIn(10 * time.Second)}).Result()
	if err != nil {
		return err
	}
	fmt.Println("   lock taken by a:", got.Written)
	n, err := c.DelIfEq(ctx, key, "token-b").Result()
	if err != nil {
		return err
	}
	fmt.Println("   DELIFEQ by b (not the holder) ->", n)
	n, err = c.DelIfEq(ctx, key, "token-a").Result()
	if err != nil {
		return err
	}
	fmt.Println("   DELIFEQ by a (the holder) ->", n)
	return nil
}

// waitAOF writes and then waits until the write is in the append-only
// file of the server (when it has one) and of its replicas. WAITAOF is
// about the writes of its own connection, so both go through one Conn.
func waitAOF(ctx context.Context, c *client.Client) error {
	cn, err := c.Conn(ctx)
	if err != nil {
		return err
	}
	defer cn.Close()
	if err := cn.Set(ctx, "newcommands:config", "durable", 0).Err(); err != nil {
		return err
	}
	cfg, err := c.ConfigGet(ctx, "appendonly").Result()
	if err != nil {
		return err
	}
	var numLocal int64
	if cfg["appendonly"] == "yes" {
		numLocal = 1 // the server refuses 1 without an append-only file
	}
	n, err := cn.WaitAOF(ctx, numLocal, 0, time.Second).Result()
	if err != nil {
		return err
	}
	fmt.Printf("   WAITAOF %d 0 1000 -> fsynced locally: %d, by replicas: %d (appendonly %s)\n",
		numLocal, n.Local, n.Replicas, cfg["appendonly"])
	return nil
}

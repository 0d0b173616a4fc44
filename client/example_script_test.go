package client_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/actoredis/actoredis/client"
)

// rateLimit counts a call in a one-minute window and returns the count.
var rateLimit = client.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], 60) end
return n`)

// A Script is sent by its SHA1 digest (EVALSHA), computed once here.
func ExampleNewScript() {
	s := client.NewScript("return redis.call('GET', KEYS[1])")
	fmt.Println(s.Hash())
	// Output: d3c21d0c2b9ca22f82737626a27bcaf5d288f99f
}

// Run sends EVALSHA and, when the server does not have the script cached
// yet, EVAL, which loads it.
func ExampleScript_Run() {
	c, err := client.New(client.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()

	v, err := rateLimit.Run(ctx, c, []string{"calls:alice"}).Result()
	if err != nil {
		log.Fatal(err)
	}
	if v.Int > 100 {
		log.Print("alice: over 100 calls this minute")
	}
}

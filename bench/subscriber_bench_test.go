package main

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/redis/rueidis"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/resp/resptest"
)

// BenchmarkSubscriber measures the subscriber side of each library alone,
// without a publisher or redis-server sharing the CPU: a fake server
// (resptest, RESP3) streams 16-byte messages of one channel in bursts of
// 100, at most 1,000 ahead of the slowest consumer, to subscriptions
// opened through the library's own API (as in the PUBSUB workloads), whose
// messages are counted: one subscription for each library, and 100
// subscriptions of one actoredis client sharing its pubsub connection.
// An op is one message delivered to one subscription: ns/op, cpu-ns/op
// (process CPU: the fake server's writes included, the same for every
// library), allocs/op and B/op are per delivery.
//
//	go test -run XXX -bench Subscriber -benchtime 1000000x .
func BenchmarkSubscriber(b *testing.B) {
	b.Run("actoredis", func(b *testing.B) { benchmarkSubscriber(b, "actoredis", 1) })
	b.Run("rueidis", func(b *testing.B) { benchmarkSubscriber(b, "rueidis", 1) })
	b.Run("actoredis-100subs", func(b *testing.B) { benchmarkSubscriber(b, "actoredis", 100) })
}

func benchmarkSubscriber(b *testing.B, name string, subs int) {
	const channel, burst, backlog = "bench", 100, 1000
	srv := resptest.New(b, resptest.Options{})
	conns := make(chan *resptest.Conn, 1)
	srv.Handle("SUBSCRIBE", func(c *resptest.Conn, args []string) {
		for _, ch := range args[1:] {
			_ = c.WriteRaw(pushFrame("subscribe", ch, ":1"))
		}
		select {
		case conns <- c:
		default:
		}
	})
	messages := (b.N + subs - 1) / subs // each delivered to every subscription
	received := make([]atomic.Int64, subs)
	var finished atomic.Int64 // subscriptions that have every message
	credit := make(chan struct{}, 1)
	done := make(chan struct{})
	count := func(sub int, payload string) {
		if len(payload) != 16 {
			b.Errorf("payload %q", payload)
		}
		n := received[sub].Add(1)
		select {
		case credit <- struct{}{}:
		default:
		}
		if n == int64(messages) && finished.Add(1) == int64(subs) {
			close(done)
		}
	}
	slowest := func() int64 {
		least := received[0].Load()
		for i := range received {
			least = min(least, received[i].Load())
		}
		return least
	}
	switch name {
	case "actoredis":
		c, err := client.New(client.Options{Addr: srv.Addr()})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		for i := range subs {
			sub, err := c.Subscribe(context.Background(), channel)
			if err != nil {
				b.Fatal(err)
			}
			defer sub.Close()
			go func() {
				for m := range sub.Messages() {
					count(i, m.Payload)
				}
			}()
		}
	case "rueidis":
		c, err := rueidis.NewClient(rueidis.ClientOption{InitAddress: []string{srv.Addr()}, DisableCache: true})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			_ = c.Receive(ctx, c.B().Subscribe().Channel(channel).Build(), func(m rueidis.PubSubMessage) { count(0, m.Message) })
		}()
	}
	conn := <-conns
	var chunk []byte
	for range burst {
		chunk = append(chunk, pushFrame("message", channel, "$16\r\n0123456789abcdef")...)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU()
	go func() {
		for sent := 0; sent < messages; sent += burst {
			for int64(sent+burst)-slowest() > backlog {
				select {
				case <-credit:
				case <-done:
					return
				}
			}
			if conn.WriteRaw(chunk) != nil {
				return
			}
		}
	}()
	<-done
	b.StopTimer()
	b.ReportMetric(float64(processCPU()-cpu0)/float64(messages*subs), "cpu-ns/op")
}

// pushFrame encodes a RESP3 pub/sub push of kind and channel whose last
// element is last, already encoded (":1", or "$n\r\n..." without its CRLF).
func pushFrame(kind, channel, last string) []byte {
	return []byte(">3\r\n$" + strconv.Itoa(len(kind)) + "\r\n" + kind + "\r\n$" +
		strconv.Itoa(len(channel)) + "\r\n" + channel + "\r\n" + last + "\r\n")
}

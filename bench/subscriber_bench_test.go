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
// 100, at most 1,000 ahead of the consumer, to one subscription opened
// through the library's own API (as in the PUBSUB workloads), whose
// messages are counted. ns/op, cpu-ns/op (process CPU: the fake server's
// writes included, the same for every library), allocs/op and B/op are
// per message.
//
//	go test -run XXX -bench Subscriber -benchtime 1000000x .
func BenchmarkSubscriber(b *testing.B) {
	for _, name := range []string{"actoredis", "rueidis"} {
		b.Run(name, func(b *testing.B) { benchmarkSubscriber(b, name) })
	}
}

func benchmarkSubscriber(b *testing.B, name string) {
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
	var received atomic.Int64
	credit := make(chan struct{}, 1)
	done := make(chan struct{})
	count := func(payload string) {
		if len(payload) != 16 {
			b.Errorf("payload %q", payload)
		}
		n := received.Add(1)
		select {
		case credit <- struct{}{}:
		default:
		}
		if n == int64(b.N) {
			close(done)
		}
	}
	switch name {
	case "actoredis":
		c, err := client.New(client.Options{Addr: srv.Addr()})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		sub, err := c.Subscribe(context.Background(), channel)
		if err != nil {
			b.Fatal(err)
		}
		defer sub.Close()
		go func() {
			for m := range sub.Messages() {
				count(m.Payload)
			}
		}()
	case "rueidis":
		c, err := rueidis.NewClient(rueidis.ClientOption{InitAddress: []string{srv.Addr()}, DisableCache: true})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			_ = c.Receive(ctx, c.B().Subscribe().Channel(channel).Build(), func(m rueidis.PubSubMessage) { count(m.Message) })
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
		for sent := 0; sent < b.N; sent += burst {
			for int64(sent+burst)-received.Load() > backlog {
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
	b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
}

// pushFrame encodes a RESP3 pub/sub push of kind and channel whose last
// element is last, already encoded (":1", or "$n\r\n..." without its CRLF).
func pushFrame(kind, channel, last string) []byte {
	return []byte(">3\r\n$" + strconv.Itoa(len(kind)) + "\r\n" + kind + "\r\n$" +
		strconv.Itoa(len(channel)) + "\r\n" + channel + "\r\n" + last + "\r\n")
}

//go:build unix

package client_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/resp/resptest"
)

// BenchmarkSubscriptionDelivery measures the subscriber side alone: a fake
// server streams messages of one channel in bursts of 100 (as Redis sends
// a pipeline of PUBLISH on), at most 1,000 ahead of the slowest consumer,
// to 1 or 100 subscriptions of one client, each ranged over by a goroutine
// as a user would. An op is one message delivered to one subscription:
// ns/op, cpu-ns/op (the whole process, fake server included), allocs/op
// and B/op are per delivery.
func BenchmarkSubscriptionDelivery(b *testing.B) {
	for _, subs := range []int{1, 100} {
		b.Run("subs="+strconv.Itoa(subs), func(b *testing.B) { benchmarkDelivery(b, subs) })
	}
}

func benchmarkDelivery(b *testing.B, subs int) {
	const burst, backlog = 100, 1000
	srv := resptest.New(b, resptest.Options{})
	conns := make(chan *resptest.Conn, 1)
	srv.Handle("SUBSCRIBE", func(c *resptest.Conn, args []string) {
		for _, ch := range args[1:] {
			_ = c.WriteRaw(frame(c.Protocol(), "subscribe", ch, ":1"))
		}
		select {
		case conns <- c:
		default:
		}
	})
	c, err := client.New(client.Options{Addr: srv.Addr()})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	sessions := make([]*client.Subscription, subs)
	for i := range sessions {
		if sessions[i], err = c.Subscribe(context.Background(), "bench"); err != nil {
			b.Fatal(err)
		}
		defer sessions[i].Close()
	}
	conn := <-conns

	var chunk []byte
	for range burst {
		chunk = append(chunk, frame(conn.Protocol(), "message", "bench", "$16\r\n0123456789abcdef")...)
	}
	messages := (b.N + subs - 1) / subs
	received := make([]atomic.Int64, subs)
	credit := make(chan struct{}, 1)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for sent := 0; sent < messages; sent += burst {
			for {
				least := received[0].Load()
				for i := range received {
					least = min(least, received[i].Load())
				}
				if int64(sent+burst)-least <= backlog {
					break
				}
				select {
				case <-credit:
				case <-done:
					return
				}
			}
			if err := conn.WriteRaw(chunk); err != nil {
				return
			}
		}
	})
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU()
	var consumers sync.WaitGroup
	for i, sub := range sessions {
		consumers.Go(func() {
			n := 0
			for m := range sub.Messages() {
				if m.Kind != client.KindMessage || len(m.Payload) != 16 {
					b.Errorf("unexpected %v %q", m.Kind, m.Payload)
					return
				}
				n++
				received[i].Store(int64(n))
				select {
				case credit <- struct{}{}:
				default:
				}
				if n == messages {
					return
				}
			}
		})
	}
	consumers.Wait()
	b.StopTimer()
	b.ReportMetric(float64(processCPU()-cpu0)/float64(messages*subs), "cpu-ns/op")
	close(done)
	wg.Wait()
}

// processCPU returns the process's user and system CPU time in
// nanoseconds.
func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

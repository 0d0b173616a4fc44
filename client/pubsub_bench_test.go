//go:build unix

package client_test

import (
	"context"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/resp/resptest"
)

// BenchmarkSubscriptionDelivery measures the subscriber side alone: a fake
// server streams messages of one channel in bursts of 100 (as Redis sends
// a pipeline of PUBLISH on), at most 1,000 ahead of the consumer, and the
// benchmark's goroutine ranges over Messages as a user would. ns/op,
// cpu-ns/op (the whole process, fake server included), allocs/op and B/op
// are per message.
func BenchmarkSubscriptionDelivery(b *testing.B) {
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
	sub, err := c.Subscribe(context.Background(), "bench")
	if err != nil {
		b.Fatal(err)
	}
	defer sub.Close()
	conn := <-conns

	var chunk []byte
	for range burst {
		chunk = append(chunk, frame(conn.Protocol(), "message", "bench", "$16\r\n0123456789abcdef")...)
	}
	var received atomic.Int64
	credit := make(chan struct{}, 1)
	done := make(chan struct{})
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		for sent := 0; sent < b.N; sent += burst {
			for int64(sent+burst)-received.Load() > backlog {
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
	}()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU()
	n := 0
	for m := range sub.Messages() {
		if m.Kind != client.KindMessage || len(m.Payload) != 16 {
			b.Fatalf("unexpected %v %q", m.Kind, m.Payload)
		}
		n++
		received.Store(int64(n))
		select {
		case credit <- struct{}{}:
		default:
		}
		if n == b.N {
			break
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
	close(done)
	<-writerDone
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

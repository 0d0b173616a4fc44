package client_test

import (
	"context"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/resp/resptest"
)

// Hermetic tests of the subscriber side against the scripted fake server.

// frame encodes a pub/sub push of kind and channel whose last element is
// last, already encoded (":1", or "$n\r\n..." without its CRLF).
func frame(proto int, kind, channel, last string) []byte {
	head := "*3\r\n"
	if proto == 3 {
		head = ">3\r\n"
	}
	s := head + "$" + strconv.Itoa(len(kind)) + "\r\n" + kind + "\r\n" +
		"$" + strconv.Itoa(len(channel)) + "\r\n" + channel + "\r\n" + last + "\r\n"
	return []byte(s)
}

func rawBulk(s string) string { return "$" + strconv.Itoa(len(s)) + "\r\n" + s }

// subscribedServer is a fake server that confirms SUBSCRIBE and hands out
// each connection that subscribed, in order.
func subscribedServer(t *testing.T) (*resptest.Server, <-chan *resptest.Conn) {
	srv := resptest.New(t, resptest.Options{})
	conns := make(chan *resptest.Conn, 16)
	srv.Handle("SUBSCRIBE", func(c *resptest.Conn, args []string) {
		for _, ch := range args[1:] {
			_ = c.WriteRaw(frame(c.Protocol(), "subscribe", ch, ":1"))
		}
		conns <- c
	})
	return srv, conns
}

func next(t *testing.T, sub *client.Subscription) client.Message {
	t.Helper()
	select {
	case m, ok := <-sub.Messages():
		require.True(t, ok, "the subscription ended")
		return m
	case <-time.After(5 * time.Second):
		t.Fatal("no message within 5 s")
	}
	return client.Message{}
}

// A message whose frame is complete is delivered while the reader waits
// for the rest of the next one.
func TestSubscriptionDeliversBeforeWaitingForMore(t *testing.T) {
	srv, conns := subscribedServer(t)
	c := fakeClient(t, srv, client.Options{})
	sub, err := c.Subscribe(context.Background(), "ch")
	require.NoError(t, err)
	defer sub.Close()
	conn := <-conns
	first := frame(conn.Protocol(), "message", "ch", rawBulk("one"))
	second := frame(conn.Protocol(), "message", "ch", rawBulk("two"))
	for round := range 3 {
		// One whole message and part of the next in one write.
		require.NoError(t, conn.WriteRaw(append(append([]byte(nil), first...), second[:round*5+3]...)))
		m := next(t, sub)
		assert.Equal(t, "one", m.Payload)
		require.NoError(t, conn.WriteRaw(second[round*5+3:]))
		m = next(t, sub)
		assert.Equal(t, client.KindMessage, m.Kind)
		assert.Equal(t, "ch", m.Channel)
		assert.Equal(t, "two", m.Payload)
	}
}

// Bursts larger than the channel and the queue, written in pieces that cut
// frames anywhere, arrive complete and in order under Block.
func TestSubscriptionBurstsInOrder(t *testing.T) {
	srv, conns := subscribedServer(t)
	c := fakeClient(t, srv, client.Options{})
	sub, err := c.SubscribeWith(context.Background(), client.SubscribeOptions{Channels: []string{"ch"}, BufferSize: 16})
	require.NoError(t, err)
	defer sub.Close()
	conn := <-conns
	const total = 20000
	var stream []byte
	for i := range total {
		stream = append(stream, frame(conn.Protocol(), "message", "ch", rawBulk(strconv.Itoa(i)))...)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for off, step := 0, 1; off < len(stream); step = step*7%4093 + 1 {
			end := min(off+step, len(stream))
			if conn.WriteRaw(stream[off:end]) != nil {
				return
			}
			off = end
		}
	})
	for i := range total {
		m := next(t, sub)
		require.Equal(t, client.KindMessage, m.Kind)
		require.Equal(t, strconv.Itoa(i), m.Payload)
	}
	wg.Wait()
	// Delivered counts a message once its send to the channel has
	// returned, which may be just after the receive above.
	require.Eventually(t, func() bool { return sub.Stats().Delivered == total }, 5*time.Second, time.Millisecond,
		"delivered %d of %d", sub.Stats().Delivered, total)
	assert.Zero(t, sub.Stats().Dropped)
}

// A quiet subscribed connection is checked with PING; one that does not
// answer within ReadTimeout is replaced, and the subscription hears of it.
func TestSubscriptionUnansweredPingReconnects(t *testing.T) {
	srv, conns := subscribedServer(t)
	var mu sync.Mutex
	subscribed := map[int64]int{} // connection id -> PINGs received
	srv.Handle("PING", func(c *resptest.Conn, _ []string) {
		mu.Lock()
		n, ok := subscribed[c.ID()]
		if ok {
			subscribed[c.ID()] = n + 1
		}
		first := len(subscribed) == 1
		mu.Unlock()
		if ok && first {
			c.Hang() // the first subscribed connection stops answering
			return
		}
		_ = c.WriteRaw([]byte("+PONG\r\n"))
	})
	c := fakeClient(t, srv, client.Options{ReadTimeout: 200 * time.Millisecond, PubSubPingInterval: 20 * time.Millisecond})
	sub, err := c.Subscribe(context.Background(), "ch")
	require.NoError(t, err)
	defer sub.Close()
	conn := <-conns
	mu.Lock()
	subscribed[conn.ID()] = 0
	mu.Unlock()

	assert.Equal(t, client.KindReconnected, next(t, sub).Kind)
	again := <-conns
	assert.NotEqual(t, conn.ID(), again.ID())
	mu.Lock()
	subscribed[again.ID()] = 0
	mu.Unlock()
	require.NoError(t, again.WriteRaw(frame(again.Protocol(), "message", "ch", rawBulk("after"))))
	assert.Equal(t, "after", next(t, sub).Payload)
	// The new connection answers: it is checked again and kept.
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return subscribed[again.ID()] >= 2
	}, 5*time.Second, time.Millisecond)
	assert.Equal(t, 2, srv.CommandCount("SUBSCRIBE"))
}

// Overflow policies apply message by message within one read: the
// consumer's channel and the queue keep the oldest (DropNewest) or the
// newest (DropOldest), a Dropped event marks the gap, nothing is lost
// silently; CloseOnOverflow ends the subscription.
func TestSubscriptionPoliciesWithinOneRead(t *testing.T) {
	const total = 50
	for _, policy := range []client.Policy{client.DropNewest, client.DropOldest, client.CloseOnOverflow} {
		t.Run(policy.String(), func(t *testing.T) {
			srv, conns := subscribedServer(t)
			c := fakeClient(t, srv, client.Options{})
			sub, err := c.SubscribeWith(context.Background(), client.SubscribeOptions{Channels: []string{"ch"}, BufferSize: 4, Policy: policy})
			require.NoError(t, err)
			defer sub.Close()
			conn := <-conns
			var burst []byte
			for i := range total {
				burst = append(burst, frame(conn.Protocol(), "message", "ch", rawBulk(strconv.Itoa(i)))...)
			}
			// One write, read before the consumer takes anything.
			require.NoError(t, conn.WriteRaw(burst))
			if policy == client.CloseOnOverflow {
				for range sub.Messages() {
				}
				assert.ErrorIs(t, sub.Err(), client.ErrSlowConsumer)
				return
			}
			require.Eventually(t, func() bool { return sub.Stats().Dropped > 0 && sub.Stats().Pending <= 4 }, 5*time.Second, time.Millisecond)
			// Everything has been read: what is kept and what was dropped
			// add up to what was sent.
			require.NoError(t, conn.WriteRaw(frame(conn.Protocol(), "message", "ch", rawBulk("end"))))
			var got []int
			var dropped int64
			for {
				m := next(t, sub)
				if m.Kind == client.KindDropped {
					dropped += m.Dropped
					continue
				}
				if m.Payload == "end" {
					break
				}
				n, err := strconv.Atoi(m.Payload)
				require.NoError(t, err)
				got = append(got, n)
			}
			assert.Equal(t, total, len(got)+int(dropped), "kept %v", got)
			assert.Equal(t, uint64(dropped), sub.Stats().Dropped)
			assert.True(t, sort.IntsAreSorted(got), "in order: %v", got)
			if policy == client.DropNewest {
				assert.Equal(t, 0, got[0], "the oldest are kept")
			} else {
				assert.Equal(t, total-1, got[len(got)-1], "the newest are kept")
			}
		})
	}
}

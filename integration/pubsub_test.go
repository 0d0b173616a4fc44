//go:build integration

package integration

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

// recv waits for the next message on sub, failing the test after d.
func recv(t *testing.T, sub *client.Subscription, d time.Duration) client.Message {
	t.Helper()
	select {
	case m, ok := <-sub.Messages():
		require.True(t, ok, "subscription channel closed")
		return m
	case <-time.After(d):
		t.Fatalf("no message within %v", d)
	}
	return client.Message{}
}

func TestPubSubHundredThousandInOrder(t *testing.T) {
	for _, proto := range protocols {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			c := openClient(t, client.Options{Protocol: proto})
			pub := openClient(t, client.Options{})
			ctx := context.Background()
			ch := "ps:order:" + strconv.Itoa(proto)
			sub, err := c.Subscribe(ctx, ch)
			require.NoError(t, err)
			defer sub.Close()
			const n = 100000
			go func() {
				fs := make([]*client.Future[any], 0)
				_ = fs
				for i := 0; i < n; i++ {
					pub.Do(ctx, "PUBLISH", ch, strconv.Itoa(i))
				}
			}()
			for i := 0; i < n; i++ {
				m := recv(t, sub, 10*time.Second)
				require.Equal(t, client.KindMessage, m.Kind)
				require.Equal(t, ch, m.Channel)
				require.Equal(t, strconv.Itoa(i), m.Payload)
			}
			assert.Equal(t, uint64(0), sub.Stats().Dropped)
		})
	}
}

func TestPubSubManySubscriptionsAndKinds(t *testing.T) {
	c := openClient(t, client.Options{})
	ctx := context.Background()
	const subs = 1000
	all := make([]*client.Subscription, subs)
	for i := range all {
		s, err := c.Subscribe(ctx, "ps:many:"+strconv.Itoa(i))
		require.NoError(t, err)
		all[i] = s
	}
	defer func() {
		for _, s := range all {
			_ = s.Close()
		}
	}()
	for i := 0; i < subs; i++ {
		n, err := c.Do(ctx, "PUBLISH", "ps:many:"+strconv.Itoa(i), "for "+strconv.Itoa(i)).Result()
		require.NoError(t, err)
		require.Equal(t, int64(1), n.Int)
	}
	for i, s := range all {
		m := recv(t, s, 5*time.Second)
		require.Equal(t, "for "+strconv.Itoa(i), m.Payload)
		select {
		case extra := <-s.Messages():
			t.Fatalf("subscription %d got someone else's message %+v", i, extra)
		default:
		}
	}

	// Patterns and shard channels, binary payloads.
	ps, err := c.PSubscribe(ctx, "ps:pat:*")
	require.NoError(t, err)
	defer ps.Close()
	ss, err := c.SSubscribe(ctx, "ps:shard")
	require.NoError(t, err)
	defer ss.Close()
	payload := "bin\x00\r\n\xff"
	require.NoError(t, c.Do(ctx, "PUBLISH", "ps:pat:x", payload).Err())
	require.NoError(t, c.Do(ctx, "SPUBLISH", "ps:shard", payload).Err())
	m := recv(t, ps, 5*time.Second)
	assert.Equal(t, client.Message{Kind: client.KindPMessage, Channel: "ps:pat:x", Pattern: "ps:pat:*", Payload: payload}, m)
	m = recv(t, ss, 5*time.Second)
	assert.Equal(t, client.Message{Kind: client.KindSMessage, Channel: "ps:shard", Payload: payload}, m)
}

func TestPubSubSharedChannelRefCounts(t *testing.T) {
	srv := redistest.Start(t)
	c := openClient(t, client.Options{Addr: srv.Addr()})
	ctx := context.Background()
	a, err := c.Subscribe(ctx, "ps:shared")
	require.NoError(t, err)
	b, err := c.Subscribe(ctx, "ps:shared")
	require.NoError(t, err)
	require.NoError(t, c.Do(ctx, "PUBLISH", "ps:shared", "1").Err())
	assert.Equal(t, "1", recv(t, a, 5*time.Second).Payload)
	assert.Equal(t, "1", recv(t, b, 5*time.Second).Payload)
	numsub := func() int64 {
		v, err := c.Do(ctx, "PUBSUB", "NUMSUB", "ps:shared").Result()
		require.NoError(t, err)
		pairs, _ := v.AsPairs()
		n, _ := pairs[1].AsInt64()
		return n
	}
	assert.Equal(t, int64(1), numsub(), "one server subscription for both")
	require.NoError(t, a.Close())
	require.NoError(t, a.Close(), "Close twice is fine")
	_, open := <-a.Messages()
	assert.False(t, open)
	require.NoError(t, c.Do(ctx, "PUBLISH", "ps:shared", "2").Err())
	assert.Equal(t, "2", recv(t, b, 5*time.Second).Payload, "the other stays subscribed")
	b.Unsubscribe("ps:shared")
	require.Eventually(t, func() bool { return numsub() == 0 }, 5*time.Second, 5*time.Millisecond)
	// Adding and dropping later.
	require.NoError(t, b.Subscribe(ctx, "ps:later"))
	require.NoError(t, c.Do(ctx, "PUBLISH", "ps:later", "3").Err())
	assert.Equal(t, "3", recv(t, b, 5*time.Second).Payload)
	require.NoError(t, b.Close())
}

// Kill the subscribed connection while publishing sequence numbers: one
// Reconnected event per kill, quick resubscription, and every lost number
// falls inside a signalled gap.
func TestPubSubReconnectSignalsGaps(t *testing.T) {
	srv := redistest.Start(t)
	c := openClient(t, client.Options{Addr: srv.Addr()})
	pub := openClient(t, client.Options{Addr: srv.Addr()})
	ctx := context.Background()
	sub, err := c.Subscribe(ctx, "ps:seq")
	require.NoError(t, err)
	defer sub.Close()
	stop := make(chan struct{})
	var published sync.WaitGroup
	stopPublisher := sync.OnceFunc(func() { close(stop); published.Wait() })
	// However the test ends, the publisher stops before its client closes:
	// left running, it would loop on the closed client in later tests.
	defer stopPublisher()
	published.Add(1)
	go func() {
		defer published.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			pub.Do(ctx, "PUBLISH", "ps:seq", strconv.Itoa(i)).Err()
			time.Sleep(200 * time.Microsecond) // a steady stream, not a flood
		}
	}()
	type gap struct{ after int }
	var gaps []gap
	last := -1
	unsignalled := 0
	reconnects := 0
	kills := 0
	var resubscribe []time.Duration
	var killedAt time.Time
	deadline := time.Now().Add(20 * time.Second)
	for kills < 5 || reconnects < kills {
		require.True(t, time.Now().Before(deadline), "kills %d reconnects %d", kills, reconnects)
		m := recv(t, sub, 5*time.Second)
		switch m.Kind {
		case client.KindReconnected:
			reconnects++
			resubscribe = append(resubscribe, time.Since(killedAt))
			gaps = append(gaps, gap{after: last})
		case client.KindMessage:
			n, _ := strconv.Atoi(m.Payload)
			if n != last+1 && !(len(gaps) > 0 && gaps[len(gaps)-1].after == last) {
				unsignalled += n - last - 1
			}
			last = n
			if n > 0 && n%300 == 0 && kills == reconnects && kills < 5 {
				_, err := srv.Do("CLIENT", "KILL", "TYPE", "pubsub")
				require.NoError(t, err)
				killedAt = time.Now()
				kills++
			}
		}
	}
	stopPublisher()
	assert.Equal(t, kills, reconnects, "exactly one Reconnected per kill")
	assert.Zero(t, unsignalled, "every lost message falls in a signalled gap")
	for _, d := range resubscribe {
		assert.Less(t, d, 500*time.Millisecond)
	}
	t.Logf("kills %d, reconnects %d, resubscribe times %v", kills, reconnects, resubscribe)
}

func TestPubSubSlowConsumerPolicies(t *testing.T) {
	c := openClient(t, client.Options{})
	ctx := context.Background()
	publish := func(ch string, n int) {
		for i := 0; i < n; i++ {
			require.NoError(t, c.Do(ctx, "PUBLISH", ch, strconv.Itoa(i)).Err())
		}
	}
	t.Run("drop-newest", func(t *testing.T) {
		s, err := c.SubscribeWith(ctx, client.SubscribeOptions{Channels: []string{"ps:dn"}, BufferSize: 10, Policy: client.DropNewest})
		require.NoError(t, err)
		defer s.Close()
		// The consumer reads nothing while 100 arrive.
		publish("ps:dn", 100)
		// Queue (10), the delivery goroutine's batch (2) and the channel
		// (10) hold at most 22; the rest is dropped.
		require.Eventually(t, func() bool { return s.Stats().Dropped >= 78 }, 5*time.Second, time.Millisecond)
		var got []string
		dropped := int64(0)
		for int64(len(got))+dropped < 100 {
			m := recv(t, s, 5*time.Second)
			if m.Kind == client.KindDropped {
				dropped += m.Dropped
				continue
			}
			got = append(got, m.Payload)
		}
		// The oldest are kept, in order: at least the channel's and the
		// queue's worth (a message still on its way when reading began may
		// find room again, so it is kept after the Dropped event).
		assert.Equal(t, uint64(dropped), s.Stats().Dropped, "every drop is signalled")
		require.GreaterOrEqual(t, len(got), 20)
		last := -1
		for i, p := range got {
			n, err := strconv.Atoi(p)
			require.NoError(t, err)
			if i < 20 {
				assert.Equal(t, i, n, "the oldest are kept")
			}
			assert.Greater(t, n, last, "in order")
			last = n
		}
	})
	t.Run("drop-oldest", func(t *testing.T) {
		s, err := c.SubscribeWith(ctx, client.SubscribeOptions{Channels: []string{"ps:do"}, BufferSize: 10, Policy: client.DropOldest})
		require.NoError(t, err)
		defer s.Close()
		publish("ps:do", 100)
		require.Eventually(t, func() bool { return s.Stats().Dropped >= 78 }, 5*time.Second, time.Millisecond)
		var got []string
		dropped := int64(0)
		for len(got) < 101-int(dropped) {
			m := recv(t, s, 5*time.Second)
			if m.Kind == client.KindDropped {
				dropped += m.Dropped
				continue
			}
			got = append(got, m.Payload)
			if m.Payload == "99" {
				break
			}
		}
		assert.Equal(t, "99", got[len(got)-1], "the newest are kept")
		assert.Equal(t, int64(100-len(got)), dropped)
	})
	t.Run("close", func(t *testing.T) {
		s, err := c.SubscribeWith(ctx, client.SubscribeOptions{Channels: []string{"ps:cl"}, BufferSize: 5, Policy: client.CloseOnOverflow})
		require.NoError(t, err)
		publish("ps:cl", 50)
		require.Eventually(t, func() bool { return s.Err() != nil }, 5*time.Second, time.Millisecond)
		assert.ErrorIs(t, s.Err(), client.ErrSlowConsumer)
		for range s.Messages() {
		}
		require.NoError(t, s.Close())
	})
	t.Run("block only holds its own feed", func(t *testing.T) {
		slow, err := c.SubscribeWith(ctx, client.SubscribeOptions{Channels: []string{"ps:bl"}, BufferSize: 4, Policy: client.Block})
		require.NoError(t, err)
		defer slow.Close()
		fast, err := c.Subscribe(ctx, "ps:bl")
		require.NoError(t, err)
		defer fast.Close()
		publish("ps:bl", 1000)
		for i := 0; i < 1000; i++ {
			require.Equal(t, strconv.Itoa(i), recv(t, fast, 5*time.Second).Payload, "the other subscription keeps up")
		}
		assert.Equal(t, "PONG", c.Ping(ctx).Val(), "commands are not held up")
		for i := 0; i < 1000; i++ {
			require.Equal(t, strconv.Itoa(i), recv(t, slow, 5*time.Second).Payload, "Block loses nothing")
		}
		assert.Zero(t, slow.Stats().Dropped)
	})
}

func TestPubSubCloseWhileFlowing(t *testing.T) {
	srv := redistest.Start(t)
	before := goleak.IgnoreCurrent()
	for round := 0; round < 3; round++ {
		c, err := client.New(client.Options{Addr: srv.Addr()})
		require.NoError(t, err)
		pub, err := client.New(client.Options{Addr: srv.Addr()})
		require.NoError(t, err)
		ctx := context.Background()
		subs := make([]*client.Subscription, 5)
		for i := range subs {
			subs[i], err = c.Subscribe(ctx, "ps:flow")
			require.NoError(t, err)
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		// A failed require must not leave the publisher running.
		defer func() {
			select {
			case <-stop:
			default:
				close(stop)
			}
			_ = c.Close()
			wg.Wait()
			_ = pub.Close()
		}()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				pub.Do(ctx, "PUBLISH", "ps:flow", strconv.Itoa(i))
			}
		}()
		for _, s := range subs[:2] {
			wg.Add(1)
			go func(s *client.Subscription) {
				defer wg.Done()
				for range s.Messages() {
				}
			}(s)
		}
		recv(t, subs[2], 5*time.Second)
		require.NoError(t, subs[3].Close()) // one closed by its consumer mid-flow
		require.NoError(t, c.Close())       // the rest by the client
		close(stop)
		wg.Wait()
		for _, s := range subs {
			for range s.Messages() {
			}
			require.NoError(t, s.Close())
		}
		require.NoError(t, pub.Close())
		_, err = c.Subscribe(ctx, "late")
		assert.ErrorIs(t, err, client.ErrClosed)
	}
	goleak.VerifyNone(t, before)
}

var _ = fmt.Sprint
var _ = strings.Contains

//go:build integration

package integration

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
)

func TestPipelineThousandMixed(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		p := c.Pipeline()
		type check func() error
		var checks []check
		for i := 0; i < 250; i++ {
			k := key("k" + strconv.Itoa(i))
			set := p.Set(ctx, k, "v"+strconv.Itoa(i), 0)
			get := p.Get(ctx, k)
			incr := p.Incr(ctx, key("counter"))
			echo := p.Echo(ctx, "e"+strconv.Itoa(i))
			i := i
			checks = append(checks, func() error {
				if set.Val() != "OK" || get.Val() != "v"+strconv.Itoa(i) || incr.Val() != int64(i+1) || echo.Val() != "e"+strconv.Itoa(i) {
					return fmt.Errorf("command group %d: %q %q %d %q", i, set.Val(), get.Val(), incr.Val(), echo.Val())
				}
				return nil
			})
		}
		require.Equal(t, 1000, p.Len())
		require.NoError(t, p.Exec(ctx))
		for _, chk := range checks {
			require.NoError(t, chk())
		}
		// Reusable after Exec.
		again := p.Get(ctx, key("k7"))
		require.NoError(t, p.Exec(ctx))
		assert.Equal(t, "v7", again.Val())
	})
}

func TestPipelineErrorsStayWithTheirFuture(t *testing.T) {
	c := openClient(t, client.Options{})
	ctx := context.Background()
	k := "{pipe:err}:"
	require.NoError(t, c.Del(ctx, k+"list", k+"s").Err())
	require.NoError(t, c.Do(ctx, "RPUSH", k+"list", "x").Err())
	p := c.Pipeline()
	ok := p.Set(ctx, k+"s", "1", 0)
	bad := p.Incr(ctx, k+"list")
	after := p.Get(ctx, k+"s")
	err := p.Exec(ctx)
	var se *client.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "WRONGTYPE", se.Prefix())
	assert.Equal(t, "OK", ok.Val())
	require.ErrorAs(t, bad.Err(), &se)
	assert.Equal(t, "1", after.Val())
}

func TestPipelineEdges(t *testing.T) {
	c := openClient(t, client.Options{PoolSize: 1})
	ctx := context.Background()
	// Empty Exec: nothing to do.
	require.NoError(t, c.Pipeline().Exec(ctx))
	// Discard fails the queued futures.
	p := c.Pipeline()
	f := p.Ping(ctx)
	p.Discard()
	assert.ErrorIs(t, f.Err(), client.ErrDiscarded)
	require.NoError(t, p.Exec(ctx))
	// Pipelined returns fn's error and sends nothing.
	boom := errors.New("boom")
	var queued *client.Future[string]
	err := c.Pipelined(ctx, func(p *client.Pipeline) error {
		queued = p.Set(ctx, "pipe:never", "x", 0)
		return boom
	})
	require.ErrorIs(t, err, boom)
	assert.ErrorIs(t, queued.Err(), client.ErrDiscarded)
	assert.ErrorIs(t, c.Get(ctx, "pipe:never").Err(), client.ErrNil)
	// A context that ends mid-Exec: ctx.Err(), and the connection stays in sync.
	require.NoError(t, c.Set(ctx, "pipe:sync", "yes", 0).Err())
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	p = c.Pipeline()
	p.Do(short, "DEBUG", "SLEEP", "0.2")
	slow := p.Echo(short, "late")
	err = p.Exec(short)
	cancel()
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, "yes", c.Get(ctx, "pipe:sync").Val())
	assert.Equal(t, "late", func() string { v, _ := slow.Await(ctx); return v }())
	// A closed client.
	c2 := openClient(t, client.Options{})
	require.NoError(t, c2.Close())
	p = c2.Pipeline()
	g := p.Ping(ctx)
	require.ErrorIs(t, p.Exec(ctx), client.ErrClosed)
	assert.ErrorIs(t, g.Err(), client.ErrClosed)
}

// Pipelines and single commands from many goroutines share the
// connections; no reply crosses to another caller.
func TestPipelineInterleavedWithSingles(t *testing.T) {
	c := openClient(t, client.Options{PoolSize: 2})
	ctx := context.Background()
	var wg sync.WaitGroup
	var mismatches atomic.Int64
	for g := 0; g < 100; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for round := 0; round < 20; round++ {
				if g%2 == 0 {
					p := c.Pipeline()
					fs := make([]*client.Future[string], 10)
					for i := range fs {
						fs[i] = p.Echo(ctx, fmt.Sprintf("p:%d:%d:%d", g, round, i))
					}
					if err := p.Exec(ctx); err != nil {
						mismatches.Add(1)
						continue
					}
					for i, f := range fs {
						if f.Val() != fmt.Sprintf("p:%d:%d:%d", g, round, i) {
							mismatches.Add(1)
						}
					}
				} else {
					want := fmt.Sprintf("s:%d:%d", g, round)
					if got, err := c.Echo(ctx, want).Result(); err != nil || got != want {
						mismatches.Add(1)
					}
				}
			}
		}(g)
	}
	wg.Wait()
	assert.Zero(t, mismatches.Load())
}

func TestPipelineHundredThousand(t *testing.T) {
	c := openClient(t, client.Options{})
	ctx := context.Background()
	k := "{pipe:big}:counter"
	require.NoError(t, c.Del(ctx, k).Err())
	p := c.Pipeline()
	fs := make([]*client.Future[int64], 100000)
	for i := range fs {
		fs[i] = p.Incr(ctx, k)
	}
	// Meanwhile the shared connections keep answering.
	require.NoError(t, p.Exec(ctx))
	for i, f := range fs {
		require.Equal(t, int64(i+1), f.Val())
	}
	assert.Equal(t, "PONG", c.Ping(ctx).Val())
	assert.Zero(t, c.Stats().Leased)
}

func TestTxPipelineAtomicAndErrors(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		keys := make([]string, 10)
		for i := range keys {
			keys[i] = key("a" + strconv.Itoa(i))
		}
		// A concurrent reader never sees a partial write.
		stop := make(chan struct{})
		var partial atomic.Int64
		var wg sync.WaitGroup
		stopReader := sync.OnceFunc(func() { close(stop); wg.Wait() })
		defer stopReader() // however the test ends, the reader stops before the client closes
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				args := []any{"MGET"}
				for _, k := range keys {
					args = append(args, k)
				}
				v, err := c.Do(ctx, args...).Result()
				if err != nil {
					continue
				}
				vals, _ := v.AsStrings()
				for _, x := range vals {
					if x != vals[0] {
						partial.Add(1)
						break
					}
				}
			}
		}()
		for round := 0; round < 200; round++ {
			err := c.TxPipelined(ctx, func(p *client.Pipeline) error {
				for _, k := range keys {
					p.Set(ctx, k, round, 0)
				}
				return nil
			})
			require.NoError(t, err)
		}
		stopReader()
		assert.Zero(t, partial.Load(), "no partial state visible")

		// Futures complete from EXEC's array.
		tx := c.TxPipeline()
		set := tx.Set(ctx, key("t"), "1", 0)
		incr := tx.Incr(ctx, key("t"))
		get := tx.Get(ctx, key("t"))
		require.NoError(t, tx.Exec(ctx))
		assert.Equal(t, "OK", set.Val())
		assert.Equal(t, int64(2), incr.Val())
		assert.Equal(t, "2", get.Val())

		// A command refused at queue time: EXECABORT, every future names it.
		tx = c.TxPipeline()
		a := tx.Set(ctx, key("x"), "1", 0)
		b := tx.Do(ctx, "NOSUCHCOMMAND", key("x"))
		err := tx.Exec(ctx)
		var ab *client.TxAbortedError
		require.ErrorAs(t, err, &ab)
		assert.Equal(t, "NOSUCHCOMMAND", ab.Command)
		require.ErrorAs(t, a.Err(), &ab)
		assert.Equal(t, "NOSUCHCOMMAND", ab.Command)
		require.ErrorAs(t, b.Err(), &ab)
		assert.ErrorIs(t, c.Get(ctx, key("x")).Err(), client.ErrNil, "nothing was applied")

		// A command failing inside EXEC fails only its own future.
		require.NoError(t, c.Do(ctx, "RPUSH", key("l"), "v").Err())
		tx = c.TxPipeline()
		before := tx.Set(ctx, key("y"), "1", 0)
		wrong := tx.Incr(ctx, key("l"))
		afterw := tx.Incr(ctx, key("y"))
		err = tx.Exec(ctx)
		var se *client.Error
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "WRONGTYPE", se.Prefix())
		assert.Equal(t, "OK", before.Val())
		require.ErrorAs(t, wrong.Err(), &se)
		assert.Equal(t, int64(2), afterw.Val())
	})
}

func TestWatchRetryExactTotal(t *testing.T) {
	c := openClient(t, client.Options{})
	ctx := context.Background()
	k := "watch:counter"
	require.NoError(t, c.Del(ctx, k).Err())
	var attempts atomic.Int64
	var wg sync.WaitGroup
	const goroutines, each = 50, 10
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				err := client.WatchRetry(ctx, c, 1000, func(tx *client.Tx) error {
					attempts.Add(1)
					n, err := tx.Get(ctx, k).Result()
					if err != nil && !errors.Is(err, client.ErrNil) {
						return err
					}
					v, _ := strconv.Atoi(n)
					return tx.TxPipelined(ctx, func(p *client.Pipeline) error {
						p.Set(ctx, k, v+1, 0)
						return nil
					})
				}, k)
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, strconv.Itoa(goroutines*each), c.Get(ctx, k).Val())
	retries := attempts.Load() - goroutines*each
	t.Logf("%d transactions, %d retries after WATCH conflicts", goroutines*each, retries)
	assert.Positive(t, retries, "conflicts really happened and were retried")
	assert.Zero(t, c.Stats().Leased)
}

func TestWatchFailsAndCleansUp(t *testing.T) {
	c := openClient(t, client.Options{})
	ctx := context.Background()
	k := "watch:conflict"
	require.NoError(t, c.Set(ctx, k, "0", 0).Err())
	err := c.Watch(ctx, func(tx *client.Tx) error {
		require.NoError(t, c.Set(ctx, k, "changed", 0).Err()) // another client writes
		return tx.TxPipelined(ctx, func(p *client.Pipeline) error {
			p.Set(ctx, k, "mine", 0)
			return nil
		})
	}, k)
	require.ErrorIs(t, err, client.ErrTxFailed)
	assert.Equal(t, "changed", c.Get(ctx, k).Val())

	boom := errors.New("boom")
	require.ErrorIs(t, c.Watch(ctx, func(*client.Tx) error { return boom }, k), boom)
	assert.Panics(t, func() {
		_ = c.Watch(ctx, func(*client.Tx) error { panic("in fn") }, k)
	})
	cctx, cancel := context.WithCancel(ctx)
	err = c.Watch(cctx, func(tx *client.Tx) error {
		cancel()
		return tx.Get(cctx, k).Err()
	}, k)
	require.Error(t, err)
	assert.Zero(t, c.Stats().Leased, "every path released its connection")
	// A later transaction is unaffected by the earlier watches.
	require.NoError(t, c.Watch(ctx, func(tx *client.Tx) error {
		return tx.TxPipelined(ctx, func(p *client.Pipeline) error {
			p.Set(ctx, k, "final", 0)
			return nil
		})
	}, k))
	assert.Equal(t, "final", c.Get(ctx, k).Val())
}

// A pipeline's commands travel in runs (one message for the commands that
// need nothing of their own) and on their own (blocking, stateful, Do):
// the server sees them in the order they were queued, and each future
// gets its own reply, value or error, named after its command.
func TestPipelineRunsKeepTheQueueOrder(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		list, str := key("list"), key("str")
		require.NoError(t, c.Del(ctx, list, str).Err())
		p := c.Pipeline()
		push := p.RPush(ctx, list, "a")
		pop := p.BLPop(ctx, time.Second, list) // a command of its own
		set := p.Set(ctx, str, "x", 0)
		wrong := p.LLen(ctx, str) // WRONGTYPE, in the run after BLPOP
		raw := p.Do(ctx, "GET", str)
		get := p.Get(ctx, str)
		enc := p.ObjectEncoding(ctx, str)
		assert.Equal(t, 7, p.Len())
		assert.Equal(t, "Future(pipelined, pending)", get.String())
		err := p.Exec(ctx)
		var re *client.Error
		require.ErrorAs(t, err, &re, "Exec returns the first error")
		assert.Equal(t, "WRONGTYPE", re.Prefix())
		assert.Equal(t, int64(1), push.Val())
		assert.Equal(t, client.KeyValue{Key: list, Value: "a"}, pop.Val())
		assert.Equal(t, "OK", set.Val())
		require.ErrorAs(t, wrong.Err(), &re)
		assert.Equal(t, "WRONGTYPE", re.Prefix())
		assert.Equal(t, "x", raw.Val().Str)
		assert.Equal(t, "x", get.Val())
		assert.Equal(t, "embstr", enc.Val())
		assert.Equal(t, "Future(GET, done)", get.String())
		assert.Equal(t, "Future(OBJECT ENCODING, done)", enc.String())
		assert.Equal(t, "Future(LLEN, done)", wrong.String())
		assert.Zero(t, c.Stats().InFlight, "a run is counted off by the commands it stands for")
	})
}

// Goroutines filling one pipeline at once each get their own replies; a
// command whose arguments are refused fails alone and is not sent.
func TestPipelineFilledFromGoroutines(t *testing.T) {
	c := openClient(t, client.Options{})
	ctx := context.Background()
	p := c.Pipeline()
	const workers, each = 8, 300
	sets := make([][]*client.Future[string], workers)
	gets := make([][]*client.Future[string], workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				k := fmt.Sprintf("pipe:fill:%d:%d", w, i)
				sets[w] = append(sets[w], p.Set(ctx, k, k, 0))
				gets[w] = append(gets[w], p.Get(ctx, k))
			}
		})
	}
	bad := p.Set(ctx, "pipe:fill:bad", struct{}{}, 0)
	wg.Wait()
	assert.Equal(t, 2*workers*each, p.Len())
	require.Error(t, bad.Err())
	require.NoError(t, p.Exec(ctx))
	for w := range workers {
		for i := range each {
			k := fmt.Sprintf("pipe:fill:%d:%d", w, i)
			require.Equal(t, "OK", sets[w][i].Val())
			require.Equal(t, k, gets[w][i].Val())
		}
	}
	assert.ErrorIs(t, c.Get(ctx, "pipe:fill:bad").Err(), client.ErrNil)
}

// A pipeline goes to the multiplexed connection of its first key's slot,
// so it runs after the commands issued before it on that key, awaited or
// not (DESIGN.md's first safety rule), whatever the pool's size.
func TestPipelineFollowsEarlierCommandsOnItsFirstKey(t *testing.T) {
	eachProtocol(t, client.Options{PoolSize: 4}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k := key("k")
		ids := map[int64]bool{}
		for i := range 20 {
			lone := c.Set(ctx, k, "lone"+strconv.Itoa(i), 0) // not awaited before Exec
			p := c.Pipeline()
			p.Set(ctx, k, "pipe"+strconv.Itoa(i), 0)
			id := p.ClientID(ctx)
			require.NoError(t, p.Exec(ctx))
			require.NoError(t, lone.Err())
			assert.Equal(t, "pipe"+strconv.Itoa(i), valueOf(t, c.Get(ctx, k)), "round %d", i)
			ids[valueOf(t, id)] = true
		}
		assert.Len(t, ids, 1, "every pipeline on the first key's connection")
	})
}

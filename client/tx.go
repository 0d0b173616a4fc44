package client

import (
	"context"
	"errors"
	"time"

	"github.com/actoredis/actoredis/actors"
)

// Tx is the connection of one optimistic transaction, held for the
// duration of Watch's function: its command methods run at once on that
// connection (reads of the watched keys), and TxPipelined queues the
// writes and sends them as MULTI/EXEC on it.
type Tx struct {
	cmds
	c     *Client
	lease *actors.Lease
}

// TxPipelined queues commands with fn and executes them as MULTI/EXEC on
// the transaction's connection. If a watched key changed since WATCH, it
// returns ErrTxFailed and nothing was applied.
func (tx *Tx) TxPipelined(ctx context.Context, fn func(p *Pipeline) error) error {
	return pipelined(ctx, tx.TxPipeline(), fn)
}

// TxPipeline returns a transactional pipeline on the transaction's
// connection.
func (tx *Tx) TxPipeline() *Pipeline { return tx.c.newPipeline(true, tx.lease) }

// Watch runs fn in an optimistic transaction: it leases a dedicated
// connection, WATCHes keys on it, and calls fn with a Tx on that
// connection; fn reads with tx's methods and writes with tx.TxPipelined.
// Watch returns fn's error, which is ErrTxFailed when a watched key changed
// before EXEC (see WatchRetry). On every path (an error, a panic in fn, a
// cancelled ctx) the keys are unwatched and the connection released; after
// a panic or a cancellation it is closed instead, since its state is in
// doubt. Since Redis 2.2.0.
func (c *Client) Watch(ctx context.Context, fn func(tx *Tx) error, keys ...string) (err error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if len(keys) == 0 {
		return &argError{msg: "Watch needs at least one key"}
	}
	lease, err := c.pool.Lease(ctx)
	if err != nil {
		return err
	}
	tx := &Tx{c: c, lease: lease}
	tx.cmds = cmds{s: leaseSender{lease: lease, closed: c.pool.Closed()}}
	clean := false
	defer func() {
		if r := recover(); r != nil {
			lease.Discard()
			panic(r)
		}
		if !clean || ctx.Err() != nil {
			lease.Discard()
			return
		}
		lease.Release()
	}()
	f := newFuture(tx.s, ctx, "WATCH", 0, toStatus)
	f.b.keys(keys...)
	if _, err := send(tx.s, f).Result(); err != nil {
		return err
	}
	err = fn(tx)
	// EXEC (or its failure) unwatches; after an error before EXEC the
	// connection still watches: UNWATCH so it can be reused.
	u, uerr := send(tx.s, newFuture(tx.s, ctx, "UNWATCH", 0, toStatus)).Result()
	clean = uerr == nil && u == "OK"
	return err
}

// WatchRetry runs c.Watch(ctx, fn, keys...) until it does not fail with
// ErrTxFailed, at most maxAttempts times, waiting between attempts with
// exponential backoff and full jitter (1 ms doubling to 100 ms) bounded by
// ctx. It returns the last error.
func WatchRetry(ctx context.Context, c *Client, maxAttempts int, fn func(tx *Tx) error, keys ...string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	backoff := actors.ExponentialBackoff{Base: time.Millisecond, Cap: 100 * time.Millisecond}
	var err error
	for attempt := 1; attempt <= max(1, maxAttempts); attempt++ {
		err = c.Watch(ctx, fn, keys...)
		if !errors.Is(err, ErrTxFailed) || attempt == maxAttempts {
			return err
		}
		t := time.NewTimer(backoff.Next(attempt))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
	return err
}

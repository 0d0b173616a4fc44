//go:build integration

package integration

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/faultproxy"
	"github.com/actoredis/actoredis/integration/redistest"
)

// R6, partial and fragmented replies. First the proxy cuts the connection
// at a random offset inside the reply to a 64 KiB GET or a 1,000-element
// LRANGE: with retries off (RetryPolicy.MaxAttempts 1) the command must
// fail with a clean connection error, with the default policy the read is
// retried and must return the whole correct value; either way the
// connection must be discarded and the next command answered correctly. Then the
// proxy splits everything into 1-7 byte pieces with 0-1 ms between them
// for the mixed workload: 0 errors, 0 mismatches. RELIABILITY.md's 500 cut
// trials and 5,000 rechunked ops are 100 and 1,000 here (1/5);
// RELIABILITY_SOAK=1 runs 1,000 and 10,000.
func TestR6PartialReplies(t *testing.T) {
	srv := redistest.Start(t)
	s := newScenario(t, "R6", srv)
	p := s.proxy(srv.Addr())
	retrying := s.client(client.Options{Addr: p.Addr(), PoolSize: 1})
	noRetry := s.client(client.Options{Addr: p.Addr(), PoolSize: 1, Retry: client.RetryPolicy{MaxAttempts: 1}})
	c := retrying
	ctx := context.Background()

	// A 64 KiB value and a 1,000-element list, both self-identifying.
	unit := "r6:" + strconv.FormatUint(rand.Uint64(), 36) + ":" // 5-17 bytes
	big := strings.Repeat(unit, (64<<10)/len(unit)+1)[:64<<10]
	elements := make([]any, 1000)
	want := make([]string, 1000)
	listReply := len("*1000\r\n")
	for i := range elements {
		want[i] = "e:" + strconv.Itoa(i) + ":" + strconv.FormatUint(rand.Uint64(), 36)
		elements[i] = want[i]
		listReply += len("$"+strconv.Itoa(len(want[i]))+"\r\n") + len(want[i]) + 2
	}
	require.NoError(t, c.Set(ctx, "r6:big", big, 0).Err())
	require.NoError(t, c.RPush(ctx, "r6:list", elements...).Err())
	bulkReply := len("$65536\r\n") + len(big) + 2

	var cuts tally
	trials := scaled(100)
	discarded, retried, resent, cleanErrors := 0, 0, 0, 0
	for i := range trials {
		dials := p.Dials()
		bulk := i%2 == 0
		c = retrying
		if i%4 >= 2 {
			c = noRetry
		}
		size := listReply
		if bulk {
			size = bulkReply
		}
		p.CutAfterBytes(faultproxy.ServerToClient, 1+rand.IntN(size-1))
		var err error
		var mismatch string
		if bulk {
			var v string
			v, err = c.Get(ctx, "r6:big").Result()
			if err == nil && v != big {
				mismatch = "GET r6:big returned " + strconv.Itoa(len(v)) + " other bytes"
			}
		} else {
			var v []string
			v, err = c.LRange(ctx, "r6:list", 0, -1).Result()
			if err == nil && !slices.Equal(v, want) {
				mismatch = "LRANGE r6:list returned another list of " + strconv.Itoa(len(v))
			}
		}
		switch {
		case err == nil && mismatch == "":
			retried++ // the client retried the read on a new connection
		case err != nil && !errors.Is(err, client.ErrConnClosed) && !errors.Is(err, client.ErrProtocol):
			mismatch = "not a clean connection error: " + err.Error()
		case err != nil:
			cleanErrors++
		}
		cuts.note(err, mismatch)
		// The next command is answered correctly, on a new connection. It
		// may have reached the old connection before the loss was known,
		// and then fails as not sent: the caller may resend it at once.
		var v string
		for attempt := 0; ; attempt++ {
			v, err = c.Get(ctx, "r6:big").Result()
			if attempt == 2 || classify(err) != errNotSent {
				break
			}
			resent++
		}
		next := ""
		if err == nil && v != big {
			next = "GET r6:big after the cut returned other bytes"
		}
		cuts.note(err, next)
		if p.Dials() > dials {
			discarded++
		}
	}
	p.CutAfterBytes(faultproxy.ServerToClient, -1)

	// Rechunked: 1-7 byte pieces, 0-1 ms apart, both ways.
	rc := s.client(client.Options{Addr: p.Addr(), PoolSize: 4})
	w := newWorkload(t, rc, "r6:", 200)
	p.RechunkWithGaps(7, time.Millisecond)
	const goroutines = 8
	ops := scaled(1000) / goroutines
	start := time.Now()
	w.tally.runWorkers(t, goroutines, func(g int) {
		k := w.worker(g)
		for range ops {
			k.mixed(ctx)
		}
	})
	rechunkElapsed := time.Since(start)
	p.RechunkWithGaps(0, 0)

	cuts.figures(s.fig)
	s.fig["cut_trials"], s.fig["cut_conns_discarded"], s.fig["cut_reads_retried"] = trials, discarded, retried
	s.fig["cut_next_resent_not_sent"], s.fig["cut_clean_errors"] = resent, cleanErrors
	rechunk := map[string]any{}
	w.tally.figures(rechunk)
	rechunk["ops_per_s"] = int(float64(w.tally.attempted()) / rechunkElapsed.Seconds())
	s.fig["rechunk"] = rechunk
	s.fig["duplicate_executions"] = 0 // reads, and INCRs checked by value

	cuts.assertGates(t)
	w.tally.assertGates(t)
	assert.Equal(t, trials, discarded, "every cut connection is discarded")
	assert.Positive(t, cleanErrors, "with retries off, cuts end in clean errors")
	assert.Positive(t, retried, "with the default policy, cut reads are retried")
	assert.Zero(t, cuts.get(okMismatch), "cut: only clean errors or correct values")
	assert.EqualValues(t, trials, cuts.get(okCorrect)-int64(retried), "cut: every next command answered correctly")
	assert.Zero(t, w.tally.errors(), "rechunk: errors (gate 0)")
	assert.EqualValues(t, goroutines*ops, w.tally.attempted())
}

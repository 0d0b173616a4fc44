//go:build integration

package integration

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/hostile"
	"github.com/actoredis/actoredis/integration/redistest"
)

// R14, the hostile server: every case of hostile.Cases (every row of the
// hostile-server table of RELIABILITY.md, the replies R14 lists, and more)
// is sent in answer to one command. An invalid reply must end in an error
// (ErrProtocol or a connection error) within 100 ms (asserted within 1 s),
// allocate at most 2 MiB + 2x the bytes sent, and close the connection; a
// valid one must give the right value and keep it. Either way the process
// lives on and the next command, on a fresh connection when the last was
// closed, is answered correctly.
func TestR14HostileServer(t *testing.T) {
	if !alone(t) { // it measures the process: its heap, CPU or goroutines
		return
	}
	s := newScenario(t, "R14", nil)
	hs := hostile.Start(t)
	s.closeAtEnd(func() { _ = hs.Close() })
	c := s.client(client.Options{Addr: hs.Addr(), PoolSize: 1})
	ctx := context.Background()
	var tl tally
	var took samples
	cases := hostile.Cases()
	overAlloc, keptOpen, closedValid := 0, 0, 0
	var maxAllocRatio float64
	for i, cs := range cases {
		hs.Use(cs)
		echoCheck(t, &tl, c, "before "+cs.Name+":"+strconv.Itoa(i))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		sentBefore := hs.Sent()
		start := time.Now()
		v, err := c.Do(ctx, "HOSTILE", cs.Name).Result()
		elapsed := time.Since(start)
		runtime.ReadMemStats(&after)
		sent := hs.Sent() - sentBefore
		alloc := after.TotalAlloc - before.TotalAlloc
		id := hs.LastConn()

		if cs.Check == nil {
			took.add(elapsed)
			mismatch := ""
			switch {
			case err == nil:
				mismatch = cs.Name + ": accepted as " + v.Kind.String()
			case !errors.Is(err, client.ErrProtocol) && !errors.Is(err, client.ErrConnClosed):
				mismatch = cs.Name + ": not a protocol or connection error: " + err.Error()
			}
			if mismatch != "" {
				tl.note(nil, mismatch)
			} else {
				tl.note(nil, "")
			}
			assert.LessOrEqual(t, elapsed, time.Second, "%s: error after %v (target 100 ms)", cs.Name, elapsed)
			limit := uint64(2<<20) + 2*uint64(sent)
			if alloc > limit {
				overAlloc++
				t.Errorf("%s: allocated %d bytes for %d bytes received (limit %d)", cs.Name, alloc, sent, limit)
			}
			if sent > 0 {
				maxAllocRatio = max(maxAllocRatio, float64(alloc)/float64(2<<20+2*sent))
			}
			if !waitUntil(time.Second, func() bool { return !hs.Open(id) }) {
				keptOpen++
				t.Errorf("%s: the connection stayed open after an invalid reply", cs.Name)
			}
		} else {
			mismatch := ""
			if !cs.Check(v, err) {
				mismatch = cs.Name + ": wrong value or error: " + v.Kind.String() + " " + errString(err)
			}
			tl.note(nil, mismatch)
			if cs.KeepsConn {
				assert.True(t, hs.Open(id), "%s: a valid reply must not close the connection", cs.Name)
			} else if !waitUntil(time.Second, func() bool { return !hs.Open(id) }) {
				closedValid++
				t.Errorf("%s: the connection stayed open after a reply nobody asked for", cs.Name)
			}
		}
		// The next command is answered correctly (on a fresh connection
		// after an invalid reply).
		echoCheck(t, &tl, c, "after "+cs.Name+":"+strconv.Itoa(i))
	}
	tl.figures(s.fig)
	s.fig["cases"], s.fig["invalid_cases"] = len(cases), countInvalid(cases)
	s.fig["connections"] = hs.Accepted()
	took.figures(s.fig, "error_after")
	s.fig["over_alloc"], s.fig["kept_open"], s.fig["max_alloc_of_limit"] = overAlloc, keptOpen, maxAllocRatio
	tl.assertGates(t)
	assert.GreaterOrEqual(t, len(cases), 30)
	assert.Zero(t, tl.errors(), "the checks around each case")
	assert.Equal(t, 1+countInvalid(cases)+1, hs.Accepted(), "one new connection per invalid case and per reply nobody asked for")
}

func countInvalid(cases []hostile.Case) int {
	n := 0
	for _, c := range cases {
		if c.Check == nil {
			n++
		}
	}
	return n
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// echoCheck sends ECHO msg and notes whether the reply is msg.
func echoCheck(t *testing.T, tl *tally, c *client.Client, msg string) {
	t.Helper()
	v, err := c.Echo(context.Background(), msg).Result()
	mismatch := ""
	if err == nil && v != msg {
		mismatch = "ECHO " + msg + " = " + v
	}
	tl.note(err, mismatch)
}

// R14 against a real server: DEBUG PROTOCOL push and attrib of Redis
// 7.0.15 put a push frame or an attribute before the reply; the client
// must return the reply itself, and stay in step.
func TestR14RealPushAndAttribute(t *testing.T) {
	srv := redistest.Start(t)
	for _, proto := range protocols {
		c := openClient(t, client.Options{Addr: srv.Addr(), Protocol: proto, PoolSize: 1})
		ctx := context.Background()
		for i := range 20 {
			v, err := c.Do(ctx, "DEBUG", "PROTOCOL", "attrib").Result()
			require.NoError(t, err)
			got, err := v.AsString()
			require.NoError(t, err)
			assert.Equal(t, "Some real reply following the attribute", got, "RESP%d", proto)
			if proto == 3 {
				v, err = c.Do(ctx, "DEBUG", "PROTOCOL", "push").Result()
				require.NoError(t, err)
				got, err = v.AsString()
				require.NoError(t, err)
				assert.Equal(t, "Some real reply following the push reply", got)
			}
			msg := "step:" + strconv.Itoa(i)
			assert.Equal(t, msg, valueOf(t, c.Echo(ctx, msg)))
		}
	}
}

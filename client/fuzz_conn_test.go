package client_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/resp"
)

// FuzzConnection drives the client's real connections (the connection
// actor, its writer and reader, the pool, retries) against a fake server
// whose replies come from the fuzzer (see connScript): truncated and split
// frames, wrong reply types, push frames before and inside replies,
// oversized lengths, replies nobody asked for, replies after the caller's
// context ended, connections closed or reset at any point.
//
// It asserts, for every input: no panic (a recovered one fails too); every
// caller returns and every command completes within a bound derived from
// the timeouts, else the goroutines are dumped; no reply reaches the wrong
// caller (checkAttribution); the memory used stays within what the
// decoder limits allow; Close leaves no goroutine behind.
func FuzzConnection(f *testing.F) {
	warmUpClient(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		runConnScript(t, parseConnScript(data), fuzzConnTimeouts)
	})
}

// connTimeouts are the client's timeouts for a script, and the deadline
// of a live operation's context.
type connTimeouts struct {
	dial, read, write, pool, op time.Duration
}

// fuzzConnTimeouts are short, so that a hang costs little: a silent
// server is detected after read + write.
var fuzzConnTimeouts = connTimeouts{dial: 300 * time.Millisecond, read: 50 * time.Millisecond,
	write: 50 * time.Millisecond, pool: 300 * time.Millisecond, op: time.Second}

// bound is how long a script may take before it counts as a hang: every
// action may cost a dial and a read timeout (or a wait of PoolTimeout),
// and so may each of the 10 tries of the default retry policy, with a
// margin for a loaded machine.
func (ct connTimeouts) bound(actions int) time.Duration {
	per := ct.dial + ct.read + ct.write + time.Millisecond // the reconnect backoff
	return time.Duration(actions+10)*max(per, ct.pool) + 5*time.Second
}

// fuzzConnLimits are small, so that short inputs reach every limit.
var fuzzConnLimits = resp.Limits{MaxBulkLen: 512, MaxAggregateLen: 16, MaxDepth: 4, MaxLineLen: 64}

// A script may allocate what a client with one connection does
// (connAllocBaseline, measured by warmUpClient: about 3 MiB, mostly the
// actor system), allocPerConn for each further connection (a read
// buffer, a write buffer, the handshake), four times the bytes the server
// sent (the values decoded from them, and the copies along the way), and
// allocSlack. A decoder that trusted a stated length would allocate at
// least 16 MiB for the smallest oversized one past the limits'.
const (
	allocPerConn = 256 << 10
	allocSlack   = 2 << 20
)

var connAllocBaseline atomic.Uint64

// fuzzOp is one operation of a script: its commands' tokens, its context,
// and what its caller got.
type fuzzOp struct {
	spec     opSpec
	tokens   []string
	ctx      context.Context
	cancel   context.CancelFunc // nil for ctxBackground
	returned chan struct{}      // closed once the caller's Result (or Exec) returned
	done     []<-chan struct{}  // the futures' Done channels
	got      []opResult
}

// opResult is what the caller got for one command.
type opResult struct {
	str string     // GET, ECHO and pipelines
	raw resp.Value // Do
	err error
}

// panicLog collects the client's reports of recovered panics.
type panicLog struct {
	mu   sync.Mutex
	msgs []string
}

func (h *panicLog) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (h *panicLog) WithAttrs([]slog.Attr) slog.Handler           { return h }
func (h *panicLog) WithGroup(string) slog.Handler                { return h }
func (h *panicLog) Handle(_ context.Context, r slog.Record) error {
	if strings.Contains(r.Message, "panicked") {
		var b strings.Builder
		b.WriteString(r.Message)
		r.Attrs(func(a slog.Attr) bool { b.WriteString(" " + a.String()); return true })
		h.mu.Lock()
		h.msgs = append(h.msgs, b.String())
		h.mu.Unlock()
	}
	return nil
}

// warmUpClient runs a script with one correct reply, so that whatever
// the process starts once (and keeps) is there before the first input's
// goroutine snapshot, and measures what such a script allocates
// (connAllocBaseline).
func warmUpClient(tb testing.TB) {
	script := parseConnScript([]byte{0, 0, 0})
	for range 2 { // the first run's allocations include one-time set-up
		_, alloc := runConnScript(tb, script, fuzzConnTimeouts)
		connAllocBaseline.Store(alloc)
	}
}

// runConnScript runs one script and fails tb on any violation. It returns
// the operations, for the tests that check what they got, and the bytes
// the script allocated.
func runConnScript(tb testing.TB, script *connScript, ct connTimeouts) ([]*fuzzOp, uint64) {
	tb.Helper()
	leakOpt := goleak.IgnoreCurrent()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	bound := ct.bound(len(script.actions))

	ops, byToken := newFuzzOps(script, ct)
	srv, err := startScriptServer(script, fuzzConnLimits, byToken, bound)
	if err != nil {
		tb.Fatalf("fake server: %v", err)
	}
	panics := &panicLog{}
	opts := client.Options{
		Addr: srv.Addr(), PoolSize: 1, Protocol: 3, DisableClientInfo: script.flags&flagNoClientInfo != 0,
		DialTimeout: ct.dial, ReadTimeout: ct.read, WriteTimeout: ct.write, PoolTimeout: ct.pool,
		HealthCheckInterval: time.Hour, // no PING of its own unless asked for
		ReconnectBackoff:    client.ConstantBackoff{Delay: time.Millisecond},
		Retry:               client.RetryPolicy{Backoff: client.NoBackoff{}},
		Limits:              fuzzConnLimits,
		Logger:              slog.New(panics),
	}
	if script.flags&flagTwoConns != 0 {
		opts.PoolSize = 2
	}
	if script.flags&flagRESP2 != 0 {
		opts.Protocol = 2
	}
	if script.flags&(flagHealthPings|flagMaxLifetime|flagIdleTimeout) != 0 {
		// Connections check their lifetime and idleness on the same tick.
		opts.HealthCheckInterval = 2 * time.Millisecond
	}
	if script.flags&flagMaxLifetime != 0 {
		opts.MaxLifetime = 5 * time.Millisecond
	}
	if script.flags&flagIdleTimeout != 0 {
		opts.MinIdle, opts.IdleTimeout = 0, 5*time.Millisecond
	}
	if script.flags&flagNoRetry != 0 {
		opts.Retry.MaxAttempts = 1
	}
	c, err := client.New(opts)
	if err != nil {
		srv.close()
		tb.Fatalf("client.New: %v", err)
	}
	finished := false
	defer func() {
		if !finished { // a hang: close what can be closed, without waiting
			go func() { _ = c.Close() }()
			go srv.close()
		}
	}()
	for _, o := range ops {
		issue(c, o)
	}

	deadline := time.NewTimer(bound)
	defer deadline.Stop()
	for _, o := range ops {
		waitOrDump(tb, deadline.C, o.returned, bound, "the caller of %s, tokens %v, did not return", o.spec, o.tokens)
		for i, d := range o.done {
			waitOrDump(tb, deadline.C, d, bound, "command %s of %s never completed", o.tokens[i], o.spec)
		}
	}
	closed := make(chan struct{})
	go func() { _ = c.Close(); close(closed) }()
	waitOrDump(tb, deadline.C, closed, bound, "Close did not return")
	srv.close()
	finished = true
	if leak := goleak.Find(leakOpt); leak != nil {
		tb.Fatalf("goroutines left after Close: %v\nscript: %s", leak, script)
	}

	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	if base := connAllocBaseline.Load(); base > 0 {
		limit := base + allocSlack + allocPerConn*uint64(max(0, srv.Accepted()-1)) + 4*srv.sent()
		if alloc > limit {
			tb.Errorf("the script allocated %d bytes, more than %d (%d connections, %d bytes sent)\nscript: %s",
				alloc, limit, srv.Accepted(), srv.sent(), script)
		}
	}
	if len(panics.msgs) > 0 {
		tb.Errorf("the client recovered panics:\n%s\nscript: %s", strings.Join(panics.msgs, "\n"), script)
	}
	if len(srv.lateLost) > 0 {
		tb.Errorf("callers did not return after their context was cancelled: %v\nscript: %s", srv.lateLost, script)
	}
	if errs := checkAttribution(ops, srv.order, fuzzConnLimits); len(errs) > 0 {
		tb.Errorf("%v\nscript: %s\n%s", errors.Join(errs...), script, describeLogs(srv.order))
	}
	return ops, alloc
}

// newFuzzOps makes the script's operations, with their tokens and
// contexts, indexed by token.
func newFuzzOps(script *connScript, ct connTimeouts) ([]*fuzzOp, map[string]*fuzzOp) {
	byToken := make(map[string]*fuzzOp)
	ops := make([]*fuzzOp, len(script.ops))
	for i, spec := range script.ops {
		o := &fuzzOp{spec: spec, returned: make(chan struct{}), got: make([]opResult, spec.n)}
		for j := range spec.n {
			tok := fmt.Sprintf("t%d.%d", i, j)
			o.tokens = append(o.tokens, tok)
			byToken[tok] = o
		}
		switch spec.ctx {
		case ctxBackground:
			o.ctx = context.Background()
		case ctxCancelled:
			o.ctx, o.cancel = context.WithCancel(context.Background())
			o.cancel()
		default:
			o.ctx, o.cancel = context.WithTimeout(context.Background(), ct.op)
		}
		ops[i] = o
	}
	return ops, byToken
}

// issue sends an operation's commands from the calling goroutine (so a
// script's commands queue in its order) and waits for them on another; an
// operation on a dedicated connection leases it, sends and waits on that
// other goroutine.
func issue(c *client.Client, o *fuzzOp) {
	finish := func(wait func()) {
		go func() {
			wait()
			close(o.returned)
			if o.cancel != nil {
				o.cancel()
			}
		}()
	}
	if o.spec.dedicated {
		finish(func() { runOnConn(c, o) })
		return
	}
	switch o.spec.kind {
	case opGet, opEcho:
		var fut *client.Future[string]
		if o.spec.kind == opEcho {
			fut = c.Echo(o.ctx, o.tokens[0])
		} else {
			fut = c.Get(o.ctx, o.tokens[0])
		}
		o.done = append(o.done, fut.Done())
		finish(func() { o.got[0].str, o.got[0].err = fut.Result() })
	case opDo:
		fut := c.Do(o.ctx, "GET", o.tokens[0])
		o.done = append(o.done, fut.Done())
		finish(func() { o.got[0].raw, o.got[0].err = fut.Result() })
	case opPipeline:
		p := c.Pipeline()
		if o.spec.tx {
			p = c.TxPipeline()
		}
		futs := make([]*client.Future[string], len(o.tokens))
		for i, tok := range o.tokens {
			futs[i] = p.Get(o.ctx, tok)
			o.done = append(o.done, futs[i].Done())
		}
		finish(func() {
			_ = p.Exec(o.ctx)
			for i, fut := range futs {
				o.got[i].str, o.got[i].err = fut.Result()
			}
		})
	}
}

// runOnConn runs an operation on a dedicated connection: its commands one
// after the other without waiting, then their results, then Close.
func runOnConn(c *client.Client, o *fuzzOp) {
	cn, err := c.Conn(o.ctx)
	if err != nil {
		for i := range o.got {
			o.got[i].err = err
		}
		return
	}
	defer cn.Close()
	strs := make([]*client.Future[string], len(o.tokens))
	var raw *client.Future[resp.Value]
	for i, tok := range o.tokens {
		switch o.spec.kind {
		case opEcho:
			strs[i] = cn.Echo(o.ctx, tok)
		case opDo:
			raw = cn.Do(o.ctx, "GET", tok)
			o.done = append(o.done, raw.Done())
			continue
		default:
			strs[i] = cn.Get(o.ctx, tok)
		}
		o.done = append(o.done, strs[i].Done())
	}
	if raw != nil {
		o.got[0].raw, o.got[0].err = raw.Result()
		return
	}
	for i, fut := range strs {
		o.got[i].str, o.got[i].err = fut.Result()
	}
}

// waitOrDump waits for ch; past the deadline it fails tb with what and
// every goroutine's stack.
func waitOrDump(tb testing.TB, deadline <-chan time.Time, ch <-chan struct{}, bound time.Duration, format string, args ...any) {
	tb.Helper()
	select {
	case <-ch:
	case <-deadline:
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		tb.Fatalf("hang: "+format+" within %v\n\n%s", append(args, bound, buf)...)
	}
}

// checkAttribution checks what every caller got against what the server
// sent. The n-th reply on a connection (push frames aside, decoded with
// the client's limits, up to the first protocol error) answers the n-th
// command the server read on it, whatever the script made it say; a
// command sent several times (retried) may have any of its replies. So a
// result that matches none of the replies at its command's positions was
// handed to the wrong caller. Every stray, wrong-typed and error reply of
// a script is unique, so a reply that crossed to another caller matches
// none of that caller's. Errors are checked too: a server error must be
// one of its command's replies, ErrNil a null one, a type error one that
// does not convert; a failure must be one the client documents.
//
// One exception: a reply beyond the commands the server read on its
// connection (an unsolicited one) may go to any command. A client counts
// a command as written once its writer takes the bytes, and a reply that
// arrives then is the command's for all it can tell (it cannot know when
// the server sent it); if the bytes never go out (the connection dies,
// the client closes), the server never reads that try of the command: the
// first, or a retry of a command read before.
func checkAttribution(ops []*fuzzOp, logs []*connLog, limits resp.Limits) []error {
	replies := make(map[string][]resp.Value) // by token: the replies at its positions
	reads := make(map[string]int)            // by token: how often the server read it
	txs := make(map[string][]txReplies)      // by token: the transactions it was read in
	var excess []resp.Value
	for _, log := range logs {
		vs := decodeReplies(log.out, limits)
		at := func(i int) []resp.Value { return vs[min(i, len(vs)):min(i+1, len(vs))] }
		for i, tok := range log.cmds {
			reads[tok]++
			replies[tok] = append(replies[tok], at(i)...)
		}
		if len(vs) > len(log.cmds) {
			excess = append(excess, vs[len(log.cmds):]...)
		}
		for _, tx := range log.txs {
			var window []resp.Value
			for i := tx.multi; i <= tx.exec; i++ {
				window = append(window, at(i)...)
			}
			for i, tok := range tx.tokens {
				txs[tok] = append(txs[tok], txReplies{multi: at(tx.multi), own: at(tx.multi + 1 + i), exec: at(tx.exec), window: window})
			}
		}
	}
	var errs []error
	for _, o := range ops {
		for i, tok := range o.tokens {
			want := expected{replies: append(replies[tok][:len(replies[tok]):len(replies[tok])], excess...)}
			if o.spec.tx {
				want = expectedInTx(txs[tok], excess, i, o.spec.n)
			}
			err := checkResult(o.spec.kind, o.got[i], want)
			if err == nil {
				refused := refusals(replies[tok])
				if o.spec.tx {
					refused = txRefusals(txs[tok])
				}
				err = checkSafeToRetry(o.got[i].err, reads[tok], refused, replies[tok])
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("%s of %s: %w", tok, o.spec, err))
			}
		}
	}
	return errs
}

// txReplies is what a command read in a transaction may have got: the
// replies at the positions of MULTI, of the command and of EXEC (none
// where the server sent none), and every reply from MULTI to EXEC (one of
// them is the reason of an EXECABORT).
type txReplies struct {
	multi, own, exec, window []resp.Value
}

// expected is what a command's result may be made of: one of the
// replies, or for a command of a transaction, what the client makes of
// one of the EXEC replies.
type expected struct {
	replies []resp.Value
	execs   []resp.Value // transactions only
	n       int          // the transaction's length
}

// expectedInTx is what the command at index i of a transaction of n may
// get: its element of an EXEC reply (at EXEC's position, or an
// unsolicited one: see checkAttribution), or an error among the replies
// from MULTI to EXEC.
func expectedInTx(txs []txReplies, excess []resp.Value, i, n int) expected {
	want := expected{n: n}
	for _, tx := range txs {
		want.execs = append(want.execs, tx.exec...)
		want.replies = append(want.replies, tx.window...)
	}
	want.execs = append(want.execs, excess...)
	want.replies = append(want.replies, excess...)
	for _, v := range want.execs {
		if elems, err := v.AsValues(); err == nil && len(elems) == n {
			want.replies = append(want.replies, elems[i])
		}
	}
	return want
}

// transientPrefixes are the server errors the default retry policy
// counts as refusals (client.RetryPolicy).
var transientPrefixes = []string{"LOADING", "TRYAGAIN", "BUSY", "MASTERDOWN", "CLUSTERDOWN"}

// checkSafeToRetry checks the promise of client.SafeToRetry: an error it
// calls safe to retry says the command was not applied, so every time the
// server read the command it must have refused it (refused counts those
// times).
func checkSafeToRetry(err error, reads, refused int, replies []resp.Value) error {
	if client.SafeToRetry(err) && refused < reads {
		return fmt.Errorf("SafeToRetry(%v) is true, but the server read the command %d times and refused it %d times (%+v)",
			err, reads, refused, replies)
	}
	return nil
}

// refusals counts the transient errors (the default policy's) among a
// command's replies.
func refusals(replies []resp.Value) int {
	n := 0
	for _, v := range replies {
		if isTransient(v) {
			n++
		}
	}
	return n
}

// txRefusals counts the transactions that did not apply a command read
// in them, by Redis's rules: the command was refused (a transient error in
// place of QUEUED), or MULTI was accepted and EXEC refused or nulled. A
// refused MULTI opens no transaction: the commands after it run on their
// own.
func txRefusals(txs []txReplies) int {
	n := 0
	for _, tx := range txs {
		switch {
		case len(tx.own) == 1 && isTransient(tx.own[0]):
			n++
		case len(tx.multi) == 1 && !tx.multi[0].IsError() && len(tx.exec) == 1 && (tx.exec[0].IsError() || tx.exec[0].IsNull()):
			n++
		}
	}
	return n
}

func isTransient(v resp.Value) bool {
	return v.IsError() && slices.Contains(transientPrefixes, (&resp.Error{Message: v.Str}).Prefix())
}

// checkResult checks one command's result against what it may be.
func checkResult(kind opKind, got opResult, want expected) error {
	match := func(vs []resp.Value, ok func(v resp.Value) bool) bool {
		return slices.ContainsFunc(vs, ok)
	}
	replies := want.replies
	var se *resp.Error
	switch err := got.err; {
	case err == nil && kind == opDo:
		if !match(replies, func(v resp.Value) bool { return equalValue(v, got.raw) }) {
			return fmt.Errorf("got %+v, not a reply sent for it (%+v)", got.raw, replies)
		}
	case err == nil:
		if !match(replies, func(v resp.Value) bool { s, e := v.AsString(); return e == nil && s == got.str }) {
			return fmt.Errorf("got %q, not a reply sent for it (%+v)", got.str, replies)
		}
	case errors.Is(err, client.ErrConnPanic):
		return fmt.Errorf("a connection goroutine panicked: %w", err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, client.ErrConnClosed), errors.Is(err, client.ErrPoolTimeout), errors.Is(err, client.ErrLeaseBroken):
	case errors.As(err, &se):
		if !match(replies, func(v resp.Value) bool { return v.IsError() && v.Str == se.Message }) {
			return fmt.Errorf("server error %q, not a reply sent for it (%+v)", se.Message, replies)
		}
	case errors.Is(err, client.ErrNil):
		if !match(replies, resp.Value.IsNull) {
			return fmt.Errorf("ErrNil, but no null reply was sent for it (%+v)", replies)
		}
	case errors.Is(err, client.ErrTxFailed):
		if !match(want.execs, resp.Value.IsNull) {
			return fmt.Errorf("ErrTxFailed, but no null EXEC reply was sent (%+v)", want.execs)
		}
	case errors.Is(err, client.ErrProtocol):
		if !match(want.execs, func(v resp.Value) bool { elems, e := v.AsValues(); return e == nil && len(elems) != want.n }) {
			return fmt.Errorf("%v, but no EXEC reply of another length was sent (%+v)", err, want.execs)
		}
	case errors.Is(err, client.ErrUnexpectedType):
		notString := func(v resp.Value) bool { _, e := v.AsString(); return e != nil && !v.IsNull() && !v.IsError() }
		notArray := func(v resp.Value) bool { _, e := v.AsValues(); return e != nil && !v.IsNull() && !v.IsError() }
		if !match(replies, notString) && !match(want.execs, notArray) {
			return fmt.Errorf("%v, but no reply of another type was sent for it (%+v)", err, replies)
		}
	default:
		return fmt.Errorf("undocumented failure %T: %w", err, err)
	}
	return nil
}

// describeLogs tells what the server read and sent on each connection.
func describeLogs(logs []*connLog) string {
	var b strings.Builder
	for i, log := range logs {
		out := log.out
		if len(out) > 2048 {
			out = out[:2048]
		}
		fmt.Fprintf(&b, "connection %d read %v, sent %q\n", i+1, log.cmds, out)
	}
	return b.String()
}

// decodeReplies decodes what a connection got, as the client's reader
// does: up to the first error, push frames aside.
func decodeReplies(out []byte, limits resp.Limits) []resp.Value {
	rd := resp.NewReader(bytes.NewReader(out), limits)
	var vs []resp.Value
	for {
		v, err := rd.ReadValue()
		if err != nil {
			return vs
		}
		if v.Kind != resp.KindPush {
			vs = append(vs, v)
		}
	}
}

// equalValue compares two decoded values, attributes included.
func equalValue(a, b resp.Value) bool {
	if a.Kind != b.Kind || a.Str != b.Str || a.Int != b.Int || len(a.Elems) != len(b.Elems) ||
		(a.Attrs == nil) != (b.Attrs == nil) {
		return false
	}
	for i := range a.Elems {
		if !equalValue(a.Elems[i], b.Elems[i]) {
			return false
		}
	}
	return a.Attrs == nil || equalValue(*a.Attrs, *b.Attrs)
}

package client_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/resp"
)

// connSeeds are the seed corpus of FuzzConnection: every kind of damage
// at least once, alone and in company, on one and two connections, over
// RESP3 and RESP2. TestConnFuzzSeeds keeps testdata/fuzz/FuzzConnection
// holding them.
func connSeeds() map[string][]byte {
	live, bg, cancelled := ctxLive, ctxBackground, ctxCancelled
	gets := func(n int, ctx ctxMode) []byte {
		ops := make([]byte, n)
		for i := range ops {
			ops[i] = op(opKind(i%3), ctx, 1) // GET, ECHO, Do in turn
		}
		return ops
	}
	seeds := map[string][]byte{
		"correct":         newScript(0, op(opGet, live, 1)).bytes(),
		"every-op":        newScript(0, op(opGet, live, 1), op(opEcho, live, 1), op(opDo, bg, 1), op(opPipeline, live, 4), op(opPipeline, bg, 3), op(opGet, cancelled, 1), inTx(op(opPipeline, live, 2))).bytes(),
		"two-conns-resp2": newScript(flagTwoConns|flagRESP2, gets(8, live)...).act(actWrongType, 0, endOpen, 2).act(actPushFirst, 0, endOpen, 0).act(actStrayFirst, 0, endOpen).bytes(),
		"chunked":         newScript(0, op(opPipeline, live, 4), op(opGet, live, 1)).act(actCorrect, 1, endOpen).act(actAttribute, 3, endOpen).act(actPushFirst, 2, endOpen, 0).act(actBig, 7, endOpen, 0).bytes(),
		"sync-pipeline":   newScript(0, op(opPipeline, bg, 4), op(opPipeline, bg, 2)).act(actCorrect, 1, endOpen).act(actTruncated, 0, endFIN, 3).bytes(),
		"push-inside":     newScript(0, gets(3, live)...).act(actPushInside, 0, endOpen, 0).act(actPushInside, 0, endOpen, 4).act(actPushInside, 0, endOpen, 5).bytes(),
		"stray-only":      newScript(0, gets(4, live)...).act(actStrayOnly, 0, endOpen).bytes(),
		"twice":           newScript(0, gets(4, live)...).act(actTwice, 0, endOpen).act(actCorrect, 0, endOpen).act(actTwice, 0, endOpen).bytes(),
		"late":            newScript(0, op(opGet, live, 1), op(opEcho, live, 1), op(opPipeline, live, 2)).act(actLate, 0, endOpen).act(actCorrect, 0, endOpen).act(actLate, 0, endOpen).bytes(),
		"raw":             newScript(0, gets(2, live)...).act(actRaw, 0, endOpen, 9, '$', '3', '\r', '\n', 'a', 'b', '\r', '\n', '+').bytes(),
		"silent":          newScript(0, gets(3, live)...).act(actSilent, 0, endOpen).bytes(),
		"silent-fin":      newScript(0, gets(3, live)...).act(actSilent, 0, endFIN).bytes(),
		"silent-rst":      newScript(1, gets(3, bg)...).act(actSilent, 0, endRST).bytes(),
		"truncated-open":  newScript(0, gets(2, live)...).act(actTruncated, 0, endOpen, 4).bytes(),
		"truncated-rst":   newScript(0, op(opPipeline, live, 3)).act(actCorrect, 0, endOpen).act(actTruncated, 2, endRST, 5).bytes(),
		"health-pings": newScript(flagHealthPings, op(opGet, live, 1), op(opPipeline, bg, 2)).act(actLate, 4, endOpen).act(actWrongType, 0, endOpen, 9).
			act(actTwice, 0, endOpen).act(actErrorReply, 0, endOpen, 1).act(actSilent, 0, endFIN).bytes(),
		"max-lifetime": newScript(flagMaxLifetime|flagTwoConns, gets(6, live)...).act(actCorrect, 16, endOpen).act(actPushFirst, 0, endOpen, 1).
			act(actStrayFirst, 0, endOpen).act(actTruncated, 0, endOpen, 5).bytes(),
		"idle-timeout": newScript(flagIdleTimeout, op(opGet, live, 1), op(opPipeline, live, 3), op(opEcho, bg, 1)).act(actCorrect, 8, endOpen).
			act(actAttribute, 0, endFIN).act(actOversized, 0, endOpen, 1, 1, 1).bytes(),
		"no-retry": newScript(flagNoRetry, gets(4, live)...).act(actErrorReply, 0, endOpen, 1).act(actTruncated, 0, endRST, 3).bytes(),
		"dedicated": newScript(0, onConn(op(opGet, live, 1)), onConn(op(opPipeline, live, 3)), onConn(op(opDo, bg, 1)), onConn(op(opEcho, cancelled, 1)), op(opGet, live, 1)).
			act(actPushFirst, 0, endOpen, 0).act(actCorrect, 2, endOpen).act(actLate, 0, endOpen).act(actStrayFirst, 0, endOpen).act(actTruncated, 0, endFIN, 6).bytes(),
		// A transaction alone: the server reads MULTI, GET t0.0, GET t0.1, EXEC.
		"tx-multi-refused": newScript(0, inTx(op(opPipeline, live, 2))).act(actErrorReply, 0, endOpen, 0).bytes(),
		"tx-aborted": newScript(0, inTx(op(opPipeline, live, 2))).act(actCorrect, 0, endOpen).act(actErrorReply, 0, endOpen, 8).
			act(actCorrect, 0, endOpen).act(actErrorReply, 0, endOpen, 0).bytes(),
		"tx-exec-null": newScript(0, inTx(op(opPipeline, bg, 2))).act(actCorrect, 0, endOpen).act(actCorrect, 0, endOpen).act(actCorrect, 0, endOpen).
			act(actWrongType, 0, endOpen, 1).bytes(),
		"tx-exec-short": newScript(0, inTx(op(opPipeline, live, 2))).act(actCorrect, 0, endOpen).act(actCorrect, 0, endOpen).act(actCorrect, 0, endOpen).
			act(actWrongType, 0, endOpen, 10).bytes(),
		"tx-exec-integer": newScript(0, inTx(op(opPipeline, live, 2))).act(actPushFirst, 3, endOpen, 0).
			act(actCorrect, 0, endOpen).act(actCorrect, 0, endOpen).act(actWrongType, 0, endOpen, 0).bytes(),
		"tx-exec-truncated": newScript(flagTwoConns, inTx(op(opPipeline, live, 2)), inTx(op(opPipeline, bg, 3))).act(actCorrect, 0, endOpen).
			act(actStrayFirst, 0, endOpen).act(actCorrect, 0, endOpen).act(actTruncated, 1, endFIN, 11).bytes(),
		"cancelled": newScript(0, op(opGet, cancelled, 1), op(opPipeline, cancelled, 2), op(opGet, live, 1)).bytes(),
	}
	for p := range byte(16) {
		seeds["wrong-type-"+strconv.Itoa(int(p))] = newScript(0, gets(2, live)...).act(actWrongType, 0, endOpen, p).bytes()
	}
	for p := range byte(6) {
		seeds["push-first-"+strconv.Itoa(int(p))] = newScript(0, gets(2, live)...).act(actPushFirst, 0, endOpen, p).bytes()
	}
	for p := range byte(9) {
		seeds["error-"+strconv.Itoa(int(p))] = newScript(0, gets(3, live)...).act(actErrorReply, 0, endOpen, p).bytes()
	}
	for p := range byte(9) {
		seeds["oversized-"+strconv.Itoa(int(p))] = newScript(0, gets(2, live)...).act(actOversized, 0, endOpen, p, p, 15).bytes()
	}
	return seeds
}

const connCorpusDir = "testdata/fuzz/FuzzConnection"

// The committed corpus holds every seed (go test runs them as tests), and
// the seeds use every action. FUZZCONN_WRITE_SEEDS=1 writes them.
func TestConnFuzzSeeds(t *testing.T) {
	write := os.Getenv("FUZZCONN_WRITE_SEEDS") == "1"
	used := map[connAction]bool{}
	for name, data := range connSeeds() {
		for _, a := range parseConnScript(data).actions {
			used[a.what] = true
		}
		path := filepath.Join(connCorpusDir, "seed-"+name)
		want := []byte("go test fuzz v1\n[]byte(" + strconv.Quote(string(data)) + ")\n")
		if write {
			require.NoError(t, os.MkdirAll(connCorpusDir, 0o755))
			require.NoError(t, os.WriteFile(path, want, 0o644))
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: missing or stale; run FUZZCONN_WRITE_SEEDS=1 go test -run TestConnFuzzSeeds ./client/", path)
		}
	}
	for a := actCorrect; a <= actCorrect2; a++ {
		assert.True(t, used[a] || a == actCorrect2, "no seed uses %s", a)
	}
}

// With nothing damaged and time to spare, every operation gets its own
// reply: the harness itself does not fail commands.
func TestConnScriptCorrectServer(t *testing.T) {
	slow := connTimeouts{dial: 5 * time.Second, read: 5 * time.Second, write: 5 * time.Second, pool: 5 * time.Second, op: 10 * time.Second}
	for _, flags := range []scriptFlags{0, flagTwoConns | flagRESP2} {
		script := parseConnScript(connSeeds()["every-op"])
		script.flags = flags
		ops, _ := runConnScript(t, script, slow)
		for _, o := range ops {
			for i, tok := range o.tokens {
				got := o.got[i]
				switch {
				case o.spec.ctx == ctxCancelled:
					assert.ErrorIs(t, got.err, context.Canceled, tok)
				case o.spec.kind == opDo:
					require.NoError(t, got.err, tok)
					assert.Equal(t, "v."+tok, got.raw.Str)
				case o.spec.kind == opEcho:
					require.NoError(t, got.err, tok)
					assert.Equal(t, tok, got.str)
				default:
					require.NoError(t, got.err, tok)
					assert.Equal(t, "v."+tok, got.str)
				}
			}
		}
	}
}

// The attribution check catches a reply handed to the wrong caller, a
// server error or a null that was not sent for the command, and an
// undocumented failure; it accepts a reply the server misplaced itself,
// and an unsolicited one.
func TestConnScriptCatchesCrossedReplies(t *testing.T) {
	bulk := func(s string) []byte { return resp.AppendBulkString(nil, s) }
	logs := []*connLog{{
		cmds: []string{"a", "b", "c"},
		out: bytes.Join([][]byte{bulk("stray-1"), []byte(">1\r\n:1\r\n"), bulk("v.a"), []byte("-ERR fuzz-2\r\n"),
			bulk("extra-3")}, nil),
	}}
	get := func(tok string, got opResult) *fuzzOp {
		return &fuzzOp{spec: opSpec{kind: opGet, n: 1}, tokens: []string{tok}, got: []opResult{got}}
	}
	ok := []*fuzzOp{
		get("a", opResult{str: "stray-1"}),                          // the server's stray reply, at a's position
		get("b", opResult{str: "v.a"}),                              // a's reply, at b's position
		get("c", opResult{err: &resp.Error{Message: "ERR fuzz-2"}}), // the error sent at c's position
		get("d", opResult{err: context.Canceled}),                   // never sent
		get("e", opResult{str: "extra-3"}),                          // unsolicited: e's bytes were taken, never written
	}
	assert.Empty(t, checkAttribution(ok, logs, fuzzConnLimits))
	crossed := []*fuzzOp{
		get("a", opResult{str: "v.a"}),                              // b's reply
		get("b", opResult{err: &resp.Error{Message: "ERR fuzz-2"}}), // c's error
		get("d", opResult{err: resp.ErrNil}),                        // no null was sent
		get("e", opResult{str: "v.e"}),                              // never answered
		get("f", opResult{err: errors.New("some failure")}),         // not a documented one
	}
	errs := checkAttribution(crossed, logs, fuzzConnLimits)
	require.Len(t, errs, len(crossed))
	for i, err := range errs {
		assert.True(t, strings.HasPrefix(err.Error(), crossed[i].tokens[0]+" "), err.Error())
	}
}

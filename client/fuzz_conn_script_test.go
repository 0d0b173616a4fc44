package client_test

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/actoredis/actoredis/resp"
	"github.com/actoredis/actoredis/resp/resptest"
)

// The script of FuzzConnection: the fuzzer's bytes, read as the client's
// options and operations, then the server's actions, one per command it
// receives. Missing bytes read as zero, so every input is a script, and
// an input that ends early leaves the server answering correctly.
//
//	byte 0     the client's options (scriptFlags)
//	byte 1     1 + b%8 operations follow, one byte each:
//	           bits 0-1 what: GET, ECHO, Do("GET"), a pipeline of
//	             1 + bits 4-5 GETs;
//	           bits 2-3 its context: 0 and 1 one that ends at the
//	             operation's deadline, 2 one already cancelled when the
//	             command is issued, 3 context.Background();
//	           bit 6 on a dedicated connection (Client.Conn; a
//	             pipeline's commands are sent one after the other);
//	           bit 7 a pipeline is a transaction (TxPipeline: MULTI, its
//	             commands, EXEC), unless on a dedicated connection
//	then       at most maxActions actions, each a byte a:
//	           a%16 what the server sends (connAction), with its
//	             parameter bytes after the chunk byte;
//	           a&16 the bytes go out in chunks of 1 + next byte%16, the
//	             first few paced apart so the client reads partial frames;
//	           a>>5 6: the server closes the connection after (FIN),
//	             7: resets it (RST); else it stays open.
//
// Every command is GET or ECHO of a token unique to its operation and
// position in it. The server takes the next action for each command it
// receives after a connection's handshake (which resptest answers as
// Redis 7.2 does); with the actions used up it answers correctly.
type connScript struct {
	flags   scriptFlags
	ops     []opSpec
	actions []serverAction
}

// scriptFlags are the client's options, byte 0 of a script.
type scriptFlags uint8

const (
	flagTwoConns     scriptFlags = 1 << iota // PoolSize 2, else 1
	flagRESP2                                // Protocol 2, else 3
	flagNoClientInfo                         // DisableClientInfo
	flagHealthPings                          // HealthCheckInterval 2 ms: idle connections send PING (which takes an action like any command)
	flagMaxLifetime                          // MaxLifetime 5 ms: connections are recycled once their commands are answered
	flagIdleTimeout                          // MinIdle 0, IdleTimeout 5 ms: idle connections close, the next command dials
	flagNoRetry                              // Retry.MaxAttempts 1
)

var flagNames = [...]string{"two connections", "RESP2", "no client info", "health pings", "max lifetime", "idle timeout", "no retry"}

func (f scriptFlags) String() string {
	var names []string
	for i, name := range flagNames {
		if f&(1<<i) != 0 {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "defaults"
	}
	return strings.Join(names, ", ")
}

// maxActions bounds a script's actions: each may cost a read timeout, so
// longer scripts would only slow the fuzzer down.
const maxActions = 32

type opKind uint8

const (
	opGet opKind = iota
	opEcho
	opDo
	opPipeline
)

func (k opKind) String() string { return [...]string{"GET", "ECHO", "Do(GET)", "pipeline"}[k] }

type ctxMode uint8

const (
	ctxLive       ctxMode = iota // ends at the operation's deadline, or when the server cancels it (actLate)
	ctxLive2                     // the same
	ctxCancelled                 // cancelled before the command is issued
	ctxBackground                // context.Background(): a pipeline may be read on the caller's goroutine
)

func (m ctxMode) String() string { return [...]string{"live", "live", "cancelled", "background"}[m] }

type opSpec struct {
	kind      opKind
	ctx       ctxMode
	n         int  // commands: 1, or a pipeline's length
	dedicated bool // on a Conn
	tx        bool // a pipeline in MULTI/EXEC
}

func (o opSpec) String() string {
	s := fmt.Sprintf("%s×%d (%s", o.kind, o.n, o.ctx)
	if o.dedicated {
		s += ", on a Conn"
	}
	if o.tx {
		s += ", MULTI/EXEC"
	}
	return s + ")"
}

// connAction is what the server sends for one command.
type connAction uint8

const (
	actCorrect    connAction = iota // the right reply
	actWrongType                    // a reply of another type (p picks it), unique to its position
	actPushFirst                    // a RESP3 push frame (p picks it), then the right reply
	actOversized                    // a header past a decoder limit (p, q), then filler (r)
	actTruncated                    // the right reply cut after p%len bytes
	actStrayFirst                   // a reply nobody asked for, then the right reply
	actStrayOnly                    // a reply nobody asked for instead of the right one
	actLate                         // cancel the caller's context, wait until the caller has returned, then the right reply
	actRaw                          // p%32 bytes of the script, as they are
	actSilent                       // nothing (a hang, unless the connection is closed after)
	actPushInside                   // an array reply with a push frame among its elements
	actTwice                        // the right reply twice
	actErrorReply                   // an error reply (p picks it: ERR, the transient ones, READONLY, MOVED, a bulk error)
	actAttribute                    // a RESP3 attribute, then the right reply
	actBig                          // a valid bulk string of MaxBulkLen - p%8 bytes, unique to its position
	actCorrect2                     // the right reply (weights the choice towards it)
)

var actionNames = [...]string{"correct", "wrong-type", "push-first", "oversized", "truncated", "stray-first",
	"stray-only", "late", "raw", "silent", "push-inside", "twice", "error-reply", "attribute", "big", "correct"}

func (a connAction) String() string { return actionNames[a] }

type connEnd uint8

const (
	endOpen connEnd = iota
	endFIN
	endRST
)

type serverAction struct {
	what    connAction
	chunk   int // 0: one write
	end     connEnd
	p, q, r byte
	raw     []byte // actRaw
}

func (a serverAction) String() string {
	s := a.what.String()
	if a.chunk > 0 {
		s += "/chunks of " + strconv.Itoa(a.chunk)
	}
	switch a.end {
	case endFIN:
		s += "+FIN"
	case endRST:
		s += "+RST"
	}
	return s
}

// scriptReader hands out the fuzzer's bytes, zeros once they run out.
type scriptReader struct{ data []byte }

func (r *scriptReader) byte() byte {
	if len(r.data) == 0 {
		return 0
	}
	b := r.data[0]
	r.data = r.data[1:]
	return b
}

func (r *scriptReader) bytes(n int) []byte {
	n = min(n, len(r.data))
	b := r.data[:n:n]
	r.data = r.data[n:]
	return b
}

func parseConnScript(data []byte) *connScript {
	r := &scriptReader{data: data}
	s := &connScript{flags: scriptFlags(r.byte())}
	for n := 1 + int(r.byte()%8); n > 0; n-- {
		b := r.byte()
		op := opSpec{kind: opKind(b & 3), ctx: ctxMode(b >> 2 & 3), n: 1, dedicated: b&64 != 0}
		if op.kind == opPipeline {
			op.n = 1 + int(b>>4&3)
			op.tx = b&128 != 0 && !op.dedicated
		}
		s.ops = append(s.ops, op)
	}
	for len(r.data) > 0 && len(s.actions) < maxActions {
		a := r.byte()
		act := serverAction{what: connAction(a % 16)}
		if a&16 != 0 {
			act.chunk = 1 + int(r.byte()%16)
		}
		switch a >> 5 {
		case 6:
			act.end = endFIN
		case 7:
			act.end = endRST
		}
		switch act.what {
		case actWrongType, actPushFirst, actTruncated, actErrorReply, actBig, actPushInside:
			act.p = r.byte()
		case actOversized:
			act.p, act.q, act.r = r.byte(), r.byte(), r.byte()
		case actRaw:
			act.raw = r.bytes(int(r.byte() % 32))
		}
		s.actions = append(s.actions, act)
	}
	return s
}

func (s *connScript) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s; operations:", s.flags)
	for _, op := range s.ops {
		b.WriteString(" " + op.String())
	}
	b.WriteString("; actions:")
	for _, a := range s.actions {
		b.WriteString(" " + a.String())
	}
	return b.String()
}

// scriptBuilder writes scripts for the seed corpus.
type scriptBuilder struct{ b []byte }

// newScript starts a script with these options and operations (one byte
// each, as parseConnScript reads them).
func newScript(flags scriptFlags, ops ...byte) *scriptBuilder {
	return &scriptBuilder{b: append([]byte{byte(flags), byte(len(ops) - 1)}, ops...)}
}

// act appends an action: what, the chunk size (0: one write), the end,
// and the action's parameter bytes.
func (s *scriptBuilder) act(what connAction, chunk int, end connEnd, params ...byte) *scriptBuilder {
	a := byte(what)
	switch end {
	case endFIN:
		a |= 6 << 5
	case endRST:
		a |= 7 << 5
	}
	if chunk > 0 {
		s.b = append(s.b, a|16, byte(chunk-1))
	} else {
		s.b = append(s.b, a)
	}
	s.b = append(s.b, params...)
	return s
}

func (s *scriptBuilder) bytes() []byte { return s.b }

// onConn returns the byte of an operation on a dedicated connection.
func onConn(op byte) byte { return op | 64 }

// inTx returns the byte of a pipeline in MULTI/EXEC.
func inTx(op byte) byte { return op | 128 }

// op returns the byte of an operation.
func op(kind opKind, ctx ctxMode, n int) byte {
	b := byte(kind) | byte(ctx)<<2
	if kind == opPipeline {
		b |= byte(n-1) << 4
	}
	return b
}

// connLog is what the server sent on one connection after its handshake:
// the commands it read, in order, and every byte it wrote. The client's
// n-th reply on the connection (push frames aside) answers the n-th
// command, whatever those bytes say.
type connLog struct {
	cmds []string // tokens
	out  []byte
	txs  []txLog // the transactions that reached EXEC
	// The transaction open since MULTI (the connection's goroutine only).
	inTx    bool
	open    txLog
	results []byte // the right replies of its commands, for EXEC
}

// txLog is one transaction as the server read it: the positions of MULTI
// and EXEC, and the tokens of the commands between them.
type txLog struct {
	multi, exec int
	tokens      []string
}

// scriptServer is the fake server of FuzzConnection: resptest answers the
// handshake; every other command is answered by the script's next action.
type scriptServer struct {
	*resptest.Server
	script *connScript
	limits resp.Limits
	ops    map[string]*fuzzOp // by token, for actLate
	bound  time.Duration      // the longest actLate waits for a caller
	stop   chan struct{}      // closed before the server closes: actLate stops waiting
	closer sync.Once

	mu       sync.Mutex
	next     int // the next action
	serial   int // makes every stray and wrong-typed reply unique
	logs     map[*resptest.Conn]*connLog
	order    []*connLog // in the order of their first command
	lateLost []string   // tokens whose caller did not return within bound after its context was cancelled
}

func startScriptServer(script *connScript, limits resp.Limits, ops map[string]*fuzzOp, bound time.Duration) (*scriptServer, error) {
	s := &scriptServer{script: script, limits: limits, ops: ops, bound: bound,
		stop: make(chan struct{}), logs: make(map[*resptest.Conn]*connLog)}
	srv, err := resptest.Start(resptest.Options{Handler: s.answer})
	if err != nil {
		return nil, err
	}
	s.Server = srv
	// Built-in answers would go out unlogged: every command after the
	// handshake comes here.
	for _, name := range []string{"GET", "ECHO", "PING", "MULTI", "EXEC"} {
		srv.Handle(name, s.answer)
	}
	return s, nil
}

// sent returns the bytes written after the handshakes.
func (s *scriptServer) sent() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, log := range s.order {
		n += len(log.out)
	}
	return uint64(n)
}

func (s *scriptServer) close() {
	s.closer.Do(func() {
		close(s.stop)
		_ = s.Close()
	})
}

// take returns the log of c, the next action (ok false once they are used
// up) and a serial number.
func (s *scriptServer) take(c *resptest.Conn, token string) (log *connLog, a serverAction, ok bool, serial int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	log = s.logs[c]
	if log == nil {
		log = &connLog{}
		s.logs[c] = log
		s.order = append(s.order, log)
	}
	log.cmds = append(log.cmds, token)
	s.serial++
	if s.next < len(s.script.actions) {
		a, ok = s.script.actions[s.next], true
		s.next++
	}
	return log, a, ok, s.serial
}

// answer runs on the connection's goroutine, so one connection's writes
// and its log never interleave.
func (s *scriptServer) answer(c *resptest.Conn, args []string) {
	token, right := correctReply(args)
	log, a, ok, serial := s.take(c, token)
	right = log.inTransaction(token, right)
	if !ok {
		s.write(c, log, right, 0)
		return
	}
	var out []byte
	switch a.what {
	case actCorrect, actCorrect2:
		out = right
	case actWrongType:
		out = wrongTyped(a.p, serial)
	case actPushFirst:
		out = append(pushFrame(a.p, serial), right...)
	case actOversized:
		out = s.oversized(a.p, a.q, a.r)
	case actTruncated:
		out = right[:int(a.p)%len(right)]
	case actStrayFirst:
		out = append(resp.AppendBulkString(nil, "stray-"+strconv.Itoa(serial)), right...)
	case actStrayOnly:
		out = resp.AppendBulkString(nil, "stray-"+strconv.Itoa(serial))
	case actLate:
		s.late(token)
		out = right
	case actRaw:
		out = a.raw
	case actSilent:
	case actPushInside:
		out = append([]byte("*3\r\n"), pushFrame(a.p, serial)...)
		out = append(append(out, ":"+strconv.Itoa(serial)+"\r\n"...), right...)
	case actTwice:
		out = append(right, right...)
	case actErrorReply:
		out = errorReply(a.p, serial)
	case actAttribute:
		out = append([]byte("|1\r\n+ttl\r\n:"+strconv.Itoa(serial)+"\r\n"), right...)
	case actBig:
		n := int(s.limits.MaxBulkLen) - int(a.p%8)
		body := "big-" + strconv.Itoa(serial) + "-"
		out = resp.AppendBulkString(nil, body+strings.Repeat("x", n-len(body)))
	}
	s.write(c, log, out, a.chunk)
	switch a.end {
	case endFIN:
		_ = c.Close()
	case endRST:
		_ = c.Reset()
	}
}

// inTransaction returns the right reply of the command just read (token,
// whose reply out of a transaction is right): MULTI opens a transaction,
// whose commands answer QUEUED, and EXEC the array of their replies.
func (log *connLog) inTransaction(token string, right []byte) []byte {
	pos := len(log.cmds) - 1
	switch {
	case token == "#MULTI":
		log.inTx, log.open, log.results = true, txLog{multi: pos}, nil
		return []byte("+OK\r\n")
	case token == "#EXEC" && log.inTx:
		log.inTx = false
		log.open.exec = pos
		log.txs = append(log.txs, log.open)
		return append([]byte("*"+strconv.Itoa(len(log.open.tokens))+"\r\n"), log.results...)
	case token == "#EXEC":
		return []byte("-ERR EXEC without MULTI\r\n")
	case log.inTx:
		log.open.tokens = append(log.open.tokens, token)
		log.results = append(log.results, right...)
		return []byte("+QUEUED\r\n")
	}
	return right
}

// correctReply returns the command's token and its right reply: GET k
// answers "v." + k, ECHO m answers m, PING answers PONG.
func correctReply(args []string) (token string, reply []byte) {
	name := strings.ToUpper(args[0])
	switch {
	case name == "GET" && len(args) == 2:
		return args[1], resp.AppendBulkString(nil, "v."+args[1])
	case name == "ECHO" && len(args) == 2:
		return args[1], resp.AppendBulkString(nil, args[1])
	case name == "PING":
		return "#PING", []byte("+PONG\r\n")
	}
	return "#" + name, []byte("-ERR unknown command '" + name + "'\r\n")
}

// pacedChunks is how many chunks of a chunked write are paced apart: a
// few are enough to have the client read partial frames, and more would
// slow the fuzzer down.
const pacedChunks = 8

// write logs b, then sends it whole or in chunks. A failed write means
// the client has closed the connection: it reads nothing more of it, so
// the log may hold bytes it never got.
func (s *scriptServer) write(c *resptest.Conn, log *connLog, b []byte, chunk int) {
	s.mu.Lock()
	log.out = append(log.out, b...)
	s.mu.Unlock()
	if chunk == 0 {
		_ = c.WriteRaw(b)
		return
	}
	for i := 0; len(b) > 0; i++ {
		n := min(chunk, len(b))
		if i >= pacedChunks {
			n = len(b)
		}
		if c.WriteRaw(b[:n]) != nil {
			return
		}
		b = b[n:]
		if i < pacedChunks {
			time.Sleep(50 * time.Microsecond)
		}
	}
}

// late cancels the context of the operation that sent token and waits
// until its caller has seen that (Result or Exec returned), so that the
// reply arrives after the caller's context ended.
func (s *scriptServer) late(token string) {
	o := s.ops[token]
	if o == nil || o.cancel == nil || o.spec.ctx != ctxLive && o.spec.ctx != ctxLive2 { // a PING has no caller
		return
	}
	o.cancel()
	t := time.NewTimer(s.bound)
	defer t.Stop()
	select {
	case <-o.returned:
	case <-s.stop:
	case <-t.C:
		s.mu.Lock()
		s.lateLost = append(s.lateLost, token)
		s.mu.Unlock()
	}
}

// wrongTyped returns a reply that no GET or ECHO gets from Redis, unique
// to its serial where its type allows.
func wrongTyped(p byte, serial int) []byte {
	n := strconv.Itoa(serial)
	switch p % 16 {
	case 0:
		return []byte(":" + n + "\r\n")
	case 1:
		return []byte("_\r\n")
	case 2:
		return []byte("*2\r\n$7\r\nelement\r\n:" + n + "\r\n")
	case 3:
		return []byte("%1\r\n+k\r\n:" + n + "\r\n")
	case 4:
		return []byte("~1\r\n:" + n + "\r\n")
	case 5:
		return []byte("#t\r\n")
	case 6:
		return []byte("," + n + ".5\r\n")
	case 7:
		return []byte("(" + n + "000000000000000000000\r\n")
	case 8:
		text := "txt:v-" + n
		return []byte("=" + strconv.Itoa(len(text)) + "\r\n" + text + "\r\n")
	case 9:
		return []byte("+simple-" + n + "\r\n")
	case 10:
		return []byte("*0\r\n")
	case 11:
		return []byte("*1\r\n*1\r\n*1\r\n:" + n + "\r\n")
	case 12:
		return []byte("$-1\r\n")
	case 13:
		return []byte("*-1\r\n")
	case 14:
		return []byte(",inf\r\n")
	default:
		return []byte("%0\r\n")
	}
}

// pushFrame returns a RESP3 push frame: pub/sub messages, invalidations,
// and stranger ones.
func pushFrame(p byte, serial int) []byte {
	n := strconv.Itoa(serial)
	switch p % 6 {
	case 0:
		payload := "payload-" + n
		return []byte(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$" + strconv.Itoa(len(payload)) + "\r\n" + payload + "\r\n")
	case 1:
		return []byte(">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n")
	case 2:
		return []byte(">2\r\n$10\r\ninvalidate\r\n_\r\n")
	case 3:
		return []byte(">0\r\n")
	case 4:
		return []byte("|1\r\n+a\r\n+b\r\n>1\r\n:" + n + "\r\n")
	default:
		return []byte(">2\r\n+weird\r\n>1\r\n:" + n + "\r\n")
	}
}

// errorReply returns an error reply, unique to its serial: plain, the
// transient ones the retry policy knows, READONLY, MOVED, a bulk error.
func errorReply(p byte, serial int) []byte {
	n := strconv.Itoa(serial)
	prefixes := [...]string{"ERR", "LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "CLUSTERDOWN", "READONLY", "MOVED 1 127.0.0.1:1"}
	if i := int(p % 9); i < len(prefixes) {
		return []byte("-" + prefixes[i] + " fuzz-" + n + "\r\n")
	}
	msg := "ERR bulk-" + n
	return []byte("!" + strconv.Itoa(len(msg)) + "\r\n" + msg + "\r\n")
}

// oversizedLengths are the lengths an oversized header states: past the
// limit by one, then far past it, up to overflowing int64, and negative.
var oversizedLengths = [...]string{"", "16777216", "2147483648", "1099511627776", "4611686018427387904",
	"9223372036854775807", "99999999999999999999", "-2"}

// oversized returns a header past a decoder limit, then filler: p picks
// the type (bulk, array, map, set, push, bulk error, verbatim; then
// nesting past MaxDepth, a line past MaxLineLen), q the length, r the
// filler's size in 256-byte blocks.
func (s *scriptServer) oversized(p, q, r byte) []byte {
	var out []byte
	lim := s.limits
	switch kind := p % 9; kind {
	case 7:
		out = []byte(strings.Repeat("*1\r\n", lim.MaxDepth+1+int(q%4)) + ":1\r\n")
	case 8:
		out = []byte("+" + strings.Repeat("l", lim.MaxLineLen+1+int(q%16)) + "\r\n")
	default:
		length := oversizedLengths[q%8]
		if length == "" {
			over := lim.MaxAggregateLen + 1
			if kind == 0 || kind == 5 || kind == 6 {
				over = lim.MaxBulkLen + 1
			}
			length = strconv.FormatInt(over, 10)
		}
		out = []byte("$*%~>!="[kind:kind+1] + length + "\r\n")
	}
	return append(out, strings.Repeat("x", 256*int(r%16))...)
}

// Package faultproxy is a TCP relay for fault-injection tests: it listens on
// 127.0.0.1:0, forwards every accepted connection to one target address and
// lets a test break the traffic on purpose (cut, reset, blackhole, delay,
// rechunk, throttle, pause accepting, cut in the middle of a reply) and
// observe it (connections, dials,
// commands forwarded by name).
//
// The controls apply to the proxy as a whole: to every current relayed
// connection and to those accepted later, in the direction given where a
// method takes one.
//
// All methods of Proxy are safe for concurrent use.
package faultproxy

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"time"
)

// Direction is one of the two directions of a relayed connection.
type Direction int

const (
	// ClientToServer is the traffic from the client to the target.
	ClientToServer Direction = iota
	// ServerToClient is the traffic from the target back to the client.
	ServerToClient
)

// String returns "client->server" or "server->client".
func (d Direction) String() string {
	switch d {
	case ClientToServer:
		return "client->server"
	case ServerToClient:
		return "server->client"
	default:
		return "direction(invalid)"
	}
}

func (d Direction) valid() bool { return d == ClientToServer || d == ServerToClient }

// delay is the wait applied to each read forwarded in one direction.
type delay struct {
	base, jitter time.Duration
}

// cutBudget counts the bytes still to forward in one direction before the
// connection carrying the last of them is cut.
type cutBudget struct {
	armed     bool
	remaining int
}

// Proxy is a running relay. Create it with New and stop it with Close.
type Proxy struct {
	target   string
	listener net.Listener
	ctx      context.Context // cancelled by Close: stops dials to the target
	cancel   context.CancelFunc
	wg       sync.WaitGroup // the accept loop, dialers and pumps

	mu        sync.Mutex
	closed    bool
	links     map[*link]struct{}
	dials     int
	rejectNew bool
	blackhole chan struct{} // non-nil while blackholed; closed when lifted
	delays    [2]delay
	rates     [2]int // Throttle: bytes per second per connection, 0 for none
	chunkMax  int
	chunkGap  time.Duration // RechunkWithGaps: the longest wait between pieces
	paused    chan struct{} // non-nil while PauseAccept is on; closed when lifted
	cuts      [2]cutBudget
	commands  map[string]int // commands forwarded to the target, by upper-cased name
	onClient  func(n int)
}

// New starts a proxy listening on 127.0.0.1:0 that relays every connection
// to target.
func New(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Proxy{
		target:   target,
		listener: ln,
		ctx:      ctx,
		cancel:   cancel,
		links:    make(map[*link]struct{}),
		commands: make(map[string]int),
	}
	p.wg.Add(1)
	go p.acceptLoop()
	return p, nil
}

// Addr is the address clients dial to go through the proxy.
func (p *Proxy) Addr() string { return p.listener.Addr().String() }

// Close stops listening, closes every relayed connection and waits until
// every goroutine of the proxy has returned. Later calls return nil.
func (p *Proxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	links := p.snapshot()
	if p.blackhole != nil {
		close(p.blackhole)
		p.blackhole = nil
	}
	if p.paused != nil {
		close(p.paused)
		p.paused = nil
	}
	p.mu.Unlock()

	p.cancel()
	err := p.listener.Close()
	for _, l := range links {
		l.close(false)
	}
	p.wg.Wait()
	return err
}

// Conns is the number of relayed connections currently open.
func (p *Proxy) Conns() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.links)
}

// Dials is the number of connections accepted so far, including those
// refused by RejectNew and those whose dial to the target failed.
func (p *Proxy) Dials() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dials
}

// Cut closes every current relayed connection on both sides with a FIN: the
// client reads what was already forwarded, then EOF. (If the proxy holds
// unread bytes from a peer when cutting, the kernel answers that peer with a
// RST instead.)
func (p *Proxy) Cut() { p.closeAll(false) }

// Reset closes every current relayed connection on both sides with a RST
// (SO_LINGER 0, then close): the peers get ECONNRESET.
func (p *Proxy) Reset() { p.closeAll(true) }

// RejectNew, while on, makes the proxy accept each new connection and close
// it at once, without dialing the target. Current connections are untouched.
func (p *Proxy) RejectNew(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rejectNew = on
}

// Blackhole, while on, stops forwarding in both directions on every
// connection while keeping all sockets open, as a half-open TCP path does.
// Bytes read meanwhile are held, not dropped, and are forwarded in order once
// Blackhole(false) is called, as TCP retransmission would deliver them.
func (p *Proxy) Blackhole(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case on && p.blackhole == nil && !p.closed:
		p.blackhole = make(chan struct{})
	case !on && p.blackhole != nil:
		close(p.blackhole)
		p.blackhole = nil
	}
}

func (p *Proxy) closeAll(reset bool) {
	p.mu.Lock()
	links := p.snapshot()
	p.mu.Unlock()
	for _, l := range links {
		l.close(reset)
	}
}

// snapshot copies the current links; p.mu must be held.
func (p *Proxy) snapshot() []*link {
	links := make([]*link, 0, len(p.links))
	for l := range p.links {
		links = append(links, l)
	}
	return links
}

func (p *Proxy) acceptLoop() {
	defer p.wg.Done()
	for {
		conn, err := p.listener.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return // the listener is closed (or broken): no more connections
		}
		p.waitAccepting()
		p.mu.Lock()
		p.dials++
		refuse := p.rejectNew || p.closed
		if !refuse {
			p.wg.Add(1)
		}
		p.mu.Unlock()
		if refuse {
			_ = conn.Close()
			continue
		}
		go p.connect(conn.(*net.TCPConn))
	}
}

// connect dials the target for one accepted client and starts its pumps.
func (p *Proxy) connect(client *net.TCPConn) {
	defer p.wg.Done()
	var dialer net.Dialer
	conn, err := dialer.DialContext(p.ctx, "tcp", p.target)
	if err != nil {
		_ = client.Close()
		return
	}
	l := newLink(p, client, conn.(*net.TCPConn))
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		l.close(false)
		return
	}
	p.links[l] = struct{}{}
	p.wg.Add(2)
	p.mu.Unlock()
	go l.pump(ClientToServer, client, l.server)
	go l.pump(ServerToClient, l.server, client)
}

// waitOpen blocks while the proxy is blackholed; false if done closes first.
func (p *Proxy) waitOpen(done <-chan struct{}) bool {
	for {
		p.mu.Lock()
		gate := p.blackhole
		p.mu.Unlock()
		if gate == nil {
			return true
		}
		select {
		case <-gate:
		case <-done:
			return false
		}
	}
}

// delayFor draws the wait for one read forwarded in direction dir.
func (p *Proxy) delayFor(dir Direction) time.Duration {
	p.mu.Lock()
	d := p.delays[dir]
	p.mu.Unlock()
	wait := d.base
	if d.jitter > 0 {
		wait += time.Duration(rand.Int64N(int64(d.jitter) + 1))
	}
	return wait
}

// pieceSize is how many of n bytes to write at once in direction dir under
// Rechunk and Throttle.
func (p *Proxy) pieceSize(dir Direction, n int) int {
	p.mu.Lock()
	limit, rate := p.chunkMax, p.rates[dir]
	p.mu.Unlock()
	if rate > 0 {
		n = min(n, max(1, rate/throttleSlices)) // smooth: about 10 ms of budget at once
	}
	if limit <= 0 {
		return n
	}
	return min(n, 1+rand.IntN(limit))
}

// throttleSlices is how many writes per second a throttled direction makes
// at most (when its rate allows that many).
const throttleSlices = 100

// gapFor draws the wait before the next piece under RechunkWithGaps.
func (p *Proxy) gapFor() time.Duration {
	p.mu.Lock()
	gap := p.chunkGap
	p.mu.Unlock()
	if gap <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(gap) + 1))
}

// rateFor is the Throttle rate of direction dir, 0 for none.
func (p *Proxy) rateFor(dir Direction) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rates[dir]
}

// waitAccepting holds the accept loop while PauseAccept is on.
func (p *Proxy) waitAccepting() {
	for {
		p.mu.Lock()
		gate := p.paused
		p.mu.Unlock()
		if gate == nil {
			return
		}
		<-gate // lifted by PauseAccept(false) or Close
	}
}

// take reserves up to n bytes to forward in direction dir against an armed
// CutAfterBytes budget: it returns how many may be written and whether the
// connection must be cut right after them.
func (p *Proxy) take(dir Direction, n int) (int, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	budget := &p.cuts[dir]
	if !budget.armed {
		return n, false
	}
	k := min(n, budget.remaining)
	budget.remaining -= k
	if budget.remaining == 0 {
		budget.armed = false
		return k, true
	}
	return k, false
}

func (p *Proxy) forget(l *link) {
	p.mu.Lock()
	delete(p.links, l)
	p.mu.Unlock()
}

// Delay makes every read forwarded in direction dir wait base plus a random
// extra in [0, jitter] before being written. Order is kept. Delay(dir, 0, 0)
// turns it off. It panics on an invalid direction or a negative duration.
func (p *Proxy) Delay(dir Direction, base, jitter time.Duration) {
	mustDirection(dir)
	if base < 0 || jitter < 0 {
		panic("faultproxy: negative delay")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.delays[dir] = delay{base: base, jitter: jitter}
}

// Rechunk makes the proxy forward in both directions in writes of 1 to max
// bytes, chosen at random, so that the peers see replies and commands split
// at arbitrary places. Rechunk(0) turns it off. The peer may still read
// several pieces at once if they arrive before it reads.
func (p *Proxy) Rechunk(max int) { p.RechunkWithGaps(max, 0) }

// RechunkWithGaps is Rechunk with a random wait in [0, gap] between two
// pieces of the same read, so that the peer's reads see the pieces one at
// a time. RechunkWithGaps(0, 0) turns both off. It panics on a negative
// gap.
func (p *Proxy) RechunkWithGaps(max int, gap time.Duration) {
	if gap < 0 {
		panic("faultproxy: negative gap")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.chunkMax, p.chunkGap = max, gap
}

// Throttle limits each connection's forwarding in direction dir to
// bytesPerSecond, in writes of about 10 ms of budget each, like a slow
// link. Throttle(dir, 0) turns it off. It panics on an invalid direction
// or a negative rate.
func (p *Proxy) Throttle(dir Direction, bytesPerSecond int) {
	mustDirection(dir)
	if bytesPerSecond < 0 {
		panic("faultproxy: negative rate")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rates[dir] = bytesPerSecond
}

// PauseAccept, while on, stops the proxy from taking new connections off
// its listener: a client's connect completes (the kernel queues it) but
// nothing answers, as with a server too busy to accept. Lifting it relays
// the queued connections. Current connections are untouched.
func (p *Proxy) PauseAccept(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case on && p.paused == nil && !p.closed:
		p.paused = make(chan struct{})
	case !on && p.paused != nil:
		close(p.paused)
		p.paused = nil
	}
}

func mustDirection(dir Direction) {
	if !dir.valid() {
		panic("faultproxy: invalid direction " + dir.String())
	}
}

// CutAfterBytes arms a cut: once n more bytes have been forwarded in
// direction dir, on whichever connections carry them, the connection that
// carried the last of them is cut (as by Cut) right after writing them, and
// the rest of what it had read is dropped. With dir ServerToClient this cuts
// in the middle of a reply. The cut fires once; a later call replaces an
// armed one, and a negative n disarms it. n == 0 cuts the next connection to
// forward anything in dir, before it forwards a byte. It panics on an invalid
// direction.
func (p *Proxy) CutAfterBytes(dir Direction, n int) {
	mustDirection(dir)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cuts[dir] = cutBudget{armed: n >= 0, remaining: max(n, 0)}
}

// Count is how many commands named name (in any case) have been forwarded
// to the target so far, on all connections. A command counts once its last
// byte has been written to the target: one cut in its middle does not count.
// The name is the command's first word: CLIENT SETNAME counts as "CLIENT".
// Both RESP arrays and inline commands are counted; on a connection whose
// stream is not RESP, counting stops.
func (p *Proxy) Count(name string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.commands[strings.ToUpper(name)]
}

// OnClientBytes sets a hook called with n after each write of n bytes from a
// client to the target, once Count reflects those bytes: a test learns that
// a request has reached the server. The hook runs on the proxy's
// goroutines, possibly concurrently for different connections, and holds up
// forwarding while it runs. OnClientBytes(nil) removes it.
func (p *Proxy) OnClientBytes(hook func(n int)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onClient = hook
}

func (p *Proxy) countCommand(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.commands[name]++
}

func (p *Proxy) clientHook() func(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.onClient
}

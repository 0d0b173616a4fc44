package faultproxy

import (
	"net"
	"sync"
	"time"
)

// link is one relayed connection: the accepted client socket, the socket
// dialed to the target and one pump goroutine per direction. Either pump
// ending (EOF, error, cut) closes the whole link.
type link struct {
	proxy  *Proxy
	client *net.TCPConn
	server *net.TCPConn
	done   chan struct{} // closed by close
	once   sync.Once
	parser commandParser // used only by the client->server pump
	paced  [2]time.Time  // per direction under Throttle: when the next byte may go
	// counting is held by the client->server pump from each write to the
	// target until Count and the hook reflect it; see settle.
	counting sync.Mutex
}

// settleWait bounds settle, so that a write stuck on a target that stopped
// reading cannot stall the other direction or a Close for long.
const settleWait = time.Second

// settle waits until the bytes written to the target so far are counted.
// Called before anything from the target is forwarded to the client and
// before the link closes, it makes sure a client never sees a reply, a cut
// or the end of its connection while Count still lags behind the commands
// it sent.
func (l *link) settle() {
	deadline := time.Now().Add(settleWait)
	for !l.counting.TryLock() {
		if time.Now().After(deadline) {
			return
		}
		time.Sleep(20 * time.Microsecond)
	}
	l.counting.Unlock()
}

func newLink(p *Proxy, client, server *net.TCPConn) *link {
	return &link{proxy: p, client: client, server: server, done: make(chan struct{})}
}

// close closes both sockets, with a RST if reset, else with a FIN. Only the
// first call has an effect.
func (l *link) close(reset bool) {
	l.settle()
	l.once.Do(func() {
		if reset {
			_ = l.client.SetLinger(0)
			_ = l.server.SetLinger(0)
		}
		_ = l.client.Close()
		_ = l.server.Close()
		close(l.done)
		l.proxy.forget(l)
	})
}

func (l *link) pump(dir Direction, src, dst *net.TCPConn) {
	defer l.proxy.wg.Done()
	defer l.close(false)
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !l.forward(dir, dst, buf[:n]) {
			return
		}
		if err != nil {
			return
		}
	}
}

// forward writes data to dst under the proxy's current controls; false when
// the link is closed or must stop.
func (l *link) forward(dir Direction, dst *net.TCPConn, data []byte) bool {
	if !l.sleep(l.proxy.delayFor(dir)) {
		return false
	}
	for first := true; len(data) > 0; first = false {
		if !first && !l.sleep(l.proxy.gapFor()) {
			return false
		}
		if !l.proxy.waitOpen(l.done) {
			return false
		}
		size, cut := l.proxy.take(dir, l.proxy.pieceSize(dir, len(data)))
		if !l.pace(dir, size) {
			return false
		}
		if size > 0 && !l.write(dir, dst, data[:size]) {
			return false
		}
		if cut {
			l.close(false)
			return false
		}
		data = data[size:]
	}
	return true
}

// write writes data to dst and accounts for it: client->server bytes are
// counted before the other direction may forward anything again.
func (l *link) write(dir Direction, dst *net.TCPConn, data []byte) bool {
	if dir == ServerToClient {
		l.settle()
		_, err := dst.Write(data)
		return err == nil
	}
	l.counting.Lock()
	defer l.counting.Unlock()
	if _, err := dst.Write(data); err != nil {
		return false
	}
	l.forwarded(dir, data)
	return true
}

// sleep waits d, or less when the link closes meanwhile (then false).
func (l *link) sleep(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-l.done:
		return false
	}
}

// pace waits until n more bytes may go in direction dir under Throttle.
// Only dir's pump calls it for a link, so paced[dir] needs no lock.
func (l *link) pace(dir Direction, n int) bool {
	rate := l.proxy.rateFor(dir)
	if rate <= 0 || n <= 0 {
		return true
	}
	now := time.Now()
	next := l.paced[dir]
	if next.Before(now) {
		next = now
	}
	l.paced[dir] = next.Add(time.Duration(float64(n) / float64(rate) * float64(time.Second)))
	return l.sleep(next.Sub(now))
}

// forwarded observes bytes written to the peer in direction dir.
func (l *link) forwarded(dir Direction, data []byte) {
	if dir != ClientToServer {
		return
	}
	l.parser.feed(data, l.proxy.countCommand)
	if hook := l.proxy.clientHook(); hook != nil {
		hook(len(data))
	}
}

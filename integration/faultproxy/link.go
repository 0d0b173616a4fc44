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
}

func newLink(p *Proxy, client, server *net.TCPConn) *link {
	return &link{proxy: p, client: client, server: server, done: make(chan struct{})}
}

// close closes both sockets, with a RST if reset, else with a FIN. Only the
// first call has an effect.
func (l *link) close(reset bool) {
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
	if wait := l.proxy.delayFor(dir); wait > 0 {
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
		case <-l.done:
			timer.Stop()
			return false
		}
	}
	for len(data) > 0 {
		if !l.proxy.waitOpen(l.done) {
			return false
		}
		size, cut := l.proxy.take(dir, l.proxy.pieceSize(len(data)))
		if size > 0 {
			if _, err := dst.Write(data[:size]); err != nil {
				return false
			}
			l.forwarded(dir, data[:size])
		}
		if cut {
			l.close(false)
			return false
		}
		data = data[size:]
	}
	return true
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

package actors

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actoredis/actoredis/resp"
)

// sentinelWatcher follows the sentinels' announcements: one goroutine at a
// time holds a connection to one sentinel, subscribed to +switch-master,
// and reports to the actor, which recycles the pools when the primary
// moves. When that connection is lost (or a PING goes unanswered within
// ReadTimeout), the actor starts a new one to the next sentinel after the
// pool's backoff. On each new connection it also learns the other
// sentinels (SENTINEL SENTINELS) and the primary, and recycles the pools
// when the primary moved while it was not watching.
type sentinelWatcher struct {
	s        *sentinels
	pools    []*Pool // the primary's, then the replicas'
	cfg      *Config // the primary pool's
	next     int     // index in s.list() of the sentinel to watch next
	failures int     // consecutive lost watches
	current  *watch
	primary  string // the primary as last reported
	stopped  bool
}

// watch is one watching goroutine and its connection.
type watch struct {
	cancel  context.CancelFunc
	mu      sync.Mutex
	conn    net.Conn
	stopped bool
}

// hold records the goroutine's connection, or closes it when the watch has
// already been stopped.
func (w *watch) hold(conn net.Conn) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		_ = conn.Close()
		return false
	}
	w.conn = conn
	return true
}

func (w *watch) stop() {
	w.cancel()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	if w.conn != nil {
		_ = w.conn.Close()
	}
}

// Events of a watching goroutine, and the watcher's own retry.
type (
	watching struct {
		w        *watch
		sentinel string
		primary  string
	}
	switched struct {
		w        *watch
		sentinel string
		primary  string
	}
	watchLost struct {
		w   *watch
		err error
	}
	watchAgain struct{}
)

func (a *sentinelWatcher) Receive(c actor.Context) {
	switch msg := c.Message().(type) {
	case *actor.Started:
		a.start(c)
	case *watching:
		if msg.w != a.current {
			return
		}
		a.failures = 0
		if a.primary != "" && msg.primary != a.primary {
			a.moved(msg.primary, "primary changed while not watching")
		}
		a.primary = msg.primary
	case *switched:
		if msg.w != a.current || msg.primary == a.primary {
			return
		}
		a.s.prefer(msg.sentinel)
		a.moved(msg.primary, "+switch-master from "+msg.sentinel)
	case *watchLost:
		if msg.w != a.current || a.stopped {
			return
		}
		a.current = nil
		a.failures++
		a.next++
		delay := a.cfg.Backoff.Next(a.failures)
		a.cfg.Logger.Debug("actoredis: sentinel watch lost", "master", a.s.name, "err", msg.err, "delay", delay)
		self, root := c.Self(), c.ActorSystem().Root
		a.pools[0].afterFunc(delay, func() { root.Send(self, watchAgain{}) })
	case watchAgain:
		if !a.stopped && a.current == nil {
			a.start(c)
		}
	case shutDown, *actor.Stopping:
		a.stopped = true
		if a.current != nil {
			a.current.stop()
			a.current = nil
		}
		a.s.close()
	}
}

// moved recycles every pool: their connections dial the new primary.
func (a *sentinelWatcher) moved(primary, why string) {
	a.cfg.Logger.Debug("actoredis: primary moved", "master", a.s.name, "from", a.primary, "to", primary, "why", why)
	a.primary = primary
	for _, p := range a.pools {
		p.Recycle(ErrFailover)
	}
}

func (a *sentinelWatcher) start(c actor.Context) {
	addrs := a.s.list()
	if len(addrs) == 0 {
		return
	}
	addr := addrs[a.next%len(addrs)]
	ctx, cancel := context.WithCancel(context.Background())
	w := &watch{cancel: cancel}
	a.current = w
	self, root := c.Self(), c.ActorSystem().Root
	send := func(msg any) { root.Send(self, msg) }
	sentinels, cfg := a.s, a.cfg
	if !a.pools[0].goTracked(func() { send(&watchLost{w: w, err: w.run(ctx, sentinels, cfg, addr, send)}) }) {
		cancel()
	}
}

// run is the watching goroutine: it holds a connection to the sentinel at
// addr, subscribed to +switch-master, and tells the watcher (send) what
// it sees, until the connection fails or the watch is stopped.
func (w *watch) run(ctx context.Context, s *sentinels, cfg *Config, addr string, send func(any)) error {
	wr, err := s.dial(ctx, addr)
	if err != nil {
		return err
	}
	if !w.hold(wr.conn) {
		return ErrClosed
	}
	conn, rd := wr.conn, wr.rd
	_ = conn.SetDeadline(time.Now().Add(cfg.ReadTimeout))
	v, err := roundTrip(conn, rd, "SENTINEL", "SENTINELS", s.name)
	if err != nil {
		return err
	}
	s.learn(otherSentinels(v))
	if v, err = roundTrip(conn, rd, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", s.name); err != nil {
		return err
	}
	if len(v.Elems) != 2 {
		return &SentinelError{MasterName: s.name, Sentinels: []string{addr}, NotFound: true}
	}
	primary := hostPort(v.Elems[0], v.Elems[1])
	if _, err = roundTrip(conn, rd, "SUBSCRIBE", "+switch-master"); err != nil {
		return err
	}
	send(&watching{w: w, sentinel: addr, primary: primary})
	every := min(cfg.PubSubPingInterval, cfg.ReadTimeout)
	var pingAt time.Time
	for {
		if pingAt.IsZero() {
			_ = conn.SetReadDeadline(time.Now().Add(every))
		} else {
			_ = conn.SetReadDeadline(pingAt.Add(cfg.ReadTimeout))
		}
		v, err := rd.ReadValue()
		var ne net.Error
		switch {
		case err == nil:
			pingAt = time.Time{}
		case errors.As(err, &ne) && ne.Timeout() && pingAt.IsZero():
			pingAt = time.Now()
			_ = conn.SetWriteDeadline(pingAt.Add(cfg.WriteTimeout))
			if _, err := conn.Write(pingArgs); err != nil {
				return err
			}
			continue
		case errors.As(err, &ne) && ne.Timeout():
			return &resp.ProtocolError{Reason: "sentinel " + addr + " did not answer PING within ReadTimeout"}
		default:
			return err
		}
		if len(v.Elems) != 3 {
			continue
		}
		kind, _ := v.Elems[0].AsString()
		channel, _ := v.Elems[1].AsString()
		payload, _ := v.Elems[2].AsString()
		// "<master name> <old ip> <old port> <new ip> <new port>"
		f := strings.Fields(payload)
		if kind == "message" && channel == "+switch-master" && len(f) == 5 && f[0] == s.name {
			send(&switched{w: w, sentinel: addr, primary: net.JoinHostPort(f[3], f[4])})
		}
	}
}

package client

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/actoredis/actoredis/actors"
	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// MONITOR in a cluster: ClusterClient.Monitor runs MONITOR on every
// primary and merges their lines into one channel.

// ClusterMonitor streams every command the cluster's primaries run, each
// event naming its node (MonitorEvent.Node). It holds one dedicated
// connection per primary. The connections' readers never wait for the
// reader of Events: when the channel is full, events are dropped and
// counted by Dropped. A primary whose connection is lost ends its feed
// with one event whose Err is set (never dropped) and is not monitored
// again; when every feed has ended, Events is closed. A ClusterMonitor is
// safe for concurrent use.
type ClusterMonitor struct {
	ch      chan MonitorEvent
	dropped atomic.Int64

	mu     sync.Mutex
	closed bool
	conns  []*Conn
	live   int     // feeds not ended
	errs   []error // why the ended feeds ended
}

// Monitor sends MONITOR to every primary of the current topology, each on
// a dedicated connection leased from that node's pool, and returns once
// every one has accepted it. Replicas are not monitored (reads sent to
// them through ReadFrom do not appear), and neither is a primary that
// joins later (after a failover or a resharding): call Monitor again.
// Close the ClusterMonitor to end it. Monitoring slows the servers down.
// Each event's Node is the address of the primary that ran the command; a
// primary whose connection is lost sends one last event with only Err and
// Node set. Since Redis 1.0.0.
func (cc *ClusterClient) Monitor(ctx context.Context) (*ClusterMonitor, error) {
	t, err := cc.table(ctx)
	if err != nil {
		return nil, err
	}
	m := &ClusterMonitor{ch: make(chan MonitorEvent, monitorBuffer+len(t.Shards))}
	for _, s := range t.Shards {
		if err := m.start(ctx, s.Primary); err != nil {
			_ = m.Close()
			return nil, err
		}
	}
	return m, nil
}

// start leases a connection to n and sends MONITOR on it.
func (m *ClusterMonitor) start(ctx context.Context, n *actors.Node) error {
	cn, err := nodeClient(n).Conn(ctx)
	if err != nil {
		return err
	}
	m.mu.Lock()
	m.conns = append(m.conns, cn)
	m.live++
	m.mu.Unlock()
	addr := n.Addr
	cn.lease.OnPush(func(v resp.Value) { m.push(addr, v) })
	cn.lease.OnBroken(func(err error) { m.lost(addr, err) })
	f := newFuture(cn.s, ctx, "MONITOR", messages.Stateful|messages.Streams, toStatus)
	_, err = send(cn.s, f).Result()
	return err
}

// Events returns the channel of events, closed by Close or once every
// node's feed has ended.
func (m *ClusterMonitor) Events() <-chan MonitorEvent { return m.ch }

// Dropped returns how many events were dropped because Events was full.
func (m *ClusterMonitor) Dropped() int64 { return m.dropped.Load() }

// Err returns why the feeds that ended early ended (joined), or nil while
// every node is monitored.
func (m *ClusterMonitor) Err() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return errors.Join(m.errs...)
}

// Close ends monitoring: every connection is closed (never reused) and
// Events is closed if it was not already. Later calls do nothing.
func (m *ClusterMonitor) Close() error {
	m.mu.Lock()
	conns := m.conns
	m.conns = nil
	if !m.closed {
		m.closed = true
		close(m.ch)
	}
	m.mu.Unlock()
	// Outside the lock: Discard reports to lost, which takes it.
	for _, cn := range conns {
		cn.lease.Discard()
	}
	return nil
}

// push runs on a connection's reader goroutine: it never blocks. Ordinary
// events fill at most monitorBuffer places, so the last one per node is
// always free for its Err event.
func (m *ClusterMonitor) push(node string, v resp.Value) {
	line, err := v.AsString()
	if err != nil {
		return
	}
	ev := srvParseMonitor(line)
	ev.Node = node
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	if len(m.ch) >= monitorBuffer {
		m.dropped.Add(1)
		return
	}
	m.ch <- ev
}

// lost runs, once per node, when its connection broke; it never blocks.
func (m *ClusterMonitor) lost(node string, cause error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	err := &MonitorLostError{Node: node, Cause: cause}
	m.errs = append(m.errs, err)
	m.ch <- MonitorEvent{Node: node, Err: err}
	if m.live--; m.live == 0 {
		m.closed = true
		close(m.ch)
	}
}

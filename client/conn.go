package client

import (
	"context"
	"sync"

	"github.com/actoredis/actoredis/actors"
)

// Conn is one dedicated connection, leased from the client's pool until
// Close: for sequences that need one connection (CLIENT REPLY, CLIENT
// TRACKING, blocking commands one after another). It has every command
// method of Client plus the per-connection ones. Commands sent through a
// Conn execute in the order they were sent. If the connection is lost, its
// state is gone with it and every later command fails with ErrLeaseBroken.
// Close returns a clean connection to the pool and closes one that carries
// per-connection state.
type Conn struct {
	cmds
	c     *Client
	lease *actors.Lease
	mu    sync.Mutex
	reply replyMode
}

type replyMode uint8

const (
	replyOn replyMode = iota
	replyOff
	replySkipNext // the command after CLIENT REPLY SKIP gets no reply
)

// Conn leases a dedicated connection, waiting up to PoolTimeout (or until
// ctx ends) when MaxDedicated are in use.
func (c *Client) Conn(ctx context.Context) (*Conn, error) {
	lease, err := c.pool.Lease(ctx)
	if err != nil {
		return nil, err
	}
	cn := &Conn{c: c, lease: lease}
	cn.cmds = cmds{s: connSender{cn: cn, closed: c.pool.Closed()}}
	return cn, nil
}

// Close ends the lease. Later commands fail with an error matching
// ErrClosed.
func (cn *Conn) Close() error {
	cn.lease.Release()
	return nil
}

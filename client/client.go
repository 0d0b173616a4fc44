package client

import (
	"context"
	"sync/atomic"

	"github.com/actoredis/actoredis/actors"
	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// Client is a Redis client backed by a pool actor and its connection
// actors. Create it with New or NewFromURL and Close it when done.
//
// Its commands spread over shared connections, so the commands that
// change the state of one connection (CLIENT SETNAME, CLIENT TRACKING,
// CLIENT REPLY, ...) are not methods of Client: they are methods of Conn,
// a dedicated connection leased with Client.Conn.
type Client struct {
	cmds
	pool  *actors.Pool
	reads *actors.Pool // NewFailover with ReplicaReads: read-only commands go here
	opts  Options

	// pipe describes the last pipeline executed, for the next one to
	// size its slabs and runs. Shared by the views of the client
	// (Idempotent); nil for the clients made for the nodes of a
	// topology, which keep none.
	pipe *lastPipeline
}

// lastPipeline is the length of the last pipeline executed (how many
// futures the next one is expected to take from its slabs) and the mean
// size of the commands of its runs.
type lastPipeline struct {
	len, bytes atomic.Int32
}

// cmds carries every command method; every type with command methods
// (Client, Conn, Tx, Pipeline, and their counterparts for a topology of
// servers) embeds it with its own sender, so each method is written once.
type cmds struct{ s sender }

// New starts a client. It does not wait for the connections: the first
// commands wait up to PoolTimeout for one to be usable.
func New(opts Options) (*Client, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	c := &Client{pool: actors.Start(opts.config()), opts: opts, pipe: new(lastPipeline)}
	c.cmds = cmds{s: clientSender{c}}
	return c, nil
}

// Close stops the actor system: pending commands fail with ErrClosed, every
// connection is closed and every goroutine of the client has ended when it
// returns. Later calls return ErrClosed.
func (c *Client) Close() error {
	if c.reads != nil {
		_ = c.reads.Close()
	}
	return c.pool.Close()
}

// Options returns the options the client was created with.
func (c *Client) Options() Options { return c.opts }

// PoolStats is a snapshot of the connection pool.
type PoolStats = actors.Stats

// Stats returns the state of the connection pool.
func (c *Client) Stats() PoolStats { return c.pool.Stats() }

// String describes the client without secrets.
func (c *Client) String() string { return "actoredis.Client(" + c.opts.String() + ")" }

// GoString keeps %#v from printing the Options (and so the password) field
// by field.
func (c *Client) GoString() string { return c.String() }

// Do sends any command with raw arguments (see resp.AppendArg for the
// accepted types) and returns the raw reply. It is the escape hatch for
// commands without a typed method. The command's name and string
// arguments are looked up in the flags table (messages.LookupFlags):
// blocking commands (BLPOP, WAIT, XREAD BLOCK, ...) run on a dedicated
// connection leased for the call, and commands that change per-connection
// state (SELECT, MULTI, SUBSCRIBE, CLIENT REPLY, ...) run on one that is
// closed afterwards, so they can never disturb the shared connections; use
// a Conn to keep such state across commands.
func (c cmds) Do(ctx context.Context, args ...any) *Future[resp.Value] {
	if len(args) == 0 {
		return failed[resp.Value](ctx, "DO", &argError{msg: "Do needs a command name"})
	}
	name, _ := args[0].(string)
	if name == "" {
		return failed[resp.Value](ctx, "DO", &argError{msg: "Do needs the command name as a string first"})
	}
	var strArgs [8]string
	rest := strArgs[:0]
	for _, a := range args[1:] {
		s, _ := a.(string)
		rest = append(rest, s)
	}
	f := newSingle[resp.Value]()
	f.ctx, f.conv = ctx, rawValue
	f.b.cmd.Name = name
	f.b.cmd.Flags = messages.LookupFlags(name, rest)
	f.b.start()
	for i, a := range args {
		if i == 1 {
			if _, ok := a.(string); ok {
				f.b.firstKey()
			}
		}
		f.b.any(a)
	}
	return send(c.s, f)
}

func rawValue(v resp.Value) (resp.Value, error) { return v, nil }

// Package client is the public API of actoredis, an asynchronous Redis
// client for Go in which every connection is an actor and every command
// returns a future.
//
// # The Client
//
// A [Client] is a pool of connection actors: Options.PoolSize multiplexed
// connections that all callers share, plus dedicated connections leased
// for blocking commands, [Client.Conn] and [Client.Watch]. A command method
// encodes its command on the caller's goroutine, hands it to the
// connection actor of its first key's hash slot and returns a *[Future] at
// once, without waiting for the reply:
//
//	set := c.Set(ctx, "greeting", "hello", time.Minute) // returns at once
//	get := c.Get(ctx, "greeting")                       // same key: runs after the SET
//	v, err := get.Result()                              // waits for the reply
//
// A connection writes every command that arrived while it was busy in one
// write (automatic pipelining), so a few connections carry thousands of
// concurrent callers. [Future.Result] waits for the reply, bounded by the
// context the command was given; [Future.Await] waits on another context;
// [Future.Done] is a channel to select on. The reply is decoded into T on
// the goroutine that asks for it. [Client.Do] sends any command with raw
// arguments and returns the raw reply.
//
// [New] starts a client from [Options], whose zero value connects to
// 127.0.0.1:6379 with RESP3 (each field's default is in its comment);
// [NewFromURL] reads a redis://, rediss:// or unix:// URL (see [ParseURL]).
// Neither waits for a connection: the first commands wait up to
// Options.PoolTimeout for one. Close the client when done; every goroutine
// it started has ended when Close returns.
//
// # Concurrency
//
// [Client], [ClusterClient], [Future], [Subscription] and [Script] are
// safe for concurrent use by any number of goroutines, and a
// Client is meant to be shared: one per server for the whole process.
// Elsewhere:
//
//   - A [Pipeline] may be filled from several goroutines; Exec sends what
//     was queued before it started, and the pipeline can be reused
//     afterwards.
//   - A [Conn] is one connection. Its methods may be called from several
//     goroutines, but its commands execute one after another in the order
//     they reach it, a blocking command holds up everything behind it, and
//     per-connection state (CLIENT REPLY, CLIENT TRACKING, SELECT) applies
//     to all its users: use it for one sequence of commands at a time.
//   - A [Tx] is valid only inside the function given to Watch.
//   - Options.OnEvent runs on one goroutine of its own; a [Backoff] of
//     your own must be safe for concurrent use.
//
// # Ordering
//
// Commands on one key execute in the order they were issued, even when
// none is awaited: the hash slot of a command's first key picks its
// connection, and a connection sends what it is given in order. Commands
// without a key (PING, DBSIZE, ...) may go to any connection, in no order
// relative to other commands. The guarantee holds on the shared
// connections; beyond them:
//
//   - A pipeline travels as one batch to the connection of its first
//     key's slot: its commands run in queue order, after the commands
//     issued earlier on that first key, but not necessarily after earlier
//     commands on its other keys.
//   - Commands on dedicated connections (blocking commands, Conn, Watch,
//     and pipelines of 10,000 commands or more or with a blocking
//     command) are ordered among themselves on their connection only.
//   - A command refused with a transient error (LOADING, BUSY, ...) and
//     retried goes out again after a backoff, and may run after later
//     commands on its key. A command retried after a lost connection
//     keeps its place: it goes first on the slot's next connection.
//   - With SentinelOptions.ReplicaReads, reads go to replicas and are not
//     ordered with writes.
//
// A [ClusterClient] keeps the same order per key while slots move; its
// doc says where it does not.
//
// # Errors
//
// Nothing panics across the client boundary; a wrong argument fails the
// future with an error matching [ErrInvalidArg] and sends nothing. Match
// sentinels with errors.Is and error types with errors.As:
//
//   - A null reply (GET of a missing key) is [ErrNil].
//   - An error reply is an [*Error]; its Prefix is "WRONGTYPE", "ERR",
//     "NOSCRIPT", ...
//   - A transport failure is a [*ConnError] matching [ErrConnClosed]; its
//     Sent field tells whether the command may have reached the server,
//     and with Sent true it matches [ErrAmbiguous] too: it may have been
//     applied. No usable connection within Options.PoolTimeout is a
//     [*PoolTimeoutError] matching [ErrPoolTimeout]; a connection already
//     holding Options.MaxPending commands refuses more with [ErrQueueFull].
//   - A command whose context ends first returns ctx.Err() itself, so
//     errors.Is(err, context.DeadlineExceeded) holds; its reply is still
//     read and discarded, so the connection stays in sync. A command whose
//     context had ended before it was sent is never sent.
//   - After Close, commands fail with [ErrClosed].
//
// [SafeToRetry] reports whether an error proves that the command was not
// applied, so that sending it again cannot apply it twice.
//
// # Retries
//
// Connections are supervised: a failed one is restarted by its pool actor
// after Options.ReconnectBackoff. Options.Retry (a [RetryPolicy], whose
// zero value is the default) decides which failed commands the connection
// actors send again, by re-sending the same command message:
//
//   - a command that never reached the wire (held while its connection was
//     dialing, or queued and not yet written when it was lost) is sent on
//     the slot's next connection, waiting at most Options.PoolTimeout from
//     the loss;
//   - a command that may have reached the server is sent again only when
//     it is a read (GET, HGETALL, ...), or a write the caller opted in to
//     send again: issued through [Client.Idempotent], or, with
//     RetryPolicy.ResendIdempotent, idempotent by the flags table (SET,
//     DEL, ...). Every other write, SET included, fails with a *ConnError
//     matching ErrAmbiguous: sending it again could apply it twice, with
//     another client's write in between overwritten, and the history
//     would no longer be linearizable (integration/linearizability_test.go
//     checks this with a model checker). The opt-ins mean at least once;
//   - a command refused with a transient error (LOADING, TRYAGAIN, BUSY,
//     MASTERDOWN, CLUSTERDOWN by default) is sent again after
//     RetryPolicy.Backoff when it is read-only, idempotent or opted in
//     (after BUSY: read-only only); the others get a [*TransientError] at
//     once;
//   - a pipeline or transaction is never retried command by command: a
//     batch that never reached the wire is resent whole, one that may have
//     been sent never is;
//   - nothing is retried on a dedicated connection (blocking commands,
//     Conn, Watch), after a reader panic ([ErrConnPanic]) or a protocol
//     error, past the context's deadline, or after RetryPolicy.MaxAttempts
//     tries (default 10; 1 turns retrying off).
//
// [WatchRetry] runs a Watch again when a watched key changed
// ([ErrTxFailed]). A ClusterClient also follows MOVED and ASK and waits out
// TRYAGAIN and CLUSTERDOWN itself (see [ClusterClient]).
//
// # Which one to use
//
//   - [Client] ([New], [NewFromURL]): one Redis server. Share one across
//     the process; issue commands from any goroutine.
//   - [Pipeline] ([Client.Pipeline], [Client.Pipelined]): commands you
//     already know, sent together as one batch and one write; each keeps
//     its own future. [Client.TxPipeline] and [Client.TxPipelined] wrap
//     them in MULTI/EXEC, so they execute atomically.
//   - [Client.Watch] and [WatchRetry]: read, then write only if what was
//     read has not changed (optimistic locking, WATCH/MULTI/EXEC on a
//     leased connection).
//   - [Conn] ([Client.Conn]): a sequence that needs one connection:
//     per-connection state (CLIENT REPLY, CLIENT TRACKING, CLIENT SETNAME
//     for one connection), blocking commands one after another, a write
//     and a WAIT for its replicas. Blocking commands issued on a Client already
//     get a dedicated connection for the call.
//   - [Subscription] ([Client.Subscribe], [Client.PSubscribe],
//     [Client.SSubscribe]): pub/sub messages on a Go channel; every
//     subscription shares one subscribed connection.
//   - [ClusterClient] ([NewCluster]): Redis Cluster, with the same command
//     methods, pipelines, single-slot transactions and pub/sub.
//   - [NewFailover]: a primary managed by Redis Sentinel; it returns a
//     *Client that follows the primary when it moves.
//   - [Client.Idempotent]: a view of a client whose commands are sent
//     again like reads after an ambiguous loss (at least once), for
//     writes your application may repeat.
//   - [Script] ([NewScript]): a Lua script sent by its digest, loaded on
//     demand.
//
// # Where things are
//
// Command methods are in cmd_<group>.go, named after the command's group
// in the Redis documentation (generic, string, list, hash, set,
// sorted_set, stream, hyperloglog, geo, bitmap, server, connection,
// scripting, cluster, pubsub); a large group is split by concept
// (cmd_stream_group.go, cmd_sorted_set_range.go, cmd_server_acl.go, ...).
// A method and its With variant are in one file, with the option structs
// and enums they take. Every exported result type is in the reply file
// that matches its command file (cmd_x.go, reply_x.go), beside the
// decoder that builds it; a type that several groups return is in
// reply.go. The engine: client.go (Client, New, Do), url.go, options.go,
// hello_info.go (what the handshake learned of the server), future.go,
// errors.go (every sentinel and error type), sender.go (where
// a command goes), pipeline.go and pipeline_queue.go, tx.go, conn.go,
// pubsub.go, monitor.go and retry.go; the cluster client is in
// cluster*.go, NewFailover in failover.go.
package client

// Package actors is the engine behind package client: the actor system,
// the connection, pool, pubsub, cluster and sentinel actors, their socket
// I/O, supervision and retry. It makes no compatibility promise: its API
// changes whenever client needs it to. Users import client (and resp for
// raw values), never this package.
//
// # The actor tree
//
// Start builds one actor system per Pool:
//
//	actor system                            the user's slog.Logger, or a silent one
//	└── pool actor                          supervises the connections (restarts
//	    │                                   them with our backoff) and publishes
//	    │                                   the snapshot that Pool.Send reads
//	    ├── connection actor × PoolSize     multiplexed, picked by hash slot
//	    │   ├── writer goroutine            writes what queued up, once per mailbox drain
//	    │   └── reader goroutine            completes the in-flight FIFO in order
//	    ├── connection actor × n            dedicated, leased one at a time (Lease)
//	    │   └── writer, reader goroutines
//	    ├── pubsub actor                    the subscribed connection
//	    │   ├── writer, reader goroutines   the reader routes each message to the
//	    │   │                               subscriptions' queues, never blocking
//	    │   └── delivery goroutines         one per Subscription, for what its
//	    │                                   channel has no room for
//	    └── sentinel watcher                StartFailover only: follows +switch-master
//	                                        and recycles the pools
//
// StartCluster puts a cluster actor in the pool actor's place: it reads the
// topology, publishes the slot Table, and is the parent of one pool actor
// per node, each with the children above.
//
//	actor system
//	└── cluster actor
//	    └── pool actor × node
//
// A connection actor appends each Command or Batch to its wire's buffer
// and FIFO in Receive; when its mailbox runs empty, the wire writes all of
// it in one write. A lost connection fails what it carried (or hands what
// may be retried to the next incarnation) and then fails the actor; its
// pool actor restarts it after a backoff, and the new incarnation dials
// again. The pool actor is not on the per-command path.
//
// # Who runs what
//
// Every method with an actor receiver runs only from that actor's Receive
// (or HandleFailure, the pool actor's supervisor strategy, which protoactor
// calls on the same turn). Everything else runs on one of these goroutines:
//
//   - The poster's goroutine, a client caller: Pool.Send and SendBatch pick
//     a connection from the published snapshot and post the request to its
//     mailbox. When that actor is idle, the poster runs the mailbox itself
//     (mailbox.runInline): the actor's Receive, then the flush of the wire
//     (flushOnEmpty), whose direct write (wire.writeDirect) may write a
//     pipeline on this goroutine and, for a Sync batch, read its replies
//     here too (wire.syncRead), the reader goroutine parked meanwhile.
//   - A dispatcher goroutine runs a mailbox the poster did not run: Receive
//     and the flush, with a possible direct write but never the sync read.
//     Actors other than the connection actor run only there.
//   - A wire's writer goroutine (wire.writeLoop) writes what was queued,
//     woken by wire.flush.
//   - A wire's reader goroutine (wire.readLoop, wire.readOne) decodes the
//     replies and completes the head of the FIFO; it resends a reply's
//     command that the retry policy takes (through a timer), and hands
//     out-of-band values to the wire's onPush: a lease's push handler, or
//     the pubsub router (router.route). It never blocks on a caller.
//   - Goroutines started with Pool.goTracked or Cluster.Go: dials and
//     handshakes, the cluster's topology reads, the sentinel watch, each
//     Subscription's delivery, Config.OnEvent's calls. Those working for
//     an actor report to it with a message (dialed, topologyRead,
//     watchLost), never by touching its fields.
//   - Timers (time.AfterFunc, Pool.afterFuncOr) only send a message or
//     restart a child.
//
// A wire's reader and writer states (readerState, writerState) say which
// goroutine reads and writes its socket at any moment; the fields those
// goroutines share are under the wire's mutex. What the hot path reads
// without a lock (the pool's snapshot, the pubsub routes, the cluster's
// Table) is immutable and published through an atomic pointer.
package actors

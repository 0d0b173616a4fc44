package client

import (
	"errors"
	"strconv"

	"github.com/actoredis/actoredis/actors"
	"github.com/actoredis/actoredis/resp"
)

// Every sentinel of the module, in one block. Match them with errors.Is.
var (
	// ErrNil: the reply was null (a missing key for GET, and the like).
	ErrNil = resp.ErrNil
	// ErrClosed: the client (or the Conn) was closed.
	ErrClosed = actors.ErrClosed
	// ErrPoolTimeout: no usable connection within Options.PoolTimeout; the
	// error is a *PoolTimeoutError telling what the pool was waiting for.
	ErrPoolTimeout = actors.ErrPoolTimeout
	// ErrConnClosed: the connection carrying the command was lost; the
	// error is a *ConnError telling whether the command may have reached
	// the server.
	ErrConnClosed = actors.ErrConnClosed
	// ErrLeaseBroken: the dedicated connection behind a Conn was lost, and
	// its per-connection state with it.
	ErrLeaseBroken = actors.ErrLeaseBroken
	// ErrProtocol: the server sent bytes that break RESP or a decoder
	// limit; the connection was closed.
	ErrProtocol = resp.ErrProtocol
	// ErrUnsupportedArg: a command argument of a type the encoder refuses.
	ErrUnsupportedArg = resp.ErrUnsupportedArg
	// ErrUnexpectedType: the reply had a type the method cannot convert.
	ErrUnexpectedType = resp.ErrUnexpectedType
	// ErrNoReply: the command ran under CLIENT REPLY OFF or SKIP, so the
	// server sent no reply.
	ErrNoReply = actors.ErrNoReply
	// ErrAmbiguous: the command may have reached the server before its
	// connection was lost, so it may have been applied; it was not retried
	// because it is not safe to repeat. Every *ConnError with Sent true
	// matches it.
	ErrAmbiguous = actors.ErrAmbiguous
	// ErrQueueFull: the connection the command would travel on already
	// holds Options.MaxPending commands; nothing was sent.
	ErrQueueFull = actors.ErrQueueFull
	// ErrConnPanic: a goroutine of the connection panicked (a bug: please
	// report it); the connection was closed and restarted, and the
	// commands it carried fail with this error, never retried.
	ErrConnPanic = actors.ErrConnPanic
	// ErrTransient: the server refused the command for now without
	// running it (LOADING, TRYAGAIN, BUSY, MASTERDOWN, CLUSTERDOWN) and it
	// was not retried, or no more; the error is a *TransientError.
	ErrTransient = actors.ErrTransient
	// ErrLoading: the server is loading its dataset (LOADING); matches
	// ErrTransient too.
	ErrLoading = actors.ErrLoading
	// ErrInvalidArg: a wrong argument caught before anything was sent.
	ErrInvalidArg = errors.New("actoredis: invalid argument")
	// ErrInvalidURL: ParseURL could not read the URL.
	ErrInvalidURL = errors.New("actoredis: invalid URL")
	// ErrFailover (NewFailover): the sentinels named a new primary while
	// the command was in flight on the old one; it may have run there.
	ErrFailover = actors.ErrFailover
	// ErrMasterNotFound (NewFailover): the sentinels that answered do not
	// know SentinelOptions.MasterName; the error is a *SentinelError.
	ErrMasterNotFound = actors.ErrMasterNotFound
	// ErrSentinelUnreachable (NewFailover): no sentinel answered; the
	// error is a *SentinelError naming the sentinels asked.
	ErrSentinelUnreachable = actors.ErrSentinelUnreachable
	// ErrCrossSlot (NewCluster): a transaction, Watch or MSETNX whose keys
	// are in more than one hash slot; nothing was sent.
	ErrCrossSlot = errors.New("actoredis: keys in different hash slots")
	// ErrTooManyRedirects (NewCluster): a command was redirected (MOVED,
	// ASK) more than ClusterOptions.MaxRedirects times; the error is a
	// *RedirectError naming the last redirect.
	ErrTooManyRedirects = errors.New("actoredis: too many cluster redirects")
	// ErrWaitUncovered (NewCluster): a WAIT or WAITAOF of a ClusterPipeline
	// came after a command that left its connection (redirected by MOVED
	// or ASK, or retried on another connection), so the count it would
	// give does not cover that command; its reply was discarded.
	ErrWaitUncovered = errors.New("actoredis: WAIT does not cover a command sent before it: that command went to another connection")
	// ErrClusterDown (NewCluster): no node owned the command's hash slot
	// until its deadline; the error is a *ClusterDownError.
	ErrClusterDown = errors.New("actoredis: cluster down")
	// ErrTxFailed: EXEC returned null because a WATCHed key changed; nothing
	// of the transaction was applied.
	ErrTxFailed = errors.New("actoredis: transaction failed: a watched key changed")
	// ErrDiscarded: the command was queued in a pipeline that was discarded.
	ErrDiscarded = errors.New("actoredis: pipeline discarded")
	// ErrSlowConsumer ends a subscription whose consumer fell too far behind.
	ErrSlowConsumer = actors.ErrSlowConsumer
)

// Error is an error reply from the server. Match it with errors.As;
// Prefix() gives "ERR", "WRONGTYPE", "MOVED", "NOSCRIPT", ...
type Error = resp.Error

// ConnError is a transport failure of one command; Sent tells whether the
// command may have reached the server (and so may have been executed).
type ConnError = actors.ConnError

// TransientError is a server reply that refused the command for now
// (LOADING, ...), once retrying it is over or was not allowed.
type TransientError = actors.TransientError

// PoolTimeoutError tells what the pool was waiting for when a command gave
// up waiting for a usable connection.
type PoolTimeoutError = actors.PoolTimeoutError

// HandshakeError is a refusal during the connection handshake (HELLO,
// AUTH, SELECT, CLIENT SETNAME, READONLY), such as a wrong password. A
// refused CLIENT SETINFO is not one: servers before Redis 7.2 refuse it,
// and the handshake goes on.
type HandshakeError = actors.HandshakeError

// SentinelError tells why the sentinels gave no address (NewFailover).
type SentinelError = actors.SentinelError

// RoleError is a server in another role than expected: a replica where
// NewFailover wants the primary.
type RoleError = actors.RoleError

// TxAbortedError is what every future of a transaction gets when Redis
// refused one of its commands at queue time (EXECABORT): Command names
// the refused command and Err is the server's reason.
type TxAbortedError struct {
	Command string
	Err     error
}

func (e *TxAbortedError) Error() string {
	return "actoredis: transaction aborted: " + e.Command + " was refused: " + e.Err.Error()
}

func (e *TxAbortedError) Unwrap() error { return e.Err }

// MonitorLostError ends the feed of a Monitor, or of a ClusterMonitor's
// node, whose connection was lost; it matches ErrLeaseBroken.
type MonitorLostError struct {
	Node  string // the node's address
	Cause error
}

func (e *MonitorLostError) Error() string {
	return "actoredis: monitor of " + e.Node + ": " + ErrLeaseBroken.Error() + ": " + e.Cause.Error()
}
func (e *MonitorLostError) Unwrap() []error { return []error{ErrLeaseBroken, e.Cause} }

// ClusterDownError: no node of the current topology owns the slot (the
// cluster is down, or being rebuilt). It matches ErrClusterDown.
type ClusterDownError struct{ Slot int }

func (e *ClusterDownError) Error() string {
	return "actoredis: no cluster node owns hash slot " + strconv.Itoa(e.Slot)
}
func (e *ClusterDownError) Is(target error) bool { return target == ErrClusterDown }

// RedirectError is the error of a command that followed MaxRedirects
// redirects; it matches ErrTooManyRedirects, and Last is the last MOVED
// or ASK reply.
type RedirectError struct {
	Command string
	Last    string
}

func (e *RedirectError) Error() string {
	return "actoredis: " + e.Command + ": too many cluster redirects, last: " + e.Last
}
func (e *RedirectError) Is(target error) bool { return target == ErrTooManyRedirects }

// argError reports a wrong argument of a command method.
type argError struct{ msg string }

func (e *argError) Error() string        { return "actoredis: invalid argument: " + e.msg }
func (e *argError) Is(target error) bool { return target == ErrInvalidArg }

// urlError reports why ParseURL could not read a URL; it matches
// ErrInvalidURL.
type urlError struct{ msg string }

func (e *urlError) Error() string        { return "actoredis: invalid URL: " + e.msg }
func (e *urlError) Is(target error) bool { return target == ErrInvalidURL }

// errShardOnFeed: shard channels on a ClusterClient's plain subscription.
var errShardOnFeed = &argError{msg: "a cluster Subscribe/PSubscribe takes no shard channels; use ClusterClient.SSubscribe"}

package messages

// Flags describe how a command may be routed and retried.
type Flags uint16

const (
	// ReadOnly commands never change data; they are safe to repeat.
	ReadOnly Flags = 1 << iota
	// Idempotent commands give the same result when run twice in a row
	// (SET, DEL). That alone does not make a write safe to send again
	// after its connection was lost: between its two runs another
	// client's write can land and be overwritten. See Resend.
	Idempotent
	// Blocking commands may hold their connection (BLPOP, XREAD BLOCK,
	// WAIT): they run only on a leased dedicated connection, with no read
	// deadline, and a cancelled caller closes that connection.
	Blocking
	// NoReply commands get no reply from the server (CLIENT REPLY OFF and
	// SKIP, and the command after SKIP). Their promise completes once the
	// command has been written.
	NoReply
	// Stateful commands change per-connection state (WATCH, CLIENT
	// TRACKING): they run only on a leased dedicated connection.
	Stateful
	// PushReply commands are answered by a RESP3 push frame (SUBSCRIBE and
	// its family); for any other command a push frame is out-of-band data.
	PushReply
	// Streams commands (MONITOR) turn their connection into a stream: after
	// their reply, everything the server sends goes to the lease's push
	// handler, and the connection is never reused.
	Streams
	// Batched commands belong to a pipeline or transaction: they are never
	// retried on their own. The connection sets it when it queues a batch.
	Batched
	// Run commands stand for a run of pipelined commands written back to
	// back (Args holds their encodings): one entry of the connection's
	// queue, whose promise takes one reply per command and completes with
	// the last (see StartRun).
	Run
	// Resend commands are sent again after their connection was lost
	// once they may have reached the server: the caller accepted that
	// they may run twice (at least once, Client.Idempotent). Without it
	// only ReadOnly commands are (and, with the retry policy's
	// ResendIdempotent, Idempotent ones).
	Resend
)

// Has reports whether every flag of g is set in f.
func (f Flags) Has(g Flags) bool { return f&g == g }

// String names the flags, for example "readonly|idempotent".
func (f Flags) String() string {
	if f == 0 {
		return "none"
	}
	names := [...]string{"readonly", "idempotent", "blocking", "noreply", "stateful", "pushreply", "streams", "batched", "run", "resend"}
	s := ""
	for i, n := range names {
		if f&(1<<i) != 0 {
			if s != "" {
				s += "|"
			}
			s += n
		}
	}
	return s
}

// Command is one Redis command on its way to a connection actor: the
// complete RESP encoding of its arguments and the promise the reader
// goroutine completes with the reply. Name is the command's name for error
// messages (never an argument: arguments may be secrets).
//
// The fields are laid out for size (every command allocates one): Retry
// and KeyArg fill the bytes after Flags, and Abort keeps its mark in the
// promise's state.
type Command struct {
	Name  string
	Args  []byte
	Flags Flags
	// Retry is the actors' retry state of the command; the zero value is
	// a command not yet tried.
	Retry RetryState
	// KeyArg is 1 + the index in Args of the first key, whose hash slot
	// routes the command (0: keyless).
	KeyArg uint16
	// Cancelled, when set, is closed once a blocking command whose caller
	// gave up has been ended on the server (unblocked, or its connection
	// closed and gone): from then on nothing can be popped for it.
	Cancelled <-chan struct{}
	Promise
	// Deadline is the caller's deadline in Unix nanoseconds (0: none); the
	// command is never sent again past it.
	Deadline int64
}

// RetryState is what the actors keep on a command to retry it safely (with
// Command.Deadline and the Batched flag).
type RetryState struct {
	// Failed counts the tries that failed and were retried.
	Failed uint8
	// Sent is set once a try may have reached the server: a later
	// failure is then ambiguous even if that try was never written.
	Sent bool
}

// Batch is an ordered group of commands written to one connection in one
// flush, with nothing from other callers between them: pipelines and
// MULTI/EXEC transactions (whose MULTI and EXEC are ordinary commands of the
// batch).
type Batch struct {
	Commands []*Command
	// Sync tells that the poster waits for the batch with no way to give
	// up (a context that never ends): the connection may then read the
	// replies on the poster's goroutine (see the actors' sync read).
	Sync bool
}

// Abort marks the command as being ended on the server for a caller that
// gave up (before Cancelled is closed).
func (c *Command) Abort() { c.state.Or(aborted) }

// IsAborted reports whether Abort was called.
func (c *Command) IsAborted() bool { return c.state.Load()&aborted != 0 }

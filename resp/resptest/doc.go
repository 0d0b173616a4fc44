// Package resptest is a scripted fake Redis server for hermetic unit tests
// of the layers above the codec: expect these arguments, reply this.
//
// A Server listens on 127.0.0.1 on a free port and serves every accepted
// connection on its own goroutine. It parses commands (arrays of bulk
// strings) with resp.Reader and answers each one, in order, from the first
// of these that takes it:
//
//  1. authentication: with Options.Password set, a connection that has not
//     authenticated gets -NOAUTH for anything but AUTH, HELLO and QUIT;
//  2. expectations (Server.Expect), in the order they were added: the first
//     one whose arguments equal the command's (the command name compared
//     without regard to case) and that has uses left;
//  3. handlers registered for the command's name (Server.Handle);
//  4. the built-in handshake: HELLO (a Redis 7 reply map, or -ERR unknown
//     command with Options.RESP2Only), AUTH, SELECT, CLIENT SETNAME,
//     CLIENT GETNAME, CLIENT SETINFO (-ERR unknown subcommand when
//     Options.Version is a Redis before 7.2), CLIENT ID, PING, ECHO and
//     QUIT;
//  5. Options.Handler;
//  6. otherwise -ERR unknown command, as Redis answers.
//
// Replies are written with Conn.WriteValue in the protocol the connection
// negotiated (RESP3 after HELLO 3, RESP2 before), or byte for byte with
// Conn.WriteRaw. A script can also close a connection (FIN), reset it (RST)
// or hang it: a hung connection keeps reading and recording commands but
// never answers again, as a stuck server would.
//
// The server counts accepted connections and the commands it received, by
// name and in full. New registers Close with tb.Cleanup, which also fails
// the test when an expectation was not used as often as it asked; Close
// stops the listener, closes every connection and waits for every
// goroutine the server started. Handlers run on a connection's goroutine
// and must return for Close to finish.
//
// Every method of Server, Conn and Expectation is safe for concurrent use.
package resptest

// Package redistest gives tests, benchmarks and examples a real Redis.
//
// Two ways to get one:
//
//   - [Start] starts a private redis-server for one test (or benchmark) and
//     stops it when the test ends. The test may kill it with [Server.Kill9],
//     bring it back on the same port with [Server.Restart], or stop it with
//     [Server.Shutdown].
//   - [Shared] hands every test of a package the same server, started once.
//     Use [Main] from TestMain so that it is stopped when the package's tests
//     are done.
//
// For example:
//
//	func TestMain(m *testing.M) { os.Exit(redistest.Main(m)) }
//
//	func TestGet(t *testing.T) {
//		srv := redistest.Shared(t)
//		// connect to srv.Addr()
//	}
//
// Where the server comes from, in order (servers.go):
//
//  1. REDIS_ADDR (host:port), for [Shared] only: an external server that the
//     harness only talks to; Kill9, Restart and Shutdown fail the test.
//  2. REDIS_IMAGE (redis:7.4, valkey/valkey:8, ...): containers of that
//     image, when a container backend is linked in (see docker.go).
//  3. REDISTEST_SERVER: a server of the test matrix by name or version:
//     redis-7.0 (the system's, on PATH or in /usr/bin), redis-7.4.1,
//     valkey-8.0.1, valkey-9 (the Valkey development tree), or a version
//     prefix such as redis-7.4, looked up in the build cache that
//     scripts/build-server.sh fills ($ACTOREDIS_SERVER_CACHE, by default
//     $HOME/.cache/actoredis/servers); or a directory holding redis-server.
//  4. redis-server on PATH, with the redis-cli beside it.
//  5. A container of redis:7.0, when a container backend is linked in and
//     a Docker daemon answers.
//
// Processes run as non-daemonized children on a free loopback port, with
// their log and data in a temporary directory. [ServerVersion] and
// [Server.Version] say which server and version a test runs against, so
// that a test of behaviour that differs between versions asserts the
// behaviour of the server it has.
//
// A server that was asked for and cannot be had, or no server at all, fails
// the test, never skips it, and the message says how to get one.
//
// Every private server runs with
//
//	--port P --bind 127.0.0.1 --save "" --appendonly no
//	--enable-debug-command local --dir <temporary directory>
//
// plus the arguments given with [WithArgs]. P comes from the kernel
// (a listener on 127.0.0.1:0, closed again); a lost race for it is retried
// on another port.
//
// The harness talks to servers through its own few lines of RESP2 on a
// net.Conn ([Server.Do], [Server.Info]); it does not use the project's
// client, so that it can test it.
//
// The harness keeps no goroutine running between calls and one descriptor
// per running child (the process handle), so leak checks that compare
// goroutines and file descriptors before and after a scenario are not
// disturbed by it, even across a Restart.
//
// The Server methods that can fail call tb.Fatalf, so call them from the
// goroutine running the test.
//
// Sentinel and Cluster builders live here too, built on the same instance
// and backend types as Start (processes only, of the server chosen above):
// [StartSentinel] (sentinel.go) starts a primary, its replica and three
// sentinels (quorum 2, down-after 500 ms), returns once they all know each
// other, and offers AwaitFailover and RestartAsReplica; [StartCluster]
// (cluster.go) starts a cluster.
package redistest

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
// Where the server comes from, in order:
//
//  1. REDIS_ADDR (host:port), for [Shared] only: an external server that the
//     harness only talks to; Kill9, Restart and Shutdown fail the test.
//  2. redis-server on PATH, run as a non-daemonized child process on a free
//     loopback port, with its log and data in a temporary directory.
//  3. A Docker container (image redis:7.0, or REDISTEST_DOCKER_IMAGE),
//     driven through the docker CLI, only when a Docker daemon answers.
//
// With none of them the test fails, never skips, and the message says how to
// get one.
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
// and backend types as Start (redis-server from PATH only):
// [StartSentinel] (sentinel.go) starts a primary, its replica and three
// sentinels (quorum 2, down-after 500 ms), returns once they all know each
// other, and offers AwaitFailover and RestartAsReplica; [StartCluster]
// (cluster.go) starts a cluster.
package redistest

//go:build integration

package integration

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// aloneEnv names the test that a child process of the test binary runs
// by itself (see alone).
const aloneEnv = "ACTOREDIS_TEST_ALONE"

// alone runs the calling test in a fresh process of this test binary, in
// which no other test runs and none ran before, and reports whether the
// caller is that process: the test body runs when alone returns true; in
// the parent, which only relays the child's output and verdict, the test
// returns at once.
//
// It is for tests that measure the whole process (runtime.MemStats, the
// CPU time of getrusage, runtime.NumGoroutine, open descriptors): in the
// shared test process those figures also hold what tests before left
// behind, a goroutine still running or its garbage, and one test's fault
// would be reported as another's. The child inherits the build (-race
// included), the environment, -short and the time left before the
// deadline.
func alone(t *testing.T) bool {
	t.Helper()
	if os.Getenv(aloneEnv) == t.Name() {
		return true
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("alone: the test binary: %v", err)
	}
	args := []string{"-test.run=^" + regexp.QuoteMeta(t.Name()) + "$", "-test.count=1", "-test.v"}
	if testing.Short() {
		args = append(args, "-test.short")
	}
	if d, ok := t.Deadline(); ok {
		args = append(args, "-test.timeout="+time.Until(d).Round(time.Second).String())
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), aloneEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	t.Logf("%s ran in its own process:\n%s", t.Name(), out)
	switch {
	case err != nil:
		t.Fatalf("%s failed in its own process: %v", t.Name(), err)
	case !strings.Contains(string(out), "--- PASS: "+t.Name()+" "):
		t.Fatalf("%s did not run in its own process", t.Name())
	}
	return false
}

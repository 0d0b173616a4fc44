//go:build integration

package redistest

import (
	"testing"
	"time"
)

// The Sentinel set: the sentinels agree on the primary; a kill -9 of it
// makes them promote the replica; the old primary comes back as a replica.
func TestSentinelSetFailover(t *testing.T) {
	s := StartSentinel(t)
	primary := s.Primary()
	if primary != s.Nodes()[0] {
		t.Fatalf("primary %s, want the first node %s", primary.Addr(), s.Nodes()[0].Addr())
	}
	if _, err := primary.Do("SET", "k", "v"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	primary.Kill9()
	next := s.AwaitFailover(primary, 10*time.Second)
	t.Logf("failover took %v", time.Since(start))
	if next != s.Nodes()[1] {
		t.Fatalf("new primary %s, want the replica %s", next.Addr(), s.Nodes()[1].Addr())
	}
	if v, err := next.Do("GET", "k"); err != nil || v != "v" {
		t.Fatalf("GET k on the new primary = %v, %v", v, err)
	}
	s.RestartAsReplica(primary, next)
	if _, err := primary.Do("SET", "k", "w"); err == nil {
		t.Fatal("the old primary accepted a write after it came back as a replica")
	}
}

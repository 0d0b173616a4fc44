package client

import (
	"testing"
	"time"

	"github.com/actoredis/actoredis/resp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServerConversions(t *testing.T) {
	r, err := convert(t, srvToRole, "*3\n$6\nmaster\n:42\n*1\n*3\n$9\n127.0.0.1\n$4\n6380\n$2\n40")
	require.NoError(t, err)
	assert.Equal(t, Role{Kind: RoleMaster, ReplicationOffset: 42, Replicas: []ReplicaInfo{{Host: "127.0.0.1", Port: 6380, ReplicationOffset: 40}}}, r)
	r, err = convert(t, srvToRole, "*5\n$5\nslave\n$9\n127.0.0.1\n:6379\n$9\nconnected\n:7")
	require.NoError(t, err)
	assert.Equal(t, Role{Kind: RoleReplica, MasterHost: "127.0.0.1", MasterPort: 6379, State: "connected", ReplicationOffset: 7}, r)
	r, err = convert(t, srvToRole, "*2\n$8\nsentinel\n*1\n$2\nmy")
	require.NoError(t, err)
	assert.Equal(t, Role{Kind: RoleSentinel, MasterNames: []string{"my"}}, r)

	tm, err := convert(t, srvToTime, "*2\n$10\n1700000000\n$6\n000123")
	require.NoError(t, err)
	assert.Equal(t, time.Unix(1700000000, 123000), tm)

	si, err := srvToInfo(resp.Verbatim("txt",
		"# Server\r\nredis_version:7.0.15\r\n\r\n# Keyspace\r\ndb0:keys=1\r\n"))
	require.NoError(t, err)
	assert.Equal(t, map[string]map[string]string{"server": {"redis_version": "7.0.15"}, "keyspace": {"db0": "keys=1"}}, si.Sections)
	v, ok := si.Get("db0")
	assert.True(t, ok)
	assert.Equal(t, "keys=1", v)

	sl, err := convert(t, srvToSlowLog, "*1\n*6\n:5\n:1700000000\n:250\n*2\n$3\nGET\n$1\nk\n$9\n1.2.3.4:5\n$0\n\n")
	require.NoError(t, err)
	assert.Equal(t, []SlowLogEntry{{ID: 5, Time: time.Unix(1700000000, 0), Duration: 250 * time.Microsecond,
		Args: []string{"GET", "k"}, ClientAddr: "1.2.3.4:5"}}, sl)

	// RESP3 map and RESP2 array give the same histogram.
	h3, err := convert(t, srvToHistograms, "%1\n$3\nset\n%2\n$5\ncalls\n:3\n$14\nhistogram_usec\n%2\n:1\n:2\n:2\n:3")
	require.NoError(t, err)
	h2, err := convert(t, srvToHistograms, "*2\n$3\nset\n*4\n$5\ncalls\n:3\n$14\nhistogram_usec\n*4\n:1\n:2\n:2\n:3")
	require.NoError(t, err)
	assert.Equal(t, h3, h2)
	assert.Equal(t, CommandHistogram{Calls: 3, Buckets: map[int64]int64{1: 2, 2: 3}}, h3["set"])

	ms, err := convert(t, srvToMemoryStats, "%3\n$14\npeak.allocated\n:10\n$4\ndb.0\n%1\n$4\nmain\n:72\n$18\ndataset.percentage\n,99.5")
	require.NoError(t, err)
	assert.Equal(t, MemoryStats{"peak.allocated": 10, "db.0.main": 72, "dataset.percentage": 99.5}, ms)

	dr, err := convert(t, srvToDryRun, "$11\nnot allowed")
	require.NoError(t, err)
	assert.Equal(t, ACLDryRunResult{Reason: "not allowed"}, dr)

	u, err := convert(t, srvToACLUser, "*8\n$5\nflags\n*1\n$2\non\n$9\npasswords\n*0\n$8\ncommands\n$5\n+@all\n$4\nkeys\n*2\n$2\n~a\n$2\n~b")
	require.NoError(t, err)
	assert.Equal(t, ACLUser{Flags: []string{"on"}, Passwords: []string{}, Commands: "+@all", Keys: "~a ~b"}, u, "Redis 6 lists patterns")
}

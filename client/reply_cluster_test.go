package client

import (
	"testing"
	"time"

	"github.com/actoredis/actoredis/resp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClusterConversions(t *testing.T) {
	b, err := convert(t, clusterToBumpEpoch, "+BUMPED 7")
	require.NoError(t, err)
	assert.Equal(t, ClusterBumpEpochResult{Bumped: true, Epoch: 7}, b)
	b, err = convert(t, clusterToBumpEpoch, "+STILL 3")
	require.NoError(t, err)
	assert.Equal(t, ClusterBumpEpochResult{Epoch: 3}, b)
	_, err = convert(t, clusterToBumpEpoch, "+WHAT 3")
	assert.ErrorIs(t, err, ErrUnexpectedType)

	const line1 = "aaa 127.0.0.1:7000@17000,host1 myself,master - 0 1700000000000 5 connected 0-100 200 [300->-bbb] [301-<-ccc]"
	const line2 = "bbb :7001@17001 slave aaa 1700000000001 0 0 disconnected"
	text := resp.Verbatim("txt", line1+"\n"+line2+"\n")
	nodes, err := clusterToNodes(text)
	require.NoError(t, err)
	require.Len(t, nodes, 2)
	assert.Equal(t, ClusterNode{ID: "aaa", Addr: "127.0.0.1:7000", BusPort: 17000, Hostname: "host1",
		Flags: []string{"myself", "master"}, PongRecv: time.UnixMilli(1700000000000), ConfigEpoch: 5, Connected: true,
		Slots: []SlotRange{{0, 100}, {200, 200}}, MigratingSlots: map[int]string{300: "bbb"},
		ImportingSlots: map[int]string{301: "ccc"}}, nodes[0])
	assert.Equal(t, "aaa", nodes[1].MasterID)
	assert.Equal(t, ":7001", nodes[1].Addr)
	assert.False(t, nodes[1].Connected)
	assert.True(t, nodes[1].HasFlag("slave"))
	// CLUSTER REPLICAS answers with an array of lines.
	arr, err := clusterToNodes(resp.Value{Kind: resp.KindArray, Elems: []resp.Value{{Kind: resp.KindBulkString, Str: line2}}})
	require.NoError(t, err)
	assert.Equal(t, nodes[1:], arr)
	_, err = clusterToNodes(resp.Value{Kind: resp.KindBulkString, Str: "too short"})
	assert.ErrorIs(t, err, ErrUnexpectedType)

	info, err := clusterToInfo(resp.Value{Kind: resp.KindBulkString, Str: "cluster_state:ok\r\ncluster_size:3\r\nother:x\r\n"})
	require.NoError(t, err)
	assert.Equal(t, "ok", info.State)
	assert.Equal(t, int64(3), info.Size)
	assert.Equal(t, "x", info.Fields["other"])

	slots, err := convert(t, clusterToSlots, "*1\n*3\n:0\n:99\n*4\n$9\n127.0.0.1\n:7000\n$3\naaa\n%1\n$8\nhostname\n$2\nh1")
	require.NoError(t, err)
	assert.Equal(t, []ClusterSlot{{Start: 0, End: 99, Nodes: []ClusterSlotNode{{Host: "127.0.0.1", Port: 7000, ID: "aaa",
		Metadata: map[string]string{"hostname": "h1"}}}}}, slots)
	assert.Equal(t, "127.0.0.1:7000", slots[0].Nodes[0].Addr())
}

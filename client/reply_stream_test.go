package client

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStreamReadReplies(t *testing.T) {
	want := []XStream{
		{Stream: "a", Messages: []XMessage{{ID: "1-0", Values: []string{"f", "v"}}, {ID: "2-0"}}},
		{Stream: "b", Messages: []XMessage{{ID: "3-0", Values: []string{"x", "1", "y", "2"}}}},
	}
	entriesA := "*2\n*2\n$3\n1-0\n*2\n$1\nf\n$1\nv\n*2\n$3\n2-0\n$-1\n"
	entriesB := "*1\n*2\n$3\n3-0\n*4\n$1\nx\n$1\n1\n$1\ny\n$1\n2\n"
	resp2 := "*2\n*2\n$1\na\n" + entriesA + "*2\n$1\nb\n" + entriesB
	resp3 := "%2\n$1\na\n" + entriesA + "$1\nb\n" + entriesB
	for _, wire := range []string{resp2, resp3} {
		got, err := convert(t, streamToStreams, wire)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	for _, wire := range []string{"*-1", "_"} {
		got, err := convert(t, streamToStreams, wire)
		require.NoError(t, err)
		assert.Empty(t, got)
	}
	_, err := convert(t, streamToStreams, "*1\n*1\n$1\na\n")
	assert.ErrorIs(t, err, ErrUnexpectedType)
	_, err = convert(t, streamToMessages, "*1\n*2\n$3\n1-0\n*1\n$1\nf\n")
	assert.ErrorIs(t, err, ErrUnexpectedType, "odd field/value list")
	assert.Equal(t, map[string]string{"x": "1", "y": "2"}, want[1].Messages[0].Map())
}

func TestStreamInfoReplies(t *testing.T) {
	body := "$6\nlength\n:2\n$15\nradix-tree-keys\n:1\n$16\nradix-tree-nodes\n:2\n" +
		"$17\nlast-generated-id\n$3\n2-0\n$6\ngroups\n:1\n" +
		"$11\nfirst-entry\n*2\n$3\n1-0\n*2\n$1\nf\n$1\nv\n$10\nlast-entry\n_\n"
	want := XInfoStream{Length: 2, RadixTreeKeys: 1, RadixTreeNodes: 2, LastGeneratedID: "2-0", Groups: 1,
		FirstEntry: XMessage{ID: "1-0", Values: []string{"f", "v"}}}
	for _, wire := range []string{"*14\n" + body, "%7\n" + body} {
		got, err := convert(t, streamToInfo, wire)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := convert(t, streamToInfo, "%1\n$6\nlength\n$1\nx\n")
	assert.ErrorIs(t, err, ErrUnexpectedType)

	groups, err := convert(t, streamToGroups,
		"*1\n%4\n$4\nname\n$1\ng\n$7\npending\n:2\n$12\nentries-read\n_\n$3\nlag\n:4\n")
	require.NoError(t, err)
	assert.Equal(t, []XInfoGroup{{Name: "g", Pending: 2, Lag: 4, LagValid: true}}, groups)

	consumers, err := convert(t, streamToConsumers,
		"*1\n*8\n$4\nname\n$1\nc\n$7\npending\n:1\n$4\nidle\n:250\n$8\ninactive\n:100\n")
	require.NoError(t, err)
	assert.Equal(t, []XInfoConsumer{{Name: "c", Pending: 1, Idle: 250 * time.Millisecond, Inactive: 100 * time.Millisecond}}, consumers)

	full, err := convert(t, streamToInfoFull, "%3\n$6\nlength\n:1\n"+
		"$7\nentries\n*1\n*2\n$3\n1-0\n*2\n$1\nf\n$1\nv\n"+
		"$6\ngroups\n*1\n%4\n$4\nname\n$1\ng\n$9\npel-count\n:1\n"+
		"$7\npending\n*1\n*4\n$3\n1-0\n$1\nc\n:1700000000000\n:1\n"+
		"$9\nconsumers\n*1\n%4\n$4\nname\n$1\nc\n$9\nseen-time\n:1700000000000\n$9\npel-count\n:1\n"+
		"$7\npending\n*1\n*3\n$3\n1-0\n:1700000000000\n:1\n")
	require.NoError(t, err)
	ts := time.UnixMilli(1700000000000)
	assert.Equal(t, XInfoStreamFull{Length: 1, Entries: []XMessage{{ID: "1-0", Values: []string{"f", "v"}}},
		Groups: []XInfoGroupFull{{Name: "g", PendingCount: 1,
			Pending: []XPendingEntry{{ID: "1-0", Consumer: "c", DeliveryTime: ts, DeliveryCount: 1}},
			Consumers: []XInfoConsumerFull{{Name: "c", SeenTime: ts, PendingCount: 1,
				Pending: []XPendingEntry{{ID: "1-0", DeliveryTime: ts, DeliveryCount: 1}}}}}}}, full)
}

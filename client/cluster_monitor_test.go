package client

import (
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/resp"
)

// A full channel drops ordinary events but never a node's Err event, and
// the channel closes once after the last feed has ended.
func TestClusterMonitorLostNeverDropped(t *testing.T) {
	m := &ClusterMonitor{ch: make(chan MonitorEvent, monitorBuffer+2), live: 2}
	line := resp.Value{Kind: resp.KindSimpleString, Str: `1700000000.5 [0 127.0.0.1:5000] "get" "k"`}
	for i := 0; i < monitorBuffer+5; i++ {
		m.push("n1:1", line)
	}
	assert.Equal(t, int64(5), m.Dropped())
	m.lost("n1:1", io.EOF)
	m.lost("n2:2", io.ErrUnexpectedEOF)
	var evs []MonitorEvent
	for ev := range m.Events() {
		evs = append(evs, ev)
	}
	require.Len(t, evs, monitorBuffer+2)
	assert.Equal(t, []string{"get", "k"}, evs[0].Args)
	assert.Equal(t, "n1:1", evs[0].Node)
	for i, node := range []string{"n1:1", "n2:2"} {
		ev := evs[monitorBuffer+i]
		assert.Equal(t, node, ev.Node)
		assert.ErrorIs(t, ev.Err, ErrLeaseBroken)
		var le *MonitorLostError
		require.True(t, errors.As(ev.Err, &le))
		assert.Equal(t, node, le.Node)
	}
	assert.ErrorIs(t, m.Err(), io.EOF)
	assert.ErrorIs(t, m.Err(), io.ErrUnexpectedEOF)
	require.NoError(t, m.Close(), "Close after the channel closed itself")
	m.push("n1:1", line) // after Close: ignored, no panic
	m.lost("n1:1", io.EOF)
}

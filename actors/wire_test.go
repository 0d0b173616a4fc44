package actors

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWireStateStrings(t *testing.T) {
	assert.Equal(t, "reading", readerReading.String())
	assert.Equal(t, "parked", readerParked.String())
	assert.Equal(t, "sync reading", readerSyncReading.String())
	assert.Equal(t, "readerState(7)", readerState(7).String())
	assert.Equal(t, "idle", writerIdle.String())
	assert.Equal(t, "goroutine", writerGoroutine.String())
	assert.Equal(t, "direct", writerDirect.String())
	assert.Equal(t, "writerState(9)", writerState(9).String())
}

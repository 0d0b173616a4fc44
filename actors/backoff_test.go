package actors

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestExponentialBackoffFullJitter(t *testing.T) {
	b := ExponentialBackoff{Base: 10 * time.Millisecond, Cap: 80 * time.Millisecond}
	for attempt, ceiling := range map[int]time.Duration{1: 10, 2: 20, 3: 40, 4: 80, 5: 80, 40: 80, 0: 10} {
		ceiling *= time.Millisecond
		var top time.Duration
		for i := 0; i < 2000; i++ {
			d := b.Next(attempt)
			assert.GreaterOrEqual(t, d, time.Duration(0))
			assert.LessOrEqual(t, d, ceiling, "attempt %d", attempt)
			top = max(top, d)
		}
		assert.Greater(t, top, ceiling/2, "attempt %d: the delays spread over [0, ceiling]", attempt)
	}
	var zero ExponentialBackoff
	assert.LessOrEqual(t, zero.Next(100), 2*time.Second)
}

package actors

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

const ms = time.Millisecond

// TestBackoffBounds draws many delays per attempt and checks that each
// backoff stays inside its documented bounds and spreads over them.
func TestBackoffBounds(t *testing.T) {
	type bounds struct{ lo, hi time.Duration }
	cases := []struct {
		name    string
		backoff Backoff
		want    map[int]bounds // attempt -> [lo, hi]
		spread  bool           // the delays must cover most of [lo, hi]
	}{
		{"full jitter", ExponentialBackoff{Base: 10 * ms, Cap: 80 * ms},
			map[int]bounds{0: {0, 10 * ms}, 1: {0, 10 * ms}, 2: {0, 20 * ms}, 3: {0, 40 * ms}, 4: {0, 80 * ms}, 5: {0, 80 * ms}, 40: {0, 80 * ms}}, true},
		{"full jitter defaults", ExponentialBackoff{},
			map[int]bounds{1: {0, 50 * ms}, 100: {0, 2 * time.Second}}, true},
		{"equal jitter", EqualJitterBackoff{Base: 10 * ms, Cap: 80 * ms},
			map[int]bounds{1: {5 * ms, 10 * ms}, 2: {10 * ms, 20 * ms}, 3: {20 * ms, 40 * ms}, 4: {40 * ms, 80 * ms}, 9: {40 * ms, 80 * ms}, 64: {40 * ms, 80 * ms}}, true},
		{"decorrelated jitter", DecorrelatedJitterBackoff{Base: 10 * ms, Cap: 200 * ms},
			map[int]bounds{1: {10 * ms, 30 * ms}, 2: {10 * ms, 90 * ms}, 3: {10 * ms, 200 * ms}, 50: {10 * ms, 200 * ms}}, true},
		{"constant", ConstantBackoff{Delay: 25 * ms},
			map[int]bounds{1: {25 * ms, 25 * ms}, 7: {25 * ms, 25 * ms}}, false},
		{"constant negative", ConstantBackoff{Delay: -time.Second}, map[int]bounds{1: {0, 0}}, false},
		{"none", NoBackoff{}, map[int]bounds{1: {0, 0}, 1000: {0, 0}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for attempt, b := range tc.want {
				lo, hi := time.Duration(1<<62), time.Duration(0)
				for i := 0; i < 2000; i++ {
					d := tc.backoff.Next(attempt)
					if !assert.True(t, d >= b.lo && d <= b.hi, "attempt %d: %v outside [%v, %v]", attempt, d, b.lo, b.hi) {
						return
					}
					lo, hi = min(lo, d), max(hi, d)
				}
				if tc.spread {
					span := b.hi - b.lo
					assert.Less(t, lo, b.lo+span/4, "attempt %d: the delays reach the low end", attempt)
					assert.Greater(t, hi, b.hi-span/4, "attempt %d: the delays reach the high end", attempt)
				}
			}
		})
	}
}

// TestBackoffGrowth: the mean delay of the exponential backoffs doubles per
// attempt until the cap.
func TestBackoffGrowth(t *testing.T) {
	for _, b := range []Backoff{ExponentialBackoff{Base: 8 * ms, Cap: time.Second}, EqualJitterBackoff{Base: 8 * ms, Cap: time.Second}} {
		mean := func(attempt int) float64 {
			var sum time.Duration
			for i := 0; i < 4000; i++ {
				sum += b.Next(attempt)
			}
			return float64(sum) / 4000
		}
		for attempt := 1; attempt < 5; attempt++ {
			ratio := mean(attempt+1) / mean(attempt)
			assert.InDelta(t, 2.0, ratio, 0.25, "%T attempt %d", b, attempt)
		}
	}
}

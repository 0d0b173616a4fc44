package main

import (
	"math/bits"
	"time"
)

// histogram counts latencies in log-linear buckets: exact below 64 ns,
// then 32 buckets per power of two, so a bucket is at most 1/32 (3%) wide
// relative to its values; latencies beyond maxLatency (about 137 s) count
// in the last bucket. Each worker goroutine owns one, so recording is
// an index computation and an increment, with no lock and no sharing.
type histogram struct {
	counts [histogramBuckets]uint64
}

const (
	subBucketBits    = 5
	subBuckets       = 1 << subBucketBits
	maxLatencyBits   = 37
	maxLatency       = time.Duration(1)<<maxLatencyBits - 1
	histogramBuckets = (maxLatencyBits - subBucketBits + 1) * subBuckets
)

func bucketOf(d time.Duration) int {
	v := uint64(min(max(d, 0), maxLatency))
	if v < 2*subBuckets {
		return int(v)
	}
	e := bits.Len64(v) - subBucketBits - 1
	return e*subBuckets + int(v>>e)
}

// bucketValue is the midpoint of bucket i.
func bucketValue(i int) time.Duration {
	if i < 2*subBuckets {
		return time.Duration(i)
	}
	e := i/subBuckets - 1
	m := uint64(i - e*subBuckets)
	return time.Duration(m<<e + (uint64(1)<<e)/2)
}

func (h *histogram) record(d time.Duration) { h.counts[bucketOf(d)]++ }

func (h *histogram) reset() { h.counts = [histogramBuckets]uint64{} }

func (h *histogram) add(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
}

// quantile returns the latency below which a fraction q of the recorded
// values fall, or 0 when nothing was recorded.
func (h *histogram) quantile(q float64) time.Duration {
	var total uint64
	for _, c := range h.counts {
		total += c
	}
	if total == 0 {
		return 0
	}
	rank := uint64(q*float64(total) + 0.5)
	rank = min(max(rank, 1), total)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return bucketValue(i)
		}
	}
	return bucketValue(histogramBuckets - 1)
}

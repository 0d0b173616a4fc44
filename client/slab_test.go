package client

import (
	"context"
	"sync"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSlabFuturesAreDistinctAndZero(t *testing.T) {
	p := &Pipeline{pipeQueue: pipeQueue{slot: -1}}
	seen := map[any]bool{}
	for i := 0; i < 3*maxSlab[single[string]](); i++ {
		fs := slabSingle[string](&p.mu, &p.slabs)
		fi := slabSingle[int64](&p.mu, &p.slabs) // interleaved types keep their own slabs
		require.False(t, seen[fs] || seen[fi], "future %d handed out twice", i)
		seen[fs], seen[fi] = true, true
		assert.Zero(t, fs.b.cmd.Name)
		assert.Zero(t, fi.val)
	}
	s := p.slabs.byType[slabKey[single[string]]()].(*slab[single[string]])
	assert.Equal(t, maxSlab[single[string]](), s.next, "slabs grow to maxSlab")
}

func TestSlabFuturesFromManyGoroutines(t *testing.T) {
	c := &Client{}
	p := &Pipeline{c: c, pipeQueue: pipeQueue{slot: -1, runs: true}}
	const workers, each = 8, 500
	got := make([][]*Future[string], workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range each {
				f := newFuture(pipeSender{&p.pipeQueue}, context.Background(), "GET", 0, toString)
				got[w] = append(got[w], f)
			}
		})
	}
	wg.Wait()
	seen := map[*Future[string]]bool{}
	for _, fs := range got {
		for _, f := range fs {
			require.False(t, seen[f], "a future handed out twice")
			seen[f] = true
			assert.Equal(t, inRun, f.b.pos, "a GET is built for the pipeline's run")
		}
	}
	assert.Len(t, seen, workers*each)
}

// With the expected length known, a pipeline's slabs hold what it takes:
// up to maxSlab each, at least minSlab.
func TestSlabsSizedByExpectedLength(t *testing.T) {
	most := maxSlab[Future[string]]()
	for n, unused := range map[int]int{1: minSlab - 1, 10: 0, 100: 0, 2*most + 2: minSlab - 2} {
		p := &Pipeline{pipeQueue: pipeQueue{slot: -1}}
		p.slabs.reset(n)
		for range n {
			_ = slabGet[Future[string]](&p.slabs)
		}
		s := p.slabs.last.(*slab[Future[string]]) // one type: no map
		assert.Equal(t, unused, len(s.elems)-s.used, "n=%d: futures left unused in the last slab", n)
	}
}

// A full slab fills the largest small size class, whichever kind of
// future it holds.
func TestFullSlabFitsItsSizeClass(t *testing.T) {
	for name, size := range map[string]int{
		"Future[string]": maxSlab[Future[string]]() * int(unsafe.Sizeof(Future[string]{})),
		"single[string]": maxSlab[single[string]]() * int(unsafe.Sizeof(single[string]{})),
	} {
		assert.LessOrEqual(t, size, slabBytes, name)
		assert.Greater(t, size, slabBytes*99/100, "%s: a full slab uses all but 1 percent of its allocation", name)
	}
}

// A command of its own allocates a single: a single[string] (GET, SET)
// fits Go's 320-byte size class, and a field added to Future, builder,
// Command or Promise moves it to the 352-byte class, 10% more memory per
// command. A command of a pipeline's run allocates only its Future: 80
// bytes for a Future[string].
func TestFutureSize(t *testing.T) {
	assert.LessOrEqual(t, unsafe.Sizeof(single[string]{}), uintptr(320))
	assert.LessOrEqual(t, unsafe.Sizeof(single[int64]{}), uintptr(320))
	assert.LessOrEqual(t, unsafe.Sizeof(Future[string]{}), uintptr(80))
}

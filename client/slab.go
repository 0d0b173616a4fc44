package client

import (
	"sync"
	"unsafe"
)

// Futures of a pipeline come from slabs: one allocation of up to slabBytes
// holds futures of one type, handed out one by one. A pipeline of 10,000
// SETs otherwise makes 10,000 allocations of a few hundred bytes, and the
// allocator (span refills, heap bits, zeroing each object) was 40% of the
// client's CPU in that benchmark. The cost: a slab stays in memory while
// any of its futures is referenced, so a caller who keeps one future of a
// finished pipeline keeps up to slabBytes of futures.

// A slab holds as many futures as the pipeline is expected to need still
// (expect, the length of the client's last pipeline), at least minSlab and
// at most what fits in slabBytes (95 Future[string]s): the largest of Go's
// small size classes, so a full slab wastes under 1% of its allocation
// where 64 futures (22,016 bytes) were rounded up to 24,576. Without that
// hint the first slab of a type holds minSlab futures and each next one
// twice as many, up to the maximum.
const (
	minSlab   = 4
	slabBytes = 32 << 10
)

// maxSlab returns how many futures of T fill a slab.
func maxSlab[T any]() int {
	var f Future[T]
	return max(minSlab, slabBytes/int(unsafe.Sizeof(f)))
}

// slab is one type's latest slab and how much of it is handed out. An
// index, not a shrinking slice: moving a slice's pointer is a pointer write,
// which costs a write barrier while the GC marks (and a pipeline of 10,000
// keeps it marking: 10% of the client's CPU went to write barriers).
type slab[T any] struct {
	futures []Future[T]
	used    int
	next    int // size of the next slab
}

// futureSlabs are a pipeline's slabs, guarded by the pipeline's mutex.
type futureSlabs struct {
	byType map[any]any // slabKey[T]() -> *slab[T]
	last   any         // the *slab[T] used last, looked at first
	expect int         // futures the pipeline is expected to take (0: unknown)
	handed int         // futures handed out since expect was set
}

// reset starts a new round of the pipeline, expected to take n futures.
func (fs *futureSlabs) reset(n int) { fs.expect, fs.handed = n, 0 }

// slabKey is a comparable key unique to T: a nil *T in an interface.
func slabKey[T any]() any { return (*T)(nil) }

// slabFuture returns a zero future from the slab of Future[T] in fs,
// under mu.
func slabFuture[T any](mu *sync.Mutex, fs *futureSlabs) *Future[T] {
	mu.Lock()
	s, _ := fs.last.(*slab[T]) // pipelines mostly repeat one type
	if s == nil {
		key := slabKey[T]()
		s, _ = fs.byType[key].(*slab[T])
		if s == nil {
			if fs.byType == nil {
				fs.byType = make(map[any]any)
			}
			s = &slab[T]{next: minSlab}
			fs.byType[key] = s
		}
	}
	if s.used == len(s.futures) {
		n := s.next
		if left := fs.expect - fs.handed; left > 0 {
			n = min(max(left, minSlab), maxSlab[T]())
		} else {
			s.next = min(2*s.next, maxSlab[T]())
		}
		s.futures, s.used = make([]Future[T], n), 0
	}
	fs.handed++
	if fs.last != any(s) {
		fs.last = s
	}
	f := &s.futures[s.used]
	s.used++
	mu.Unlock()
	return f
}

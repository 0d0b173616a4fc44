package client

import "unsafe"

// Futures of a pipeline come from slabs: one allocation of up to slabBytes
// holds futures of one type (Future[T] for the commands of runs, single[T]
// for those with a command of their own), handed out one by one. A
// pipeline of 10,000 SETs otherwise makes 10,000 allocations, and the
// allocator (span refills, heap bits, zeroing each object) was 40% of the
// client's CPU in that benchmark. The cost: a slab stays in memory while
// any of its futures is referenced, so a caller who keeps one future of a
// finished pipeline keeps up to slabBytes of futures.

// A slab holds as many futures as the pipeline is expected to need still
// (expect, the length of the client's last pipeline), at least minSlab and
// at most what fits in slabBytes (409 Future[string]s, or 102 single
// futures): the largest of Go's small size classes. Without that hint the
// first slab of a type holds minSlab futures and each next one twice as
// many, up to the maximum.
const (
	minSlab   = 4
	slabBytes = 32 << 10
)

// maxSlab returns how many Es fill a slab.
func maxSlab[E any]() int {
	var e E
	return max(minSlab, slabBytes/int(unsafe.Sizeof(e)))
}

// slab is one type's latest slab and how much of it is handed out. An
// index, not a shrinking slice: moving a slice's pointer is a pointer write,
// which costs a write barrier while the GC marks (and a pipeline of 10,000
// keeps it marking: 10% of the client's CPU went to write barriers).
type slab[E any] struct {
	elems []E
	used  int
	next  int // size of the next slab
}

// futureSlabs are a pipeline's slabs, guarded by the pipeline's mutex.
// Most pipelines take futures of one type: the first type's slab is only
// last, and byType is made when a second type comes.
type futureSlabs struct {
	byType  map[any]any // slabKey[E]() -> *slab[E], once there are two types
	last    any         // the *slab[E] used last, looked at first
	lastKey any         // its slabKey
	expect  int         // futures the pipeline is expected to take (0: unknown)
	handed  int         // futures handed out since expect was set
}

// reset starts a new round of the pipeline, expected to take n futures.
func (fs *futureSlabs) reset(n int) { fs.expect, fs.handed = n, 0 }

// slabKey is a comparable key unique to E: a nil *E in an interface.
func slabKey[E any]() any { return (*E)(nil) }

// slabGet returns a zero E from the slab of Es in fs; the caller holds the
// mutex that guards fs.
func slabGet[E any](fs *futureSlabs) *E {
	s, _ := fs.last.(*slab[E]) // pipelines mostly repeat one type
	if s == nil {
		key := slabKey[E]()
		if fs.last != nil {
			if fs.byType == nil {
				fs.byType = map[any]any{fs.lastKey: fs.last}
			}
			s, _ = fs.byType[key].(*slab[E])
		}
		if s == nil {
			s = &slab[E]{next: minSlab}
			if fs.byType != nil {
				fs.byType[key] = s
			}
		}
	}
	if s.used == len(s.elems) {
		n := s.next
		if left := fs.expect - fs.handed; left > 0 {
			n = min(max(left, minSlab), maxSlab[E]())
		} else {
			s.next = min(2*s.next, maxSlab[E]())
		}
		s.elems, s.used = make([]E, n), 0
	}
	fs.handed++
	if fs.last != any(s) {
		fs.last, fs.lastKey = s, slabKey[E]()
	}
	e := &s.elems[s.used]
	s.used++
	return e
}

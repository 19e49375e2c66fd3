package codec

import (
	"sync"
	"unsafe"
)

// maxPooled is the largest scratch buffer kept for reuse.
const maxPooled = 64 << 10

// scratchPool holds buffers for DEFLATE and for the rare plaintext that
// aliases AppendSeal's dst, so that steady-state sealing and opening
// allocate nothing but their result. (Uncompressed tokens are built and
// opened inside dst itself.)
var scratchPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func getScratch(n int) *[]byte {
	p := scratchPool.Get().(*[]byte)
	if cap(*p) < n {
		b := make([]byte, 0, n)
		p = &b
	}
	return p
}

// putScratch clears a scratch buffer, which held plaintext or its
// compressed form, and returns it to the pool. Callers leave *p holding
// all they wrote, so that only that is cleared: a buffer grown once by a
// large token must not cost every later small one a clear of its whole
// capacity.
func putScratch(p *[]byte) {
	clear(*p)
	if cap(*p) <= maxPooled {
		*p = (*p)[:0]
		scratchPool.Put(p)
	}
}

// overlaps reports whether a and b share memory.
func overlaps(a, b []byte) bool {
	return len(a) > 0 && len(b) > 0 &&
		uintptr(unsafe.Pointer(&a[0])) <= uintptr(unsafe.Pointer(&b[len(b)-1])) &&
		uintptr(unsafe.Pointer(&b[0])) <= uintptr(unsafe.Pointer(&a[len(a)-1]))
}

// ownedString views b as a string without copying. b must be freshly
// allocated and never written again, as with strings.Builder.
func ownedString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

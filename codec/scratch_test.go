package codec

import (
	"bytes"
	"testing"
)

// A scratch buffer holds plaintext or its compressed form while in use;
// putScratch clears all of its capacity, whatever length its user left.
func TestPutScratchClears(t *testing.T) {
	for _, n := range []int{10, 4096, maxPooled + 1} {
		p := getScratch(n)
		b := append((*p)[:0], bytes.Repeat([]byte("secret"), n/6+1)[:n]...)
		*p = b[:1] // as callers leave it: any length
		putScratch(p)
		if full := (*p)[:cap(*p)]; bytes.Contains(full, []byte("secret")) || bytes.IndexFunc(full, func(r rune) bool { return r != 0 }) >= 0 {
			t.Errorf("n=%d: putScratch left data in the buffer", n)
		}
	}
}

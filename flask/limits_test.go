package flask_test

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/flask"
)

// A 1 MiB value is refused before anything is allocated for it.
func TestHostileMegabyte(t *testing.T) {
	c := newCodec(t, flask.Config{})
	huge := strings.Repeat("A", 1<<20)
	var err error
	if n := testing.AllocsPerRun(20, func() { _, _, err = c.Open(huge) }); n != 0 {
		t.Errorf("Open: %v allocations, want 0", n)
	}
	if !errors.Is(err, keyseal.ErrTooLarge) {
		t.Errorf("Open: %v, want ErrTooLarge", err)
	}
}

// A genuine (leaked-secret) cookie inflating to 16 MiB is refused having
// allocated a small multiple of MaxSessionSize: decompression stops there.
// (Uncapped, it allocates over 16 MiB; the bound leaves room for the race
// detector's own allocations, which pushed a run past 4 × MaxSessionSize.)
func TestZlibBombBounded(t *testing.T) {
	c := newCodec(t, flask.Config{MaxTokenSize: 1 << 20})
	payload := append([]byte(`{"a":"`), bytes.Repeat([]byte{'x'}, 16<<20)...)
	value, ok := flask.InternalSign(c, append(payload, `"}`...), true)
	if !ok {
		t.Fatal("bomb too large for the test's MaxTokenSize")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, _, err := c.Open(value)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, keyseal.ErrTooLarge) {
		t.Fatalf("Open: %v, want ErrTooLarge", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 16*flask.MaxSessionSize+uint64(len(value)) {
		t.Errorf("Open allocated %d bytes for a %d-character bomb", n, len(value))
	}
}

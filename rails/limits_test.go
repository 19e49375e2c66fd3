package rails_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/rails"
)

// A 1 MiB value is refused before anything is allocated for it.
func TestHostileMegabyte(t *testing.T) {
	c := newCodec(t, rails.Config{})
	huge := strings.Repeat("A", 1<<20)
	var err error
	if n := testing.AllocsPerRun(20, func() { _, _, err = c.Open(huge) }); n != 0 {
		t.Errorf("Open: %v allocations, want 0", n)
	}
	if !errors.Is(err, keyseal.ErrTooLarge) {
		t.Errorf("Open: %v, want ErrTooLarge", err)
	}
}

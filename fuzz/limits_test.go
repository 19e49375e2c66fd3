package fuzz

import (
	"errors"
	"strings"
	"testing"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

// A 1 MiB hostile input is refused before anything is allocated for it:
// memory stays bounded by the limits, whatever an attacker sends.
func TestHostileMegabyte(t *testing.T) {
	c := fixtureCodec(t, name)
	// A genuine token's first characters, so that its header parses.
	huge := validTokens()[0]
	huge += strings.Repeat("A", 1<<20-len(huge))
	var err error
	if n := testing.AllocsPerRun(50, func() { _, _, err = c.Open(huge) }); n != 0 {
		t.Errorf("Open: %v allocations, want 0", n)
	}
	if !errors.Is(err, keyseal.ErrTooLarge) {
		t.Errorf("Open: %v, want ErrTooLarge", err)
	}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(50, func() { buf, _, err = c.AppendOpen(buf[:0], huge) }); n != 0 {
		t.Errorf("AppendOpen: %v allocations, want 0", n)
	}
	if n := testing.AllocsPerRun(50, func() { _, err = codec.ParseHeader(huge) }); n != 0 {
		t.Errorf("ParseHeader: %v allocations, want 0", n)
	}
	if err != nil {
		t.Errorf("ParseHeader of 1 MiB: %v, want the (unverified) header", err)
	}
	file := []byte(`{"version":1,"keys":[` + strings.Repeat(" ", 1<<20) + `]}`)
	var allocs float64
	if allocs = testing.AllocsPerRun(10, func() { _, err = keyring.Parse(file) }); allocs > 8 {
		t.Errorf("keyring.Parse of a file over MaxFileSize: %v allocations, want only its error", allocs)
	}
	if !errors.Is(err, keyring.ErrTooLarge) {
		t.Errorf("keyring.Parse: %v, want ErrTooLarge", err)
	}
}

package testkit_test

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/keyseal/keyseal/internal/testkit"
)

// fatalRecorder is a testing.TB whose Fatalf records instead of stopping.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	if r.msg == "" {
		r.msg = fmt.Sprintf(format, args...)
	}
}

func TestChangeEachByte(t *testing.T) {
	var seen []string
	testkit.ChangeEachByte(t, "ab", "ax", func(tok string) error {
		seen = append(seen, tok)
		return errors.New("refused")
	})
	// "a" is skipped at index 0, where it already stands.
	if fmt.Sprint(seen) != "[xb aa ax]" {
		t.Errorf("opened %q", seen)
	}

	r := &fatalRecorder{TB: t}
	testkit.ChangeEachByte(r, "ab", "xy", func(tok string) error {
		if tok == "ay" {
			return nil
		}
		return errors.New("refused")
	})
	if want := `changing byte 1 ('b' to 'y') gives a token that opens`; r.msg != want {
		t.Errorf("reported %q, want %q", r.msg, want)
	}
}

func TestIsAny(t *testing.T) {
	wrapped := fmt.Errorf("context: %w", fs.ErrNotExist)
	if !testkit.IsAny(wrapped, fs.ErrExist, fs.ErrNotExist) {
		t.Error("a wrapped target is not found")
	}
	if testkit.IsAny(wrapped, fs.ErrExist) || testkit.IsAny(nil, fs.ErrExist) || testkit.IsAny(wrapped) {
		t.Error("IsAny holds for an error that is none of the targets")
	}
}

package testkit

import (
	"errors"
	"testing"
)

// ChangeEachByte replaces each byte of token in turn with each byte of with
// (skipping the byte already there) and fails the test at the first changed
// token that open accepts: no single-character edit of a genuine token may
// open. Choose with from the token's alphabet and separators, so that the
// edits reach authentication rather than stop at decoding.
func ChangeEachByte(t testing.TB, token, with string, open func(token string) error) {
	t.Helper()
	b := []byte(token)
	for i, orig := range b {
		for _, r := range []byte(with) {
			if r == orig {
				continue
			}
			b[i] = r
			if err := open(string(b)); err == nil {
				t.Fatalf("changing byte %d (%q to %q) gives a token that opens", i, orig, r)
			}
		}
		b[i] = orig
	}
}

// IsAny reports whether errors.Is(err, target) holds for one of targets:
// whether err is one of the sentinels an API promises.
func IsAny(err error, targets ...error) bool {
	for _, target := range targets {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

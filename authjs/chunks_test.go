package authjs_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/authjs"
	"github.com/keyseal/keyseal/internal/testkit"
)

// Join reads chunk names with the parser cookiesession's legacy reader
// uses, tested with the same table (testkit.ChunkNames): an index past
// the limit, however many digits, is too large; anything else not a chunk
// is another cookie.
func TestJoinChunkNames(t *testing.T) {
	now := t0
	c := newCodec(t, &now, secret)
	for _, tc := range testkit.ChunkNames {
		got, err := c.Join([]*http.Cookie{{Name: authjs.CookieName + tc.Suffix, Value: "x"}})
		var want error
		switch {
		case !tc.Chunk:
			want = http.ErrNoCookie
		case tc.Index < 0:
			want = keyseal.ErrTooLarge
		case tc.Index > 0:
			want = keyseal.ErrMalformed // chunk 0 is missing
		}
		if !errors.Is(err, want) || want == nil && got != "x" {
			t.Errorf("%q: %q, %v, want %v", tc.Suffix, got, err, want)
		}
	}
}

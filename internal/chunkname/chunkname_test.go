package chunkname_test

import (
	"testing"

	"github.com/keyseal/keyseal/internal/chunkname"
	"github.com/keyseal/keyseal/internal/testkit"
)

func TestIndex(t *testing.T) {
	for _, tc := range testkit.ChunkNames {
		i, ok := chunkname.Index("authjs.session-token"+tc.Suffix, "authjs.session-token", 16)
		if ok != tc.Chunk || ok && i != tc.Index {
			t.Errorf("%q: %d %v, want %d %v", tc.Suffix, i, ok, tc.Index, tc.Chunk)
		}
	}
	for _, name := range []string{"", "authjs", "other.0", "authjs.session-token"} {
		if _, ok := chunkname.Index(name, "authjs.session-token", 16); ok {
			t.Errorf("%q is a chunk", name)
		}
	}
}

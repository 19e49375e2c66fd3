package legacy_test

import (
	"testing"

	"github.com/gorilla/securecookie"

	"github.com/keyseal/keyseal/legacy"
)

func BenchmarkDecode(b *testing.B) {
	s := securecookie.New(hashKey, blockKey)
	value, err := s.Encode("session", map[any]any{"user": "alice", "id": 42})
	if err != nil {
		b.Fatal(err)
	}
	d := decoder(b, legacy.Config{})
	b.Run("gob-session", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := d.DecodeSession("session", value); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(value)), "cookie-bytes")
	})
	b.Run("securecookie-itself", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var m map[any]any
			if err := s.Decode("session", value, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

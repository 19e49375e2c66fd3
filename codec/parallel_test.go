package codec_test

import (
	"testing"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

// The Parallel benchmarks are BenchmarkSeal and BenchmarkOpen run from
// GOMAXPROCS goroutines at once on one shared Codec, as a server's
// handlers do: run them with -cpu 1,2 (or more) and compare ns/op across
// the -cpu values. keyseal shares its keyring snapshot and each key's
// usage counters between goroutines; the raw AEAD (one per goroutine,
// since its scratch buffer is not safe for concurrent use) shares
// nothing, so it is the scaling of a codec with no shared state.

const parallelSize = 256

// forEachParallel runs body in parallel for every algorithm and both
// implementations. prepare runs once per goroutine and returns its
// operation: raw is a fresh rawAEAD (nil for keyseal).
func forEachParallel(b *testing.B, prepare func(b *testing.B, c *codec.Codec, raw *rawAEAD, pt []byte) func() error) {
	for _, alg := range benchAlgs {
		ring, err := keyring.Generate(alg)
		if err != nil {
			b.Fatal(err)
		}
		c, err := codec.New(ring, "session", benchConfig)
		if err != nil {
			b.Fatal(err)
		}
		pt := payload(parallelSize)
		b.Run("alg="+alg.String(), func(b *testing.B) {
			for _, impl := range []string{"raw", "keyseal"} {
				b.Run("impl="+impl, func(b *testing.B) {
					b.SetBytes(parallelSize)
					b.ReportAllocs()
					b.RunParallel(func(pb *testing.PB) {
						var raw *rawAEAD
						if impl == "raw" {
							raw = newRawAEAD(alg, stdEncoding{})
						}
						op := prepare(b, c, raw, pt)
						for pb.Next() {
							if err := op(); err != nil {
								b.Error(err)
								return
							}
						}
					})
				})
			}
		})
	}
}

func BenchmarkSealParallel(b *testing.B) {
	forEachParallel(b, func(b *testing.B, c *codec.Codec, raw *rawAEAD, pt []byte) func() error {
		if raw != nil {
			return func() error { raw.seal(pt); return nil }
		}
		return func() error { _, err := c.Seal(pt); return err }
	})
}

func BenchmarkOpenParallel(b *testing.B) {
	forEachParallel(b, func(b *testing.B, c *codec.Codec, raw *rawAEAD, pt []byte) func() error {
		if raw != nil {
			tok := raw.seal(pt)
			return func() error { _, err := raw.open(tok); return err }
		}
		tok, err := c.Seal(pt)
		if err != nil {
			b.Error(err)
		}
		return func() error { _, _, err := c.Open(tok); return err }
	})
}

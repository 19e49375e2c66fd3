package jwe_test

import (
	"strconv"
	"strings"
	"testing"
)

func BenchmarkJWE(b *testing.B) {
	for _, enc := range []string{"A256GCM", "A256CBC-HS512"} {
		for _, size := range []int{64, 1024} {
			c, _, _ := newCodec(b, enc)
			claims := []byte(`{"sub":"user","data":"` + strings.Repeat("x", size) + `"}`)
			tok, err := c.Seal(claims)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(enc+"/seal/"+strconv.Itoa(size)+"B", func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(size))
				for b.Loop() {
					if _, err := c.Seal(claims); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(tok)), "token-bytes")
			})
			b.Run(enc+"/open/"+strconv.Itoa(size)+"B", func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(size))
				for b.Loop() {
					if _, _, err := c.Open(tok); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(tok)), "token-bytes")
			})
		}
	}
}

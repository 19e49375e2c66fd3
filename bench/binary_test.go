package bench

import (
	"encoding"
	"testing"
	"time"

	"github.com/gorilla/securecookie"

	"github.com/keyseal/keyseal/keyring"
)

// BinSession is what cookiesession looks for to skip encoding/json.
var (
	_ encoding.BinaryAppender    = (*BinSession)(nil)
	_ encoding.BinaryUnmarshaler = (*BinSession)(nil)
)

// BenchmarkBinaryRoundTrip is the goal of issue 19 for the binary path:
// a session type with its own binary form (BinSession, through the
// encoding.BinaryAppender and encoding.BinaryUnmarshaler methods
// cookiesession calls), sealed and opened by keyseal, against the same
// session through gorilla/securecookie with its JSON encoder. Both run in
// alternating batches in one benchmark, so that both see the same machine
// load; x-securecookie is securecookie's time over keyseal's (goal >= 5).
// keyseal-json-ns is keyseal with encoding/json, for scale. ns/op, B/op
// and allocs/op cover the three together (one round trip of each); the
// binary round trip allocates 3 times (the token, the one string of the
// fields, the roles), securecookie's JSON one 52.
func BenchmarkBinaryRoundTrip(b *testing.B) {
	c := newCodec(b, keyring.XChaCha20Poly1305)
	sc := newSecureCookie(securecookie.JSONEncoder{})
	json := withJSON("keyseal-json", keysealBytes(b, keyring.XChaCha20Poly1305))
	buf := make([]byte, 0, 256) // as cookiesession's pooled buffer
	binary := func() error {
		var err error
		in := BinSession(benchSession)
		if buf, err = in.AppendBinary(buf[:0]); err != nil {
			return err
		}
		tok, err := c.Seal(buf)
		if err != nil {
			return err
		}
		if buf, _, err = c.AppendOpen(buf[:0], tok); err != nil {
			return err
		}
		var out BinSession
		if err := out.UnmarshalBinary(buf); err != nil {
			return err
		}
		if out.SeenAt != benchSession.SeenAt || len(out.Roles) != len(benchSession.Roles) {
			b.Fatalf("binary round trip gave %+v", out)
		}
		return nil
	}
	secure := func() error {
		tok, err := sc.Encode(cookieName, &benchSession)
		if err != nil {
			return err
		}
		var out Session
		return sc.Decode(cookieName, tok, &out)
	}
	viaJSON := func() error {
		tok, err := json.encode(&benchSession)
		if err != nil {
			return err
		}
		var out Session
		return json.decode(tok, &out)
	}
	const batch = 32
	var times [3]time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; done += batch {
		for i, f := range []func() error{binary, secure, viaJSON} {
			t0 := time.Now()
			for range batch {
				if err := f(); err != nil {
					b.Fatal(err)
				}
			}
			times[i] += time.Since(t0)
		}
	}
	b.StopTimer()
	rounds := float64((b.N + batch - 1) / batch * batch)
	b.ReportMetric(float64(times[0].Nanoseconds())/rounds, "keyseal-binary-ns")
	b.ReportMetric(float64(times[1].Nanoseconds())/rounds, "securecookie-json-ns")
	b.ReportMetric(float64(times[2].Nanoseconds())/rounds, "keyseal-json-ns")
	b.ReportMetric(float64(times[1])/float64(times[0]), "x-securecookie")
}

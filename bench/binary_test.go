package bench

import (
	"encoding"
	"testing"
	"time"

	"github.com/gorilla/securecookie"

	"github.com/keyseal/keyseal/codec"
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
//
// Instruction counts, free of the machine's noise: build the test binary
// (CGO_ENABLED=0 go test -c), then run
//
//	GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind \
//	    --toggle-collect='*binaryRoundTrip' ./bench.test -test.run '^$' \
//	    -test.bench '^BenchmarkBinaryRoundTrip$' -test.benchtime 320x
//
// again with -test.benchtime 960x and with
// --toggle-collect='*secureCookieRoundTrip': the differences of the
// "Collected" totals, divided by 640, are one round trip of each.
func BenchmarkBinaryRoundTrip(b *testing.B) {
	c := newCodec(b, keyring.XChaCha20Poly1305)
	sc := newSecureCookie(securecookie.JSONEncoder{})
	json := withJSON("keyseal-json", keysealBytes(b, keyring.XChaCha20Poly1305))
	buf := make([]byte, 0, 256) // as cookiesession's pooled buffer
	binary := func() (err error) {
		buf, err = binaryRoundTrip(c, buf)
		return err
	}
	secure := func() error { return secureCookieRoundTrip(sc) }
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

// binaryRoundTrip seals and opens the benchmark session in its binary
// form, as cookiesession does, through buf. Not inlined, so that callgrind
// can count it (--toggle-collect='*binaryRoundTrip').
//
//go:noinline
func binaryRoundTrip(c *codec.Codec, buf []byte) ([]byte, error) {
	in := BinSession(benchSession)
	buf, err := in.AppendBinary(buf[:0])
	if err != nil {
		return buf, err
	}
	tok, err := c.Seal(buf)
	if err != nil {
		return buf, err
	}
	if buf, _, err = c.AppendOpen(buf[:0], tok); err != nil {
		return buf, err
	}
	var out BinSession
	if err := out.UnmarshalBinary(buf); err != nil {
		return buf, err
	}
	if out.SeenAt != benchSession.SeenAt || len(out.Roles) != len(benchSession.Roles) {
		return buf, errShort
	}
	return buf, nil
}

// secureCookieRoundTrip is the same with gorilla/securecookie's JSON
// encoder (--toggle-collect='*secureCookieRoundTrip').
//
//go:noinline
func secureCookieRoundTrip(sc *securecookie.SecureCookie) error {
	tok, err := sc.Encode(cookieName, &benchSession)
	if err != nil {
		return err
	}
	var out Session
	return sc.Decode(cookieName, tok, &out)
}

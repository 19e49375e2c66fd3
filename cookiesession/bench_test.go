package cookiesession_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// page is the session of the benchmarks: a counter and a payload of
// chosen size.
type page struct {
	Views int    `json:"v"`
	Data  string `json:"d"`
}

// sink is a ResponseWriter that keeps only headers.
type sink struct{ h http.Header }

func (s *sink) Header() http.Header         { return s.h }
func (s *sink) Write(b []byte) (int, error) { return len(b), nil }
func (s *sink) WriteHeader(int)             {}

var benchSizes = []int{16, 256, 2048}

// binPage is page with its own binary form, which skips JSON: the
// benchmarks with it measure the middleware rather than encoding/json.
type binPage page

func (p *binPage) AppendBinary(b []byte) ([]byte, error) {
	b = binary.AppendUvarint(b, uint64(p.Views))
	return append(b, p.Data...), nil
}

func (p *binPage) UnmarshalBinary(b []byte) error {
	v, n := binary.Uvarint(b)
	if n <= 0 {
		return errors.New("bad binPage")
	}
	p.Views, p.Data = int(v), string(b[n:])
	return nil
}

// BenchmarkMiddleware is the per-request cost of LoadAndSave around a
// handler that changes its session ("write": open the cookie, decode,
// encode, seal, write Set-Cookie) or only reads it ("read"). Compare
// "binary/write" with BenchmarkCodec, the codec's round trip alone on a
// plaintext of the same size; "json" adds encoding/json's cost.
func BenchmarkMiddleware(b *testing.B) {
	b.Run("untouched", benchUntouched)
	for _, n := range benchSizes {
		for _, write := range []bool{true, false} {
			mode := map[bool]string{true: "write", false: "read"}[write]
			b.Run(fmt.Sprintf("binary/%s/%dB", mode, n), func(b *testing.B) {
				benchMiddleware(b, n, write, func(v int, d string) binPage { return binPage{v, d} },
					func(p *binPage) *int { return &p.Views })
			})
			b.Run(fmt.Sprintf("json/%s/%dB", mode, n), func(b *testing.B) {
				benchMiddleware(b, n, write, func(v int, d string) page { return page{v, d} },
					func(p *page) *int { return &p.Views })
			})
		}
	}
}

// benchUntouched is the fixed cost of a request that never reaches its
// session: one allocation, which holds the request's shallow copy.
func benchUntouched(b *testing.B) {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	m, _ := cookiesession.New(ring, cookiesession.Config[page]{})
	h := m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	req := httptest.NewRequest("GET", "https://example.com/", nil)
	req.Header.Set("Cookie", m.Name()+"=whatever")
	w := &sink{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, req)
	}
	if len(w.h) != 0 {
		b.Fatalf("headers %v", w.h)
	}
}

// benchApp is a handler behind LoadAndSave and a request carrying a
// session cookie, for benchmarks.
type benchApp struct {
	ring  *keyring.Ring
	h     http.Handler
	req   *http.Request
	w     *sink
	token string // the session cookie's value
	size  int    // its Set-Cookie header's length
}

// newBenchApp builds a benchApp whose handler increments the session's
// counter (write) or only reads it, with a payload of n bytes. It runs on
// the real clock, as in production: the middleware and its codec each read
// it, and the codec round trip BenchmarkOverhead compares with reads it too.
func newBenchApp[T any](b *testing.B, n int, write bool, mk func(int, string) T, views func(*T) *int) *benchApp {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	m, err := cookiesession.New(ring, cookiesession.Config[T]{})
	if err != nil {
		b.Fatal(err)
	}
	a := &benchApp{ring: ring, w: &sink{h: http.Header{}}}
	var d T // one for all requests, so that reading allocates nothing here
	a.h = m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := m.Get(r.Context())
		if write {
			s.Update(func(p *T) { *views(p)++ })
		} else if d = s.Data(); *views(&d) != 1 {
			b.Fatal("session not loaded")
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	// The first request creates the cookie.
	a.req = httptest.NewRequest("GET", "https://example.com/", nil)
	m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.Get(r.Context()).Set(mk(1, strings.Repeat("x", n)))
	})).ServeHTTP(a.w, a.req)
	setCookie := a.w.h.Get("Set-Cookie")
	pair := setCookie[:strings.IndexByte(setCookie, ';')]
	a.token, a.size = pair[strings.IndexByte(pair, '=')+1:], len(setCookie)
	a.req.Header.Set("Cookie", "theme=dark; "+pair+"; lang=en")
	return a
}

// serve runs one request on a fresh header map.
func (a *benchApp) serve() {
	clear(a.w.h)
	a.handle()
}

// handle is the request alone, without the harness's header reset. It is
// not inlined so that callgrind can count its instructions
// (--toggle-collect='*benchApp*handle').
//
//go:noinline
func (a *benchApp) handle() {
	a.h.ServeHTTP(a.w, a.req)
}

func benchMiddleware[T any](b *testing.B, n int, write bool, mk func(int, string) T, views func(*T) *int) {
	a := newBenchApp(b, n, write, mk, views)
	b.ReportMetric(float64(a.size), "cookie-bytes")
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		a.serve()
	}
	if write && len(a.w.h["Set-Cookie"]) != 1 || !write && len(a.w.h["Set-Cookie"]) != 0 {
		b.Fatalf("Set-Cookie %q", a.w.h["Set-Cookie"])
	}
}

// BenchmarkOverhead runs a request that changes its session (binary
// form) and the codec's round trip on the same token, in alternating
// batches so that both see the same machine load, and reports the ratio
// as x-codec: the middleware's cost over the sealing it cannot avoid.
//
// Timings on a shared machine are noisy; instruction counts are not.
// scripts/mw-instr.sh prints them for every size; by hand, build the test
// binary (CGO_ENABLED=0 go test -c), then run
//
//	GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind \
//	    --toggle-collect='*benchApp*handle' ./cookiesession.test \
//	    -test.run '^$' -test.bench 'Overhead/16B$' -test.benchtime 12000x
//
// and again with -test.benchtime 4000x and with
// --toggle-collect='*codecRoundTrip': the differences of the "Collected"
// totals, divided by 8000, are the instructions of one request and of one
// codec round trip. (GOGC=off leaves out the collector, whose share grows
// with the bytes a request allocates; asyncpreemptoff keeps callgrind from
// tripping on preemption signals.)
func BenchmarkOverhead(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("%dB", n), func(b *testing.B) {
			a := newBenchApp(b, n, true, func(v int, d string) binPage { return binPage{v, d} },
				func(p *binPage) *int { return &p.Views })
			c, _ := codec.New(a.ring, cookiesession.DefaultName, codec.Config{MaxAge: cookiesession.DefaultAbsoluteLifetime})
			const batch = 64
			var mw, cd time.Duration
			b.ResetTimer()
			for done := 0; done < b.N; done += batch {
				t0 := time.Now()
				for range batch {
					a.serve()
				}
				t1 := time.Now()
				for range batch {
					if err := codecRoundTrip(c, a.token); err != nil {
						b.Fatal(err)
					}
				}
				mw, cd = mw+t1.Sub(t0), cd+time.Since(t1)
			}
			rounds := float64((b.N + batch - 1) / batch * batch)
			b.ReportMetric(float64(mw.Nanoseconds())/rounds, "middleware-ns")
			b.ReportMetric(float64(cd.Nanoseconds())/rounds, "codec-ns")
			b.ReportMetric(float64(mw)/float64(cd), "x-codec")
		})
	}
}

// codecRoundTrip is what the middleware's write path cannot avoid: open
// the token, seal its plaintext again. Not inlined, for callgrind
// (--toggle-collect='*codecRoundTrip').
//
//go:noinline
func codecRoundTrip(c *codec.Codec, token string) error {
	pt, meta, err := c.Open(token)
	if err != nil {
		return err
	}
	_, err = c.SealAt(pt, meta.IssuedAt, meta.IssuedAt.Add(time.Hour))
	return err
}

// BenchmarkCodec is the codec's round trip, Open then SealAt, on the
// plaintext BenchmarkMiddleware/write seals.
func BenchmarkCodec(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("%dB", n), func(b *testing.B) {
			ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
			c, _ := codec.New(ring, cookiesession.DefaultName, codec.Config{MaxAge: cookiesession.DefaultAbsoluteLifetime})
			pt := append([]byte{3, 0, 0, 1}, strings.Repeat("x", n)...) // as binPage

			token, err := c.Seal(pt)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(token)), "token-bytes")
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				pt, meta, err := c.Open(token)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := c.SealAt(pt, meta.IssuedAt, meta.IssuedAt.Add(time.Hour)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

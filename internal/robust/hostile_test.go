package robust_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

// iterations is 10⁶, or 10⁵ with -short; a tenth of that under the race
// detector, which would otherwise take minutes.
func iterations() int {
	n := 1_000_000
	if testing.Short() {
		n /= 10
	}
	if raceEnabled {
		n /= 10
	}
	return n
}

// openErrors are the sentinels Open may return; every failure must be one
// of them. (ErrLifetime is Seal's.)
var openErrors = []error{
	keyseal.ErrMalformed, keyseal.ErrAuth, keyseal.ErrUnknownKey, keyseal.ErrKeyRetired,
	keyseal.ErrExpired, keyseal.ErrNotYetValid, keyseal.ErrTooLarge, keyseal.ErrUnsupportedVersion,
}

var t0 = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

const cookie = "sid"

// fixture is an opening codec and a corpus of tokens that reach every
// outcome of Open: valid under each algorithm, compressed, expired, not yet
// valid, under a retired key, under an unknown key, for another name,
// compressed tokens that expand to the opener's limit and past it, and
// genuine tokens whose compressed payload is corrupt.
type fixture struct {
	open   *codec.Codec
	tokens []string
	plain  map[string]string // tokens that must open, to their plaintext
	forged []string          // genuine compressed tokens built by hand (see addForged)
	ids    []uint32
}

func newKey(t testing.TB, id uint32, alg keyring.Algorithm) *keyring.Key {
	t.Helper()
	k, err := keyring.NewKey(id, alg, secretFor(id), t0.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	x := newKey(t, 1, keyring.XChaCha20Poly1305)
	a := newKey(t, 2, keyring.AES256GCM)
	h := newKey(t, 3, keyring.HMACSHA256)
	old := newKey(t, 4, keyring.XChaCha20Poly1305)
	stranger := newKey(t, 5, keyring.AES256GCM)
	r, err := keyring.New(x, a, h, old)
	if err != nil {
		t.Fatal(err)
	}
	if r, err = r.Retire(old.ID()); err != nil {
		t.Fatal(err)
	}
	const limit = 1024
	f := &fixture{plain: map[string]string{}, ids: []uint32{1, 2, 3, 4, 5}}
	f.addForged(t, limit, x, a, h)
	f.open, err = codec.New(r, cookie, codec.Config{
		MaxDecompressedSize: limit,
		Clock:               func() time.Time { return t0 },
	})
	if err != nil {
		t.Fatal(err)
	}

	payloads := []string{"", "a", `{"uid":42,"email":"a@example.com","roles":["admin"],"csrf":"x"}`,
		strings.Repeat("session ", 60)}
	issued := t0.Add(-10 * time.Second)
	for _, k := range []*keyring.Key{x, a, h, old, stranger} {
		kr, err := keyring.New(k)
		if err != nil {
			t.Fatal(err)
		}
		for _, compress := range []bool{false, true} {
			for _, name := range []string{cookie, "other"} {
				s, err := codec.New(kr, name, codec.Config{Compress: compress, Clock: func() time.Time { return issued }})
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range payloads {
					tok, err := s.Seal([]byte(p))
					if err != nil {
						t.Fatal(err)
					}
					f.tokens = append(f.tokens, tok)
					if name == cookie && k != old && k != stranger {
						f.plain[tok] = p
					}
				}
				seal := func(p string, iat, exp time.Time) {
					tok, err := s.SealAt([]byte(p), iat, exp)
					if err != nil {
						t.Fatal(err)
					}
					f.tokens = append(f.tokens, tok)
				}
				seal("expired", t0.Add(-48*time.Hour), t0.Add(-24*time.Hour))
				seal("future", t0.Add(time.Hour), t0.Add(2*time.Hour))
				if compress {
					seal(strings.Repeat("z", 4096), issued, t0.Add(time.Hour)) // inflates past 1024
				}
			}
		}
	}
	return f
}

// hostile returns the i-th hostile token: random text, or a corpus token
// mutated in one of several ways, or (rarely) a corpus token unchanged.
func (f *fixture) hostile(r *rand.Rand, buf []byte) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	const odd = "=+/ \n\r.%\x00\xff"
	pick := f.tokens[r.IntN(len(f.tokens))]
	b64 := base64.RawURLEncoding
	switch r.IntN(10) {
	case 0: // random base64url text
		buf = buf[:0]
		for range r.IntN(400) {
			buf = append(buf, alphabet[r.IntN(len(alphabet))])
		}
	case 1: // random bytes
		buf = buf[:r.IntN(300)]
		for i := range buf {
			buf[i] = byte(r.Uint32())
		}
	case 2: // a few characters replaced, some outside the alphabet
		buf = append(buf[:0], pick...)
		for range 1 + r.IntN(4) {
			set := alphabet
			if r.IntN(8) == 0 {
				set = odd
			}
			buf[r.IntN(len(buf))] = set[r.IntN(len(set))]
		}
	case 3, 4: // bits flipped in the decoded token, re-encoded: reaches authentication
		raw, _ := b64.DecodeString(pick)
		for range 1 + r.IntN(3) {
			i := r.IntN(len(raw) * 8)
			raw[i/8] ^= 1 << (i % 8)
		}
		buf = b64.AppendEncode(buf[:0], raw)
	case 5: // truncated or extended
		n := r.IntN(len(pick) + 1)
		buf = append(buf[:0], pick[:n]...)
		if r.IntN(2) == 0 {
			for range r.IntN(40) {
				buf = append(buf, alphabet[r.IntN(len(alphabet))])
			}
		}
	case 6: // the header of one token on the body of another
		h, _ := b64.DecodeString(pick)
		body, _ := b64.DecodeString(f.tokens[r.IntN(len(f.tokens))])
		raw := append(h[:codec.HeaderSize:codec.HeaderSize], body[codec.HeaderSize:]...)
		buf = b64.AppendEncode(buf[:0], raw)
	case 7: // a forged header (known or random key, odd flags and times) on random bytes
		raw := make([]byte, codec.HeaderSize+r.IntN(300))
		for i := range raw {
			raw[i] = byte(r.Uint32())
		}
		raw[0] = []byte{1, 1, 1, 0, 2, 255}[r.IntN(6)]
		raw[1] = []byte{0, 0, 1, 2, 0x80}[r.IntN(5)]
		if r.IntN(4) != 0 {
			id := f.ids[r.IntN(len(f.ids))]
			raw[2], raw[3], raw[4], raw[5] = byte(id>>24), byte(id>>16), byte(id>>8), byte(id)
		}
		if r.IntN(2) == 0 { // plausible times around t0
			iat := uint64(t0.Unix()) - uint64(r.IntN(100))
			exp := iat + uint64(r.IntN(200000))
			for j := range 5 {
				raw[10-j] = byte(iat >> (8 * j))
				raw[15-j] = byte(exp >> (8 * j))
			}
		}
		buf = b64.AppendEncode(buf[:0], raw)
	case 8: // over the size limit
		buf = buf[:0]
		for range 4000 + r.IntN(1000) {
			buf = append(buf, alphabet[r.IntN(len(alphabet))])
		}
	case 9: // unchanged
		return pick
	}
	return string(buf)
}

// outcome opens a token, turning a panic into an error that names it.
func outcome(c *codec.Codec, tok string) (pt []byte, err error, panicked bool) {
	defer func() {
		if p := recover(); p != nil {
			err, panicked = fmt.Errorf("panic: %v", p), true
		}
	}()
	pt, _, err = c.Open(tok)
	return pt, err, false
}

func sentinel(err error, allowed []error) (error, bool) {
	for _, s := range allowed {
		if errors.Is(err, s) {
			return s, true
		}
	}
	return nil, false
}

// stats are one worker's results.
type stats struct {
	counts       map[error]int
	opened       int
	panics       int
	headerPanics int
	failures     []string // the first few problems, with the offending token
}

func (st *stats) fail(format string, args ...any) {
	if len(st.failures) < 5 {
		st.failures = append(st.failures, fmt.Sprintf(format, args...))
	}
}

// TestOpenHostileTokens opens 10⁶ random and mutated tokens, spread over
// the available cores (which also runs one Codec concurrently): none may
// panic, every failure must be a codec sentinel, and a token that opens
// must be an unaltered genuine one with its plaintext. ParseHeader gets the
// same inputs.
func TestOpenHostileTokens(t *testing.T) {
	f := newFixture(t)
	n := iterations()
	workers := max(1, min(runtime.GOMAXPROCS(0), 4))
	results := make([]stats, workers)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			// Fixed seeds make the mutations repeatable, but the corpus
			// has random nonces: a failure prints its token.
			r := rand.New(rand.NewPCG(1, uint64(w)))
			results[w] = f.run(r, n/workers+boolInt(w < n%workers))
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	total := stats{counts: map[error]int{}}
	for _, st := range results {
		for k, v := range st.counts {
			total.counts[k] += v
		}
		total.opened += st.opened
		total.panics += st.panics
		total.headerPanics += st.headerPanics
		for _, msg := range st.failures {
			t.Error(msg)
		}
	}
	t.Logf("%d hostile tokens in %v on %d goroutines (race detector: %v): %d panics, %d opened (all genuine), %d ParseHeader panics",
		n, elapsed.Round(time.Millisecond), workers, raceEnabled, total.panics, total.opened, total.headerPanics)
	sum := total.opened
	for _, s := range openErrors {
		t.Logf("  %-40q %7d", s.Error(), total.counts[s])
		sum += total.counts[s]
		if total.counts[s] == 0 {
			t.Errorf("no input produced %q: the corpus no longer reaches every outcome", s)
		}
	}
	if total.panics != 0 || total.headerPanics != 0 || total.opened == 0 || sum != n {
		t.Errorf("panics %d, ParseHeader panics %d, opened %d, outcomes %d of %d",
			total.panics, total.headerPanics, total.opened, sum, n)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// run opens n hostile tokens drawn from r and tallies the outcomes.
func (f *fixture) run(r *rand.Rand, n int) stats {
	st := stats{counts: map[error]int{}}
	buf := make([]byte, 0, 5000)
	for range n {
		tok := f.hostile(r, buf)
		pt, err, panicked := outcome(f.open, tok)
		switch {
		case panicked:
			st.panics++
			st.fail("Open(%q): %v", tok, err)
		case err == nil:
			st.opened++
			if want, ok := f.plain[tok]; !ok || string(pt) != want {
				st.fail("Open(%q) succeeded but it is not a genuine token (or its plaintext differs)", tok)
			}
		default:
			if s, ok := sentinel(err, openErrors); ok {
				st.counts[s]++
			} else {
				st.fail("Open(%q): error %q is not a codec sentinel", tok, err)
			}
		}
		if err := checkHeader(tok); err != nil {
			if strings.HasPrefix(err.Error(), "panic") {
				st.headerPanics++
			}
			st.fail("ParseHeader(%q): %v", tok, err)
		}
	}
	return st
}

// checkHeader runs ParseHeader on tok: it must not panic and may fail only
// with ErrMalformed or ErrUnsupportedVersion.
func checkHeader(tok string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	h, err := codec.ParseHeader(tok)
	if err != nil {
		if _, ok := sentinel(err, []error{keyseal.ErrMalformed, keyseal.ErrUnsupportedVersion}); !ok {
			return fmt.Errorf("error %q is not a sentinel", err)
		}
		return nil
	}
	if h.Version != codec.Version || h.Flags&^0x01 != 0 || !h.ExpiresAt.After(h.IssuedAt) {
		return fmt.Errorf("accepted an impossible header %+v", h)
	}
	return nil
}

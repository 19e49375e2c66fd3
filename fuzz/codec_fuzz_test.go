package fuzz

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

// seedToken seals pt under fixtureKeys[i] with the reference sealer, a
// fixed nonce, and times relative to the fixture's clock.
func seedToken(i int, n string, compress bool, iatOff, life int64, pt []byte) string {
	flags := byte(0)
	if compress {
		flags, pt = 0x01, refDeflate(pt)
	}
	iat := nowUnix + iatOff
	h := refHeader(codec.Version, flags, fixtureKeys[i].id, iat, iat+life)
	return refSeal(fixtureKeys[i], n, h, []byte{byte(i), 0xa5}, pt)
}

var seedPlain = []byte(`{"uid":42,"roles":["admin"],"csrf":"3q2+7w"}`)

// validTokens open under the fixture codec: one per usable key, plus a
// compressed one and an empty payload.
func validTokens() []string {
	return []string{
		seedToken(0, name, false, -10, 600, seedPlain),
		seedToken(1, name, false, -10, 600, seedPlain),
		seedToken(2, name, false, -10, 600, seedPlain),
		seedToken(0, name, true, -10, 600, bytes.Repeat(seedPlain, 4)),
		seedToken(1, name, false, 0, 1, nil),
	}
}

// invalidTokens cover every sentinel Open returns.
func invalidTokens() []string {
	ok := validTokens()[0]
	raw, _ := base64.RawURLEncoding.DecodeString(ok)
	v2 := append([]byte{2}, raw[1:]...)
	return []string{
		"",
		"not a token",
		ok + "=",
		ok[:40] + "\r\n" + ok[40:],
		strings.Repeat("A", maxToken+1),
		base64.RawURLEncoding.EncodeToString(v2),
		seedToken(0, otherName, false, -10, 600, seedPlain),   // ErrAuth
		seedToken(3, name, false, -10, 600, seedPlain),        // ErrKeyRetired
		seedToken(strangerIdx, name, false, -10, 600, nil),    // ErrUnknownKey
		seedToken(strangerIdx-1, name, false, -10, 600, nil),  // ErrUnknownKey (JWE key)
		seedToken(0, name, false, -7200, 600, seedPlain),      // ErrExpired
		seedToken(0, name, false, 3600, 600, seedPlain),       // ErrNotYetValid
		seedToken(0, name, true, -10, 600, make([]byte, 600)), // ErrTooLarge (decompressed)
	}
}

func openSeeds(testing.TB) [][]any {
	var s [][]any
	for _, tok := range append(validTokens(), invalidTokens()...) {
		s = append(s, []any{tok})
	}
	return s
}

// FuzzOpen: Open never panics, fails only with a sentinel, and agrees with
// the reference opener on every input.
func FuzzOpen(f *testing.F) {
	addSeeds(f, "FuzzOpen")
	c := fixtureCodec(f, name)
	f.Fuzz(func(t *testing.T, token string) {
		pt, m, err := c.Open(token)
		compareWithReference(t, token, pt, m, err)
	})
}

// compareWithReference checks the codec's answer to token against refOpen's.
func compareWithReference(t *testing.T, token string, pt []byte, m keyseal.Meta, err error) {
	t.Helper()
	want, wantErr := refOpen(token, name)
	if err != nil {
		got := sentinel(t, err, codecSentinels)
		if wantErr != got {
			t.Fatalf("codec: %v; reference: %v (token %q)", err, wantErr, token)
		}
		return
	}
	if wantErr != nil {
		t.Fatalf("codec opened a token the reference refuses with %v (token %q)", wantErr, token)
	}
	wantMeta := keyseal.Meta{
		KeyID:       want.keyID,
		IssuedAt:    time.Unix(want.iat, 0).UTC(),
		ExpiresAt:   time.Unix(want.exp, 0).UTC(),
		NeedsReseal: want.needsReseal,
		Compressed:  want.compressed,
	}
	if !bytes.Equal(pt, want.plaintext) || m != wantMeta {
		t.Fatalf("codec: %q %+v; reference: %q %+v", pt, m, want.plaintext, wantMeta)
	}
}

func headerSeeds(tb testing.TB) [][]any { return openSeeds(tb) }

// FuzzHeader: ParseHeader never panics, returns only ErrMalformed or
// ErrUnsupportedVersion, and agrees with Open on every token that opens.
func FuzzHeader(f *testing.F) {
	addSeeds(f, "FuzzHeader")
	c := fixtureCodec(f, name)
	f.Fuzz(func(t *testing.T, token string) {
		h, err := codec.ParseHeader(token)
		if err != nil {
			sentinel(t, err, []error{keyseal.ErrMalformed, keyseal.ErrUnsupportedVersion})
		} else if h.Version != codec.Version || h.Flags&^0x01 != 0 || !h.ExpiresAt.After(h.IssuedAt) {
			t.Fatalf("ParseHeader accepted %+v", h)
		}
		_, m, oerr := c.Open(token)
		if oerr != nil {
			return
		}
		if err != nil {
			t.Fatalf("Open accepts a token whose header does not parse: %v", err)
		}
		if h.KeyID != m.KeyID || !h.IssuedAt.Equal(m.IssuedAt) || !h.ExpiresAt.Equal(m.ExpiresAt) || h.Compressed() != m.Compressed {
			t.Fatalf("header %+v, Open's meta %+v", h, m)
		}
	})
}

func roundTripSeeds(testing.TB) [][]any {
	return [][]any{
		{[]byte(nil), "session", uint8(0), false, uint16(60)},
		{seedPlain, "__Host-session", uint8(1), true, uint16(3600)},
		{bytes.Repeat(seedPlain, 20), "s", uint8(2), true, uint16(1)},
		{[]byte{0, 1, 2, 255}, "", uint8(0), false, uint16(0)},
		{seedPlain, strings.Repeat("n", 256), uint8(1), false, uint16(10)},
	}
}

var roundTripAlgs = []keyring.Algorithm{keyring.XChaCha20Poly1305, keyring.AES256GCM, keyring.HMACSHA256}

// FuzzRoundTrip: for any plaintext, name, algorithm, compression and
// lifetime, Open(Seal(p)) is p with the expected metadata, and the token
// does not open under another name.
func FuzzRoundTrip(f *testing.F) {
	addSeeds(f, "FuzzRoundTrip")
	var rings []*keyring.Ring
	for _, alg := range roundTripAlgs {
		r, err := keyring.Generate(alg)
		if err != nil {
			f.Fatal(err)
		}
		rings = append(rings, r)
	}
	f.Fuzz(func(t *testing.T, pt []byte, n string, alg uint8, compress bool, ageSec uint16) {
		ring := rings[int(alg)%len(rings)]
		age := time.Duration(ageSec+1) * time.Second
		cfg := codec.Config{MaxAge: age, Compress: compress, Clock: func() time.Time { return now }}
		c, err := codec.New(ring, n, cfg)
		if n == "" || len(n) > codec.MaxNameSize {
			if err == nil {
				t.Fatalf("New accepted a name of %d bytes", len(n))
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		tok, err := c.Seal(pt)
		if errors.Is(err, keyseal.ErrTooLarge) {
			if len(pt) < 1024 {
				t.Fatalf("Seal of %d bytes: %v", len(pt), err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		got, m, err := c.Open(tok)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("Open(Seal(%q)) = %q, %v", pt, got, err)
		}
		want := keyseal.Meta{KeyID: ring.Primary(now).ID(), IssuedAt: now, ExpiresAt: now.Add(age), Compressed: m.Compressed}
		if m != want || (m.Compressed && !compress) {
			t.Fatalf("meta %+v, want %+v (compress %v)", m, want, compress)
		}
		other, err := codec.New(ring, n+"x", cfg)
		if err != nil && len(n) < codec.MaxNameSize {
			t.Fatal(err)
		}
		if other != nil {
			if _, _, err := other.Open(tok); !errors.Is(err, keyseal.ErrAuth) {
				t.Fatalf("token for %q opened under %q: %v", n, n+"x", err)
			}
		}
	})
}

func nonMalleableSeeds(testing.TB) [][]any {
	return [][]any{
		{uint8(0), uint16(0), uint8(0), byte('B')},
		{uint8(1), uint16(30), uint8(1), byte('A')},
		{uint8(2), uint16(50), uint8(2), byte(0)},
		{uint8(3), uint16(10), uint8(3), byte(0)},
		{uint8(0), uint16(5), uint8(4), byte(1)},
		{uint8(1), uint16(0), uint8(5), byte('A')},
		{uint8(2), uint16(70), uint8(4), byte(0x80)},
	}
}

// FuzzNonMalleable mutates valid tokens, as text and as decoded bytes: a
// mutant that still opens must be the original token.
func FuzzNonMalleable(f *testing.F) {
	addSeeds(f, "FuzzNonMalleable")
	c := fixtureCodec(f, name)
	valid := validTokens()
	f.Fuzz(func(t *testing.T, idx uint8, pos uint16, op uint8, b byte) {
		orig := valid[int(idx)%len(valid)]
		mut := mutate(orig, int(pos), op, b)
		pt, _, err := c.Open(mut)
		if err == nil && mut != orig {
			t.Fatalf("mutant %q of %q opened to %q", mut, orig, pt)
		}
		if err != nil {
			sentinel(t, err, codecSentinels)
		}
	})
}

// mutate applies one edit to tok: replace, insert or delete a character,
// truncate, XOR a byte of the decoded token, or append a character.
func mutate(tok string, pos int, op uint8, b byte) string {
	i := pos % (len(tok) + 1)
	switch op % 6 {
	case 0:
		if i == len(tok) {
			return tok
		}
		return tok[:i] + string(b) + tok[i+1:]
	case 1:
		return tok[:i] + string(b) + tok[i:]
	case 2:
		if i == len(tok) {
			return tok
		}
		return tok[:i] + tok[i+1:]
	case 3:
		return tok[:i]
	case 4:
		raw, _ := base64.RawURLEncoding.DecodeString(tok)
		raw[pos%len(raw)] ^= b
		return base64.RawURLEncoding.EncodeToString(raw)
	default:
		return tok + string(b)
	}
}

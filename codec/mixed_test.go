package codec_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

// swap is a keyring.Source whose ring a test replaces.
type swap struct{ ring *keyring.Ring }

func (s *swap) Current() *keyring.Ring { return s.ring }

// A ring that also holds an imported JWE key (which native tokens cannot
// use) keeps sealing and opening native tokens under its other keys.
func TestRingWithJWEKey(t *testing.T) {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	jweKey, err := keyring.NewKey(77, keyring.A256GCMDirect, make([]byte, keyring.SecretSize), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	mixed, err := ring.Import(jweKey)
	if err != nil {
		t.Fatal(err)
	}
	src := &swap{ring: ring}
	c, err := codec.New(src, "session", codec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.Seal([]byte("hi"))
	if err != nil {
		t.Fatal(err)
	}

	// The watched ring gains the JWE key: nothing breaks.
	src.ring = mixed
	if pt, _, err := c.Open(tok); err != nil || string(pt) != "hi" {
		t.Fatalf("Open after the ring gained a JWE key: %q %v", pt, err)
	}
	tok2, err := c.Seal([]byte("again"))
	if err != nil {
		t.Fatalf("Seal after the ring gained a JWE key: %v", err)
	}
	if _, err := codec.New(mixed, "session", codec.Config{}); err != nil {
		t.Fatalf("New with a JWE key in the ring: %v", err)
	}

	if hdr, err := codec.ParseHeader(tok2); err != nil || hdr.KeyID != ring.Primary(time.Now()).ID() {
		t.Fatalf("sealed under %+v (%v), want the native primary", hdr, err)
	}

	// With the JWE key as the primary, the codec cannot seal, says why,
	// and still opens what it sealed before. Opening never depends on
	// what the primary can seal: New accepts the ring (issue 15 item 7),
	// and a codec built on it opens tokens of the other keys.
	jwePrimary, err := mixed.Promote(77)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := codec.New(jwePrimary, "session", codec.Config{})
	if err != nil {
		t.Fatalf("New with a JWE primary: %v", err)
	}
	if pt, _, err := fresh.Open(tok2); err != nil || string(pt) != "again" {
		t.Fatalf("Open by a codec made with a JWE primary: %q %v", pt, err)
	}
	if _, err := fresh.Seal([]byte("x")); !errors.Is(err, keyseal.ErrPrimaryCannotSeal) || !strings.Contains(err.Error(), "cannot seal native tokens") {
		t.Fatalf("Seal by a codec made with a JWE primary: %v", err)
	}
	src.ring = jwePrimary
	if _, err := c.Seal([]byte("x")); !errors.Is(err, keyseal.ErrPrimaryCannotSeal) || !strings.Contains(err.Error(), "cannot seal native tokens") {
		t.Fatalf("Seal with a JWE primary: %v", err)
	}
	if pt, _, err := c.Open(tok2); err != nil || string(pt) != "again" {
		t.Fatalf("Open with a JWE primary: %q %v", pt, err)
	}
}

// A source that loses its ring makes Open and Seal fail with ErrNoKeyring,
// never a panic.
func TestSourceWithoutRing(t *testing.T) {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	src := &swap{ring: ring}
	c, err := codec.New(src, "session", codec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.Seal([]byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	// No ring, or the zero Ring, which has no keys and no primary.
	for _, r := range []*keyring.Ring{nil, {}} {
		src.ring = r
		if _, _, err := c.Open(tok); !errors.Is(err, keyseal.ErrNoKeyring) {
			t.Fatalf("Open with ring %v: %v", r, err)
		}
		if _, err := c.Seal([]byte("x")); !errors.Is(err, keyseal.ErrNoKeyring) {
			t.Fatalf("Seal with ring %v: %v", r, err)
		}
		if _, err := codec.New(src, "session", codec.Config{}); !errors.Is(err, keyseal.ErrNoKeyring) {
			t.Fatalf("New with ring %v: %v", r, err)
		}
	}
}

// A ring with no key native tokens can use at all (imported JWE keys
// only) is refused up front, with a sentinel that says so.
func TestRingWithoutNativeKey(t *testing.T) {
	jweKey, err := keyring.NewKey(77, keyring.A256GCMDirect, make([]byte, keyring.SecretSize), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ring, err := keyring.New(jweKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := codec.New(ring, "session", codec.Config{}); !errors.Is(err, keyseal.ErrNoUsableKey) {
		t.Fatalf("New with JWE keys only: %v, want ErrNoUsableKey", err)
	}
}

package codec_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

// A codec seals a session into a token and opens it again. The clock is
// fixed so that the times print the same on every run.
func Example() {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		log.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	c, err := codec.New(ring, "session", codec.Config{
		MaxAge: time.Hour,
		Clock:  func() time.Time { return now },
	})
	if err != nil {
		log.Fatal(err)
	}

	token, err := c.Seal([]byte(`{"user":"ada"}`))
	if err != nil {
		log.Fatal(err)
	}
	plaintext, meta, err := c.Open(token)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(plaintext))
	fmt.Println("issued", meta.IssuedAt, "expires", meta.ExpiresAt)
	fmt.Println(len(token), "characters, starting with", token[:2])
	// Output:
	// {"user":"ada"}
	// issued 2026-01-02 15:04:05 +0000 UTC expires 2026-01-02 16:04:05 +0000 UTC
	// 94 characters, starting with AQ
}

// Rotating keys without logging anyone out: add a key, promote it, re-seal
// tokens that ask for it, and retire the old key once no token needs it.
// In production a keyring.Watcher supplies each new ring to one codec; here
// each ring gets its own.
func Example_rotation() {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	old, _ := codec.New(ring, "session", codec.Config{})
	token, _ := old.Seal([]byte("user=ada"))

	// Add a key everywhere first, then promote it.
	ring, next, _ := ring.Add(keyring.XChaCha20Poly1305, time.Time{})
	ring, _ = ring.Promote(next.ID())
	c, _ := codec.New(ring, "session", codec.Config{})

	plaintext, meta, err := c.Open(token)
	fmt.Println(string(plaintext), err, "needs reseal:", meta.NeedsReseal)
	if meta.NeedsReseal {
		// Keep the original issue time: re-sealing does not extend a session.
		token, _ = c.SealAt(plaintext, meta.IssuedAt, meta.ExpiresAt)
	}
	_, meta, _ = c.Open(token)
	fmt.Println("sealed under the new key:", meta.KeyID == next.ID(), "needs reseal:", meta.NeedsReseal)

	// Retire the old key: tokens still sealed under it no longer open.
	stale, _ := old.Seal([]byte("user=bob"))
	for _, k := range ring.Keys() {
		if k.ID() != next.ID() {
			ring, _ = ring.Retire(k.ID())
		}
	}
	c, _ = codec.New(ring, "session", codec.Config{})
	_, _, err = c.Open(stale)
	fmt.Println(errors.Is(err, keyseal.ErrKeyRetired))
	// Output:
	// user=ada <nil> needs reseal: true
	// sealed under the new key: true needs reseal: false
	// true
}

// Open's errors are sentinels to test with errors.Is; none of them says
// which byte or key failed authentication.
func ExampleCodec_Open_errors() {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	now := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	c, _ := codec.New(ring, "session", codec.Config{MaxAge: time.Hour, Clock: func() time.Time { return now }})
	token, _ := c.Seal([]byte("user=ada"))
	later, _ := codec.New(ring, "session", codec.Config{Clock: func() time.Time { return now.Add(2 * time.Hour) }})
	other, _ := codec.New(ring, "csrf", codec.Config{Clock: func() time.Time { return now }})
	tampered := []byte(token)
	if tampered[50] == 'A' { // change one character in the ciphertext
		tampered[50] = 'B'
	} else {
		tampered[50] = 'A'
	}

	for _, try := range []struct {
		c     *codec.Codec
		token string
	}{
		{c, token},
		{c, string(tampered)},
		{c, "not a token"},
		{later, token},
		{other, token},
	} {
		_, _, err := try.c.Open(try.token)
		switch {
		case err == nil:
			fmt.Println("ok")
		case errors.Is(err, keyseal.ErrExpired), errors.Is(err, keyseal.ErrNotYetValid):
			fmt.Println("expired: start a new session")
		case errors.Is(err, keyseal.ErrAuth), errors.Is(err, keyseal.ErrMalformed):
			fmt.Println("tampered or garbage:", err)
		default:
			fmt.Println("other:", err)
		}
	}
	// Output:
	// ok
	// tampered or garbage: keyseal: token authentication failed
	// tampered or garbage: keyseal: malformed token
	// expired: start a new session
	// tampered or garbage: keyseal: token authentication failed
}

// ParseHeader reads a token's header without verifying it, for logs and
// debugging.
func ExampleParseHeader() {
	ring, _ := keyring.Generate(keyring.HMACSHA256)
	now := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	c, _ := codec.New(ring, "session", codec.Config{MaxAge: 30 * time.Minute, Clock: func() time.Time { return now }})
	token, _ := c.Seal([]byte("hello"))

	h, err := codec.ParseHeader(token)
	fmt.Println(h.Version, h.Compressed(), h.IssuedAt, h.ExpiresAt, err)
	fmt.Println(h.KeyID == ring.Primary(now).ID())
	// Output:
	// 1 false 2026-01-02 15:04:05 +0000 UTC 2026-01-02 15:34:05 +0000 UTC <nil>
	// true
}

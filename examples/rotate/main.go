// Command rotate walks through keyseal's core: it creates a keyring, seals a
// token, rotates the key, and shows that the old token still opens (and
// should be re-sealed), until the old key is retired.
//
//	go run ./examples/rotate
package main

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

func main() {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	check(err)
	old := ring.Primary(time.Now()).ID()
	fmt.Printf("new keyring, primary key %d\n", old)

	c, err := codec.New(ring, "session", codec.Config{})
	check(err)
	token, err := c.Seal([]byte(`{"user":"ada"}`))
	check(err)
	fmt.Printf("sealed %d-character token under key %d\n", len(token), old)

	// Rotation, phase 1 and 2: add a key everywhere, then promote it.
	ring, next, err := ring.Add(keyring.XChaCha20Poly1305, time.Time{})
	check(err)
	ring, err = ring.Promote(next.ID())
	check(err)
	c, err = codec.New(ring, "session", codec.Config{})
	check(err)
	fmt.Printf("rotated: primary key is now %d\n", next.ID())

	plain, meta, err := c.Open(token)
	check(err)
	fmt.Printf("old token still opens: %s (key %d, needs re-seal: %v)\n", plain, meta.KeyID, meta.NeedsReseal)
	resealed, err := c.SealAt(plain, meta.IssuedAt, meta.ExpiresAt)
	check(err)

	// Phase 3: retire the old key once no token sealed under it can be live.
	ring, err = ring.Retire(old)
	check(err)
	c, err = codec.New(ring, "session", codec.Config{})
	check(err)
	_, _, err = c.Open(token)
	fmt.Printf("after retiring key %d, the old token is refused: %v (errors.Is ErrKeyRetired: %v)\n",
		old, err, errors.Is(err, keyseal.ErrKeyRetired))
	plain, meta, err = c.Open(resealed)
	check(err)
	fmt.Printf("the re-sealed token opens under key %d: %s\n", meta.KeyID, plain)
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

package main

import (
	"fmt"
	"log"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

func main() {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		log.Fatal(err)
	}
	c, err := codec.New(ring, "session", codec.Config{})
	if err != nil {
		log.Fatal(err)
	}
	token, err := c.Seal([]byte(`{"user":"ada"}`))
	if err != nil {
		log.Fatal(err)
	}
	plain, meta, err := c.Open(token)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s sealed under key %d, expires %s\n", plain, meta.KeyID, meta.ExpiresAt)
}

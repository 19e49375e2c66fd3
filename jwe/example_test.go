package jwe_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/jwe"
	"github.com/keyseal/keyseal/keyring"
)

func Example() {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	c, _ := jwe.New(ring, jwe.Config{MaxAge: time.Hour})
	token, _ := c.Seal([]byte(`{"sub":"alice"}`))

	raw, _, err := c.Open(token)
	if err != nil {
		fmt.Println(err)
		return
	}
	var claims struct {
		Sub string `json:"sub"`
	}
	if err := json.Unmarshal(raw, &claims); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(claims.Sub)

	later, _ := jwe.New(ring, jwe.Config{MaxAge: time.Hour, Clock: func() time.Time { return time.Now().Add(2 * time.Hour) }})
	_, _, err = later.Open(token)
	fmt.Println(errors.Is(err, keyseal.ErrExpired))
	// Output:
	// alice
	// true
}

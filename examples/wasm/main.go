// Command wasm seals and opens a token inside a WebAssembly module, the way
// an edge function would: the keyring comes from the environment variable
// KEYSEAL_KEYRING (the keyring file's JSON), since an edge runtime has no
// file to watch. It builds for GOOS=js and GOOS=wasip1 (and runs natively).
//
//	GOOS=js GOARCH=wasm go build -o seal.wasm ./examples/wasm
//	KEYSEAL_KEYRING="$(cat keyring.json)" go_js_wasm_exec seal.wasm
//
//	GOOS=wasip1 GOARCH=wasm go build -o seal.wasm ./examples/wasm
//	wazero run -env KEYSEAL_KEYRING="$(cat keyring.json)" seal.wasm
//
// See docs/edge.md.
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "wasm example:", err)
		os.Exit(1)
	}
}

func run() error {
	ring, err := keyring.FromEnv("") // KEYSEAL_KEYRING
	if err != nil {
		return err
	}
	c, err := codec.New(ring, "session", codec.Config{})
	if err != nil {
		return err
	}
	token, err := c.Seal([]byte(`{"user":"ada"}`))
	if err != nil {
		return err
	}
	plain, meta, err := c.Open(token)
	if err != nil {
		return err
	}
	fmt.Printf("%s/%s: sealed %d characters under key %d, opened %s\n",
		runtime.GOOS, runtime.GOARCH, len(token), meta.KeyID, plain)

	// A tampered token is refused with a sentinel the caller can test.
	b := []byte(token)
	b[len(b)/2] ^= 'A' ^ 'B'
	if b[len(b)/2] == token[len(token)/2] {
		b[len(b)/2] = 'C'
	}
	if _, _, err := c.Open(string(b)); errors.Is(err, keyseal.ErrAuth) || errors.Is(err, keyseal.ErrMalformed) {
		fmt.Println("tampered token refused:", err)
	} else {
		return fmt.Errorf("tampered token: got %v", err)
	}
	return nil
}

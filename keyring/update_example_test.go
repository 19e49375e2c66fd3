package keyring_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// Update adds a key to a keyring file under the file's lock, so that it
// does not overwrite a change another process (the keyseal command, an
// admin page) makes at the same time.
func ExampleUpdate() {
	dir, err := os.MkdirTemp("", "keyring-update")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "keyring.json")

	// A missing file reaches the change as a nil ring: create it.
	_, err = keyring.Update(path, func(r *keyring.Ring) (*keyring.Ring, error) {
		if r != nil {
			return nil, fmt.Errorf("%s exists", path)
		}
		return keyring.Generate(keyring.XChaCha20Poly1305)
	})
	if err != nil {
		log.Fatal(err)
	}

	var added *keyring.Key
	r, err := keyring.Update(path, func(r *keyring.Ring) (*keyring.Ring, error) {
		nr, k, err := r.Add(keyring.XChaCha20Poly1305, time.Time{})
		added = k
		return nr, err
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Len(), "keys; the new one is", added.State())
	// Output: 2 keys; the new one is active
}

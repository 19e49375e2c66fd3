package keyring_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// Rotation in three steps: add a key and deploy the ring everywhere,
// promote the key, and retire the old one once no token sealed under it can
// still be alive. Every step returns a new ring; the old one is unchanged.
func Example_rotation() {
	show := func(step string, r *keyring.Ring) {
		var s []string
		for _, k := range r.Keys() {
			s = append(s, k.State().String())
		}
		fmt.Printf("%-9s %s\n", step+":", strings.Join(s, ", "))
	}

	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		log.Fatal(err)
	}
	old := ring.Primary(time.Now())
	show("generate", ring)

	ring, next, err := ring.Add(keyring.XChaCha20Poly1305, time.Time{})
	if err != nil {
		log.Fatal(err)
	}
	show("add", ring)

	ring, err = ring.Promote(next.ID())
	if err != nil {
		log.Fatal(err)
	}
	show("promote", ring)

	_, err = ring.Retire(next.ID())
	fmt.Println("retire the primary:", errors.Is(err, keyring.ErrRetirePrimary))

	ring, err = ring.Retire(old.ID())
	if err != nil {
		log.Fatal(err)
	}
	show("retire", ring)

	ring, err = ring.Remove(old.ID())
	if err != nil {
		log.Fatal(err)
	}
	show("remove", ring)
	fmt.Println("the key from the first ring is still", old.State())
	// Output:
	// generate: primary
	// add:      primary, active
	// promote:  active, primary
	// retire the primary: true
	// retire:   retired, primary
	// remove:   primary
	// the key from the first ring is still primary
}

// A key added with an activation time becomes the primary at that time,
// without another change of the ring: deploy the ring now, and every
// instance switches at the same moment, each already holding the key.
func ExampleRing_Add_scheduled() {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		log.Fatal(err)
	}
	now := time.Now()
	ring, next, err := ring.Add(keyring.XChaCha20Poly1305, now.Add(time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("primary now:", ring.Primary(now).ID() == next.ID())
	fmt.Println("primary in an hour:", ring.Primary(now.Add(time.Hour)).ID() == next.ID())

	settled := ring.Settle(now.Add(2 * time.Hour))
	k, _ := settled.Key(next.ID())
	fmt.Println("stored state after settling:", k.State())
	// Output:
	// primary now: false
	// primary in an hour: true
	// stored state after settling: primary
}

// The keyring file format, written by MarshalFile and read by Parse. The
// secret here is a made-up example; real ones come from Generate or Add.
func ExampleMarshalFile() {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	key, err := keyring.NewKey(1234, keyring.XChaCha20Poly1305, []byte("an example secret of 32 bytes!!!"), created)
	if err != nil {
		log.Fatal(err)
	}
	ring, err := keyring.New(key)
	if err != nil {
		log.Fatal(err)
	}
	data, err := keyring.MarshalFile(ring)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(data))

	back, err := keyring.Parse(data)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(back) // secrets never print
	// Output:
	// {
	//   "version": 1,
	//   "keys": [
	//     {
	//       "id": 1234,
	//       "algorithm": "xchacha20poly1305",
	//       "state": "primary",
	//       "secret": "YW4gZXhhbXBsZSBzZWNyZXQgb2YgMzIgYnl0ZXMhISE=",
	//       "created": "2026-01-02T03:04:05Z"
	//     }
	//   ]
	// }
	// keyring.Ring[keyring.Key{id=1234 alg=xchacha20poly1305 state=primary secret=REDACTED}]
}

// WriteFile replaces a keyring file atomically with one only its owner can
// read; errors name the key at fault and never a secret.
func ExampleWriteFile() {
	dir, err := os.MkdirTemp("", "keyring-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "keyring.json")

	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		log.Fatal(err)
	}
	if err := keyring.WriteFile(path, ring); err != nil {
		log.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fi.Mode())

	back, err := keyring.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(back.Len(), "key, primary", back.Primary(time.Now()).ID() == ring.Primary(time.Now()).ID())

	_, err = keyring.Parse([]byte(`{"version": 1, "keys": [{"id": 7, "algorithm": "xchacha20poly1305",
		"state": "primary", "secret": "c2hvcnQ=", "created": "2026-01-02T03:04:05Z"}]}`))
	var ke *keyring.KeyError
	fmt.Println(errors.Is(err, keyring.ErrSecretLength), errors.As(err, &ke) && ke.ID == 7)
	fmt.Println(err)
	// Output:
	// -rw-------
	// 1 key, primary true
	// true true
	// keyring: key 7: secret must be 32 bytes: the secret holds 5 bytes
}

// A Watcher follows a keyring file and is a Source: a codec built on it
// (codec.New(w, "session", codec.Config{})) always uses the latest good
// ring. A broken file is reported and the last good ring stays in use.
func ExampleWatch() {
	dir, err := os.MkdirTemp("", "keyring-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "keyring.json")
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		log.Fatal(err)
	}
	if err := keyring.WriteFile(path, ring); err != nil {
		log.Fatal(err)
	}

	w, err := keyring.Watch(path, keyring.WatchConfig{
		// Leave Interval zero (one second) in real use; this example
		// polls rarely and calls Reload to read the file at once.
		Interval: time.Hour,
		OnReload: func(r *keyring.Ring) { fmt.Println("reloaded:", r.Len(), "keys") },
		OnError: func(err error) {
			fmt.Println("kept the last good keyring:", errors.Is(err, keyring.ErrNoPrimary))
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()

	// Another process rotates the key.
	ring, next, err := ring.Add(keyring.XChaCha20Poly1305, time.Time{})
	if err != nil {
		log.Fatal(err)
	}
	if ring, err = ring.Promote(next.ID()); err != nil {
		log.Fatal(err)
	}
	if err := keyring.WriteFile(path, ring); err != nil {
		log.Fatal(err)
	}
	w.Reload()
	fmt.Println("new primary:", w.Current().Primary(time.Now()).ID() == next.ID())

	// Someone writes a keyring without a primary.
	if err := os.WriteFile(path, []byte(`{"version": 1, "keys": []}`), 0o600); err != nil {
		log.Fatal(err)
	}
	w.Reload()
	fmt.Println("still", w.Current().Len(), "keys")
	// Output:
	// reloaded: 2 keys
	// new primary: true
	// kept the last good keyring: true
	// still 2 keys
}

// FromEnv reads a keyring file held in an environment variable, by
// default KEYSEAL_KEYRING.
func ExampleFromEnv() {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		log.Fatal(err)
	}
	data, err := keyring.MarshalFile(ring)
	if err != nil {
		log.Fatal(err)
	}
	os.Setenv("EXAMPLE_KEYRING", string(data))
	defer os.Unsetenv("EXAMPLE_KEYRING")

	fromEnv, err := keyring.FromEnv("EXAMPLE_KEYRING")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fromEnv.Primary(time.Now()).Fingerprint() == ring.Primary(time.Now()).Fingerprint())

	_, err = keyring.FromEnv("EXAMPLE_UNSET")
	fmt.Println(errors.Is(err, keyring.ErrNoSource))
	// Output:
	// true
	// true
}

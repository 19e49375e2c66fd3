package robust_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

// TestNoRepeatedNonce seals 10⁶ tokens under one XChaCha20-Poly1305 key
// and as many under AES-256-GCM, and checks that no two carry the
// same nonce. With random nonces a repeat here would mean a broken random
// source or a nonce not drawn per seal, not bad luck: the chance is about
// 2⁻¹⁵³ for 192-bit nonces and 2⁻⁵⁷ for 96-bit ones.
func TestNoRepeatedNonce(t *testing.T) {
	n := iterations()
	t.Run("xchacha20poly1305", func(t *testing.T) {
		checkNonces(t, keyring.XChaCha20Poly1305, 24, n)
	})
	t.Run("aes256gcm", func(t *testing.T) {
		checkNonces(t, keyring.AES256GCM, 12, n)
	})
}

func checkNonces(t *testing.T, alg keyring.Algorithm, size, n int) {
	r, err := keyring.New(newKey(t, 7, alg))
	if err != nil {
		t.Fatal(err)
	}
	c, err := codec.New(r, cookie, codec.Config{Clock: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	// Seal from several goroutines at once, as a server does; each writes
	// its nonces to its own part of one array.
	workers := max(1, min(runtime.GOMAXPROCS(0), 4))
	nonces := make([]byte, n*size)
	errs := make([]error, workers)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Go(func() {
			var tok, raw []byte
			var err error
			pt := []byte("same plaintext every time")
			for i := lo; i < hi; i++ {
				if tok, err = c.AppendSeal(tok[:0], pt); err != nil {
					errs[w] = err
					return
				}
				if raw, err = base64.RawURLEncoding.AppendDecode(raw[:0], tok); err != nil {
					errs[w] = err
					return
				}
				copy(nonces[i*size:], raw[codec.HeaderSize:codec.HeaderSize+size])
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	sealed := time.Since(start)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	at := func(i int) []byte { return nonces[i*size : (i+1)*size] }
	slices.SortFunc(idx, func(a, b int) int { return bytes.Compare(at(a), at(b)) })
	repeats := 0
	for i := 1; i < n; i++ {
		if bytes.Equal(at(idx[i-1]), at(idx[i])) {
			repeats++
		}
	}
	t.Logf("%v: %d seals in %v on %d goroutines, %d distinct %d-byte nonces, %d repeats (checked in %v)",
		alg, n, sealed.Round(time.Millisecond), workers, n-repeats, size, repeats, (time.Since(start) - sealed).Round(time.Millisecond))
	if repeats != 0 {
		t.Errorf("%d repeated nonces in %d seals", repeats, n)
	}
}

package keyring_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/keyseal/keyseal/internal/derive"
	"github.com/keyseal/keyseal/keyring"
)

func TestDeriveUsesDeriveKey(t *testing.T) {
	secret := bytes.Repeat([]byte{7}, keyring.SecretSize)
	k, err := keyring.NewKey(1, keyring.AES256GCM, secret, time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 32, 255 * 32} {
		want, err := derive.Key(secret, nil, derive.Info(keyring.AES256GCM.String(), "token"), n)
		if err != nil {
			t.Fatal(err)
		}
		if got := k.Derive("token", n); !bytes.Equal(got, want) {
			t.Errorf("Derive(token, %d) differs from DeriveKey", n)
		}
	}
}

func TestDeriveKeyRefusesLengths(t *testing.T) {
	for _, n := range []int{-1, 0, 255*32 + 1} {
		if out, err := derive.Key(make([]byte, 32), nil, "x", n); err == nil || out != nil {
			t.Errorf("DeriveKey(length %d) = %d bytes, %v; want an error", n, len(out), err)
		}
	}
}

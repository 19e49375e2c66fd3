package keyring_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/keyseal/keyseal/keyring"
)

func TestFromEnv(t *testing.T) {
	r := richRing(t)
	data, _ := keyring.MarshalFile(r)

	t.Setenv(keyring.EnvVar, string(data))
	got, err := keyring.FromEnv("")
	if err != nil {
		t.Fatal(err)
	}
	if snapshot(t, got) != snapshot(t, r) {
		t.Error("FromEnv(\"\") gave another ring than $KEYSEAL_KEYRING holds")
	}
	if keyring.EnvVar != "KEYSEAL_KEYRING" {
		t.Errorf("EnvVar = %q", keyring.EnvVar)
	}

	t.Setenv("APP_KEYS", string(data))
	if got, err := keyring.FromEnv("APP_KEYS"); err != nil || snapshot(t, got) != snapshot(t, r) {
		t.Errorf("FromEnv(APP_KEYS): %v", err)
	}

	t.Setenv("APP_KEYS", `{"version": 1, "keys": []}`)
	_, err = keyring.FromEnv("APP_KEYS")
	var fe *keyring.FileError
	if !errors.Is(err, keyring.ErrNoPrimary) || !errors.As(err, &fe) || fe.Path != "$APP_KEYS" {
		t.Errorf("FromEnv(invalid) error %v", err)
	}

	t.Setenv("APP_KEYS", "")
	if _, err := keyring.FromEnv("APP_KEYS"); !errors.Is(err, keyring.ErrNoSource) {
		t.Errorf("FromEnv(empty) error %v, want ErrNoSource", err)
	}
	t.Setenv(keyring.EnvVar, "")
	os.Unsetenv(keyring.EnvVar) // t.Setenv restores it after the test
	_, err = keyring.FromEnv("")
	if !errors.Is(err, keyring.ErrNoSource) || !strings.Contains(err.Error(), keyring.EnvVar) {
		t.Errorf("FromEnv with $%s unset: %v, want ErrNoSource naming it", keyring.EnvVar, err)
	}
}

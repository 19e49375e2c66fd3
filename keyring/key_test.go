package keyring_test

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/keyseal/keyseal/internal/derive"
	"github.com/keyseal/keyseal/internal/testkit"
	"github.com/keyseal/keyseal/keyring"
)

func TestDerive(t *testing.T) {
	k := testkit.Key(t, keyring.XChaCha20Poly1305, 5)
	if got := derive.Info(keyring.XChaCha20Poly1305.String(), "token"); got != "keyseal/v1 xchacha20poly1305 token" {
		t.Fatalf("DeriveInfo = %q", got)
	}
	want, err := hkdf.Key(sha256.New, testkit.Secret(5), nil, "keyseal/v1 xchacha20poly1305 token", 32)
	if err != nil {
		t.Fatal(err)
	}
	if got := k.Derive("token", 32); !bytes.Equal(got, want) {
		t.Fatalf("Derive = %x, want HKDF-SHA256 %x", got, want)
	}
	if !bytes.Equal(k.Derive("token", 32), k.Derive("token", 32)) {
		t.Fatal("Derive is not deterministic")
	}

	// One secret never keys two purposes or two algorithms.
	seen := map[string]string{}
	for _, alg := range algorithms {
		ka := testkit.Key(t, alg, 5) // same secret, another algorithm
		for _, purpose := range []string{"token", "cookie", "fingerprint"} {
			sub := hex.EncodeToString(ka.Derive(purpose, 32))
			name := alg.String() + "/" + purpose
			if prev, ok := seen[sub]; ok {
				t.Errorf("%s and %s derive the same subkey", prev, name)
			}
			seen[sub] = name
		}
	}
	if n := len(k.Derive("x", 255*32)); n != 255*32 {
		t.Errorf("Derive(255*32) gave %d bytes", n)
	}
	for _, c := range []struct {
		purpose string
		n       int
	}{{"", 32}, {"x", 0}, {"x", -1}, {"x", 255*32 + 1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Derive(%q, %d) did not panic", c.purpose, c.n)
				}
			}()
			k.Derive(c.purpose, c.n)
		}()
	}
}

func TestFingerprint(t *testing.T) {
	a := testkit.Key(t, keyring.DefaultAlgorithm, 1)
	a2 := testkit.Key(t, keyring.DefaultAlgorithm, 1)
	b := testkit.Key(t, keyring.DefaultAlgorithm, 2)
	fp := a.Fingerprint()
	if len(fp) != 16 {
		t.Fatalf("Fingerprint %q, want 16 hex digits", fp)
	}
	if _, err := hex.DecodeString(fp); err != nil {
		t.Fatalf("Fingerprint %q is not hex", fp)
	}
	if fp != a2.Fingerprint() || fp == b.Fingerprint() {
		t.Error("a fingerprint must follow the secret")
	}
	if fp != hex.EncodeToString(a.Derive("fingerprint", 8)) {
		t.Error("Fingerprint is not 8 bytes of the \"fingerprint\" subkey")
	}
	if info := a.Info(); info.Fingerprint != fp || info.ID != 1 || info.ActivateAt != nil {
		t.Errorf("Info = %+v", info)
	}
}

func TestNames(t *testing.T) {
	for _, alg := range algorithms {
		got, err := keyring.ParseAlgorithm(alg.String())
		if err != nil || got != alg || !alg.Valid() {
			t.Errorf("ParseAlgorithm(%q) = %v, %v", alg, got, err)
		}
		text, err := alg.MarshalText()
		var back keyring.Algorithm
		if err != nil || back.UnmarshalText(text) != nil || back != alg {
			t.Errorf("%v does not round-trip as text", alg)
		}
	}
	if keyring.DefaultAlgorithm != keyring.XChaCha20Poly1305 {
		t.Error("the default algorithm must be XChaCha20-Poly1305")
	}
	for _, name := range []string{"", "XChaCha20Poly1305", "aes128gcm", "hmacsha256 "} {
		if _, err := keyring.ParseAlgorithm(name); !errors.Is(err, keyring.ErrUnknownAlgorithm) {
			t.Errorf("ParseAlgorithm(%q) error %v", name, err)
		}
	}
	if _, err := keyring.Algorithm(9).MarshalText(); !errors.Is(err, keyring.ErrUnknownAlgorithm) {
		t.Errorf("Algorithm(9).MarshalText error %v", err)
	}
	if s := keyring.Algorithm(9).String(); s != "Algorithm(9)" {
		t.Errorf("Algorithm(9).String() = %q", s)
	}
	for _, st := range []keyring.State{keyring.Primary, keyring.Active, keyring.Retired} {
		got, err := keyring.ParseState(st.String())
		if err != nil || got != st {
			t.Errorf("ParseState(%q) = %v, %v", st, got, err)
		}
		text, err := st.MarshalText()
		var back keyring.State
		if err != nil || back.UnmarshalText(text) != nil || back != st {
			t.Errorf("%v does not round-trip as text", st)
		}
	}
	if _, err := keyring.ParseState("disabled"); !errors.Is(err, keyring.ErrUnknownState) {
		t.Errorf("ParseState(disabled) error %v", err)
	}
	if _, err := keyring.State(0).MarshalText(); !errors.Is(err, keyring.ErrUnknownState) {
		t.Errorf("State(0).MarshalText error %v", err)
	}
}

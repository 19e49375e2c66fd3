package josetest_test

import (
	"bytes"
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/keyseal/keyseal/internal/testkit/josetest"
)

func TestDirect(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	tok := josetest.Direct(t, key, jose.A256GCM, "k1", &jose.EncrypterOptions{Compression: jose.DEFLATE}, `{"sub":"x"}`)
	obj, err := jose.ParseEncryptedCompact(tok, []jose.KeyAlgorithm{jose.DIRECT}, []jose.ContentEncryption{jose.A256GCM})
	if err != nil {
		t.Fatal(err)
	}
	if obj.Header.KeyID != "k1" || obj.Header.Algorithm != "dir" {
		t.Errorf("header %+v", obj.Header)
	}
	pt, err := obj.Decrypt(key)
	if err != nil || string(pt) != `{"sub":"x"}` {
		t.Errorf("Decrypt = %q, %v", pt, err)
	}
}

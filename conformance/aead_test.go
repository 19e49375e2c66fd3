package conformance_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/keyseal/keyseal/internal/primitive"
	"github.com/keyseal/keyseal/keyring"
)

// aeadVector is a Wycheproof AeadTest case.
type aeadVector struct {
	vector
	Key string `json:"key"`
	IV  string `json:"iv"`
	AAD string `json:"aad"`
	Msg string `json:"msg"`
	CT  string `json:"ct"`
	Tag string `json:"tag"`
}

func TestXChaCha20Poly1305(t *testing.T) {
	runAEAD(t, "xchacha20_poly1305_test.json", keyring.XChaCha20Poly1305)
}

func TestAESGCM(t *testing.T) {
	runAEAD(t, "aes_gcm_test.json", keyring.AES256GCM)
}

// runAEAD runs a file of AEAD vectors through primitive.NewAEAD, the function
// codecs build their ciphers with. Keyseal uses 256-bit keys, 128-bit tags
// and the algorithm's own nonce size (192 bits for XChaCha20-Poly1305, 96
// for AES-GCM). Vectors with other key or tag sizes are counted as skipped,
// after checking that NewAEAD refuses their key when its size differs.
// Valid vectors with another nonce size are skipped too; invalid ones are
// counted apart: a token's nonce has the algorithm's size by construction,
// so such a nonce cannot reach the cipher.
func runAEAD(t *testing.T, name string, alg keyring.Algorithm) {
	f := load[aeadVector](t, name)
	var c tally
	for _, g := range f.TestGroups {
		for _, v := range g.Tests {
			key := unhex(t, v.TcID, v.Key)
			if g.KeySize != 256 {
				if _, err := primitive.NewAEAD(alg, key); err == nil {
					t.Errorf("tcId %d: NewAEAD accepted a %d-bit key", v.TcID, g.KeySize)
				}
				c.skip(fmt.Sprintf("%d-bit key (refused by NewAEAD)", g.KeySize))
				continue
			}
			if g.TagSize != 128 {
				c.skip(fmt.Sprintf("%d-bit tag", g.TagSize))
				continue
			}
			a, err := primitive.NewAEAD(alg, key)
			if err != nil {
				t.Fatalf("tcId %d: NewAEAD: %v", v.TcID, err)
			}
			iv := unhex(t, v.TcID, v.IV)
			if len(iv) != a.NonceSize() {
				if v.Result == "invalid" {
					c.size++
				} else {
					c.skip("valid, nonce not 8*NonceSize bits")
				}
				continue
			}
			aad := unhex(t, v.TcID, v.AAD)
			msg := unhex(t, v.TcID, v.Msg)
			sealed := append(unhex(t, v.TcID, v.CT), unhex(t, v.TcID, v.Tag)...)
			switch v.Result {
			case "valid":
				if got := a.Seal(nil, iv, msg, aad); !bytes.Equal(got, sealed) {
					t.Errorf("tcId %d (%s): Seal output differs", v.TcID, v.Comment)
					continue
				}
				got, err := a.Open(nil, iv, sealed, aad)
				if err != nil || !bytes.Equal(got, msg) {
					t.Errorf("tcId %d (%s): Open = %v", v.TcID, v.Comment, err)
					continue
				}
				c.pass++
			case "invalid":
				if got, err := a.Open(nil, iv, sealed, aad); err == nil || got != nil {
					t.Errorf("tcId %d (%s, %v): invalid ciphertext opened", v.TcID, v.Comment, v.Flags)
					continue
				}
				c.rejected++
			default:
				t.Errorf("tcId %d: unexpected result %q", v.TcID, v.Result)
			}
		}
	}
	c.report(t, name, f.NumberOfTests, true)
}

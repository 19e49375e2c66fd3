package conformance_test

import (
	"bytes"
	"crypto/hmac"
	"fmt"
	"testing"

	"github.com/keyseal/keyseal/internal/derive"
	"github.com/keyseal/keyseal/internal/primitive"
	"github.com/keyseal/keyseal/keyring"
)

// hkdfVector is a Wycheproof HkdfTest case.
type hkdfVector struct {
	vector
	IKM  string `json:"ikm"`
	Salt string `json:"salt"`
	Info string `json:"info"`
	Size int    `json:"size"`
	OKM  string `json:"okm"`
}

// TestHKDFSHA256 runs the HKDF-SHA256 vectors through derive.Key,
// the computation behind keyring.Key.Derive (which uses it with a nil
// salt). Invalid vectors ask for more than 255*32 bytes and must be
// refused.
func TestHKDFSHA256(t *testing.T) {
	const name = "hkdf_sha256_test.json"
	f := load[hkdfVector](t, name)
	var c tally
	for _, g := range f.TestGroups {
		for _, v := range g.Tests {
			ikm := unhex(t, v.TcID, v.IKM)
			salt := unhex(t, v.TcID, v.Salt)
			info := string(unhex(t, v.TcID, v.Info))
			got, err := derive.Key(ikm, salt, info, v.Size)
			switch v.Result {
			case "valid":
				if err != nil || !bytes.Equal(got, unhex(t, v.TcID, v.OKM)) {
					t.Errorf("tcId %d (%s): DeriveKey = %x, %v", v.TcID, v.Comment, got, err)
					continue
				}
				c.pass++
			case "invalid":
				if err == nil || got != nil {
					t.Errorf("tcId %d (%s, size %d): DeriveKey did not refuse", v.TcID, v.Comment, v.Size)
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

// macVector is a Wycheproof MacTest case.
type macVector struct {
	vector
	Key string `json:"key"`
	Msg string `json:"msg"`
	Tag string `json:"tag"`
}

// TestHMACSHA256 runs the HMAC-SHA256 vectors through primitive.NewMAC, the
// function codecs build their signed-only MACs with, and compares tags as
// Codec.Open does (hmac.Equal over the full tag). Keyseal never truncates
// tags: vectors with 128-bit tags are counted as skipped. Every key size is
// run, although tokens use 256-bit subkeys.
func TestHMACSHA256(t *testing.T) {
	const name = "hmac_sha256_test.json"
	f := load[macVector](t, name)
	var c tally
	for _, g := range f.TestGroups {
		for _, v := range g.Tests {
			if g.TagSize != 256 {
				c.skip(fmt.Sprintf("%d-bit truncated tag", g.TagSize))
				continue
			}
			m, err := primitive.NewMAC(keyring.HMACSHA256, unhex(t, v.TcID, v.Key))
			if err != nil {
				t.Fatalf("tcId %d: NewMAC: %v", v.TcID, err)
			}
			m.Write(unhex(t, v.TcID, v.Msg))
			ok := hmac.Equal(m.Sum(nil), unhex(t, v.TcID, v.Tag))
			switch {
			case v.Result == "valid" && ok:
				c.pass++
			case v.Result == "invalid" && !ok:
				c.rejected++
			default:
				t.Errorf("tcId %d (%s, %v): result %s, tag matched: %v", v.TcID, v.Comment, v.Flags, v.Result, ok)
			}
		}
	}
	c.report(t, name, f.NumberOfTests, true)
}

package fuzz

import (
	"encoding/base64"
	"testing"
)

func differentialSeeds(testing.TB) [][]any {
	type seed struct {
		pt          []byte
		key         uint8
		flags       uint8
		iatOff      int32
		life        int32
		foreignName bool
		mutPos      uint16
		mutXor      uint8
	}
	seeds := []seed{
		{pt: seedPlain, key: 0, iatOff: -10, life: 600},
		{pt: seedPlain, key: 1, iatOff: -10, life: 600},
		{pt: seedPlain, key: 2, iatOff: -10, life: 600},
		{pt: seedPlain, key: 3, iatOff: -10, life: 600},                    // retired
		{pt: seedPlain, key: 4, iatOff: -10, life: 600},                    // JWE key
		{pt: seedPlain, key: 5, iatOff: -10, life: 600},                    // unknown
		{pt: seedPlain, key: 0, iatOff: -10, life: 600, foreignName: true}, // wrong name
		{pt: seedPlain, key: 0, iatOff: -10, life: 600, mutPos: 3, mutXor: 1},
		{pt: seedPlain, key: 2, iatOff: -10, life: 600, mutPos: 40, mutXor: 0x80},
		{pt: seedPlain, key: 0, flags: 1, iatOff: -10, life: 600},    // compressed
		{pt: seedPlain, key: 1, flags: 0x81, iatOff: -10, life: 600}, // compressed, raw body
		{pt: seedPlain, key: 0, flags: 2, iatOff: -10, life: 600},    // unknown flag
		{pt: seedPlain, key: 0, iatOff: 31, life: 600},               // not yet valid
		{pt: seedPlain, key: 0, iatOff: -3630, life: 7200},           // past MaxAge
		{pt: seedPlain, key: 0, iatOff: -100, life: 70},              // expired
		{pt: seedPlain, key: 0, iatOff: 0, life: 0},                  // exp == iat
		{pt: make([]byte, 700), key: 1, iatOff: 0, life: 60},         // too long
		{pt: make([]byte, 513), key: 2, flags: 1, iatOff: 0, life: 60},
	}
	var out [][]any
	for _, s := range seeds {
		out = append(out, []any{s.pt, s.key, s.flags, s.iatOff, s.life, s.foreignName, s.mutPos, s.mutXor})
	}
	return out
}

// FuzzDifferential builds tokens with the reference sealer from fuzzed
// fields (any key, including retired and unknown ones; any flags and times;
// the wrong name; compressed or not, valid DEFLATE or not; one byte
// flipped), and checks that the codec and the reference opener agree on
// every one: same plaintext and metadata, or the same sentinel error.
func FuzzDifferential(f *testing.F) {
	addSeeds(f, "FuzzDifferential")
	c := fixtureCodec(f, name)
	f.Fuzz(func(t *testing.T, pt []byte, key, flags uint8, iatOff, life int32, foreignName bool, mutPos uint16, mutXor uint8) {
		k := fixtureKeys[int(key)%len(fixtureKeys)]
		n := name
		if foreignName {
			n = otherName
		}
		// Flag bit 7 is not a format flag: it asks for a compressed flag
		// over an uncompressed body.
		fl := flags &^ 0x80
		body := pt
		if fl&1 != 0 && flags&0x80 == 0 {
			body = refDeflate(pt)
		}
		iat := nowUnix + int64(iatOff)
		h := refHeader(1, fl, k.id, iat, iat+int64(life))
		tok := refSeal(k, n, h, []byte{flags, key}, body)
		if mutXor != 0 {
			raw, _ := base64.RawURLEncoding.DecodeString(tok)
			raw[int(mutPos)%len(raw)] ^= mutXor
			tok = base64.RawURLEncoding.EncodeToString(raw)
		}
		got, m, err := c.Open(tok)
		compareWithReference(t, tok, got, m, err)
	})
}

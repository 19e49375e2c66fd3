package codec

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/primitive"
	"github.com/keyseal/keyseal/internal/testkit/vectors"
	"github.com/keyseal/keyseal/keyring"
)

// The deterministic generator of testdata/vectors. Secrets, nonces and
// times are fixed; the only input that is not pinned here is the output of
// compress/flate, which the compressed vectors record (see TestVectors).

// Fixed times of the vectors: a token issued at vecIAT, expiring an hour
// later, opened ten seconds after its issue.
const (
	vecIAT = 1780000000 // 2026-05-28T20:26:40Z
	vecEXP = vecIAT + 3600
	vecNow = vecIAT + 10
)

// Key IDs of the vectors. vecUnknown is in no ring.
const (
	vecX, vecX2 uint32 = 0x11223344, 0x01020304 // XChaCha20-Poly1305
	vecG, vecG2 uint32 = 0x55667788, 0x05060708 // AES-256-GCM
	vecH, vecH2 uint32 = 0x99aabbcc, 0x090a0b0c // HMAC-SHA256
	vecUnknown  uint32 = 0xdeadbeef
)

// vecDefaults are the options of Config's zero value, spelled out.
var vecDefaults = vectors.Config{
	MaxAge: 86400, Leeway: 60, MaxTokenSize: keyseal.DefaultMaxTokenSize,
	MaxDecompressedSize: DefaultMaxDecompressedSize,
}

// vecShort is an 11-byte plaintext: with any algorithm its token's raw
// length is 1 modulo 3, so the last base64 character carries 4 unused bits.
var vecShort = []byte(`{"uid":420}`)

// vecText returns n bytes of compressible text.
func vecText(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, `{"item":%d,"role":"reader"},`, i%97)
	}
	return b.Bytes()[:n]
}

type vecAlg struct {
	alg        keyring.Algorithm
	id, second uint32
	nonce      int
}

var vecAlgs = []vecAlg{
	{keyring.XChaCha20Poly1305, vecX, vecX2, 24},
	{keyring.AES256GCM, vecG, vecG2, 12},
	{keyring.HMACSHA256, vecH, vecH2, 0},
}

// generator builds vectors, failing its test on any error.
type generator struct{ tb testing.TB }

// base returns a vector case with a one-key ring and default options.
func (g generator) base(desc string, a vecAlg) vectors.Case {
	return vectors.Case{
		Description: desc,
		Keys:        []vectors.Key{newVectorKey(a.id, a.alg, keyring.Primary)},
		Name:        "session",
		Config:      vecDefaults,
		Now:         vecNow,
	}
}

// seal seals pt in the setting of v, at the given times, with a nonce
// derived from the description, and returns the positive vector.
func (g generator) seal(v vectors.Case, a vecAlg, iat, exp int64, pt []byte) vectors.Positive {
	g.tb.Helper()
	sum := sha256.Sum256([]byte("keyseal test vector nonce " + v.Description))
	nonce := sum[:a.nonce]
	c := vectorCodec(g.tb, v, nonce)
	tok, err := c.SealAt(pt, time.Unix(iat, 0), time.Unix(exp, 0))
	if err != nil {
		g.tb.Fatalf("%s: SealAt: %v", v.Description, err)
	}
	v.Token = tok
	_, m, err := c.Open(tok)
	if err != nil {
		g.tb.Fatalf("%s: Open: %v", v.Description, err)
	}
	payload := pt
	if m.Compressed {
		payload, _ = deflate(nil, pt)
	}
	return vectors.Positive{
		Case: v, IssuedAt: iat, ExpiresAt: exp, KeyID: m.KeyID,
		Nonce: hex.EncodeToString(nonce), Plaintext: hex.EncodeToString(pt),
		Compressed: m.Compressed, Payload: hex.EncodeToString(payload),
		NeedsReseal: m.NeedsReseal,
	}
}

// positives returns the positive vectors of one algorithm.
func (g generator) positives(a vecAlg) []vectors.Positive {
	named := func(desc string) vectors.Case { return g.base(a.alg.String()+": "+desc, a) }
	var out []vectors.Positive
	add := func(v vectors.Case, iat, exp int64, pt []byte) {
		out = append(out, g.seal(v, a, iat, exp, pt))
	}
	add(named("empty plaintext"), vecIAT, vecEXP, nil)
	add(named("11-byte plaintext"), vecIAT, vecEXP, vecShort)

	v := named("3 KiB plaintext, uncompressed")
	v.Config.MaxTokenSize = 4300
	add(v, vecIAT, vecEXP, vecText(3072))

	v = named("3 KiB plaintext, compressed")
	v.Config.Compress = true
	add(v, vecIAT, vecEXP, vecText(3072))

	v = named("compression on, 11-byte plaintext stored uncompressed")
	v.Config.Compress = true
	add(v, vecIAT, vecEXP, vecShort)

	v = named("name __Host-sid, two keys in the ring")
	v.Name = "__Host-sid"
	v.Keys = append(v.Keys, newVectorKey(a.second, a.alg, keyring.Active))
	add(v, vecIAT, vecEXP, vecShort)

	v = named("opened at the last second before expiry plus leeway")
	v.Now = vecEXP + 59
	add(v, vecIAT, vecEXP, vecShort)

	v = named("opened at issue time minus leeway")
	v.Now = vecIAT - 60
	add(v, vecIAT, vecEXP, vecShort)

	v = named("opened under MaxAge 1800 s, 1 s before its end plus leeway")
	v.Config.MaxAge = 1800
	v.Now = vecIAT + 1800 + 59
	add(v, vecIAT, vecIAT+1800, vecShort)
	return out
}

// rawEdit decodes tok, applies f to its raw bytes, and re-encodes it.
func (g generator) rawEdit(tok string, f func(raw []byte) []byte) string {
	g.tb.Helper()
	raw, err := b64.DecodeString(tok)
	if err != nil {
		g.tb.Fatalf("decoding a vector token: %v", err)
	}
	return b64.EncodeToString(f(raw))
}

// forgeCompressed seals payload as a compressed token under the first key of
// v (an AEAD key) exactly as Seal would, but without compressing it first:
// a genuine token whose payload need not be valid DEFLATE.
func (g generator) forgeCompressed(v vectors.Case, nonce, payload []byte) string {
	g.tb.Helper()
	k := v.Keys[0]
	alg, _ := keyring.ParseAlgorithm(k.Alg)
	sub, _ := hex.DecodeString(k.Subkey)
	aead, err := primitive.NewAEAD(alg, sub)
	if err != nil {
		g.tb.Fatal(err)
	}
	header := appendHeader(nil, flagCompressed, k.ID, vecIAT, vecEXP)
	aad := append(append([]byte{byte(len(v.Name))}, v.Name...), header...)
	raw := append(append(header, nonce...), aead.Seal(nil, nonce, payload, aad)...)
	return b64.EncodeToString(raw)
}

// negatives returns a vector for every error Open returns, built from
// positive vectors and edits of their tokens.
func (g generator) negatives(pos map[string]vectors.Positive) []vectors.Negative {
	var out []vectors.Negative
	add := func(from vectors.Case, desc, tok, err string, edit ...func(*vectors.Case)) {
		v := from
		v.Description, v.Token = desc, tok
		v.Keys = append([]vectors.Key(nil), from.Keys...)
		for _, e := range edit {
			e(&v)
		}
		out = append(out, vectors.Negative{Case: v, Error: err})
	}
	x := pos["xchacha20poly1305: 11-byte plaintext"]
	xc, xt := x.Case, x.Token
	edit := func(f func(raw []byte) []byte) string { return g.rawEdit(xt, f) }
	setByte := func(i int, b byte) string {
		return edit(func(r []byte) []byte { r[i] = b; return r })
	}
	flip := func(i int, bit uint) string {
		return edit(func(r []byte) []byte { r[i] ^= 1 << bit; return r })
	}

	// Shape, before anything else.
	add(xc, "empty token", "", "malformed")
	add(xc, "one character", "A", "malformed")
	add(xc, "length 1 modulo 4", xt[:len(xt)-1], "malformed")
	add(xc, "42 characters: shorter than any header and tag", xt[:42], "malformed")
	add(xc, "valid header, known key, shorter than nonce and tag",
		edit(func(r []byte) []byte { return r[:HeaderSize+30] }), "malformed")
	add(xc, "character '+' outside the alphabet", xt[:30]+"+"+xt[31:], "malformed")
	add(xc, "character '/' outside the alphabet", xt[:30]+"/"+xt[31:], "malformed")
	add(xc, "padding '=='", xt+"==", "malformed")
	add(xc, "padding '=' replacing the last character", xt[:len(xt)-1]+"=", "malformed")
	add(xc, "CR LF inside", xt[:40]+"\r\n"+xt[40:], "malformed")
	add(xc, "LF at the end", xt+"\n", "malformed")
	add(xc, "space inside", xt[:40]+" "+xt[40:], "malformed")
	last := strings.IndexByte(b64Alphabet, xt[len(xt)-1])
	add(xc, "non-zero trailing bits in the last character",
		xt[:len(xt)-1]+string(b64Alphabet[last|1]), "malformed")
	add(xc, "unknown flag 0x02", setByte(1, 0x02), "malformed")
	add(xc, "unknown flag 0x80", setByte(1, 0x80), "malformed")
	setExp := func(exp int64) string {
		return edit(func(r []byte) []byte { copy(r[11:16], appendUint40(nil, uint64(exp))); return r })
	}
	add(xc, "expiry equal to the issue time", setExp(vecIAT), "malformed")
	add(xc, "expiry before the issue time", setExp(vecIAT-1), "malformed")
	add(xc, "version 0", setByte(0, 0), "unsupported_version")
	add(xc, "version 2", setByte(0, 2), "unsupported_version")
	add(xc, "version 2 with unknown flags: the version is checked first", edit(func(r []byte) []byte {
		r[0], r[1] = 2, 0xff
		return r
	}), "unsupported_version")

	// Size, checked on the length alone.
	big := pos["xchacha20poly1305: 3 KiB plaintext, uncompressed"]
	add(big.Case, "longer than max_token_size", big.Token, "too_large",
		func(v *vectors.Case) { v.Config.MaxTokenSize = len(big.Token) - 1 })
	add(big.Case, "longer than max_token_size and not base64: size is checked first",
		big.Token[:100]+"!"+big.Token[101:], "too_large",
		func(v *vectors.Case) { v.Config.MaxTokenSize = keyseal.DefaultMaxTokenSize })

	// Key lookup, before authentication.
	add(xc, "key ID in no ring", edit(func(r []byte) []byte {
		r[2], r[3], r[4], r[5] = 0xde, 0xad, 0xbe, 0xef
		return r
	}), "unknown_key")
	add(xc, "key removed from the ring, tag corrupt: lookup precedes authentication",
		flip(len(g.raw(xt))-1, 0), "unknown_key", func(v *vectors.Case) {
			v.Keys = []vectors.Key{newVectorKey(vecX2, keyring.XChaCha20Poly1305, keyring.Primary)}
		})

	// Authentication.
	add(xc, "bit 0 of the issue time flipped", flip(10, 0), "auth")
	add(xc, "expiry one second later", flip(15, 0), "auth") // vecEXP is even
	add(xc, "compressed flag set on an uncompressed token", setByte(1, flagCompressed), "auth")
	add(xc, "bit flipped in the nonce", flip(HeaderSize+5, 3), "auth")
	add(xc, "bit flipped in the ciphertext", flip(HeaderSize+24+2, 7), "auth")
	add(xc, "bit flipped in the tag", flip(len(g.raw(xt))-1, 7), "auth")
	add(xc, "tag truncated by one byte", edit(func(r []byte) []byte { return r[:len(r)-1] }), "auth")
	add(xc, "opened under another name", xt, "auth", func(v *vectors.Case) { v.Name = "sessions" })
	add(xc, "key ID relabelled to another key of the ring", edit(func(r []byte) []byte {
		r[2], r[3], r[4], r[5] = 0x01, 0x02, 0x03, 0x04
		return r
	}), "auth", func(v *vectors.Case) {
		v.Keys = append(v.Keys, newVectorKey(vecX2, keyring.XChaCha20Poly1305, keyring.Active))
	})
	for _, a := range vecAlgs[1:] {
		p := pos[a.alg.String()+": 11-byte plaintext"]
		n := len(g.raw(p.Token))
		add(p.Case, a.alg.String()+": bit flipped in the payload",
			g.rawEdit(p.Token, func(r []byte) []byte { r[HeaderSize+a.nonce] ^= 1; return r }), "auth")
		add(p.Case, a.alg.String()+": tag truncated by one byte",
			g.rawEdit(p.Token, func(r []byte) []byte { return r[:n-1] }), "auth")
		add(p.Case, a.alg.String()+": opened under another name", p.Token, "auth",
			func(v *vectors.Case) { v.Name = "Session" })
	}

	// Decided after authentication.
	retire := func(v *vectors.Case) {
		v.Keys = []vectors.Key{
			newVectorKey(vecX2, keyring.XChaCha20Poly1305, keyring.Primary),
			newVectorKey(vecX, keyring.XChaCha20Poly1305, keyring.Retired),
		}
	}
	add(xc, "key retired", xt, "key_retired", retire)
	add(xc, "key retired, bit flipped: authentication precedes the retired check",
		flip(HeaderSize+24+2, 0), "auth", retire)
	add(xc, "expired: opened at expiry plus leeway", xt, "expired", func(v *vectors.Case) { v.Now = vecEXP + 60 })
	add(xc, "expired with no leeway: opened at expiry", xt, "expired", func(v *vectors.Case) {
		v.Now, v.Config.Leeway = vecEXP, 0
	})
	add(xc, "expired and tampered: times are checked after authentication", flip(HeaderSize+24+2, 0), "auth",
		func(v *vectors.Case) { v.Now = vecEXP + 3600 })
	add(xc, "not yet valid: opened 1 s before issue time minus leeway", xt, "not_yet_valid",
		func(v *vectors.Case) { v.Now = vecIAT - 61 })
	add(xc, "not yet valid with no leeway: opened 1 s before issue", xt, "not_yet_valid",
		func(v *vectors.Case) { v.Now, v.Config.Leeway = vecIAT-1, 0 })
	add(xc, "MaxAge 1800 s exceeded though the token's expiry is later", xt, "expired",
		func(v *vectors.Case) { v.Now, v.Config.MaxAge = vecIAT+1800+60, 1800 })

	// Decompression, last.
	bomb := g.base("bomb", vecAlgs[0])
	bomb.Config.Compress, bomb.Config.MaxDecompressedSize = true, 1<<20
	bombTok := g.seal(bomb, vecAlgs[0], vecIAT, vecEXP, make([]byte, 100_000)).Token
	add(bomb, "compressed payload over max_decompressed_size", bombTok, "too_large",
		func(v *vectors.Case) { v.Config.MaxDecompressedSize = DefaultMaxDecompressedSize })
	nonce := bytes.Repeat([]byte{0x42}, 24)
	add(xc, "compressed flag, genuine payload that is not DEFLATE",
		g.forgeCompressed(xc, nonce, []byte("not deflate at all")), "malformed")
	z, _ := deflate(nil, vecText(1000))
	add(xc, "compressed flag, genuine truncated DEFLATE stream",
		g.forgeCompressed(xc, nonce, z[:len(z)/2]), "malformed")
	return out
}

func (g generator) raw(tok string) []byte {
	g.tb.Helper()
	raw, err := b64.DecodeString(tok)
	if err != nil {
		g.tb.Fatal(err)
	}
	return raw
}

// b64 is the standard library's strict base64url, so that the vectors do
// not depend on the codec's own encoder.
var b64 = base64.RawURLEncoding.Strict()

const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// generate returns the content of every vector file, by file name.
func (g generator) generate() map[string]vectors.File {
	files := make(map[string]vectors.File)
	pos := make(map[string]vectors.Positive)
	for _, a := range vecAlgs {
		ps := g.positives(a)
		for _, p := range ps {
			pos[p.Description] = p
		}
		files[a.alg.String()+".json"] = vectors.File{
			Comment: "Tokens of keyseal format v1 under " + a.alg.String() +
				" that open. See FORMAT.md, section Test vectors.",
			Version: Version, Positive: ps,
		}
	}
	files["negative.json"] = vectors.File{
		Comment: "Tokens of keyseal format v1 that do not open, with the error each gives. " +
			"See FORMAT.md, section Test vectors.",
		Version: Version, Negative: g.negatives(pos),
	}
	return files
}

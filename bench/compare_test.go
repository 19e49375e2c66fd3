package bench

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/gorilla/securecookie"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

// The benchmarks name each contender in their last element (impl=...), so
// that `benchstat -col /impl` lines them up and scripts/bench.sh, which
// writes BENCHMARKS.md, finds each one.

const cookieName = "session"

// sessionImpl turns a Session into a cookie value and back.
type sessionImpl struct {
	name   string
	encode func(*Session) (string, error)
	decode func(string, *Session) error
}

// bytesImpl seals bytes into a cookie value and back.
type bytesImpl struct {
	name string
	seal func([]byte) (string, error)
	open func(string) ([]byte, error)
}

func newCodec(tb testing.TB, alg keyring.Algorithm) *codec.Codec {
	ring, err := keyring.Generate(alg)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := codec.New(ring, cookieName, codec.Config{MaxTokenSize: 8192})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func keysealBytes(tb testing.TB, alg keyring.Algorithm) bytesImpl {
	c := newCodec(tb, alg)
	return bytesImpl{
		name: "keyseal-" + alg.String(),
		seal: c.Seal,
		open: func(tok string) ([]byte, error) { p, _, err := c.Open(tok); return p, err },
	}
}

// rawAEAD is the limit: XChaCha20-Poly1305 with a random nonce, base64url,
// nothing else.
func rawAEAD() bytesImpl {
	a, err := chacha20poly1305.NewX(securecookie.GenerateRandomKey(32))
	if err != nil {
		panic(err)
	}
	return bytesImpl{
		name: "raw-aead",
		seal: func(p []byte) (string, error) { return rawSeal(a, p), nil },
		open: func(tok string) ([]byte, error) { return rawOpen(a, tok) },
	}
}

func rawSeal(a cipher.AEAD, p []byte) string {
	buf := make([]byte, a.NonceSize(), a.NonceSize()+len(p)+a.Overhead())
	rand.Read(buf)
	return base64.RawURLEncoding.EncodeToString(a.Seal(buf, buf, p, nil))
}

var errShortToken = errors.New("bench: short token")

func rawOpen(a cipher.AEAD, tok string) ([]byte, error) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return nil, err
	}
	if len(raw) < a.NonceSize()+a.Overhead() {
		return nil, errShortToken
	}
	return a.Open(raw[a.NonceSize():a.NonceSize()], raw[:a.NonceSize()], raw[a.NonceSize():], nil)
}

// plain is no protection at all: the serializer's cost alone, with the one
// copy a cookie value needs each way.
func plain() bytesImpl {
	return bytesImpl{
		name: "plain",
		seal: func(p []byte) (string, error) { return string(p), nil },
		open: func(tok string) ([]byte, error) { return []byte(tok), nil },
	}
}

func newSecureCookie(sz securecookie.Serializer) *securecookie.SecureCookie {
	return securecookie.New(securecookie.GenerateRandomKey(32), securecookie.GenerateRandomKey(32)).
		SetSerializer(sz).MaxLength(0)
}

func secureCookieBytes() bytesImpl {
	s := newSecureCookie(securecookie.NopEncoder{})
	return bytesImpl{
		name: "securecookie",
		seal: func(p []byte) (string, error) { return s.Encode(cookieName, p) },
		open: func(tok string) ([]byte, error) { var p []byte; err := s.Decode(cookieName, tok, &p); return p, err },
	}
}

// joseBytes is JWE compact serialization, direct key agreement, A256GCM,
// parsed with an explicit allow-list as go-jose v4 requires.
func joseBytes() bytesImpl {
	key := securecookie.GenerateRandomKey(32)
	enc, err := jose.NewEncrypter(jose.A256GCM, jose.Recipient{Algorithm: jose.DIRECT, Key: key}, nil)
	if err != nil {
		panic(err)
	}
	return bytesImpl{
		name: "jose-jwe",
		seal: func(p []byte) (string, error) {
			obj, err := enc.Encrypt(p)
			if err != nil {
				return "", err
			}
			return obj.CompactSerialize()
		},
		open: func(tok string) ([]byte, error) {
			obj, err := jose.ParseEncryptedCompact(tok, []jose.KeyAlgorithm{jose.DIRECT}, []jose.ContentEncryption{jose.A256GCM})
			if err != nil {
				return nil, err
			}
			return obj.Decrypt(key)
		},
	}
}

// withJSON puts encoding/json in front of a bytes implementation.
func withJSON(name string, b bytesImpl) sessionImpl {
	return sessionImpl{
		name: name,
		encode: func(s *Session) (string, error) {
			p, err := json.Marshal(s)
			if err != nil {
				return "", err
			}
			return b.seal(p)
		},
		decode: func(tok string, s *Session) error {
			p, err := b.open(tok)
			if err != nil {
				return err
			}
			return json.Unmarshal(p, s)
		},
	}
}

// withBinary puts the hand-written binary serializer in front.
func withBinary(name string, b bytesImpl) sessionImpl {
	return sessionImpl{
		name:   name,
		encode: func(s *Session) (string, error) { return b.seal(appendSession(make([]byte, 0, 128), s)) },
		decode: func(tok string, s *Session) error {
			p, err := b.open(tok)
			if err != nil {
				return err
			}
			return parseSession(p, s)
		},
	}
}

func secureCookieSession(name string, sz securecookie.Serializer) sessionImpl {
	s := newSecureCookie(sz)
	return sessionImpl{
		name:   name,
		encode: func(v *Session) (string, error) { return s.Encode(cookieName, v) },
		decode: func(tok string, v *Session) error { return s.Decode(cookieName, tok, v) },
	}
}

func sessionImpls(tb testing.TB) []sessionImpl {
	return []sessionImpl{
		withJSON("keyseal-json", keysealBytes(tb, keyring.XChaCha20Poly1305)),
		withJSON("keyseal-aes-json", keysealBytes(tb, keyring.AES256GCM)),
		withJSON("keyseal-signed-json", keysealBytes(tb, keyring.HMACSHA256)),
		withBinary("keyseal-binary", keysealBytes(tb, keyring.XChaCha20Poly1305)),
		withJSON("raw-aead-json", rawAEAD()),
		withBinary("raw-aead-binary", rawAEAD()),
		secureCookieSession("securecookie-json", securecookie.JSONEncoder{}),
		secureCookieSession("securecookie-gob", securecookie.GobEncoder{}),
		withJSON("jose-jwe-json", joseBytes()),
		withJSON("plain-json", plain()),
		withBinary("plain-binary", plain()),
	}
}

func bytesImpls(tb testing.TB) []bytesImpl {
	return []bytesImpl{
		keysealBytes(tb, keyring.XChaCha20Poly1305),
		keysealBytes(tb, keyring.AES256GCM),
		keysealBytes(tb, keyring.HMACSHA256),
		rawAEAD(),
		secureCookieBytes(),
		joseBytes(),
	}
}

func reportCookie(b *testing.B, tok string) {
	b.ReportMetric(float64(len(tok)), "cookie-chars")
}

// BenchmarkSession encodes, decodes, and round-trips the benchmark session.
func BenchmarkSession(b *testing.B) {
	for _, op := range []string{"roundtrip", "encode", "decode"} {
		b.Run("op="+op, func(b *testing.B) {
			for _, im := range sessionImpls(b) {
				b.Run("impl="+im.name, func(b *testing.B) {
					tok, err := im.encode(&benchSession)
					if err != nil {
						b.Fatal(err)
					}
					b.ReportAllocs()
					for b.Loop() {
						var s Session
						switch op {
						case "encode":
							tok, err = im.encode(&benchSession)
						case "decode":
							err = im.decode(tok, &s)
						default:
							if tok, err = im.encode(&benchSession); err == nil {
								err = im.decode(tok, &s)
							}
						}
						if err != nil {
							b.Fatal(err)
						}
					}
					reportCookie(b, tok)
				})
			}
		})
	}
}

// BenchmarkPayload round-trips raw payloads of the sizes of issue 3.
func BenchmarkPayload(b *testing.B) {
	for _, size := range []int{64, 256, 1024, 3 * 1024} {
		p := make([]byte, size)
		rand.Read(p)
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			for _, im := range bytesImpls(b) {
				b.Run("impl="+im.name, func(b *testing.B) {
					b.SetBytes(int64(size))
					b.ReportAllocs()
					var tok string
					for b.Loop() {
						var err error
						if tok, err = im.seal(p); err == nil {
							_, err = im.open(tok)
						}
						if err != nil {
							b.Fatal(err)
						}
					}
					reportCookie(b, tok)
				})
			}
		})
	}
}

// BenchmarkMultiKey opens a session sealed under the middle key of 1, 4 or
// 100 keys: keyseal finds the key by ID, securecookie tries each in turn.
func BenchmarkMultiKey(b *testing.B) {
	p, _ := json.Marshal(benchSession)
	for _, n := range []int{1, 4, 100} {
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			ks, ksTok := multiKeyKeyseal(b, n, p)
			sc, scTok := multiKeySecureCookie(b, n, p)
			cases := []struct {
				name string
				tok  string
				open func(string) error
			}{
				{"keyseal", ksTok, func(t string) error { _, _, err := ks.Open(t); return err }},
				{"securecookie", scTok, func(t string) error { var v []byte; return securecookie.DecodeMulti(cookieName, t, &v, sc...) }},
			}
			for _, c := range cases {
				b.Run("impl="+c.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if err := c.open(c.tok); err != nil {
							b.Fatal(err)
						}
					}
					reportCookie(b, c.tok)
				})
			}
		})
	}
}

func multiKeyKeyseal(tb testing.TB, n int, p []byte) (*codec.Codec, string) {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		tb.Fatal(err)
	}
	for range n - 1 {
		if ring, _, err = ring.Add(keyring.XChaCha20Poly1305, time.Time{}); err != nil {
			tb.Fatal(err)
		}
	}
	sealRing, err := ring.Promote(ring.Keys()[n/2].ID())
	if err != nil {
		tb.Fatal(err)
	}
	sealer, err := codec.New(sealRing, cookieName, codec.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	tok, err := sealer.Seal(p)
	if err != nil {
		tb.Fatal(err)
	}
	opener, err := codec.New(ring, cookieName, codec.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	return opener, tok
}

func multiKeySecureCookie(tb testing.TB, n int, p []byte) ([]securecookie.Codec, string) {
	codecs := make([]securecookie.Codec, n)
	for i := range codecs {
		codecs[i] = newSecureCookie(securecookie.NopEncoder{})
	}
	tok, err := codecs[n/2].Encode(cookieName, p)
	if err != nil {
		tb.Fatal(err)
	}
	return codecs, tok
}

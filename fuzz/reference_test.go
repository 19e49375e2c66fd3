package fuzz

import (
	"bytes"
	"compress/flate"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"io"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

// This file is a second, deliberately plain implementation of native token
// v1, written from the format description (FORMAT.md) rather than from the
// codec: x/crypto and the standard library, no pools, no in-place tricks.
// FuzzDifferential and FuzzOpen check that the codec agrees with it.

// refSubkey derives a key's token subkey: HKDF-SHA256, no salt, info
// "keyseal/v1 <algorithm> token".
func refSubkey(k fixtureKey) []byte {
	sub, err := hkdf.Key(sha256.New, k.secret, nil, "keyseal/v1 "+k.alg.String()+" token", 32)
	if err != nil {
		panic(err)
	}
	return sub
}

// refAEAD returns the key's AEAD, or nil in signed-only mode.
func refAEAD(k fixtureKey) cipher.AEAD {
	sub := refSubkey(k)
	switch k.alg {
	case keyring.XChaCha20Poly1305:
		a, err := chacha20poly1305.NewX(sub)
		if err != nil {
			panic(err)
		}
		return a
	case keyring.AES256GCM:
		b, err := aes.NewCipher(sub)
		if err != nil {
			panic(err)
		}
		a, err := cipher.NewGCM(b)
		if err != nil {
			panic(err)
		}
		return a
	}
	return nil
}

func refMAC(k fixtureKey, msg []byte) []byte {
	m := hmac.New(sha256.New, refSubkey(k))
	m.Write(msg)
	return m.Sum(nil)
}

// refHeader is the 16-byte header: version, flags, key ID (u32 BE),
// issued-at and expiry (u40 BE Unix seconds).
func refHeader(version, flags byte, id uint32, iat, exp int64) []byte {
	h := []byte{version, flags}
	h = binary.BigEndian.AppendUint32(h, id)
	for _, v := range []int64{iat, exp} {
		h = append(h, byte(v>>32), byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return h
}

// refAAD is u8(len(name)) ‖ name ‖ header.
func refAAD(n string, header []byte) []byte {
	return append(append([]byte{byte(len(n))}, n...), header...)
}

// refSeal seals body (already compressed if the header says so) with an
// explicit nonce, which it extends or truncates to the algorithm's size.
func refSeal(k fixtureKey, n string, header, nonce, body []byte) string {
	aad := refAAD(n, header)
	var raw []byte
	if a := refAEAD(k); a != nil {
		nonce = append(nonce[:0:0], nonce...)
		for len(nonce) < a.NonceSize() {
			nonce = append(nonce, byte(len(nonce)))
		}
		nonce = nonce[:a.NonceSize()]
		raw = a.Seal(append(header[:len(header):len(header)], nonce...), nonce, body, aad)
	} else {
		raw = append(append(header[:len(header):len(header)], body...), refMAC(k, append(aad, body...))...)
	}
	return base64.RawURLEncoding.EncodeToString(raw)
}

// refDeflate compresses p as the codec does (any valid DEFLATE stream would
// do: the format does not fix the compressor).
func refDeflate(p []byte) []byte {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	w.Write(p)
	w.Close()
	return b.Bytes()
}

// refResult is what the reference opener returns on success.
type refResult struct {
	plaintext   []byte
	keyID       uint32
	iat, exp    int64
	needsReseal bool
	compressed  bool
}

// refOpen opens token as the format says a reader must, returning one of
// the keyseal's sentinels on failure.
func refOpen(token, n string) (refResult, error) {
	if len(token) > maxToken {
		return refResult{}, keyseal.ErrTooLarge
	}
	// Strict base64url: no padding, no whitespace; the standard decoder
	// silently skips CR and LF, the format does not.
	if strings.ContainsAny(token, "\r\n") {
		return refResult{}, keyseal.ErrMalformed
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(raw) < codec.HeaderSize+16 {
		return refResult{}, keyseal.ErrMalformed
	}
	header := raw[:codec.HeaderSize]
	if header[0] != 1 {
		return refResult{}, keyseal.ErrUnsupportedVersion
	}
	r := refResult{
		keyID:      binary.BigEndian.Uint32(header[2:6]),
		iat:        u40(header[6:11]),
		exp:        u40(header[11:16]),
		compressed: header[1] == 1,
	}
	if header[1] > 1 || r.exp <= r.iat {
		return refResult{}, keyseal.ErrMalformed
	}
	var k fixtureKey
	found := false
	for _, fk := range fixtureKeys[:strangerIdx] {
		if fk.id == r.keyID {
			k, found = fk, true
		}
	}
	if !found || (k.alg != keyring.XChaCha20Poly1305 && k.alg != keyring.AES256GCM && k.alg != keyring.HMACSHA256) {
		return refResult{}, keyseal.ErrUnknownKey
	}
	aad := refAAD(n, header)
	var body []byte
	if a := refAEAD(k); a != nil {
		if len(raw) < codec.HeaderSize+a.NonceSize()+a.Overhead() {
			return refResult{}, keyseal.ErrMalformed
		}
		nonce := raw[codec.HeaderSize : codec.HeaderSize+a.NonceSize()]
		if body, err = a.Open(nil, nonce, raw[codec.HeaderSize+a.NonceSize():], aad); err != nil {
			return refResult{}, keyseal.ErrAuth
		}
	} else {
		if len(raw) < codec.HeaderSize+sha256.Size {
			return refResult{}, keyseal.ErrMalformed
		}
		payload := raw[codec.HeaderSize : len(raw)-sha256.Size]
		if !hmac.Equal(refMAC(k, append(aad, payload...)), raw[len(raw)-sha256.Size:]) {
			return refResult{}, keyseal.ErrAuth
		}
		body = payload
	}
	// Authentic from here on: retirement, then times, then decompression.
	if k.retired {
		return refResult{}, keyseal.ErrKeyRetired
	}
	switch {
	case nowUnix+leeway < r.iat:
		return refResult{}, keyseal.ErrNotYetValid
	case nowUnix-leeway >= r.exp, nowUnix-leeway >= r.iat+maxAge:
		return refResult{}, keyseal.ErrExpired
	}
	if r.compressed {
		out, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(body)), maxPlain+1))
		switch {
		case len(out) > maxPlain:
			return refResult{}, keyseal.ErrTooLarge
		case err != nil:
			return refResult{}, keyseal.ErrMalformed
		}
		body = out
	}
	r.plaintext = body
	r.needsReseal = k.id != fixtureKeys[0].id
	return r, nil
}

func u40(b []byte) int64 {
	return int64(b[0])<<32 | int64(b[1])<<24 | int64(b[2])<<16 | int64(b[3])<<8 | int64(b[4])
}

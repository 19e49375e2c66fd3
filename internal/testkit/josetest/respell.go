package josetest

import (
	"encoding/base64"
	"strings"
)

var b64 = base64.RawURLEncoding

// parts splits a compact JWE into its five parts, decoded. ok is false
// for anything else.
func parts(token string) (p [5][]byte, ok bool) {
	s := strings.Split(token, ".")
	if len(s) != 5 {
		return p, false
	}
	for i, part := range s {
		b, err := b64.DecodeString(part)
		if err != nil {
			return p, false
		}
		p[i] = b
	}
	return p, true
}

func join(p [5][]byte) string {
	s := make([]string, 5)
	for i, b := range p {
		s[i] = b64.EncodeToString(b)
	}
	return strings.Join(s, ".")
}

// Respellings returns other spellings of the compact JWE token that a
// lenient parser decodes to the same bytes or joins to the same
// ciphertext and tag: 1 to 32 bytes moved from the end of the ciphertext
// to the front of the tag and back (each part re-encoded), a non-empty
// encrypted key, the unused low bits of each part's last character set,
// padding, and line breaks. None of them is token, and none may open.
func Respellings(token string) []string {
	p, ok := parts(token)
	if !ok {
		return nil
	}
	var out []string
	ct, tag := p[3], p[4]
	for n := 1; n <= 32; n++ {
		if n <= len(ct) { // ciphertext → tag
			q := p
			q[3] = ct[:len(ct)-n]
			q[4] = append(append([]byte(nil), ct[len(ct)-n:]...), tag...)
			out = append(out, join(q))
		}
		if n <= len(tag) { // tag → ciphertext
			q := p
			q[3] = append(append([]byte(nil), ct...), tag[:n]...)
			q[4] = tag[n:]
			out = append(out, join(q))
		}
	}
	for _, ek := range [][]byte{{0}, make([]byte, 32)} {
		q := p
		q[1] = ek
		out = append(out, join(q))
	}
	s := strings.Split(token, ".")
	for i, part := range s {
		alt := make([]string, 0, 4)
		if len(part)%4 == 2 || len(part)%4 == 3 {
			// The last character carries 4 or 2 unused bits: set one.
			last := strings.IndexByte(alphabet, part[len(part)-1])
			alt = append(alt, part[:len(part)-1]+string(alphabet[last|1]))
			pad := strings.Repeat("=", 4-len(part)%4)
			alt = append(alt, part+pad)
		}
		if len(part) > 2 {
			alt = append(alt, part[:2]+"\n"+part[2:], part[:2]+"\r\n"+part[2:])
		}
		for _, a := range alt {
			if a == part {
				continue
			}
			q := append([]string(nil), s...)
			q[i] = a
			out = append(out, strings.Join(q, "."))
		}
	}
	return out
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// BitFlips returns the token with each bit of each of its decoded parts
// flipped in turn, each part re-encoded canonically: every single-bit
// change of the bytes the token carries.
func BitFlips(token string) []string {
	p, ok := parts(token)
	if !ok {
		return nil
	}
	var out []string
	for i := range p {
		for j := range p[i] {
			for bit := range 8 {
				q := p
				q[i] = append([]byte(nil), p[i]...)
				q[i][j] ^= 1 << bit
				out = append(out, join(q))
			}
		}
	}
	return out
}

// Mutate applies one edit to a compact JWE token, for non-malleability
// fuzzing: replace, insert or delete a character; XOR a byte of a decoded
// part; move bytes between the ciphertext and the tag; set unused bits of
// a part's last character; or fill the encrypted key.
func Mutate(token string, pos int, op uint8, b byte) string {
	i := pos % (len(token) + 1)
	switch op % 7 { // the last op appends a character
	case 0:
		if i == len(token) {
			return token
		}
		return token[:i] + string(b) + token[i+1:]
	case 1:
		return token[:i] + string(b) + token[i:]
	case 2:
		if i == len(token) {
			return token
		}
		return token[:i] + token[i+1:]
	case 3:
		p, ok := parts(token)
		if !ok {
			return token
		}
		k := pos % 5
		if len(p[k]) == 0 {
			p[k] = []byte{b}
		} else {
			p[k] = append([]byte(nil), p[k]...)
			p[k][(pos/5)%len(p[k])] ^= b
		}
		return join(p)
	case 4:
		r := Respellings(token)
		if len(r) == 0 {
			return token
		}
		return r[(pos+int(b))%len(r)]
	case 5:
		p, ok := parts(token)
		if !ok {
			return token
		}
		p[1] = []byte{b}
		return join(p)
	default:
		return token + string(b)
	}
}

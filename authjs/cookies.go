package authjs

import (
	"net/http"
	"strings"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/chunkname"
)

// OpenCookies finds the session among a request's cookies (see
// [Codec.Join]) and opens it, as [Codec.Open]. With no session cookie at
// all it returns http.ErrNoCookie.
func (c *Codec) OpenCookies(cookies []*http.Cookie) ([]byte, keyseal.Meta, error) {
	token, err := c.Join(cookies)
	if err != nil {
		return nil, keyseal.Meta{}, err
	}
	return c.Open(token)
}

// Join returns the session token among cookies: the value of the cookie
// named CookieName, or else the values of the chunks CookieName.0,
// CookieName.1, ... joined in order, as Auth.js writes a session too long
// for one cookie. A chunk's index is canonical decimal ("name.01" is
// another cookie). A gap or a repeated chunk, an index of MaxChunks or
// more (any number of digits) or a total over MaxTokenSize is refused (keyseal.ErrMalformed,
// keyseal.ErrTooLarge) before anything is joined. Without any session cookie
// it returns http.ErrNoCookie.
func (c *Codec) Join(cookies []*http.Cookie) (string, error) {
	var chunks [MaxChunks]string
	var seen [MaxChunks]bool
	n, total := 0, 0
	for _, ck := range cookies {
		if ck.Name == c.name {
			return ck.Value, nil
		}
		i, ok := chunkname.Index(ck.Name, c.name, MaxChunks)
		switch {
		case !ok:
			continue // another cookie, perhaps sharing the prefix
		case i < 0:
			return "", keyseal.ErrTooLarge
		}
		if seen[i] {
			return "", keyseal.ErrMalformed
		}
		seen[i], chunks[i] = true, ck.Value
		n++
		if total += len(ck.Value); total > c.maxToken {
			return "", keyseal.ErrTooLarge
		}
	}
	if n == 0 {
		return "", http.ErrNoCookie
	}
	for i := range n {
		if !seen[i] {
			return "", keyseal.ErrMalformed
		}
	}
	return strings.Join(chunks[:n], ""), nil
}

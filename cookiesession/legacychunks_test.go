package cookiesession_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/authjs"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/format"
	"github.com/keyseal/keyseal/internal/testkit"
)

// newAuthJSEnv is an env migrating users off Auth.js session cookies,
// chunked as Auth.js splits a long session.
func newAuthJSEnv(t *testing.T) (*env, *authjs.Codec) {
	var ac *authjs.Codec
	e := newEnv(t, func(cfg *cookiesession.Config[user]) {
		var err error
		ac, err = authjs.New(authjs.Config{Secrets: []string{"an AUTH_SECRET of the Next.js app"},
			CookieName: authjs.SecureCookieName, Clock: cfg.Clock})
		if err != nil {
			t.Fatal(err)
		}
		cfg.Legacy = []cookiesession.Legacy[user]{{
			Name:    authjs.SecureCookieName,
			Kind:    format.JWE,
			Chunked: true,
			Decode: func(_, value string) (user, keyseal.Meta, error) {
				raw, m, err := ac.Open(value)
				if err != nil {
					return user{}, m, err
				}
				var claims struct {
					Name string `json:"name"`
				}
				if err := json.Unmarshal(raw, &claims); err != nil {
					return user{}, keyseal.Meta{}, fmt.Errorf("%w: claims: %v", keyseal.ErrMalformed, err)
				}
				return user{Name: claims.Name}, m, nil
			},
		}}
	})
	return e, ac
}

// plantChunks sets value, cut into n chunks, as the cookies name.0 ...
// name.(n-1); at lists which chunk indices to give them instead.
func (e *env) plantChunks(name, value string, at ...int) {
	e.t.Helper()
	size := (len(value) + len(at) - 1) / len(at)
	var cookies []*http.Cookie
	for i, c := range at {
		part := value[min(i*size, len(value)):min((i+1)*size, len(value))]
		cookies = append(cookies, &http.Cookie{Name: name + "." + strconv.Itoa(c), Value: part, Path: "/", Secure: true})
	}
	e.client.Jar.SetCookies(e.url, cookies)
}

// The legacy mechanism moves users off an Auth.js session cookie (a JWE),
// whole or in the chunks Auth.js splits a long session into: the session
// keeps its issue time and every cookie it came in is deleted.
func TestLegacyAuthJS(t *testing.T) {
	for _, chunks := range []int{0, 3} {
		t.Run(strconv.Itoa(chunks)+" chunks", func(t *testing.T) {
			e, ac := newAuthJSEnv(t)
			tok, err := ac.Seal([]byte(`{"name":"gus","picture":"` + strings.Repeat("p", 2000*chunks) + `"}`))
			if err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(time.Hour)
			var sent []string
			if chunks == 0 {
				e.client.Jar.SetCookies(e.url, []*http.Cookie{{Name: authjs.SecureCookieName, Value: tok, Path: "/", Secure: true}})
				sent = append(sent, authjs.SecureCookieName)
			} else {
				at := make([]int, chunks)
				for c := range at {
					at[c] = c
					sent = append(sent, authjs.SecureCookieName+"."+strconv.Itoa(c))
				}
				e.plantChunks(authjs.SecureCookieName, tok, at...)
			}
			resp := e.want("/me", "gus 0")
			for _, name := range sent {
				if !deletes(resp, name) {
					t.Errorf("%s not deleted: %q", name, setCookies(resp))
				}
			}
			if n := len(resp.Cookies()); n != len(sent)+1 {
				t.Errorf("%d cookies set or deleted, want the %d sent and the session: %q", n, len(sent), setCookies(resp))
			}
			h, err := codec.ParseHeader(e.jarCookies()[e.m.Name()])
			if err != nil {
				t.Fatal(err)
			}
			if want := e.clock.Now().Add(-time.Hour).Unix(); h.IssuedAt.Unix() != want {
				t.Errorf("issued at %d, want the Auth.js iat %d", h.IssuedAt.Unix(), want)
			}
			e.want("/me", "gus 0")
			if got := e.takeInvalid(); len(got) != 0 {
				t.Errorf("OnInvalid: %v", got)
			}
		})
	}
}

// Chunks that do not make one whole value are refused with the error
// Auth.js's own joining gives, and deleted; a name that only looks like a
// chunk is left alone.
func TestLegacyChunksRefused(t *testing.T) {
	for _, c := range []struct {
		name string
		at   []int
		want error
	}{
		{"gap", []int{0, 2}, keyseal.ErrMalformed},
		{"no first chunk", []int{1, 2}, keyseal.ErrMalformed},
		{"index too high", []int{0, 1, cookiesession.MaxLegacyChunks}, keyseal.ErrTooLarge},
		{"only an index too high", []int{cookiesession.MaxLegacyChunks + 3}, keyseal.ErrTooLarge},
		{"three-digit index", []int{0, 999}, keyseal.ErrTooLarge},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, ac := newAuthJSEnv(t)
			tok, err := ac.Seal([]byte(`{"name":"gus","picture":"` + strings.Repeat("p", 6000) + `"}`))
			if err != nil {
				t.Fatal(err)
			}
			e.plantChunks(authjs.SecureCookieName, tok, c.at...)
			// Not a canonical index: never a chunk (TestLegacyChunkNames
			// has the other names).
			e.client.Jar.SetCookies(e.url, []*http.Cookie{{Name: authjs.SecureCookieName + ".01", Value: "x", Path: "/", Secure: true}})
			resp := e.want("/me", " 0")
			if got := e.takeInvalid(); len(got) != 1 || !errors.Is(got[0], c.want) {
				t.Errorf("OnInvalid %v, want %v", got, c.want)
			}
			for _, i := range c.at {
				if !deletes(resp, authjs.SecureCookieName+"."+strconv.Itoa(i)) {
					t.Errorf("chunk %d not deleted: %q", i, setCookies(resp))
				}
			}
			if deletes(resp, authjs.SecureCookieName+".01") {
				t.Errorf("deleted a cookie that is not a chunk: %q", setCookies(resp))
			}
			// All deleted: the next request carries nothing to refuse.
			e.want("/me", " 0")
			if got := e.takeInvalid(); len(got) != 0 {
				t.Errorf("the next request: OnInvalid %v", got)
			}
		})
	}
}

// A repeated chunk (two cookies of one name, as different paths give) is
// refused rather than one of them picked.
func TestLegacyChunkRepeated(t *testing.T) {
	e, ac := newAuthJSEnv(t)
	tok, err := ac.Seal([]byte(`{"name":"gus"}`))
	if err != nil {
		t.Fatal(err)
	}
	half := len(tok) / 2
	name := authjs.SecureCookieName
	got, _ := e.do("/me", []string{name + ".0=" + tok[:half], name + ".1=" + tok[half:], name + ".1=" + tok[half:]})
	if got != " 0" {
		t.Errorf("GET /me = %q, want a fresh session", got)
	}
	if errs := e.takeInvalid(); len(errs) != 1 || !errors.Is(errs[0], keyseal.ErrMalformed) {
		t.Errorf("OnInvalid %v, want ErrMalformed", errs)
	}
	// The same chunks once each open.
	got, _ = e.do("/me", []string{name + ".1=" + tok[half:], name + ".0=" + tok[:half]})
	if got != "gus 0" {
		t.Errorf("GET /me with the chunks in reverse order = %q, want gus", got)
	}
}

// Logout deletes the chunks of a legacy session that a valid native
// session kept from being read.
func TestLegacyChunksLogout(t *testing.T) {
	e, ac := newAuthJSEnv(t)
	e.want("/login?name=amy", "ok")
	tok, err := ac.Seal([]byte(`{"name":"gus"}`))
	if err != nil {
		t.Fatal(err)
	}
	e.plantChunks(authjs.SecureCookieName, tok, 0, 1)
	e.want("/me", "amy 0")
	resp := e.want("/logout", "bye")
	if !deletes(resp, authjs.SecureCookieName+".0") || !deletes(resp, authjs.SecureCookieName+".1") {
		t.Errorf("logout Set-Cookie %q", setCookies(resp))
	}
	e.want("/me", " 0")
}

// A chunked legacy cookie cannot share the session's name: its chunks
// would be the Manager's own.
func TestLegacyChunkedNativeName(t *testing.T) {
	_, err := cookiesession.New(nil, cookiesession.Config[user]{
		Legacy: []cookiesession.Legacy[user]{{
			Name:    cookiesession.DefaultName,
			Chunked: true,
			Decode:  func(string, string) (user, keyseal.Meta, error) { return user{}, keyseal.Meta{}, nil },
		}},
	})
	var ce *keyseal.ConfigError
	if !errors.As(err, &ce) || ce.Field != "Legacy[0].Chunked" {
		t.Errorf("New: %v, want a ConfigError on Legacy[0].Chunked", err)
	}
}

// The legacy reader reads chunk names with the parser authjs.Join uses,
// tested with the same table (testkit.ChunkNames): an index past the
// limit, however many digits ("name.1234"), is refused as too large;
// anything else not a chunk is another cookie, left alone.
func TestLegacyChunkNames(t *testing.T) {
	e, ac := newAuthJSEnv(t)
	tok, err := ac.Seal([]byte(`{"name":"gus"}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range testkit.ChunkNames {
		e.client.Jar, _ = cookiejar.New(nil)
		name := authjs.SecureCookieName + tc.Suffix
		got, resp := e.do("/me", []string{name + "=" + tok})
		if deletes(resp, name) != tc.Chunk {
			t.Errorf("%q: deleted %v, want %v: %q", tc.Suffix, !tc.Chunk, tc.Chunk, setCookies(resp))
		}
		var want error
		body := " 0"
		switch {
		case !tc.Chunk:
		case tc.Index < 0:
			want = keyseal.ErrTooLarge
		case tc.Index > 0:
			want = keyseal.ErrMalformed // chunk 0 is missing
		default:
			body = "gus 0"
		}
		errs := e.takeInvalid()
		if got != body || want == nil && len(errs) != 0 || want != nil && (len(errs) != 1 || !errors.Is(errs[0], want)) {
			t.Errorf("%q: GET /me = %q, OnInvalid %v; want %q, %v", tc.Suffix, got, errs, body, want)
		}
	}
}

package cookiesession_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// serve runs one request to path through m with cookie (if any), calling
// f with the session, and returns the session cookie the response sets.
func serve[T any](t testing.TB, m *cookiesession.Manager[T], cookie string, f func(*cookiesession.Session[T])) string {
	t.Helper()
	req := httptest.NewRequest("GET", "https://example.com/", nil)
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: m.Name(), Value: cookie})
	}
	for _, c := range serveAll(m, req, f) {
		if c.Name == m.Name() {
			return c.Value
		}
	}
	return ""
}

// serveAll runs req through m, calling f with the session, and returns
// the cookies the response sets.
func serveAll[T any](m *cookiesession.Manager[T], req *http.Request, f func(*cookiesession.Session[T])) []*http.Cookie {
	rec := httptest.NewRecorder()
	m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f(m.Get(r.Context()))
	})).ServeHTTP(rec, req)
	return rec.Result().Cookies()
}

// userV2 is user after a schema change: the name split in two.
type userV2 struct{ First, Last string }

// TestSchema: a cookie of another schema version is migrated through
// Migrate, or without it refused with ErrSchema.
func TestSchema(t *testing.T) {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	v1, _ := cookiesession.New(ring, cookiesession.Config[user]{SchemaVersion: 1})
	old := serve(t, v1, "", func(s *cookiesession.Session[user]) { s.Set(user{Name: "Ada Lovelace"}) })

	var invalid error
	v2, _ := cookiesession.New(ring, cookiesession.Config[userV2]{
		SchemaVersion: 2,
		OnInvalid:     func(r *http.Request, err error) { invalid = err },
	})
	serve(t, v2, old, func(s *cookiesession.Session[userV2]) {
		if s.Data() != (userV2{}) || !s.Meta().New {
			t.Errorf("v1 cookie loaded without Migrate: %+v", s.Data())
		}
	})
	if !errors.Is(invalid, cookiesession.ErrSchema) {
		t.Fatalf("OnInvalid got %v, want ErrSchema", invalid)
	}

	migrated, _ := cookiesession.New(ring, cookiesession.Config[userV2]{
		SchemaVersion: 2,
		Migrate: func(from uint32, data []byte, to *userV2) error {
			var u user
			if err := json.Unmarshal(data, &u); err != nil {
				return err
			}
			to.First, to.Last, _ = strings.Cut(u.Name, " ")
			return nil
		},
	})
	resealed := serve(t, migrated, old, func(s *cookiesession.Session[userV2]) {
		if got := s.Data(); got != (userV2{"Ada", "Lovelace"}) {
			t.Errorf("migrated data %+v", got)
		}
	})
	if resealed == "" {
		t.Fatal("a migrated session was not re-sealed under the new schema")
	}
	serve(t, v2, resealed, func(s *cookiesession.Session[userV2]) {
		if got := s.Data(); got != (userV2{"Ada", "Lovelace"}) {
			t.Errorf("re-sealed data %+v", got)
		}
	})
}

// visits has its own binary form, which the Manager uses instead of JSON.
type visits struct{ N uint64 }

func (v *visits) AppendBinary(b []byte) ([]byte, error) { return binary.AppendUvarint(b, v.N), nil }

func (v *visits) UnmarshalBinary(b []byte) error {
	n, k := binary.Uvarint(b)
	if k != len(b) || k <= 0 {
		return errors.New("bad visits")
	}
	v.N = n
	return nil
}

// TestPlaintext: the sealed plaintext is the documented header (form 3,
// the type's binary form; schema version; flashes) followed by the data's
// binary form.
func TestPlaintext(t *testing.T) {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	m, _ := cookiesession.New(ring, cookiesession.Config[visits]{SchemaVersion: 300})
	token := serve(t, m, "", func(s *cookiesession.Session[visits]) {
		s.Update(func(v *visits) { v.N = 5 })
		s.AddFlash("hi")
	})
	c, _ := codec.New(ring, m.Name(), codec.Config{MaxAge: cookiesession.DefaultAbsoluteLifetime})
	pt, _, err := c.Open(token)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{3, 0xac, 0x02, 1, 2, 'h', 'i', 5}
	if !bytes.Equal(pt, want) {
		t.Fatalf("plaintext %x, want %x", pt, want)
	}
	token = serve(t, m, token, func(s *cookiesession.Session[visits]) {
		if f := s.Flashes(); len(f) != 1 || f[0] != "hi" || s.Data().N != 5 {
			t.Errorf("flashes %q, data %+v", f, s.Data())
		}
		if f := s.Flashes(); len(f) != 0 {
			t.Errorf("flashes read twice: %q", f)
		}
	})
	pt, _, _ = c.Open(token)
	if want := []byte{3, 0xac, 0x02, 0, 5}; !bytes.Equal(pt, want) {
		t.Fatalf("plaintext after reading flashes %x, want %x", pt, want)
	}
}

// upper is a Serializer that stores JSON in upper case, to see it used.
type upper struct{}

func (upper) Marshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	return bytes.ToUpper(b), err
}

func (upper) Unmarshal(b []byte, v any) error {
	return json.Unmarshal(bytes.ReplaceAll(b, []byte("NAME"), []byte("name")), v)
}

// TestSerializer: a Config's Serializer replaces JSON, and data that does
// not decode is refused with ErrDecode.
func TestSerializer(t *testing.T) {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	var invalid error
	m, _ := cookiesession.New(ring, cookiesession.Config[user]{
		Serializer: upper{},
		OnInvalid:  func(r *http.Request, err error) { invalid = err },
	})
	token := serve(t, m, "", func(s *cookiesession.Session[user]) { s.Set(user{Name: "ada"}) })
	c, _ := codec.New(ring, m.Name(), codec.Config{MaxAge: cookiesession.DefaultAbsoluteLifetime})
	pt, _, _ := c.Open(token)
	if !bytes.HasSuffix(pt, []byte(`{"NAME":"ADA"}`)) {
		t.Fatalf("plaintext %q", pt)
	}
	serve(t, m, token, func(s *cookiesession.Session[user]) {
		if s.Data().Name != "ADA" {
			t.Errorf("data %+v", s.Data())
		}
	})
	bad, _ := c.Seal([]byte("\x01\x00\x00not json"))
	serve(t, m, bad, func(s *cookiesession.Session[user]) { s.Data() })
	if !errors.Is(invalid, cookiesession.ErrDecode) {
		t.Fatalf("OnInvalid got %v, want ErrDecode", invalid)
	}
	invalid = nil
	bad, _ = c.Seal([]byte("\x07"))
	serve(t, m, bad, func(s *cookiesession.Session[user]) { s.Data() })
	if !errors.Is(invalid, cookiesession.ErrDecode) {
		t.Fatalf("OnInvalid got %v for a bad payload version, want ErrDecode", invalid)
	}
}

// TestUntouched: a request that never reaches its session writes no
// header and does not even look at the cookie.
func TestUntouched(t *testing.T) {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	called := false
	m, _ := cookiesession.New(ring, cookiesession.Config[user]{
		OnInvalid: func(r *http.Request, err error) { called = true },
	})
	req := httptest.NewRequest("GET", "https://example.com/", nil)
	req.Header.Set("Cookie", m.Name()+"=garbage")
	rec := httptest.NewRecorder()
	m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello")
	})).ServeHTTP(rec, req)
	if called || len(rec.Header()) != 1 { // Content-Type only
		t.Fatalf("untouched session: OnInvalid %v, headers %v", called, rec.Header())
	}
}

type ctxKey struct{}

// TestContext: the request context keeps the values and cancellation of
// the context it came with, and hooks may use the session.
func TestContext(t *testing.T) {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	var m *cookiesession.Manager[user]
	var hookSaw string
	m, _ = cookiesession.New(ring, cookiesession.Config[user]{
		OnInvalid: func(r *http.Request, err error) {
			hookSaw = "new:" + strconv.FormatBool(m.Get(r.Context()).Meta().New)
		},
	})
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, "outer"))
	req := httptest.NewRequestWithContext(ctx, "GET", "https://example.com/", nil)
	req.Header.Set("Cookie", m.Name()+"=garbage")
	m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := r.Context().Value(ctxKey{}); v != "outer" {
			t.Errorf("outer context value %v", v)
		}
		m.Get(r.Context()).Data()
		inner, stop := context.WithCancel(r.Context())
		defer stop()
		cancel()
		<-inner.Done()
	})).ServeHTTP(httptest.NewRecorder(), req)
	if hookSaw != "new:true" {
		t.Fatalf("OnInvalid saw %q", hookSaw)
	}
	defer func() {
		if recover() == nil {
			t.Error("Get without LoadAndSave did not panic")
		}
	}()
	m.Get(context.Background())
}

// TestConcurrentUse: goroutines of one request may share its session.
func TestConcurrentUse(t *testing.T) {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	m, _ := cookiesession.New(ring, cookiesession.Config[user]{})
	token := serve(t, m, "", func(s *cookiesession.Session[user]) {
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				s.Update(func(u *user) { u.Count++ })
				s.AddFlash("x")
				_ = s.Data()
				_ = s.Meta()
			})
		}
		wg.Wait()
	})
	serve(t, m, token, func(s *cookiesession.Session[user]) {
		if n, f := s.Data().Count, s.Flashes(); n != 8 || len(f) != 8 {
			t.Errorf("count %d, %d flashes; want 8 and 8", n, len(f))
		}
	})
}

// TestTwoManagers: two Managers on one request keep their own sessions
// and cookies.
func TestTwoManagers(t *testing.T) {
	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305)
	a, _ := cookiesession.New(ring, cookiesession.Config[user]{})
	b, _ := cookiesession.New(ring, cookiesession.Config[visits]{Name: "__Host-visits"})
	h := a.LoadAndSave(b.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.Get(r.Context()).Set(user{Name: "ada"})
		b.Get(r.Context()).Update(func(v *visits) { v.N++ })
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/", nil))
	names := map[string]bool{}
	for _, c := range rec.Result().Cookies() {
		names[c.Name] = true
	}
	if len(names) != 2 || !names["__Host-session"] || !names["__Host-visits"] {
		t.Fatalf("cookies %v", names)
	}
}

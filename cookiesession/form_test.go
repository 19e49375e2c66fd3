package cookiesession_test

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// account is a session type serialized as JSON.
type account struct {
	Name   string
	Visits uint64
}

// accountBin is account after it gained a binary form, fields unchanged.
// Its UnmarshalBinary is lenient, as hand-written ones often are: it
// takes JSON bytes for a (wrong) account.
type accountBin account

func (a *accountBin) AppendBinary(b []byte) ([]byte, error) {
	return append(binary.AppendUvarint(b, a.Visits), a.Name...), nil
}

func (a *accountBin) UnmarshalBinary(b []byte) error {
	v, n := binary.Uvarint(b)
	if n <= 0 {
		return errors.New("bad accountBin")
	}
	a.Visits, a.Name = v, string(b[n:])
	return nil
}

// formEnv builds Managers of any type on one ring and cookie name, as
// successive deployments of an application would be.
type formEnv struct {
	t       *testing.T
	ring    *keyring.Ring
	invalid []error
}

func newFormEnv(t *testing.T) *formEnv {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	return &formEnv{t: t, ring: ring}
}

func formManager[T any](e *formEnv, s cookiesession.Serializer) *cookiesession.Manager[T] {
	e.t.Helper()
	m, err := cookiesession.New(e.ring, cookiesession.Config[T]{
		Name:       "__Host-app",
		Serializer: s,
		OnInvalid:  func(_ *http.Request, err error) { e.invalid = append(e.invalid, err) },
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

// plaintext opens a session cookie of e's ring.
func (e *formEnv) plaintext(token string) []byte {
	e.t.Helper()
	c, err := codec.New(e.ring, "__Host-app", codec.Config{MaxAge: cookiesession.DefaultAbsoluteLifetime})
	if err != nil {
		e.t.Fatal(err)
	}
	pt, _, err := c.Open(token)
	if err != nil {
		e.t.Fatal(err)
	}
	return pt
}

// A session type that gains AppendBinary and UnmarshalBinary keeps every
// session: a cookie written as JSON is still read as JSON, and re-sealed
// in the binary form on the same response.
func TestFormGainsBinary(t *testing.T) {
	e := newFormEnv(t)
	before := formManager[account](e, nil)
	token := serve(t, before, "", func(s *cookiesession.Session[account]) { s.Set(account{"ada", 3}) })
	if pt := e.plaintext(token); pt[0] != 2 {
		t.Fatalf("JSON session plaintext %q, want form byte 2", pt)
	}

	after := formManager[accountBin](e, nil)
	resealed := serve(t, after, token, func(s *cookiesession.Session[accountBin]) {
		if got := s.Data(); got != (accountBin{"ada", 3}) || s.Meta().New {
			t.Errorf("JSON cookie read as %+v (new %v), want ada's session", got, s.Meta().New)
		}
	})
	if len(e.invalid) != 0 {
		t.Fatalf("OnInvalid %v", e.invalid)
	}
	if resealed == "" {
		t.Fatal("session not re-sealed in the new form")
	}
	if pt := e.plaintext(resealed); pt[0] != 3 || string(pt[3:]) != "\x03ada" {
		t.Fatalf("re-sealed plaintext %q, want form 3 and the binary form", pt)
	}
	serve(t, after, resealed, func(s *cookiesession.Session[accountBin]) {
		if got := s.Data(); got != (accountBin{"ada", 3}) {
			t.Errorf("re-sealed session read as %+v", got)
		}
	})
}

// Config.Serializer set to JSON keeps JSON for a type with a binary form,
// and reads the cookies written in that binary form before.
func TestFormChosenJSON(t *testing.T) {
	e := newFormEnv(t)
	bin := formManager[accountBin](e, nil)
	token := serve(t, bin, "", func(s *cookiesession.Session[accountBin]) { s.Set(accountBin{"bo", 1}) })

	js := formManager[accountBin](e, cookiesession.JSON{})
	resealed := serve(t, js, token, func(s *cookiesession.Session[accountBin]) {
		if got := s.Data(); got != (accountBin{"bo", 1}) {
			t.Errorf("binary cookie read as %+v", got)
		}
	})
	if pt := e.plaintext(resealed); pt[0] != 2 || string(pt[3:]) != `{"Name":"bo","Visits":1}` {
		t.Fatalf("plaintext %q, want JSON (form 2)", pt)
	}
	if len(e.invalid) != 0 {
		t.Fatalf("OnInvalid %v", e.invalid)
	}
}

// A cookie in a form the Manager cannot read is refused with ErrForm,
// which says the form changed, not with ErrDecode.
func TestFormRefused(t *testing.T) {
	e := newFormEnv(t)
	bin := serve(t, formManager[accountBin](e, nil), "", func(s *cookiesession.Session[accountBin]) {
		s.Set(accountBin{"cy", 2})
	})
	custom := serve(t, formManager[user](e, upper{}), "", func(s *cookiesession.Session[user]) {
		s.Set(user{Name: "di"})
	})
	for _, tt := range []struct {
		name  string
		token string
		read  func(token string) bool // reports a new session
	}{
		{"binary form, type without it", bin, func(tok string) (isNew bool) {
			serve(t, formManager[account](e, nil), tok, func(s *cookiesession.Session[account]) { isNew = s.Meta().New })
			return
		}},
		{"Serializer removed", custom, func(tok string) (isNew bool) {
			serve(t, formManager[user](e, nil), tok, func(s *cookiesession.Session[user]) { isNew = s.Meta().New })
			return
		}},
	} {
		e.invalid = nil
		if !tt.read(tt.token) {
			t.Errorf("%s: session taken", tt.name)
		}
		if len(e.invalid) != 1 || !errors.Is(e.invalid[0], cookiesession.ErrForm) || errors.Is(e.invalid[0], cookiesession.ErrDecode) {
			t.Errorf("%s: OnInvalid %v, want ErrForm alone", tt.name, e.invalid)
		}
	}
}

// Cookies sealed before the form was recorded (form byte 1) are read in
// JSON or the binary form, whichever opens, JSON first: accountBin's
// lenient UnmarshalBinary would take JSON for a wrong account.
func TestFormUnrecorded(t *testing.T) {
	e := newFormEnv(t)
	c, err := codec.New(e.ring, "__Host-app", codec.Config{MaxAge: cookiesession.DefaultAbsoluteLifetime})
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(account{"ed", 4})
	bin, _ := (&accountBin{"ed", 4}).AppendBinary(nil)
	for _, tt := range []struct {
		name string
		data []byte
		s    cookiesession.Serializer
	}{
		{"JSON, read by a binary form", js, nil},
		{"binary form, read by it", bin, nil},
		{"binary form, read as JSON", bin, cookiesession.JSON{}},
		{"JSON, read as JSON", js, cookiesession.JSON{}},
	} {
		e.invalid = nil
		token, err := c.Seal(append([]byte{1, 0, 0}, tt.data...))
		if err != nil {
			t.Fatal(err)
		}
		serve(t, formManager[accountBin](e, tt.s), token, func(s *cookiesession.Session[accountBin]) {
			if got := s.Data(); got != (accountBin{"ed", 4}) {
				t.Errorf("%s: read as %+v", tt.name, got)
			}
		})
		if len(e.invalid) != 0 {
			t.Errorf("%s: OnInvalid %v", tt.name, e.invalid)
		}
	}
}

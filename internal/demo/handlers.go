package demo

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/keyseal/keyseal/keyring"
)

var (
	errBadKeyID = errors.New("demo: bad key ID")
	errBadOp    = errors.New("demo: unknown key operation")
)

// maxUserName bounds the user name a visitor may log in with.
const maxUserName = 64

func cleanUser(name string) (string, bool) {
	name = strings.TrimSpace(name)
	return name, name != "" && len(name) <= maxUserName && utf8.ValidString(name)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	name, ok := cleanUser(r.FormValue("user"))
	sess := s.sessions.Get(r.Context())
	if !ok {
		sess.AddFlash("Pick a user name of 1 to 64 characters.")
	} else {
		sess.Set(Session{User: name})
		sess.Renew() // a fresh token at login, against session fixation
		sess.AddFlash("Welcome, " + name + "!")
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// loggedOutCookie carries the "Logged out." message to the next page: a
// flash would need a session, which logging out ends. It holds a fixed
// marker, lives a few seconds, and the page deletes it when it shows it.
const loggedOutCookie = "demo-logged-out"

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	s.sessions.Get(r.Context()).Destroy()
	http.SetCookie(w, &http.Cookie{Name: loggedOutCookie, Value: "1", Path: "/", MaxAge: 5,
		HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// loggedOut reports whether the request carries the logout message, and
// deletes it.
func loggedOut(w http.ResponseWriter, r *http.Request) bool {
	if _, err := r.Cookie(loggedOutCookie); err != nil {
		return false
	}
	http.SetCookie(w, &http.Cookie{Name: loggedOutCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	return true
}

func (s *Server) count(w http.ResponseWriter, r *http.Request) {
	sess := s.sessions.Get(r.Context())
	if sess.Data().User == "" {
		sess.AddFlash("Log in first.")
	} else {
		sess.Update(func(d *Session) { d.Count++ })
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// maxKeyForm bounds the body of a key operation: an ID and a token.
const maxKeyForm = 1 << 10

// tokenHeader carries the key operations' token for a client that is not
// the page's form.
const tokenHeader = "X-Demo-Token"

func (s *Server) keyOp(w http.ResponseWriter, r *http.Request) {
	if !s.controls {
		msg := "demo: key controls are off"
		if s.opts.KeyringFile != "" && !s.opts.NoKeyControls {
			msg += " for a keyring file: start the demo with --key-controls to change it from the page"
		}
		http.Error(w, msg, http.StatusForbidden)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxKeyForm)
	token := r.Header.Get(tokenHeader)
	if token == "" {
		token = r.PostFormValue("token")
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(s.token)) != 1 {
		http.Error(w, "demo: a key operation needs this run's token, which only the demo's page holds", http.StatusForbidden)
		return
	}
	loggedIn := s.sessions.Get(r.Context()).Data().User != ""
	msg, err := s.applyKeyOp(r.PathValue("op"), r.PostFormValue("id"), loggedIn)
	if err != nil {
		msg = "Refused: " + err.Error()
	}
	s.sessions.Get(r.Context()).AddFlash(msg)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// apiState is the JSON view of a session, for the load client and tests.
type apiState struct {
	LoggedIn  bool      `json:"logged_in"`
	User      string    `json:"user,omitempty"`
	Count     int       `json:"count"`
	KeyID     uint32    `json:"key_id,omitempty"`
	IssuedAt  time.Time `json:"issued_at,omitzero"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	Instance  string    `json:"instance,omitempty"`
	Primary   uint32    `json:"primary_key_id"`
}

func (s *Server) state(r *http.Request) apiState {
	sess := s.sessions.Get(r.Context())
	d, m := sess.Data(), sess.Meta()
	return apiState{LoggedIn: d.User != "", User: d.User, Count: d.Count, KeyID: m.KeyID,
		IssuedAt: m.IssuedAt, ExpiresAt: m.ExpiresAt, Instance: s.opts.Instance,
		Primary: s.primaryID()}
}

// primaryID is the ID of the key that seals this response's cookie.
func (s *Server) primaryID() uint32 { return s.keys.Current().Primary(s.now()).ID() }

func writeJSON(w http.ResponseWriter, v any) { writeJSONStatus(w, http.StatusOK, v) }

// writeJSONStatus writes v as JSON with the given status: the header is
// set first, or WriteHeader would send the response without it.
func writeJSONStatus(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func (s *Server) apiSession(w http.ResponseWriter, r *http.Request) { writeJSON(w, s.state(r)) }

func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) {
	var in struct {
		User string `json:"user"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1024)).Decode(&in); err != nil {
		http.Error(w, "bad JSON", http.StatusBadRequest)
		return
	}
	name, ok := cleanUser(in.User)
	if !ok {
		http.Error(w, "bad user name", http.StatusBadRequest)
		return
	}
	sess := s.sessions.Get(r.Context())
	sess.Set(Session{User: name})
	sess.Renew()
	writeJSON(w, apiState{LoggedIn: true, User: name, Instance: s.opts.Instance, Primary: s.primaryID()})
}

func (s *Server) apiCount(w http.ResponseWriter, r *http.Request) {
	sess := s.sessions.Get(r.Context())
	if sess.Data().User == "" {
		writeJSONStatus(w, http.StatusUnauthorized, s.state(r))
		return
	}
	sess.Update(func(d *Session) { d.Count++ })
	writeJSON(w, s.state(r))
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) {
	s.sessions.Get(r.Context()).Destroy()
	writeJSON(w, apiState{Instance: s.opts.Instance, Primary: s.primaryID()})
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	ring := s.keys.Current()
	writeJSON(w, struct {
		OK      bool              `json:"ok"`
		Primary uint32            `json:"primary_key_id"`
		Keys    []keyring.KeyInfo `json:"keys"`
		Usage   []keyring.Usage   `json:"usage"`
		Refused int64             `json:"cookies_refused"`
	}{true, ring.Primary(s.now()).ID(), ring.Info(), ring.Usage(), s.invalid.Load()})
}

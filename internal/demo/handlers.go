package demo

import (
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

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	sess := s.sessions.Get(r.Context())
	sess.Destroy()
	sess.AddFlash("Logged out.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
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

func (s *Server) keyOp(w http.ResponseWriter, r *http.Request) {
	if s.opts.NoKeyControls {
		http.Error(w, "key controls are off", http.StatusForbidden)
		return
	}
	msg, err := s.applyKeyOp(r.PathValue("op"), r.FormValue("id"))
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

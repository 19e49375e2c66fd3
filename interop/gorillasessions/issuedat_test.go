package gorillasessions_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gorilla/sessions"

	"github.com/keyseal/keyseal/legacy"
)

// TestIssuedAtIsLastSave pins what MIGRATING.md says of a migrated
// gorilla/sessions cookie: securecookie stamps a value each time it encodes
// it, so Meta.IssuedAt is the time of the session's last Save, not of the
// login, and Meta.ExpiresAt is that plus the old max age.
func TestIssuedAtIsLastSave(t *testing.T) {
	store := sessions.NewCookieStore(hashKey, blockKey)
	d, err := legacy.New(legacy.Config{Keys: []legacy.Keys{{Hash: hashKey, Block: blockKey}}, Cutoff: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	login := issue(t, store, "app-session", map[any]any{"user_id": 7, "name": "erin"})
	_, atLogin, err := d.DecodeSession("app-session", login.Value)
	if err != nil {
		t.Fatal(err)
	}
	// securecookie's timestamps are whole seconds: wait for the next one.
	for time.Now().Unix() <= atLogin.IssuedAt.Unix() {
		time.Sleep(10 * time.Millisecond)
	}

	// A later request loads the session and saves it again, as apps do.
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(login)
	s, err := store.Get(r, "app-session")
	if err != nil {
		t.Fatal(err)
	}
	s.Values["visits"] = 2
	w := httptest.NewRecorder()
	if err := s.Save(r, w); err != nil {
		t.Fatal(err)
	}
	saved := w.Result().Cookies()
	if len(saved) != 1 {
		t.Fatalf("cookies %v", saved)
	}
	values, atSave, err := d.DecodeSession("app-session", saved[0].Value)
	if err != nil {
		t.Fatal(err)
	}
	if values["user_id"] != 7 {
		t.Fatalf("values %v", values)
	}
	if !atSave.IssuedAt.After(atLogin.IssuedAt) {
		t.Errorf("IssuedAt after a later Save = %v, at login %v: want the later save", atSave.IssuedAt, atLogin.IssuedAt)
	}
	if want := atSave.IssuedAt.Add(legacy.DefaultMaxAge); !atSave.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt = %v, want IssuedAt + 30 days = %v", atSave.ExpiresAt, want)
	}
}

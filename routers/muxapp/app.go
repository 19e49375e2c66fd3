// Package muxapp is the cookiesession recipe for net/http's ServeMux:
// wrap the mux in the Manager's LoadAndSave, and reach the session with
// Get(r.Context()).
package muxapp

import (
	"fmt"
	"net/http"

	"github.com/keyseal/keyseal/cookiesession"
)

// User is the session's data.
type User struct {
	Name   string `json:"name"`
	Visits int    `json:"visits,omitempty"`
}

// New returns the app, its sessions managed by sessions.
func New(sessions *cookiesession.Manager[User]) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		u := sessions.Get(r.Context()).Data()
		if u.Name == "" {
			fmt.Fprintln(w, "hello, stranger")
			return
		}
		fmt.Fprintf(w, "hello, %s (%d visits)\n", u.Name, u.Visits)
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		name := r.PostFormValue("name")
		if name == "" { // check the user's credentials here
			http.Error(w, "who are you?", http.StatusBadRequest)
			return
		}
		s := sessions.Get(r.Context())
		s.Set(User{Name: name})
		s.Renew() // a new token at every login, against session fixation
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	mux.HandleFunc("POST /visit", func(w http.ResponseWriter, r *http.Request) {
		sessions.Get(r.Context()).Update(func(u *User) { u.Visits++ })
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		sessions.Get(r.Context()).Destroy()
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	// The recipe: the session middleware around the mux. CrossOriginProtection
	// refuses cross-site form posts (CSRF) before they reach a session.
	return http.NewCrossOriginProtection().Handler(sessions.LoadAndSave(mux))
}

package cookiesession_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/keyseal/keyseal/cookiesession"
)

// TestSaveTooLarge: a handler learns from Save, before it answers, that
// its change does not fit; it can undo it and say so. A handler that
// ignores the error does not make the loss silent: OnError hears of it.
func TestSaveTooLarge(t *testing.T) {
	e := newEnv(t, nil)
	add := func(undo bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			s := e.m.Get(r.Context())
			old := s.Data()
			var n int
			fmt.Sscan(r.FormValue("n"), &n)
			s.Update(func(u *user) { u.Blob += randomText(n) })
			err := s.Save(w)
			var se *cookiesession.SizeError
			switch {
			case errors.As(err, &se) && errors.Is(err, cookiesession.ErrTooLarge):
				if undo {
					s.Set(old)
				}
				fmt.Fprintf(w, "cart full (%d > %d)", se.Size, se.Max)
			case err != nil:
				fmt.Fprint(w, err)
			default:
				s.AddFlash("added") // changed after Save: saved again
				io.WriteString(w, "added")
			}
		}
	}
	e.mux.HandleFunc("/add", add(true))
	e.mux.HandleFunc("/add-ignore", add(false))

	e.want("/login?name=ada", "ok")
	e.want("/flash", "welcome ada")
	resp := e.want("/add?n=100", "added")
	if n := len(setCookies(resp)); n != 1 {
		t.Fatalf("Save then AddFlash: %d Set-Cookie headers, want 1: %q", n, setCookies(resp))
	}
	e.want("/flash", "added")
	got, _ := e.get("/add?n=5000")
	if !strings.HasPrefix(got, "cart full (") {
		t.Fatalf("oversize add: %q", got)
	}
	if errs := e.takeErrors(); len(errs) != 0 {
		t.Fatalf("OnError after the handler undid the change: %v", errs)
	}
	e.want("/me", "ada 0")
	got, _ = e.get("/add-ignore?n=5000")
	if !strings.HasPrefix(got, "cart full (") {
		t.Fatalf("oversize add: %q", got)
	}
	if errs := e.takeErrors(); len(errs) != 1 || !errors.Is(errs[0], cookiesession.ErrTooLarge) {
		t.Fatalf("OnError got %v, want one ErrTooLarge", errs)
	}
	e.want("/me", "ada 0")
}

// bypassWriter is the writer of a router that hands its own writer to
// handlers, not the one middleware wrapped; like gin's, it can tell
// whether the response was written.
type bypassWriter struct {
	http.ResponseWriter
	written bool
}

func (w *bypassWriter) WriteHeader(code int) { w.written = true; w.ResponseWriter.WriteHeader(code) }

func (w *bypassWriter) Write(b []byte) (int, error) {
	w.written = true
	return w.ResponseWriter.Write(b)
}

func (w *bypassWriter) Written() bool { return w.written }

// bypassRouter runs middleware the way a plain adapter does on such a
// router: the handler inside writes to the router's writer.
func bypassRouter(mw func(http.Handler) http.Handler, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &bypassWriter{ResponseWriter: w}
		mw(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			h(rw, r) // the router's writer, not the middleware's
		})).ServeHTTP(rw, r)
	})
}

// TestSaveBypassingRouter: behind a router that does not pass the
// middleware's writer on, a change is lost but reported to OnError with
// ErrWritten, never silently; Session.Save writes the cookie there.
func TestSaveBypassingRouter(t *testing.T) {
	e := newEnv(t, nil)
	mux := http.NewServeMux()
	mux.HandleFunc("/set", func(w http.ResponseWriter, r *http.Request) {
		e.m.Get(r.Context()).Set(user{Name: r.FormValue("name")})
		io.WriteString(w, "ok")
	})
	mux.HandleFunc("/save", func(w http.ResponseWriter, r *http.Request) {
		s := e.m.Get(r.Context())
		s.Set(user{Name: r.FormValue("name")})
		if err := s.Save(w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		io.WriteString(w, "ok")
	})
	mux.HandleFunc("/me", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, e.m.Get(r.Context()).Data().Name)
	})
	srv := httptest.NewTLSServer(bypassRouter(e.m.LoadAndSave, mux.ServeHTTP))
	t.Cleanup(srv.Close)
	c := srv.Client()
	c.Jar, _ = cookiejar.New(nil)
	e.client = c
	e.srv = srv

	resp := e.want("/set?name=ada", "ok")
	if len(setCookies(resp)) != 0 {
		t.Fatalf("Set-Cookie written around the middleware: %q", setCookies(resp))
	}
	if errs := e.takeErrors(); len(errs) != 1 || !errors.Is(errs[0], cookiesession.ErrWritten) {
		t.Fatalf("lost change: OnError got %v, want one ErrWritten", errs)
	}
	e.want("/me", "")
	e.want("/save?name=bob", "ok")
	e.want("/me", "bob")
	if errs := e.takeErrors(); len(errs) != 0 {
		t.Fatalf("OnError with Save: %v", errs)
	}
}

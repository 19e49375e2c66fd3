package cookiesession_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// TestCacheHeaders: responses that touch the session vary on Cookie and
// are private; others are left alone; a stricter handler choice is kept.
func TestCacheHeaders(t *testing.T) {
	e := newEnv(t, nil)
	e.mux.HandleFunc("/cached", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", r.FormValue("cc"))
		w.Header().Set("Vary", "Accept-Encoding")
		e.m.Get(r.Context()).Data()
	})
	resp := e.want("/me", " 0")
	if v, cc := resp.Header.Values("Vary"), resp.Header.Get("Cache-Control"); len(v) != 1 || v[0] != "Cookie" || cc != "private, no-store" {
		t.Fatalf("session response: Vary %q, Cache-Control %q", v, cc)
	}
	resp = e.want("/none", "untouched")
	if v, cc := resp.Header.Values("Vary"), resp.Header.Get("Cache-Control"); len(v) != 0 || cc != "" {
		t.Fatalf("response without session: Vary %q, Cache-Control %q", v, cc)
	}
	for cc, want := range map[string]string{
		"public, max-age=3600":          "private, no-store",
		"no-store, no-cache":            "no-store, no-cache",
		"private, max-age=60":           "private, max-age=60",
		"max-age=0, must-revalidate":    "private, no-store",
		"no-cache, no-store, max-age=0": "no-cache, no-store, max-age=0",
	} {
		resp := e.want("/cached?cc="+strings.ReplaceAll(cc, " ", "+"), "")
		if got := resp.Header.Get("Cache-Control"); got != want {
			t.Errorf("handler set %q: Cache-Control %q, want %q", cc, got, want)
		}
		if v := resp.Header.Values("Vary"); strings.Join(v, ",") != "Accept-Encoding,Cookie" {
			t.Errorf("Vary %q", v)
		}
	}
}

// TestWriteWithoutHeader: a handler that writes a large body without
// WriteHeader still sends its Set-Cookie, and one that changes the session
// after writing gets ErrWritten through OnError.
func TestWriteWithoutHeader(t *testing.T) {
	e := newEnv(t, nil)
	big := strings.Repeat("x", 64<<10) // past net/http's buffer
	e.mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		e.m.Get(r.Context()).Set(user{Name: "ada"})
		io.WriteString(w, big)
	})
	e.mux.HandleFunc("/late", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "early")
		e.m.Get(r.Context()).Set(user{Name: "eve"})
	})
	e.mux.HandleFunc("/readfrom", func(w http.ResponseWriter, r *http.Request) {
		e.m.Get(r.Context()).Set(user{Name: "bob"})
		w.(io.ReaderFrom).ReadFrom(strings.NewReader("copied"))
	})
	if resp := e.want("/big", big); len(setCookies(resp)) != 1 {
		t.Fatal("no Set-Cookie on a body written without WriteHeader")
	}
	e.want("/me", "ada 0")
	e.want("/late", "early")
	if errs := e.takeErrors(); len(errs) != 1 || !errors.Is(errs[0], cookiesession.ErrWritten) {
		t.Fatalf("OnError got %v, want ErrWritten", errs)
	}
	e.want("/me", "ada 0")
	e.want("/readfrom", "copied")
	e.want("/me", "bob 0")

	// A copy that reads nothing sends nothing (net/http sends no header
	// either): the session stays open to changes until the first byte.
	e.mux.HandleFunc("/readfrom-empty", func(w http.ResponseWriter, r *http.Request) {
		if n, err := io.Copy(w, strings.NewReader("")); n != 0 || err != nil {
			t.Errorf("empty copy: %d, %v", n, err)
		}
		if n, err := w.(io.ReaderFrom).ReadFrom(iotest.ErrReader(io.ErrUnexpectedEOF)); n != 0 || err != io.ErrUnexpectedEOF {
			t.Errorf("failing copy: %d, %v", n, err)
		}
		e.m.Get(r.Context()).Set(user{Name: "cy"})
		w.Header().Set("X-After-Copy", "1")
		io.WriteString(w, "ok")
	})
	resp := e.want("/readfrom-empty", "ok")
	if resp.Header.Get("X-After-Copy") != "1" || len(setCookies(resp)) != 1 {
		t.Fatalf("after an empty copy: X-After-Copy %q, Set-Cookie %q", resp.Header.Get("X-After-Copy"), setCookies(resp))
	}
	if errs := e.takeErrors(); len(errs) != 0 {
		t.Fatalf("OnError got %v", errs)
	}
	e.want("/me", "cy 0")

	// A file copied through the sendfile path arrives whole, with the
	// cookie and a sniffed Content-Type.
	page := "<!DOCTYPE html><p>" + strings.Repeat("y", 100<<10)
	file := filepath.Join(t.TempDir(), "page")
	if err := os.WriteFile(file, []byte(page), 0o600); err != nil {
		t.Fatal(err)
	}
	e.mux.HandleFunc("/readfrom-file", func(w http.ResponseWriter, r *http.Request) {
		e.m.Get(r.Context()).Set(user{Name: "di"})
		f, err := os.Open(file)
		if err != nil {
			t.Error(err)
			return
		}
		defer f.Close()
		if n, err := io.Copy(w, f); n != int64(len(page)) || err != nil {
			t.Errorf("file copy: %d, %v", n, err)
		}
	})
	resp = e.want("/readfrom-file", page)
	if ct := resp.Header.Get("Content-Type"); len(setCookies(resp)) != 1 || !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("file copy: Content-Type %q, Set-Cookie %q", ct, setCookies(resp))
	}
	e.want("/me", "di 0")
}

// TestFlushHijack: Flush and Hijack reach the underlying writer, through
// type assertions and through http.ResponseController; a flush sends the
// session's cookie first.
func TestFlushHijack(t *testing.T) {
	e := newEnv(t, nil)
	e.mux.HandleFunc("/flush", func(w http.ResponseWriter, r *http.Request) {
		e.m.Get(r.Context()).Set(user{Name: "ada"})
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Error(err)
		}
		io.WriteString(w, "a")
		w.(http.Flusher).Flush()
		io.WriteString(w, "b")
	})
	e.mux.HandleFunc("/hijack", func(w http.ResponseWriter, r *http.Request) {
		e.m.Get(r.Context()).Data()
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		rw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked")
		rw.Flush()
	})
	e.mux.HandleFunc("/hijack2", func(w http.ResponseWriter, r *http.Request) {
		e.m.Get(r.Context()).Set(user{Name: "eve"}) // never sent
		conn, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		rw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi")
		rw.Flush()
	})
	resp := e.want("/flush", "ab")
	if len(setCookies(resp)) != 1 {
		t.Fatal("no Set-Cookie on a flushed response")
	}
	e.want("/me", "ada 0")
	e.want("/hijack", "hijacked")
	if errs := e.takeErrors(); len(errs) != 0 {
		t.Fatalf("OnError: %v", errs)
	}
	// A change made before a Hijack is lost with the connection: said once.
	e.want("/hijack2", "hi")
	if errs := e.takeErrors(); len(errs) != 1 || !errors.Is(errs[0], cookiesession.ErrWritten) {
		t.Fatalf("OnError after a change then a Hijack: %v, want one ErrWritten", errs)
	}
}

// TestEarlyHints: a 103 response does not carry the session's cookie; the
// final response does.
func TestEarlyHints(t *testing.T) {
	e := newEnv(t, nil)
	e.mux.HandleFunc("/hints", func(w http.ResponseWriter, r *http.Request) {
		e.m.Get(r.Context()).Set(user{Name: "ada"})
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, "ok")
	})
	var hints []string
	n1xx := 0
	trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
		n1xx++
		hints = append(hints, h.Values("Set-Cookie")...)
		return nil
	}}
	req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", e.srv.URL+"/hints", nil)
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n1xx != 1 || len(setCookies(resp)) != 1 || len(hints) != 0 {
		t.Fatalf("%d 1xx responses; Set-Cookie on the 103: %q, on the 200: %q", n1xx, hints, setCookies(resp))
	}
	e.want("/me", "ada 0")
}

// TestFailedHijack: a Hijack that fails, as every Hijack over HTTP/2 does,
// leaves the response to the handler, and the session is saved.
func TestFailedHijack(t *testing.T) {
	e := newEnv(t, nil)
	srv := httptest.NewUnstartedServer(e.m.LoadAndSave(e.mux))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	e.mux.HandleFunc("/upgrade", func(w http.ResponseWriter, r *http.Request) {
		e.m.Get(r.Context()).Set(user{Name: "ada"})
		if _, _, err := http.NewResponseController(w).Hijack(); !errors.Is(err, http.ErrNotSupported) {
			t.Errorf("Hijack over HTTP/2: %v", err)
		}
		io.WriteString(w, "fallback")
	})
	resp, err := srv.Client().Get(srv.URL + "/upgrade")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.ProtoMajor != 2 || len(resp.Cookies()) != 1 {
		t.Fatalf("%s: Set-Cookie %q", resp.Proto, setCookies(resp))
	}
	if errs := e.takeErrors(); len(errs) != 0 {
		t.Fatalf("OnError: %v", errs)
	}
}

// TestChangeAfterHijack: a change made after a successful Hijack cannot be
// saved, and OnError says so.
func TestChangeAfterHijack(t *testing.T) {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	var errs []error // written before done is closed
	var m *cookiesession.Manager[user]
	m, err = cookiesession.New(ring, cookiesession.Config[user]{
		OnError: func(r *http.Request, err error) { errs = append(errs, err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	h := m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		m.Get(r.Context()).Set(user{Name: "eve"}) // too late
		rw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi")
		rw.Flush()
	}))
	done := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	<-done
	if len(errs) != 1 || !errors.Is(errs[0], cookiesession.ErrWritten) {
		t.Fatalf("OnError %v, want ErrWritten", errs)
	}
}

// noFlush is a ResponseWriter that cannot flush, like a middleware's
// wrapper that forwards only the three methods.
type noFlush struct{ w http.ResponseWriter }

func (n noFlush) Header() http.Header         { return n.w.Header() }
func (n noFlush) Write(b []byte) (int, error) { return n.w.Write(b) }
func (n noFlush) WriteHeader(code int)        { n.w.WriteHeader(code) }

// TestFlushUnsupported: a flush that the writer below cannot do sends
// nothing, so a later change is still saved.
func TestFlushUnsupported(t *testing.T) {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	var errs []error
	var m *cookiesession.Manager[user]
	m, err = cookiesession.New(ring, cookiesession.Config[user]{
		OnError: func(r *http.Request, err error) { errs = append(errs, err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	v, err := cookiesession.New(ring, cookiesession.Config[visits]{Name: "__Host-visits"})
	if err != nil {
		t.Fatal(err)
	}
	// The inner Manager sees the outer one's writer, which offers Flush.
	h := m.LoadAndSave(v.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := http.NewResponseController(w).Flush(); !errors.Is(err, http.ErrNotSupported) {
			t.Errorf("Flush: %v", err)
		}
		w.(http.Flusher).Flush()
		m.Get(r.Context()).Set(user{Name: "ada"})
		v.Get(r.Context()).Set(visits{N: 1})
		io.WriteString(w, "ok")
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(noFlush{rec}, httptest.NewRequest("GET", "https://example.com/", nil))
	if len(rec.Result().Cookies()) != 2 || len(errs) != 0 {
		t.Fatalf("Set-Cookie %q, OnError %v", rec.Header().Values("Set-Cookie"), errs)
	}
}

package ginsession_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/routers/ginsession"
	"github.com/keyseal/keyseal/routers/internal/flow"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

type user struct{ Name string }

// naive adapts net/http middleware to gin the usual way: the request with
// the session goes on, but the handlers keep gin's writer.
func naive(mw func(http.Handler) http.Handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		mw(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			c.Request = r
			c.Next()
		})).ServeHTTP(c.Writer, c.Request)
	}
}

// newEngine returns an engine with the session middleware mw and a GET
// /who that tells the session's name.
func newEngine(m *cookiesession.Manager[user], mw gin.HandlerFunc) *gin.Engine {
	r := gin.New()
	r.Use(mw)
	r.GET("/who", func(c *gin.Context) {
		c.String(http.StatusOK, "%s", ginsession.Get(m, c).Data().Name)
	})
	return r
}

// loginAndWrite sets the session, then writes the body.
func loginAndWrite(m *cookiesession.Manager[user]) gin.HandlerFunc {
	return func(c *gin.Context) {
		ginsession.Get(m, c).Set(user{"ada"})
		c.String(http.StatusOK, "logged in")
	}
}

// TestNaiveAdapterLosesCookie shows why the package exists: with the usual
// adapter, a session set before the body is written is lost (cookiesession
// sees gin's writer report the response written and tells OnError, with
// ErrWritten); with LoadAndSave it is saved.
func TestNaiveAdapterLosesCookie(t *testing.T) {
	m, errs := flow.Manager[user](t)
	r := newEngine(m, naive(m.LoadAndSave))
	r.POST("/login", loginAndWrite(m))
	b := flow.Start(t, r)
	resp := b.Post("/login", nil)
	if resp.Status != http.StatusOK || resp.Body != "logged in" {
		t.Fatalf("naive: %d %q", resp.Status, resp.Body)
	}
	if len(resp.SetCookie) != 0 {
		t.Fatalf("naive: the adapter saved the session (%q): this test no longer shows the loss", resp.SetCookie)
	}
	if got := errs.Take(); len(got) != 1 || !errors.Is(got[0], cookiesession.ErrWritten) {
		t.Fatalf("naive: OnError heard %v, want the loss reported as ErrWritten", got)
	}

	r = newEngine(m, ginsession.LoadAndSave(m))
	r.POST("/login", loginAndWrite(m))
	b = flow.Start(t, r)
	resp = b.Post("/login", nil)
	if len(resp.SetCookie) != 1 || !strings.HasPrefix(resp.SetCookie[0], m.Name()+"=") {
		t.Fatalf("LoadAndSave: Set-Cookie %q, want the session's", resp.SetCookie)
	}
	if who := b.Get("/who").Body; who != "ada" {
		t.Fatalf("LoadAndSave: the next request's session is %q, want ada", who)
	}
	if got := errs.Take(); len(got) != 0 {
		t.Fatalf("LoadAndSave: OnError heard %v", got)
	}
}

// TestSendThenChange: every way a gin handler sends the headers saves the
// session first; a change after it is reported as ErrWritten and the
// cookie keeps the session as it was when the headers went.
func TestSendThenChange(t *testing.T) {
	sends := map[string]func(c *gin.Context){
		"String":         func(c *gin.Context) { c.String(http.StatusOK, "body") },
		"JSON":           func(c *gin.Context) { c.JSON(http.StatusOK, map[string]int{"n": 1}) },
		"Write":          func(c *gin.Context) { _, _ = c.Writer.Write([]byte("body")) },
		"WriteString":    func(c *gin.Context) { _, _ = c.Writer.WriteString("body") },
		"io.Copy":        func(c *gin.Context) { _, _ = io.Copy(c.Writer, strings.NewReader("body")) },
		"WriteHeaderNow": func(c *gin.Context) { c.Writer.WriteHeaderNow() },
		"AbortWithStatus": func(c *gin.Context) {
			c.AbortWithStatus(http.StatusOK)
		},
		"Flush": func(c *gin.Context) { c.Writer.Flush() },
		"ResponseController.Flush": func(c *gin.Context) {
			if err := http.NewResponseController(c.Writer).Flush(); err != nil {
				panic(err)
			}
		},
		"GET redirect": func(c *gin.Context) { c.Redirect(http.StatusFound, "/who") },
		"WrapH": gin.WrapF(func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprint(w, "body")
		}),
	}
	for name, send := range sends {
		t.Run(name, func(t *testing.T) {
			m, errs := flow.Manager[user](t)
			r := newEngine(m, ginsession.LoadAndSave(m))
			r.GET("/send", func(c *gin.Context) {
				s := ginsession.Get(m, c)
				s.Set(user{"before"})
				send(c)
				s.Set(user{"after"})
			})
			b := flow.Start(t, r)
			resp := b.Get("/send")
			if len(resp.SetCookie) != 1 {
				t.Fatalf("Set-Cookie %q, want the session's", resp.SetCookie)
			}
			got := errs.Take()
			if len(got) != 1 || !errors.Is(got[0], cookiesession.ErrWritten) {
				t.Fatalf("OnError heard %v, want one ErrWritten", got)
			}
			if who := b.Get("/who").Body; who != "before" {
				t.Fatalf("the cookie holds %q, want the session as the headers went", who)
			}
		})
	}
}

// TestStatusThenChange: a status set alone sends nothing in gin, so the
// session may still change after it, and is saved.
func TestStatusThenChange(t *testing.T) {
	for name, status := range map[string]func(c *gin.Context){
		"Status":        func(c *gin.Context) { c.Status(http.StatusNoContent) },
		"POST redirect": func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/who") },
		"WriteHeader":   func(c *gin.Context) { c.Writer.WriteHeader(http.StatusAccepted) },
	} {
		t.Run(name, func(t *testing.T) {
			m, errs := flow.Manager[user](t)
			r := newEngine(m, ginsession.LoadAndSave(m))
			r.POST("/status", func(c *gin.Context) {
				status(c)
				ginsession.Get(m, c).Set(user{"after"})
			})
			b := flow.Start(t, r)
			if resp := b.Post("/status", nil); len(resp.SetCookie) != 1 {
				t.Fatalf("Set-Cookie %q, want the session's", resp.SetCookie)
			}
			if who := b.Get("/who").Body; who != "after" {
				t.Fatalf("the cookie holds %q, want after", who)
			}
			if got := errs.Take(); len(got) != 0 {
				t.Fatalf("OnError heard %v", got)
			}
		})
	}
}

// TestHijack: a connection hijacked with a changed session loses the
// change, and OnError hears so.
func TestHijack(t *testing.T) {
	m, errs := flow.Manager[user](t)
	r := newEngine(m, ginsession.LoadAndSave(m))
	r.GET("/hijack", func(c *gin.Context) {
		ginsession.Get(m, c).Set(user{"ada"})
		conn, buf, err := c.Writer.Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
		_ = buf.Flush()
	})
	b := flow.Start(t, r)
	resp := b.Get("/hijack")
	if resp.Body != "ok" || len(resp.SetCookie) != 0 {
		t.Fatalf("got %q with Set-Cookie %q", resp.Body, resp.SetCookie)
	}
	got := errs.Take()
	if len(got) != 1 || !errors.Is(got[0], cookiesession.ErrWritten) {
		t.Fatalf("OnError heard %v, want one ErrWritten", got)
	}
}

// TestRestores: middleware before LoadAndSave sees gin's own writer and
// request again once the handlers return, with the status and size they
// wrote.
func TestRestores(t *testing.T) {
	m, _ := flow.Manager[user](t)
	type seen struct {
		Same         bool
		Status, Size int
	}
	saw := make(chan seen, 1)
	r := gin.New()
	r.Use(func(c *gin.Context) {
		w, req := c.Writer, c.Request
		c.Next()
		saw <- seen{c.Writer == w && c.Request == req, c.Writer.Status(), c.Writer.Size()}
	})
	r.Use(ginsession.LoadAndSave(m))
	r.GET("/", func(c *gin.Context) {
		ginsession.Get(m, c).Set(user{"ada"})
		c.String(http.StatusCreated, "hello")
	})
	b := flow.Start(t, r)
	if resp := b.Get("/"); resp.Status != http.StatusCreated || len(resp.SetCookie) != 1 {
		t.Fatalf("got %d with Set-Cookie %q", resp.Status, resp.SetCookie)
	}
	if got, want := <-saw, (seen{true, http.StatusCreated, len("hello")}); got != want {
		t.Fatalf("the outer middleware saw %+v, want %+v", got, want)
	}
}

// TestGet: Get works whatever Engine.ContextWithFallback says, where the
// Manager's own Get on gin's context needs the fallback.
func TestGet(t *testing.T) {
	for _, fallback := range []bool{false, true} {
		t.Run(fmt.Sprint("fallback=", fallback), func(t *testing.T) {
			m, _ := flow.Manager[user](t)
			r := gin.New()
			r.ContextWithFallback = fallback
			r.Use(ginsession.LoadAndSave(m))
			r.GET("/", func(c *gin.Context) {
				viaGet := ginsession.Get(m, c)
				viaCtx := func() (s *cookiesession.Session[user]) {
					defer func() { _ = recover() }()
					return m.Get(c)
				}()
				c.String(http.StatusOK, "%t %t", viaGet != nil, viaCtx == viaGet)
			})
			want := fmt.Sprintf("true %t", fallback)
			if got := flow.Start(t, r).Get("/").Body; got != want {
				t.Fatalf("got %q, want %q", got, want)
			}
		})
	}
}

// Package ginsession runs a keyseal cookiesession Manager as gin
// middleware.
//
// gin's handlers write through c.Writer, gin's own writer, not through the
// http.ResponseWriter that a net/http middleware hands on. Adapting
// Manager.LoadAndSave the usual way, with a handler that sets c.Request and
// calls c.Next, therefore loses the cookie: the handlers send the headers
// through gin's writer, and the middleware adds Set-Cookie to them after
// they are gone (cookiesession sees gin's writer report the response
// written and tells Config.OnError, but the cookie is lost). [LoadAndSave]
// also gives the
// handlers a c.Writer that saves the session just before gin sends the
// headers:
//
//	sessions, _ := cookiesession.New(ring, cookiesession.Config[User]{})
//	r := gin.New()
//	r.Use(ginsession.LoadAndSave(sessions))
//	r.POST("/login", func(c *gin.Context) {
//		s := ginsession.Get(sessions, c)
//		s.Set(User{Name: c.PostForm("name")})
//		s.Renew()
//		c.Redirect(http.StatusSeeOther, "/")
//	})
//
// As with net/http, change the session before the body's first byte:
// after c.String, c.JSON, c.Writer.Write, WriteHeaderNow or Flush, a
// change cannot be saved and Config.OnError hears
// [cookiesession.ErrWritten]. A status set alone (c.Status, c.Redirect
// for a POST) sends nothing yet, as in gin itself, so the session may
// still change after it.
package ginsession

import (
	"bufio"
	"io"
	"net"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/keyseal/keyseal/cookiesession"
)

// LoadAndSave returns gin middleware that gives the handlers after it a
// session of m (see [cookiesession.Manager.LoadAndSave]) and writes its
// cookie before gin sends the response's headers. Once the handlers
// return, c.Writer and c.Request are gin's again.
func LoadAndSave[T any](m *cookiesession.Manager[T]) gin.HandlerFunc {
	return func(c *gin.Context) {
		gw, req := c.Writer, c.Request
		defer func() { c.Writer, c.Request = gw, req }()
		m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c.Writer, c.Request = &writer{ResponseWriter: gw, session: w}, r
			c.Next()
		})).ServeHTTP(gw, req)
	}
}

// Get returns the session of a request served through LoadAndSave. It
// reads it from c.Request's context, which gin's own context reaches only
// with Engine.ContextWithFallback; like [cookiesession.Manager.Get], it
// panics without LoadAndSave.
func Get[T any](m *cookiesession.Manager[T], c *gin.Context) *cookiesession.Session[T] {
	return m.Get(c.Request.Context())
}

// writer is the c.Writer that handlers get. Whatever sends the headers
// goes through session, LoadAndSave's writer, which saves the session
// first and then calls gin's writer beneath it; the rest (the status
// recorded before it is sent, the size, Written, CloseNotify, Pusher) is
// gin's own writer's.
type writer struct {
	gin.ResponseWriter                     // gin's writer, under session
	session            http.ResponseWriter // LoadAndSave's writer
}

// Write saves the session before the first byte of the body.
func (w *writer) Write(b []byte) (int, error) { return w.session.Write(b) }

// WriteString saves the session before the first byte of the body.
func (w *writer) WriteString(s string) (int, error) { return io.WriteString(w.session, s) }

// WriteHeaderNow saves the session, then sends the headers.
func (w *writer) WriteHeaderNow() {
	if !w.Written() {
		// The session's writer saves, then hands gin's writer the status
		// it already holds, which changes nothing.
		w.session.WriteHeader(w.Status())
	}
	w.ResponseWriter.WriteHeaderNow()
}

// Flush saves the session, then flushes.
func (w *writer) Flush() { _ = http.NewResponseController(w.session).Flush() }

// Hijack hands over the connection through the session's writer, which
// reports a change that the hijacked connection loses.
func (w *writer) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.session).Hijack()
}

// Unwrap lets http.ResponseController reach the session's writer, and
// through it gin's and net/http's.
func (w *writer) Unwrap() http.ResponseWriter { return w.session }

package cookiesession

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
)

// writer saves the session into the response's headers just before they
// are sent: on WriteHeader, the first Write, Flush or ReadFrom, or when the
// handler returns without writing.
type writer[T any] struct {
	http.ResponseWriter
	s *Session[T]
}

// commit saves the session once. Only the request's goroutine runs the
// writer, so s.committed needs no lock.
func (w *writer[T]) commit() {
	if !w.s.committed {
		w.s.committed = true
		w.s.save(w.ResponseWriter.Header())
	}
}

// WriteHeader saves the session, except before informational (1xx)
// responses, which are followed by the real one.
func (w *writer[T]) WriteHeader(code int) {
	if code < 100 || code >= 200 || code == http.StatusSwitchingProtocols {
		w.commit()
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write saves the session before the first byte of the body.
func (w *writer[T]) Write(b []byte) (int, error) {
	w.commit()
	return w.ResponseWriter.Write(b)
}

// ReadFrom keeps the underlying writer's sendfile path. Like Write, it
// saves the session before the first byte of the body, and not before: a
// source with nothing to read sends nothing, as with net/http's own
// ReadFrom, and leaves the session open to changes.
func (w *writer[T]) ReadFrom(r io.Reader) (int64, error) {
	if w.s.committed {
		return io.Copy(w.ResponseWriter, r)
	}
	var first [1]byte
	if n, err := io.ReadFull(r, first[:]); n == 0 {
		if err == io.EOF {
			err = nil
		}
		return 0, err
	}
	if _, err := w.Write(first[:]); err != nil {
		return 0, err
	}
	n, err := io.Copy(w.ResponseWriter, r)
	return 1 + n, err
}

// Flush implements http.Flusher.
func (w *writer[T]) Flush() { _ = w.FlushError() }

// FlushError is what http.ResponseController.Flush calls. A writer that
// cannot flush sends nothing, so the session stays open to changes.
func (w *writer[T]) FlushError() error {
	if canFlush(w.ResponseWriter) {
		w.commit()
	}
	return http.NewResponseController(w.ResponseWriter).Flush()
}

// canFlush reports whether http.ResponseController can flush rw: it
// follows the same Unwrap chain, and sees through the writer of another
// Manager, which always offers FlushError.
func canFlush(rw http.ResponseWriter) bool {
	for {
		switch t := rw.(type) {
		case interface{ flushes() bool }:
			return t.flushes()
		case interface{ FlushError() error }, http.Flusher:
			return true
		case interface{ Unwrap() http.ResponseWriter }:
			rw = t.Unwrap()
		default:
			return false
		}
	}
}

// flushes reports whether FlushError can flush, for canFlush.
func (w *writer[T]) flushes() bool { return canFlush(w.ResponseWriter) }

// Hijack implements http.Hijacker. A hijacked connection sends no headers,
// so the session is not saved: a change made before the Hijack (such as a
// Set before a WebSocket upgrade that writes its own response) or after it
// is lost and reported as ErrWritten. A Hijack that fails (HTTP/2, or a
// writer that cannot) leaves the response to the handler, which may still
// save it.
func (w *writer[T]) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil {
		w.s.committed = true
		if w.s.hijacked() {
			w.s.m.onError(w.s.r, ErrWritten)
		}
	}
	return conn, rw, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *writer[T]) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// errWrittenAround is OnError's reason for a session whose cookie could
// not be written because the response went out around LoadAndSave.
var errWrittenAround = fmt.Errorf("%w (the handler wrote the response through a ResponseWriter other than LoadAndSave's; call Session.Save(w) before writing)", ErrWritten)

// writtenAround reports whether rw, the writer LoadAndSave was given,
// says its response was written, as the writers of routers such as gin
// and negroni can (Written() bool). A plain net/http writer cannot
// tell: behind a router that bypasses LoadAndSave's writer that way, only
// Session.Save writes the cookie.
func writtenAround(rw http.ResponseWriter) bool {
	for range 16 {
		switch t := rw.(type) {
		case interface{ Written() bool }:
			return t.Written()
		case interface{ Unwrap() http.ResponseWriter }:
			rw = t.Unwrap()
		default:
			return false
		}
	}
	return false
}

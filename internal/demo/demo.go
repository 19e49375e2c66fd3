// Package demo is keyseal's demo web app: log in and out, a per-session
// counter, flash messages, the session's key ID and times, and (with key
// controls on) buttons to add, promote and retire keys, so you can watch a
// rotation keep you logged in.
//
// Key controls are on for the demo's own in-memory keyring and off for a
// keyring file (Options.KeyControls turns them on): they rewrite the
// operator's file. When on, every key operation must carry a secret token
// made at start and held only by the page's forms, so a request that did
// not come from the page (curl from another local user, a container on the
// host network) is refused with 403.
//
// It serves plain HTTP on a loopback address in cookiesession's explicit
// InsecureDevMode. It also backs the cluster harness: several instances
// share one keyring file (followed with hot reload) behind a load balancer,
// and a JSON API under /api/ lets a load client log in and count.
package demo

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/internal/loopback"
	"github.com/keyseal/keyseal/keyring"
)

// Options configure the demo. The zero value serves on 127.0.0.1:8080 with
// an ephemeral keyring and key controls.
type Options struct {
	// Addr is the listen address; it must be a loopback address because
	// the demo runs without TLS. Empty means 127.0.0.1:8080.
	Addr string
	// KeyringFile, if set, is a keyring file followed with hot reload;
	// the key buttons are then off unless KeyControls is set, and rewrite
	// it. Empty means an ephemeral keyring generated at start.
	KeyringFile string
	// Poll is the keyring file's poll interval; zero means keyring's default.
	Poll time.Duration
	// Instance names this instance in the X-Instance header and the page.
	Instance string
	// ClockSkew shifts this instance's clock, to test tolerance of skew
	// between instances.
	ClockSkew time.Duration
	// Leeway is the clock skew tolerated on session cookies' times
	// (codec.Config's Leeway): zero means keyseal.DefaultLeeway, negative
	// none. The cluster harness shortens it so that its key-rotation drain,
	// which waits the leeway out, is short.
	Leeway time.Duration
	// NoKeyControls hides the add/promote/retire buttons and refuses their
	// requests.
	NoKeyControls bool
	// KeyControls turns the key buttons on for a KeyringFile, where they
	// are off by default: they rewrite the operator's file.
	KeyControls bool
	// IdleTimeout and AbsoluteLifetime set the session's expiry; zero
	// means cookiesession's defaults.
	IdleTimeout, AbsoluteLifetime time.Duration
	// Logger receives request errors and keyring reloads; nil means slog's default.
	Logger *slog.Logger
}

// Session is the demo's typed session data.
type Session struct {
	User  string `json:"u,omitempty"`
	Count int    `json:"n,omitempty"`
}

// Server is a running demo app's handler and state.
type Server struct {
	opts     Options
	log      *slog.Logger
	sessions *cookiesession.Manager[Session]
	keys     keySource
	invalid  atomic.Int64 // cookies refused, for the page and /api/stats
	mu       sync.Mutex   // serialises key operations
	controls bool         // key operations allowed
	token    string       // this run's secret for key operations, held by the page
}

// keySource is a keyring.Source the key buttons can change.
type keySource interface {
	keyring.Source
	// change applies a key operation to the current ring and swaps the
	// result in.
	change(func(*keyring.Ring) (*keyring.Ring, error)) error
	close()
}

// New builds the demo app.
func New(o Options) (*Server, error) {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:8080"
	}
	if o.KeyControls && o.NoKeyControls {
		return nil, errors.New("demo: key controls both turned on and off")
	}
	s := &Server{opts: o, log: o.Logger}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.controls = !o.NoKeyControls && (o.KeyringFile == "" || o.KeyControls)
	s.token = rand.Text()
	var err error
	if o.KeyringFile != "" {
		s.keys, err = watchFile(o.KeyringFile, o.Poll, s.log)
	} else {
		s.keys, err = ephemeral()
	}
	if err != nil {
		return nil, err
	}
	s.sessions, err = cookiesession.New(s.keys, cookiesession.Config[Session]{
		InsecureDevMode:  true,
		IdleTimeout:      o.IdleTimeout,
		AbsoluteLifetime: o.AbsoluteLifetime,
		Leeway:           o.Leeway,
		Clock:            s.now,
		OnInvalid: func(r *http.Request, err error) {
			s.invalid.Add(1)
			s.log.Info("demo: session cookie refused", "reason", err)
		},
	})
	if err != nil {
		s.keys.close()
		return nil, err
	}
	return s, nil
}

func (s *Server) now() time.Time { return time.Now().Add(s.opts.ClockSkew) }

// Close releases the keyring watcher.
func (s *Server) Close() { s.keys.close() }

// Handler returns the app's handler: routes, sessions and cross-origin
// protection for the forms.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.logout)
	mux.HandleFunc("POST /count", s.count)
	mux.HandleFunc("POST /keys/{op}", s.keyOp)
	mux.HandleFunc("GET /api/session", s.apiSession)
	mux.HandleFunc("POST /api/login", s.apiLogin)
	mux.HandleFunc("POST /api/count", s.apiCount)
	mux.HandleFunc("POST /api/logout", s.apiLogout)
	mux.HandleFunc("GET /healthz", s.health)
	h := s.sessions.LoadAndSave(mux)
	h = http.NewCrossOriginProtection().Handler(h)
	return guard(s.instanceHeader(h))
}

// guard refuses requests for a host that is not this machine, and keeps
// the pages out of frames. Binding to loopback is not enough: a web page
// whose name an attacker re-points at 127.0.0.1 (DNS rebinding) is
// same-origin with the demo as far as the browser knows, so the
// cross-origin check lets its posts through (the key buttons need no
// session). Its requests carry its own name in Host. And a page that
// frames the demo could trick a click on a key button.
func guard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr.Set("X-Frame-Options", "DENY")
		hdr.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Referrer-Policy", "no-referrer")
		if !loopback.Host(r.Host) {
			http.Error(w, "demo: this server answers only for localhost and loopback addresses", http.StatusMisdirectedRequest)
			return
		}
		// JSON only: a cross-origin page cannot send it without a CORS
		// preflight, which the demo never grants (defence in depth behind
		// the cross-origin check).
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/") {
			if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
				http.Error(w, "demo: the API takes Content-Type: application/json", http.StatusUnsupportedMediaType)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

func (s *Server) instanceHeader(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.opts.Instance != "" {
			w.Header().Set("X-Instance", s.opts.Instance)
		}
		h.ServeHTTP(w, r)
	})
}

// Run serves the demo until ctx is done. ready, if not nil, is called with
// the listening address (useful with port 0).
func Run(ctx context.Context, o Options, ready func(addr string)) error {
	s, err := New(o)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := requireLoopback(s.opts.Addr); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shut); err != nil {
			return err
		}
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// requireLoopback refuses listening beyond this machine: the demo serves
// session cookies over plain HTTP.
func requireLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("demo: bad address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("demo: address %q is not loopback; the demo serves cookies over plain HTTP (InsecureDevMode) and must stay on this machine", addr)
}

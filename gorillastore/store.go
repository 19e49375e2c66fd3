package gorillastore

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/sessions"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
	"github.com/keyseal/keyseal/legacy"
)

// DefaultMaxAge is a session's longest lifetime when Config.MaxAge is zero:
// 30 days, gorilla's CookieStore default.
const DefaultMaxAge = 30 * 24 * time.Hour

// Config holds a store's options. The zero value is the secure default.
// MaxAge, Leeway, MaxTokenSize and Clock follow the contract every keyseal
// format shares (package keyseal).
type Config struct {
	// MaxAge is the longest a session lives after its last Save, enforced
	// when it is opened; it is also the default Options.MaxAge. Zero
	// means DefaultMaxAge.
	MaxAge time.Duration
	// Leeway is the clock skew tolerated on the times of a session. Zero
	// means keyseal.DefaultLeeway; a negative value means none.
	Leeway time.Duration
	// MaxTokenSize is the longest cookie value Save writes and Get
	// accepts. Zero means keyseal.DefaultMaxTokenSize (4096), what every
	// browser keeps.
	MaxTokenSize int
	// Legacy, when set, opens cookies written by gorilla's CookieStore (or
	// securecookie with gob), so that existing sessions move over: see
	// the package doc. Its Config holds the old key pairs and the cutoff.
	Legacy *legacy.Decoder
	// Clock returns the current time; nil means time.Now. For tests.
	Clock func() time.Time
}

// Store is a [sessions.Store] that keeps sessions in keyseal-sealed
// cookies. It is safe for concurrent use, once Options is no longer
// changed (as with gorilla's stores, set it before serving).
type Store struct {
	// Options are the default options of new sessions, copied into each
	// (session.Options may then be changed per session). New sets them to
	// DefaultOptions with MaxAge from Config.MaxAge; nil means those.
	Options *sessions.Options

	src    keyring.Source
	cfg    codec.Config // with MaxAge resolved
	legacy *legacy.Decoder
	clock  func() time.Time
	codecs sync.Map // cookie name -> *codec.Codec
}

var _ sessions.Store = (*Store)(nil)

// DefaultOptions returns the options New gives a store: Path "/", MaxAge
// 30 days, Secure, HttpOnly and SameSite=Lax.
func DefaultOptions() *sessions.Options {
	return &sessions.Options{
		Path:     "/",
		MaxAge:   int(DefaultMaxAge / time.Second),
		Secure:   true,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	}
}

// New returns a store sealing sessions under the keys src supplies. It
// refuses a bad Config with a *keyseal.ConfigError and a ring native tokens
// cannot use with keyseal.ErrNoUsableKey or keyseal.ErrNoKeyring.
func New(src keyring.Source, cfg Config) (*Store, error) {
	if cfg.MaxAge == 0 {
		cfg.MaxAge = DefaultMaxAge
	}
	clock := cfg.Clock
	if clock == nil {
		clock = time.Now
	}
	st := &Store{
		src: src,
		cfg: codec.Config{MaxAge: cfg.MaxAge, Leeway: cfg.Leeway, MaxTokenSize: cfg.MaxTokenSize, Clock: clock,
			// The store never compresses; a compressed token (sealed
			// elsewhere under the same key) expands no further than a
			// token may be long, so gob never reads more than that.
			MaxDecompressedSize: cmp.Or(cfg.MaxTokenSize, keyseal.DefaultMaxTokenSize)},
		legacy: cfg.Legacy,
		clock:  clock,
	}
	// Validate the Config and the ring now, not on the first request.
	if _, err := codec.New(src, "session", st.cfg); err != nil {
		var ce *keyseal.ConfigError
		if errors.As(err, &ce) {
			return nil, &keyseal.ConfigError{Package: "gorillastore", Field: ce.Field, Reason: ce.Reason}
		}
		return nil, err
	}
	st.Options = DefaultOptions()
	st.Options.MaxAge = int(cfg.MaxAge / time.Second)
	return st, nil
}

// codec returns the codec of sessions named name, built on first use:
// a token is bound to its cookie's name.
func (st *Store) codec(name string) (*codec.Codec, error) {
	if c, ok := st.codecs.Load(name); ok {
		return c.(*codec.Codec), nil
	}
	if !validName(name) {
		return nil, fmt.Errorf("gorillastore: invalid cookie name %q", name)
	}
	c, err := codec.New(st.src, name, st.cfg)
	if err != nil {
		return nil, fmt.Errorf("gorillastore: session %q: %w", name, err)
	}
	got, _ := st.codecs.LoadOrStore(name, c)
	return got.(*codec.Codec), nil
}

// options returns a copy of the store's default options.
func (st *Store) options() *sessions.Options {
	if st.Options == nil {
		o := DefaultOptions()
		o.MaxAge = int(st.cfg.MaxAge / time.Second)
		return o
	}
	o := *st.Options
	return &o
}

package gorillastore

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/sessions"
)

// Save seals the session's values under the ring's primary key and sets
// its cookie with the session's Options. The token expires after the
// session's Options.MaxAge when that is positive, and never later than
// Config.MaxAge; a negative Options.MaxAge deletes the cookie. Errors:
// keyseal.ErrTooLarge when the sealed session would be longer than
// Config.MaxTokenSize (nothing is written: the handler can tell the user),
// ErrEncode when the values cannot be gob-encoded, and the keyring's
// errors (keyseal.ErrPrimaryCannotSeal).
func (st *Store) Save(r *http.Request, w http.ResponseWriter, s *sessions.Session) error {
	if s == nil {
		return errors.New("gorillastore: Save of a nil session")
	}
	name := s.Name()
	c, err := st.codec(name)
	if err != nil {
		return err
	}
	opts := s.Options
	if opts == nil {
		opts = st.options()
	}
	if opts.MaxAge < 0 {
		http.SetCookie(w, sessions.NewCookie(name, "", opts))
		return nil
	}
	plain, err := encodeValues(s.Values)
	if err != nil {
		return fmt.Errorf("%w: session %q: %v", ErrEncode, name, err)
	}
	life := st.cfg.MaxAge
	if opts.MaxAge > 0 && int64(opts.MaxAge) < int64(life/time.Second) {
		life = time.Duration(opts.MaxAge) * time.Second
	}
	now := st.clock()
	token, err := c.SealAt(plain, now, now.Add(life))
	if err != nil {
		return fmt.Errorf("gorillastore: session %q: %w", name, err)
	}
	http.SetCookie(w, sessions.NewCookie(name, token, opts))
	return nil
}

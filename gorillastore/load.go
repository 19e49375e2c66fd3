package gorillastore

import (
	"fmt"
	"net/http"

	"github.com/gorilla/sessions"

	"github.com/keyseal/keyseal/format"
)

// Get returns the session named name of the request, through gorilla's
// per-request registry: a second Get for the same name returns the same
// session. As with gorilla, a cookie that does not open yields a new
// session together with the error (see New).
func (st *Store) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(st, name)
}

// New returns the session named name of the request, read from its cookie,
// without the registry. It never returns a nil session: without a cookie
// the session is new (IsNew) and the error nil; with a cookie that does not
// open it is new and the error says why, matching keyseal's sentinels with
// errors.Is (keyseal.ErrExpired, keyseal.ErrAuth, keyseal.ErrMalformed for
// values gob cannot decode, legacy.ErrCutoff, ...).
func (st *Store) New(r *http.Request, name string) (*sessions.Session, error) {
	s := sessions.NewSession(st, name)
	s.Options = st.options()
	s.IsNew = true
	if _, err := st.codec(name); err != nil {
		return s, err
	}
	ck, err := r.Cookie(name)
	if err != nil {
		return s, nil // no cookie: a new session, as gorilla's
	}
	values, err := st.open(name, ck.Value)
	if err != nil {
		return s, err
	}
	s.Values = values
	s.IsNew = false
	return s, nil
}

// open authenticates a cookie value and decodes its values. A value in
// securecookie's format goes to the legacy decoder, if there is one;
// everything else to the native codec. The values are deserialized only
// once the token is authenticated.
func (st *Store) open(name, value string) (map[any]any, error) {
	if st.legacy != nil && format.Detect(value) == format.SecureCookie {
		values, _, err := st.legacy.DecodeSession(name, value)
		if err != nil {
			return nil, fmt.Errorf("gorillastore: session %q (gorilla format): %w", name, err)
		}
		if values == nil {
			values = map[any]any{}
		}
		return values, nil
	}
	c, err := st.codec(name)
	if err != nil {
		return nil, err
	}
	plain, _, err := c.Open(value)
	if err != nil {
		return nil, fmt.Errorf("gorillastore: session %q: %w", name, err)
	}
	values, err := decodeValues(plain)
	if err != nil {
		return nil, fmt.Errorf("gorillastore: session %q: %w", name, err)
	}
	return values, nil
}

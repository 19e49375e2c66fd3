package cookiesession

import (
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/textproto"
	"strings"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/format"
)

// Limits of [Config.Legacy].
const (
	// MaxLegacy is the most legacy cookies a Config may list.
	MaxLegacy = 8
	// MaxLegacyTries is the most legacy cookie values a request is
	// decoded from: further ones are deleted without being read.
	MaxLegacyTries = 4
	// MaxLegacyChunks is the most chunks a Chunked legacy value may have,
	// as many as Auth.js may write.
	MaxLegacyChunks = 16
	// maxLegacyJoined bounds a joined legacy value, checked before joining.
	maxLegacyJoined = MaxLegacyChunks * 4096
)

// Legacy describes a cookie of the session system an application moves
// away from, such as gorilla/sessions. While the migration lasts, a
// request that carries no valid native session but a legacy cookie that
// Decode opens gets the legacy session: it is re-sealed as a native
// cookie on the same response, keeping its issue time and expiry (see
// the package doc), and the legacy cookie is deleted. A legacy cookie that does not open yields a fresh
// session and is deleted too. See MIGRATING.md.
type Legacy[T any] struct {
	// Name is the legacy cookie's name. It may equal the session's Name:
	// the native cookie then replaces it.
	Name string
	// Path and Domain are the legacy cookie's attributes, needed to
	// delete it. Empty Path means "/"; empty Domain means host-only.
	Path, Domain string
	// Kind is the shape of the values Decode reads, told by
	// format.Detect; a value of another shape is never passed to Decode.
	// Zero (format.Unknown) means format.SecureCookie. format.Any passes
	// every value to Decode, for formats Detect does not tell (Rails,
	// Flask), a native-looking one under the session's own name too (its
	// refusal then is the native one's). format.Native is refused: native
	// cookies are the Manager's own. Express cookie-session values, base64
	// of a JSON object, start as a JWE does: their Kind is format.JWE (or
	// format.Any).
	Kind format.Kind
	// Decode authenticates a legacy cookie value and returns its session
	// with the legacy issue time in Meta.IssuedAt and, if the legacy
	// format has one, its expiry in Meta.ExpiresAt. Errors go to
	// OnInvalid as they are, so errors.Is matches their sentinels
	// (keyseal.ErrAuth, keyseal.ErrExpired, legacy.ErrCutoff, ...). A
	// legacy.Func[T], made by legacy.Values or legacy.Sessions, fits;
	// gob-serialized values decode only when every concrete type in them
	// is registered with gob.Register, as the old application did.
	// Decode must be safe for concurrent use.
	Decode func(name, value string) (T, keyseal.Meta, error)
	// Chunked says the legacy system splits a value too long for one
	// cookie over cookies named Name.0, Name.1, ... (Auth.js does). The
	// chunks a request carries are joined in index order and decoded as
	// one value, after any cookie named Name itself; a gap, a repeated
	// chunk or an index from MaxLegacyChunks up refuses them
	// (keyseal.ErrMalformed, keyseal.ErrTooLarge). Every chunk is deleted
	// with the legacy cookie, those from MaxLegacyChunks up too. A name
	// whose index has a leading zero or more than three digits is no
	// chunk. A chunked legacy cookie cannot have the session's own name,
	// whose chunks are the Manager's.
	Chunked bool
	// Signature names a second cookie that carries the signature of the
	// legacy value, as Express's cookies module writes it (Name + ".sig",
	// for cookie-session). Decode then receives the value and the
	// signature cookie's value joined by a '.' (the value alone when the
	// request has no signature cookie), and the signature cookie is
	// deleted with the legacy one; nodesession.CookieSessionValues reads
	// that. It has the legacy cookie's Path and Domain, and cannot be
	// used with Chunked.
	Signature string
}

// legacyCookie is a checked Legacy with its deletion header rendered.
type legacyCookie[T any] struct {
	name   string
	kind   format.Kind
	decode func(name, value string) (T, keyseal.Meta, error)
	del    string // the Set-Cookie header value that deletes it
	keep   bool   // the native cookie overwrites it: no deletion
	sig    string // Legacy.Signature
	sigDel string // the Set-Cookie header value that deletes sig
	// chunkDel deletes chunk i of a Chunked legacy cookie; nil otherwise.
	chunkDel []string
	// attrs render the deletion of a chunk from MaxLegacyChunks up.
	attrs cookieAttrs
}

// legacyChunks records the chunks of a Chunked legacy cookie a request
// carried: bit i for Name.i, whether one repeated, and the names of those
// with an index from MaxLegacyChunks up (at most MaxLegacyChunks of
// them), to delete them too.
type legacyChunks struct {
	sent  uint16
	dup   bool
	above []string
}

// newLegacy checks cfg's legacy cookies against a Manager's attributes.
func newLegacy[T any](list []Legacy[T], native string, attrs cookieAttrs) ([]legacyCookie[T], error) {
	if len(list) > MaxLegacy {
		return nil, &keyseal.ConfigError{Package: "cookiesession", Field: "Legacy", Reason: fmt.Sprintf("at most %d legacy cookies", MaxLegacy)}
	}
	out := make([]legacyCookie[T], 0, len(list))
	for i, l := range list {
		field := fmt.Sprintf("Legacy[%d]", i)
		if l.Decode == nil {
			return nil, &keyseal.ConfigError{Package: "cookiesession", Field: field, Reason: "Decode is required"}
		}
		if l.Kind == format.Native || l.Kind > format.Any {
			return nil, &keyseal.ConfigError{Package: "cookiesession", Field: field, Reason: "Kind must be format.SecureCookie, format.JWE, format.Iron, format.Any or zero"}
		}
		a, err := newCookieAttrs(l.Name, l.Path, l.Domain, http.SameSiteLaxMode, attrs.secure)
		if err != nil {
			var ce *keyseal.ConfigError
			if errors.As(err, &ce) {
				ce.Field = field + "." + ce.Field
			}
			return nil, err
		}
		// A deletion keeps the Manager's SameSite and flags: only the
		// name, Path and Domain identify the cookie to the browser.
		a.tail = attrs.tail
		kind := l.Kind
		if kind == format.Unknown {
			kind = format.SecureCookie
		}
		lc := legacyCookie[T]{
			name:   l.Name,
			kind:   kind,
			decode: l.Decode,
			del:    string(a.appendSetCookie(nil, l.Name, "", 0)),
			keep:   l.Name == native && a.path == attrs.path,
		}
		if l.Signature != "" {
			if l.Chunked || l.Signature == l.Name || l.Signature == native {
				return nil, &keyseal.ConfigError{Package: "cookiesession", Field: field + ".Signature", Reason: "must differ from Name and the session's name, and not be Chunked"}
			}
			sa, err := newCookieAttrs(l.Signature, l.Path, l.Domain, http.SameSiteLaxMode, attrs.secure)
			if err != nil {
				return nil, &keyseal.ConfigError{Package: "cookiesession", Field: field + ".Signature", Reason: "not a valid cookie name"}
			}
			sa.tail = attrs.tail
			lc.sig, lc.sigDel = l.Signature, string(sa.appendSetCookie(nil, l.Signature, "", 0))
		}
		if l.Chunked {
			if l.Name == native {
				return nil, &keyseal.ConfigError{Package: "cookiesession", Field: field + ".Chunked", Reason: "a chunked legacy cookie cannot have the session's name"}
			}
			lc.attrs = a
			lc.chunkDel = make([]string, MaxLegacyChunks)
			for c := range lc.chunkDel {
				lc.chunkDel[c] = string(a.appendSetCookie(nil, legacyChunkName(l.Name, c), "", 0))
			}
		}
		out = append(out, lc)
	}
	return out, nil
}

// accepts reports whether a value of kind goes to l's Decode.
func (l *legacyCookie[T]) accepts(kind format.Kind) bool {
	return l.kind == format.Any || kind == l.kind
}

// loadLegacy is called by load when no native cookie opened; nativeErr
// is why the request's native cookie was refused, nil if it had none. It
// reports whether it settled the outcome: a legacy session was taken, or
// a legacy cookie was refused (the request then gets a fresh session).
// Called with s.mu held.
func (s *Session[T]) loadLegacy(nativeErr error) bool {
	m := s.m
	if len(m.legacy) == 0 {
		return false
	}
	tries := 0
	var first error
	opened := false
	for k, v := range cookiePairs(s.r) {
		for i := range m.legacy {
			l := &m.legacy[i]
			if k != l.name {
				if l.chunkDel != nil {
					s.markLegacyChunk(i, k)
				} else if l.sig != "" && k == l.sig {
					s.legacySent |= 1 << i // delete a signature left alone
				}
				continue
			}
			kind := format.Detect(v)
			native := kind == format.Native && k == m.name
			if native && l.kind != format.Any {
				continue // the native path had it
			}
			s.legacySent |= 1 << i
			if opened || tries == MaxLegacyTries {
				continue
			}
			tries++
			err := keyseal.ErrMalformed
			if l.accepts(kind) {
				if l.sig != "" {
					v = s.joinSignature(l.sig, v)
				}
				err = s.openLegacy(l, v)
			}
			if err == nil {
				opened = true
			} else if first == nil && !native {
				first = err
			}
		}
	}
	// Chunked values come after the plain ones, each one try.
	for i := range m.legacy {
		if opened || tries == MaxLegacyTries || s.legacyChunks == nil || s.legacyChunks[i].sent == 0 && s.legacyChunks[i].above == nil {
			continue
		}
		tries++
		if err := s.openLegacyChunks(i); err == nil {
			opened = true
		} else if first == nil {
			first = err
		}
	}
	switch {
	case opened:
		if nativeErr != nil && !s.sharesNativeName() {
			s.invalid, s.report = true, nativeErr
		}
		return true
	case first != nil:
		s.invalid, s.report = true, first
		return true
	}
	return false
}

// sharesNativeName reports whether a legacy cookie has the native name,
// whose values the native path refuses as a matter of course.
func (s *Session[T]) sharesNativeName() bool {
	for i := range s.m.legacy {
		if s.m.legacy[i].name == s.m.name {
			return true
		}
	}
	return false
}

// openLegacy decodes one legacy value and, if it is a valid session,
// takes it, marked to be re-sealed.
func (s *Session[T]) openLegacy(l *legacyCookie[T], value string) error {
	m := s.m
	data, lm, err := l.decode(l.name, value)
	if err != nil {
		return err
	}
	now := s.clock()
	iat := lm.IssuedAt.Truncate(time.Second)
	if iat.IsZero() && !m.notBefore.IsZero() {
		// Nothing shows such a session began after NotBefore.
		return fmt.Errorf("%w: legacy session without an issue time", ErrRevoked)
	}
	if iat.IsZero() || iat.After(now) {
		iat = now.Truncate(time.Second) // no usable issue time: count from now
	}
	meta := Meta{
		IssuedAt:       iat,
		AbsoluteExpiry: iat.Add(m.abs),
		NeedsReseal:    true,
		Migrated:       true,
		Lifetime:       Lifetime{Idle: m.idle, Absolute: m.abs},
		Now:            now,
	}
	if !now.Before(meta.AbsoluteExpiry) {
		return fmt.Errorf("%w: legacy session older than AbsoluteLifetime", keyseal.ErrExpired)
	}
	// Migrating is no activity: the native cookie lives no longer than
	// the legacy one would have, nor than a native cookie written now.
	// Requests after it refresh it as any native session.
	exp := min(ceilUnixAfter(now, m.idle), iat.Unix()+int64(m.abs/time.Second))
	if !lm.ExpiresAt.IsZero() {
		if !now.Before(lm.ExpiresAt) {
			return fmt.Errorf("%w: legacy session expired", keyseal.ErrExpired)
		}
		exp = min(exp, lm.ExpiresAt.Unix())
	}
	meta.ExpiresAt = time.Unix(exp, 0).UTC()
	if iat.Before(m.notBefore) {
		return fmt.Errorf("%w: issued before NotBefore", ErrRevoked)
	}
	if m.validate != nil {
		vm := meta
		if lm.IssuedAt.IsZero() {
			// Counted from now for the lifetimes, but Validate must not
			// take that for when the session began.
			vm.IssuedAt = time.Time{}
		}
		if err := m.validate(s.r, vm, &data); err != nil {
			return fmt.Errorf("%w: %w", ErrRevoked, err)
		}
	}
	s.data, s.flashes = data, nil
	s.meta = cookieMeta{
		iat: iat.Unix(), exp: exp,
		needsReseal: true, migrated: true,
	}
	s.changed = true // re-seal it natively
	return nil
}

// markLegacy records the legacy cookies the request carries, for Destroy:
// when a native cookie opened, loadLegacy never looked at them, and one
// left in the browser would sign it in again on its next request. Called
// with s.mu held.
func (s *Session[T]) markLegacy() {
	m := s.m
	if len(m.legacy) == 0 {
		return
	}
	for k := range cookiePairs(s.r) {
		for i := range m.legacy {
			if k == m.legacy[i].name || m.legacy[i].sig != "" && k == m.legacy[i].sig {
				s.legacySent |= 1 << i
			} else if m.legacy[i].chunkDel != nil {
				s.markLegacyChunk(i, k)
			}
		}
	}
}

// deleteLegacy deletes the legacy cookies the request carried, except
// one the native cookie overwrites.
func (s *Session[T]) deleteLegacy(out *cookieOut) {
	if s.legacySent == 0 && s.legacyChunks == nil {
		return
	}
	for i := range s.m.legacy {
		l := &s.m.legacy[i]
		if s.legacySent&(1<<i) != 0 && !l.keep {
			out.add(l.del)
		}
		if s.legacySent&(1<<i) != 0 && l.sigDel != "" {
			out.add(l.sigDel)
		}
	}
	if s.legacyChunks == nil {
		return
	}
	for i := range s.m.legacy {
		l := &s.m.legacy[i]
		for c, del := range l.chunkDel {
			if s.legacyChunks[i].sent&(1<<c) != 0 {
				out.add(del)
			}
		}
		for _, name := range s.legacyChunks[i].above {
			out.add(string(l.attrs.appendSetCookie(nil, name, "", 0)))
		}
	}
}

// joinSignature returns value and the request's first cookie named sig
// joined by a '.', or value alone when there is none.
func (s *Session[T]) joinSignature(sig, value string) string {
	for k, v := range cookiePairs(s.r) {
		if k == sig {
			return value + "." + v
		}
	}
	return value
}

// cookiePairs yields the name and value of each pair in r's Cookie
// headers, trimmed as net/http trims them. It is for the legacy paths,
// which run rarely; readIncoming scans for the session's own names
// without splitting.
func cookiePairs(r *http.Request) iter.Seq2[string, string] {
	return func(yield func(k, v string) bool) {
		for _, line := range r.Header["Cookie"] {
			for part := range strings.SplitSeq(line, ";") {
				if k, v, ok := strings.Cut(textproto.TrimString(part), "="); ok && !yield(k, v) {
					return
				}
			}
		}
	}
}

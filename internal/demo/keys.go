package demo

import (
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// memoryKeys is an ephemeral keyring held in memory.
type memoryKeys struct{ ring atomic.Pointer[keyring.Ring] }

func ephemeral() (*memoryKeys, error) {
	r, err := keyring.Generate(keyring.DefaultAlgorithm)
	if err != nil {
		return nil, err
	}
	m := new(memoryKeys)
	m.ring.Store(r)
	return m, nil
}

func (m *memoryKeys) Current() *keyring.Ring { return m.ring.Load() }
func (m *memoryKeys) close()                 {}

// change applies f to the current ring. Callers serialise changes.
func (m *memoryKeys) change(f func(*keyring.Ring) (*keyring.Ring, error)) error {
	r, err := f(m.ring.Load())
	if err != nil {
		return err
	}
	m.ring.Store(r)
	return nil
}

// fileKeys follows a keyring file; changes are written to the file and
// picked up through the watcher, like any other change of the file.
type fileKeys struct{ w *keyring.Watcher }

func watchFile(path string, poll time.Duration, log *slog.Logger) (*fileKeys, error) {
	w, err := keyring.Watch(path, keyring.WatchConfig{Interval: poll, Logger: log})
	if err != nil {
		return nil, err
	}
	return &fileKeys{w: w}, nil
}

func (f *fileKeys) Current() *keyring.Ring { return f.w.Current() }
func (f *fileKeys) close()                 { f.w.Close() }

// change applies f to the file's current content under the keyring file
// lock that `keyseal keyring` also takes, so a button and a CLI command at
// the same moment cannot lose either change; the watcher then reloads.
func (f *fileKeys) change(fn func(*keyring.Ring) (*keyring.Ring, error)) error {
	_, err := keyring.Update(f.w.Path(), func(r *keyring.Ring) (*keyring.Ring, error) {
		if r == nil {
			return nil, keyring.ErrNoSource
		}
		return fn(r)
	})
	if err != nil {
		return err
	}
	_, err = f.w.Reload()
	return err
}

// applyKeyOp runs one key button: add, promote, retire or remove. loggedIn
// says whether the request holds a session, for the message.
func (s *Server) applyKeyOp(op, idText string, loggedIn bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var id uint32
	if op != "add" {
		n, err := strconv.ParseUint(idText, 10, 32)
		if err != nil {
			return "", errBadKeyID
		}
		id = uint32(n)
	}
	var msg string
	err := s.keys.change(func(r *keyring.Ring) (*keyring.Ring, error) {
		switch op {
		case "add":
			next, k, err := r.Add(keyring.DefaultAlgorithm, time.Time{})
			if err == nil {
				msg = "Added key " + strconv.FormatUint(uint64(k.ID()), 10) + " (active: opens, does not seal yet)."
			}
			return next, err
		case "promote":
			// This response saves the session (it holds this message), so
			// its cookie is re-sealed under the new primary now; other
			// visitors' cookies are on their next requests.
			msg = "Promoted key " + idText + ": new cookies are sealed under it."
			if loggedIn {
				msg = "Promoted key " + idText + ": your session cookie was just re-sealed under it, and you are still logged in; other visitors' cookies are re-sealed when they come back."
			}
			return r.Promote(id)
		case "retire":
			msg = "Retired key " + idText + ": sessions still sealed under it are refused."
			return r.Retire(id)
		case "remove":
			msg = "Removed key " + idText + "."
			return r.Remove(id)
		}
		return nil, errBadOp
	})
	if err != nil {
		return "", err
	}
	return msg, nil
}

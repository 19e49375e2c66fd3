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

func (m *memoryKeys) Current() *keyring.Ring        { return m.ring.Load() }
func (m *memoryKeys) replace(r *keyring.Ring) error { m.ring.Store(r); return nil }
func (m *memoryKeys) close()                        {}

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
func (f *fileKeys) replace(r *keyring.Ring) error {
	if err := keyring.WriteFile(f.w.Path(), r); err != nil {
		return err
	}
	_, err := f.w.Reload()
	return err
}

// applyKeyOp runs one key button: add, promote, retire or remove.
func (s *Server) applyKeyOp(op, idText string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.keys.Current()
	var id uint32
	if op != "add" {
		n, err := strconv.ParseUint(idText, 10, 32)
		if err != nil {
			return "", errBadKeyID
		}
		id = uint32(n)
	}
	var (
		next *keyring.Ring
		k    *keyring.Key
		err  error
		msg  string
	)
	switch op {
	case "add":
		next, k, err = r.Add(keyring.DefaultAlgorithm, time.Time{})
		if err == nil {
			msg = "Added key " + strconv.FormatUint(uint64(k.ID()), 10) + " (active: opens, does not seal yet)."
		}
	case "promote":
		next, err = r.Promote(id)
		msg = "Promoted key " + idText + ": new cookies are sealed under it; yours is re-sealed on your next request."
	case "retire":
		next, err = r.Retire(id)
		msg = "Retired key " + idText + ": sessions still sealed under it are refused."
	case "remove":
		next, err = r.Remove(id)
		msg = "Removed key " + idText + "."
	default:
		return "", errBadOp
	}
	if err != nil {
		return "", err
	}
	if err := s.keys.replace(next); err != nil {
		return "", err
	}
	return msg, nil
}

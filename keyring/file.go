package keyring

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// FileVersion is the version of the keyring file format written by
// [MarshalFile]. [Parse] refuses other versions.
const FileVersion = 1

// MaxFileSize is the largest keyring file [Parse] accepts, checked before
// parsing. A thousand keys take about 200 KiB.
const MaxFileSize = 1 << 20

// EnvVar is the environment variable [FromEnv] reads by default.
const EnvVar = "KEYSEAL_KEYRING"

// fileRing and fileKey are the keyring file format:
//
//	{
//	  "version": 1,
//	  "keys": [
//	    {"id": 1234, "algorithm": "xchacha20poly1305", "state": "primary",
//	     "secret": "<32 bytes, standard base64>", "created": "2026-01-02T03:04:05Z",
//	     "activate_at": "2026-02-01T00:00:00Z"}
//	  ]
//	}
type fileRing struct {
	Version int       `json:"version"`
	Keys    []fileKey `json:"keys"`
}

type fileKey struct {
	ID         uint32     `json:"id"`
	Algorithm  string     `json:"algorithm"`
	State      string     `json:"state"`
	Secret     string     `json:"secret"`
	Created    time.Time  `json:"created"`
	ActivateAt *time.Time `json:"activate_at,omitempty"`
}

// Parse reads a keyring file. Parsing is strict: unknown or repeated
// fields, field names in another case ("Secret"), trailing data, duplicate
// or zero key IDs, no primary or several, a secret that is not 32 bytes of
// standard base64, an unknown algorithm or state, or an activation time on
// a key that is not active (or at the zero time, which a ring reads as
// none) are errors. The
// error names the offending key's ID and never a secret.
func Parse(data []byte) (*Ring, error) {
	if len(data) > MaxFileSize {
		return nil, &FileError{Err: fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(data), MaxFileSize)}
	}
	r, err := parse(data)
	if err != nil {
		return nil, &FileError{Err: err}
	}
	return r, nil
}

func parse(data []byte) (*Ring, error) {
	// The keyring object, and the key objects in its "keys" array.
	if err := checkDuplicateNames(data, fileFields, 3); err != nil {
		return nil, err
	}
	var f fileRing
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the keyring object", ErrSyntax)
	}
	if f.Version != FileVersion {
		return nil, fmt.Errorf("%w %d (want %d)", ErrVersion, f.Version, FileVersion)
	}
	if len(f.Keys) > MaxKeys {
		return nil, fmt.Errorf("%w: %d keys, at most %d", ErrTooManyKeys, len(f.Keys), MaxKeys)
	}
	keys := make([]*Key, len(f.Keys))
	for i, fk := range f.Keys {
		k, err := fk.key()
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	return build(keys)
}

func (fk *fileKey) key() (*Key, error) {
	if fk.ID == 0 {
		return nil, ErrZeroID
	}
	alg, err := ParseAlgorithm(fk.Algorithm)
	if err != nil {
		return nil, keyErr(fk.ID, err)
	}
	state, err := ParseState(fk.State)
	if err != nil {
		return nil, keyErr(fk.ID, err)
	}
	// Decode into a fixed buffer: the length check needs no allocation and
	// a base64 error reports a position, never the secret itself.
	if base64.StdEncoding.DecodedLen(len(fk.Secret)) > SecretSize+2 {
		return nil, keyErr(fk.ID, ErrSecretLength)
	}
	var buf [SecretSize + 2]byte
	n, err := base64.StdEncoding.Strict().Decode(buf[:], []byte(fk.Secret))
	// Strict decoding still skips CR and LF; a file holds one spelling of
	// each secret.
	if err != nil || strings.ContainsAny(fk.Secret, "\r\n") {
		return nil, keyErr(fk.ID, fmt.Errorf("%w: the secret is not valid standard base64", ErrSecretLength))
	}
	if n != SecretSize {
		return nil, keyErr(fk.ID, fmt.Errorf("%w: the secret holds %d bytes", ErrSecretLength, n))
	}
	secret := newSecret(buf[:SecretSize])
	clear(buf[:])
	k := &Key{id: fk.ID, alg: alg, state: state, secret: secret,
		created: fk.Created.UTC(), usage: new(counters)}
	if fk.ActivateAt != nil {
		if state != Active {
			return nil, keyErr(fk.ID, ErrActivation)
		}
		// A ring reads the zero time as "not scheduled", so a file
		// spelling it would lose a promotion that reads as past.
		if fk.ActivateAt.IsZero() {
			return nil, keyErr(fk.ID, fmt.Errorf("%w: activate_at 0001-01-01T00:00:00Z means none: leave it out", ErrSyntax))
		}
		k.activateAt = fk.ActivateAt.UTC()
	}
	// A time written with an offset can fall outside years 0..9999 once in
	// UTC ("0000-01-01T00:00:00+01:00"); MarshalFile could not write it
	// back, so it is refused here.
	if !inFileRange(k.created) || !inFileRange(k.activateAt) {
		return nil, keyErr(fk.ID, fmt.Errorf("%w: %w", ErrSyntax, ErrTimeRange))
	}
	return k, nil
}

// jsonError turns a decoding error into one that says where, never what:
// encoding/json quotes number literals, which must not reach a log.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tim *time.ParseError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("%w: invalid JSON at byte %d", ErrSyntax, syn.Offset)
	case errors.As(err, &typ):
		return fmt.Errorf("%w: field %q must be %s", ErrSyntax, typ.Field, typ.Type)
	case errors.As(err, &tim):
		// The time package quotes the value, which could be a misplaced
		// secret.
		return fmt.Errorf("%w: a time is not in RFC 3339 format", ErrSyntax)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: unexpected end of file", ErrSyntax)
	default:
		// DisallowUnknownFields gives no typed error, only this text.
		if q, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			name, _ := strconv.Unquote(q)
			return fmt.Errorf("%w: unknown field %s", ErrSyntax, quoteName(name))
		}
		return fmt.Errorf("%w: %v", ErrSyntax, err)
	}
}

// maxQuotedName is the longest name from a keyring file that an error
// message quotes.
const maxQuotedName = 20

// quoteName quotes a field, algorithm or state name read from a keyring
// file for an error message, unless it does not look like a name: a secret
// pasted into the wrong place must not reach a log.
func quoteName(name string) string {
	if name == "" || len(name) > maxQuotedName {
		return "(name not shown)"
	}
	for _, c := range name {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.') {
			return "(name not shown)"
		}
	}
	return strconv.Quote(name)
}

// checkDuplicateNames rejects JSON objects that repeat a member name, which
// encoding/json would silently resolve to the last one, and files with
// more objects than a ring of MaxKeys keys has. encoding/json
// matches names to fields without regard to case ("SECRET" and "\u017fecret"
// fill the secret field too), so names are compared case-folded, and in
// the objects nested at most fieldsDepth deep (1 for the outermost, where
// the format's structs are decoded) a name that folds to one of the
// format's names (fields, as foldNames returns them) must be spelled
// exactly as that name: a reader that matches exactly must never see other
// values than this package.
func checkDuplicateNames(data []byte, fields map[string]string, fieldsDepth int) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		object bool
		names  map[string]bool
		key    bool // the next string token in an object is a name
	}
	var stack []*frame
	objects := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return jsonError(err)
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		isName := false
		if top != nil && top.object && top.key {
			if name, ok := tok.(string); ok {
				folded := foldName(name)
				if top.names[folded] {
					return fmt.Errorf("%w: field %s appears twice", ErrSyntax, quoteName(name))
				}
				if want, ok := fields[folded]; ok && name != want && len(stack) <= fieldsDepth {
					return fmt.Errorf("%w: field %s must be spelled %q", ErrSyntax, quoteName(name), want)
				}
				top.names[folded] = true
				top.key = false
				isName = true
			}
		}
		if isName {
			continue
		}
		if top != nil && top.object {
			top.key = true // a value was read (or is starting)
		}
		switch tok {
		case json.Delim('{'):
			// A valid file has the keyring object and one per key: stop
			// a file of countless tiny objects before decoding it.
			if objects++; objects > MaxKeys+1 {
				return fmt.Errorf("%w: more than %d key objects", ErrTooManyKeys, MaxKeys)
			}
			stack = append(stack, &frame{object: true, names: map[string]bool{}, key: true})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].object {
				stack[len(stack)-1].key = true
			}
		}
	}
}

// fileFields are the keyring file's names, by folded name.
var fileFields = foldNames(fileRing{}, fileKey{})

// foldNames returns the JSON names of the fields of the given structs, by
// their foldName.
func foldNames(structs ...any) map[string]string {
	m := map[string]string{}
	for _, s := range structs {
		t := reflect.TypeOf(s)
		for i := range t.NumField() {
			if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" {
				m[foldName(name)] = name
			}
		}
	}
	return m
}

// foldName maps every name that encoding/json matches to the same field
// to the same string: each rune becomes the smallest rune of its Unicode
// simple case folding orbit (K, k and the Kelvin sign all become K).
func foldName(name string) string {
	return strings.Map(func(r rune) rune {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		return m
	}, name)
}

// MarshalFile encodes r in the keyring file format, secrets included. It is
// the only way secrets leave this package: write the result only to a file
// readable by its owner, as [WriteFile] does.
func MarshalFile(r *Ring) ([]byte, error) {
	if r == nil {
		return nil, ErrNoPrimary
	}
	f := fileRing{Version: FileVersion, Keys: make([]fileKey, len(r.keys))}
	for i, k := range r.keys {
		f.Keys[i] = fileKey{ID: k.id, Algorithm: k.alg.String(), State: k.state.String(),
			Secret: base64.StdEncoding.EncodeToString(k.secret.bytes()), Created: k.created}
		if !k.activateAt.IsZero() {
			t := k.activateAt
			f.Keys[i].ActivateAt = &t
		}
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ReadFile reads and parses a keyring file.
func ReadFile(path string) (*Ring, error) {
	data, err := readLimited(path, os.Open)
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	r, err := Parse(data)
	if err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			fe.Path = path
		}
		return nil, err
	}
	return r, nil
}

// readLimited reads the file at path, of at most MaxFileSize bytes,
// opened with open: os.Open for a one-time read (a pipe, such as a shell's
// <(command), will do), openRegular for a watcher.
func readLimited(path string, open func(string) (*os.File, error)) ([]byte, error) {
	f, err := open(path)
	if err != nil {
		return nil, noFileAccess(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, MaxFileSize)
	}
	return data, nil
}

// checkRegular returns f if it is a regular file, and closes it
// otherwise.
func checkRegular(f *os.File) (*os.File, error) {
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = &fs.PathError{Op: "open", Path: f.Name(), Err: errNotRegular}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

var errNotRegular = errors.New("not a regular file")

// WriteFile writes r to path in the keyring file format, atomically: it
// writes a temporary file with mode 0600 in the same directory, syncs it and
// renames it over path. Readers see the old file or the new one, never a
// mix; on error the old file is untouched. On Unix, a file that exists
// keeps its owner and group when the caller may set them (as root), so a
// service that owns its keyring file still reads it after an administrator
// changed it; the mode is 0600 whatever it was, so a service reading it
// through its group does not.
//
// When path is a symbolic link, the file the link resolves to is replaced
// (the temporary file is made in its directory) and the link is left as
// it is; a link to a file that does not exist is an error naming that
// file, matching [fs.ErrNotExist].
func WriteFile(path string, r *Ring) error {
	data, err := MarshalFile(r)
	if err != nil {
		return &FileError{Path: path, Err: err}
	}
	target, err := writeTarget(path)
	if err != nil {
		return &FileError{Path: path, Err: err}
	}
	if err := writeAtomic(target, data); err != nil {
		return &FileError{Path: path, Err: err}
	}
	return nil
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name) // no-op after a successful rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	keepOwner(tmp, path)
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(name, path); err != nil {
		return err
	}
	// Make the rename itself durable. Best effort: some systems cannot
	// sync a directory, and the new file is in place either way.
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// FromEnv parses the keyring file held in the environment variable name, or
// in [EnvVar] if name is empty.
func FromEnv(name string) (*Ring, error) {
	if name == "" {
		name = EnvVar
	}
	v, ok := os.LookupEnv(name)
	if !ok || v == "" {
		return nil, &FileError{Err: fmt.Errorf("%w: $%s is not set", ErrNoSource, name)}
	}
	r, err := Parse([]byte(v))
	if err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			fe.Path = "$" + name
		}
		return nil, err
	}
	return r, nil
}

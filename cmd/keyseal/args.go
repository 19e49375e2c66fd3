package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// flags is a command's flag set. Flags and positional arguments may come in
// any order ("keyring add FILE --alg aes256gcm"); "--" ends the flags.
type flags struct {
	*flag.FlagSet
	e        *env
	synopsis string
}

func newFlags(e *env, name, synopsis string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by run
	fs.Usage = func() {}
	return &flags{FlagSet: fs, e: e, synopsis: synopsis}
}

// parse parses args and checks that there are between min and max
// positional arguments, which it returns.
func (f *flags) parse(args []string, min, max int) ([]string, error) {
	var pos []string
	for {
		err := f.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			return nil, errHelpFor(f.e, f.synopsis, func(w io.Writer) {
				f.SetOutput(w)
				f.PrintDefaults()
				f.SetOutput(io.Discard)
			})
		}
		if err != nil {
			return nil, usageErrorf("%s: %v", f.Name(), err)
		}
		rest := f.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	switch {
	case len(pos) < min:
		return nil, usageErrorf("%s: missing arguments; usage: keyseal %s", f.Name(), f.synopsis)
	case len(pos) > max:
		return nil, usageErrorf("%s: too many arguments; usage: keyseal %s", f.Name(), f.synopsis)
	}
	return pos, nil
}

// timeFlag is an optional RFC 3339 time.
type timeFlag struct{ t time.Time }

func (t *timeFlag) String() string {
	if t.t.IsZero() {
		return ""
	}
	return t.t.Format(time.RFC3339)
}

func (t *timeFlag) Set(s string) error {
	v, err := time.Parse(time.RFC3339, s)
	// An offset can move a time out of the years 0..9999 in UTC, which a
	// keyring file and JSON output cannot hold.
	if y := v.UTC().Year(); err != nil || y < 0 || y > 9999 {
		return fmt.Errorf("want an RFC 3339 time from year 0 to 9999 in UTC, such as 2026-01-02T15:04:05Z")
	}
	// The zero time means "none" to a ring (and to these flags): as a
	// --promote-at it would add a key that is never promoted.
	if v.IsZero() {
		return fmt.Errorf("0001-01-01T00:00:00Z is the zero time, which means no time; choose another")
	}
	t.t = v
	return nil
}

// algFlag is a key algorithm.
type algFlag struct{ a keyring.Algorithm }

func (a *algFlag) String() string { return a.a.String() }

func (a *algFlag) Set(s string) error {
	v, err := keyring.ParseAlgorithm(s)
	if err != nil {
		return fmt.Errorf("want xchacha20poly1305, aes256gcm or hmacsha256")
	}
	a.a = v
	return nil
}

// durationFlag is an optional duration of at least a second: the smallest
// lifetime a token can have.
type durationFlag struct{ d time.Duration }

func (d *durationFlag) String() string {
	if d.d == 0 {
		return ""
	}
	return d.d.String()
}

func (d *durationFlag) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil || v < time.Second {
		return fmt.Errorf("want a duration of at least 1s, such as 90m or 720h")
	}
	d.d = v
	return nil
}

// parseID parses a key ID given on the command line.
func parseID(s string) (uint32, error) {
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil || v == 0 {
		return 0, usageErrorf("bad key ID %q: want a number from 1 to 4294967295", s)
	}
	return uint32(v), nil
}

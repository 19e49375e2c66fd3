package main

import (
	"errors"
	"fmt"

	"github.com/keyseal/keyseal/codec"
)

func runSeal(e *env, args []string) error {
	f := newFlags(e, "seal", "seal --name NAME [--keyring FILE] [--ttl DURATION] [--compress] [--format native] < plaintext")
	ringPath := f.String("keyring", "", "keyring `FILE` (default: the keyring in $KEYSEAL_KEYRING)")
	name := f.String("name", "", "the `NAME` the token is bound to, such as the cookie name (required)")
	var ttl durationFlag
	f.Var(&ttl, "ttl", "`DURATION` the token lives: the codec's MaxAge (default 24h)")
	compress := f.Bool("compress", false, "compress the plaintext when that makes the token shorter (leaks length; see codec.Config)")
	formatName := f.String("format", "native", "token format: native")
	if _, err := f.parse(args, 0, 0); err != nil {
		return err
	}
	if err := checkName(*name); err != nil {
		return err
	}
	fm, err := findFormat(*formatName, true)
	if err != nil {
		return err
	}
	r, err := loadRing(e, *ringPath)
	if err != nil {
		return err
	}
	pt, err := readInput(e.stdin, "plaintext", maxPlaintextInput)
	if err != nil {
		return err
	}
	cfg := codec.Config{MaxAge: ttl.d, Compress: *compress, Clock: e.now}
	token, err := fm.seal(codecOptions{ring: r, name: *name, cfg: cfg}, pt)
	if errors.Is(err, codec.ErrTooLarge) {
		err = fmt.Errorf("%w: the token would be over %d characters, the most a cookie reliably holds (--compress may help)",
			err, codec.DefaultMaxTokenSize)
	}
	if err != nil {
		return withCode(codecCode(err), err)
	}
	_, err = fmt.Fprintln(e.stdout, token)
	return withCode(exitIO, err)
}

// checkName checks the --name of seal and open.
func checkName(name string) error {
	if name == "" || len(name) > codec.MaxNameSize {
		return usageErrorf("--name is required: the name the token is bound to, 1 to %d bytes", codec.MaxNameSize)
	}
	return nil
}

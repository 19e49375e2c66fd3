package main

import (
	"errors"
	"fmt"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/jwe"
)

func runSeal(e *env, args []string) error {
	f := newFlags(e, "seal", "seal --name NAME [--keyring FILE] [--ttl DURATION] [--compress] [--format native|jwe] [--enc ENC] < plaintext")
	ringPath := f.String("keyring", "", "keyring `FILE` (default: the keyring in $KEYSEAL_KEYRING)")
	name := f.String("name", "", "the `NAME` the token is bound to, such as the cookie name (required for native; JWE tokens are not bound to a name)")
	var ttl durationFlag
	f.Var(&ttl, "ttl", "`DURATION` the token lives: the codec's MaxAge (default 24h)")
	compress := f.Bool("compress", false, "compress the plaintext when that makes the token shorter (leaks length; see codec.Config)")
	formatName := f.String("format", "native", "token format: native, or jwe (the plaintext must be a JSON object of claims)")
	enc := f.String("enc", jwe.A256GCM, "jwe: content encryption, A256GCM or A256CBC-HS512")
	if _, err := f.parse(args, 0, 0); err != nil {
		return err
	}
	fm, err := findFormat(*formatName, true)
	if err != nil {
		return err
	}
	if err := checkFormatFlags(fm, *name, *enc, *compress); err != nil {
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
	token, err := fm.seal(codecOptions{ring: r, name: *name, cfg: cfg, enc: *enc}, pt)
	if errors.Is(err, keyseal.ErrTooLarge) {
		err = fmt.Errorf("%w: the token would be over %d characters, the most a cookie reliably holds (--compress may help)",
			err, keyseal.DefaultMaxTokenSize)
	}
	if err != nil {
		return withCode(codecCode(err), err)
	}
	_, err = fmt.Fprintln(e.stdout, token)
	return withCode(exitIO, err)
}

// checkFormatFlags checks the flags of seal and open that depend on the
// format.
func checkFormatFlags(fm tokenFormat, name, enc string, compress bool) error {
	if fm.needsName {
		if err := checkName(name); err != nil {
			return err
		}
	}
	if enc != jwe.A256GCM && enc != jwe.A256CBCHS512 {
		return usageErrorf("--enc must be A256GCM or A256CBC-HS512")
	}
	if compress && fm.name != "native" {
		return usageErrorf("--compress is for the native format only")
	}
	return nil
}

// checkName checks the --name of seal and open.
func checkName(name string) error {
	if name == "" || len(name) > codec.MaxNameSize {
		return usageErrorf("--name is required: the name the token is bound to, 1 to %d bytes", codec.MaxNameSize)
	}
	return nil
}

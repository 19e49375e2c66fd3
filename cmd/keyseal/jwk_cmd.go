package main

import (
	"errors"
	"fmt"

	"github.com/keyseal/keyseal/keyring"
)

// maxJWKInput bounds the JWK import-jwk reads: an oct JWK is under 200
// bytes, and the library refuses more than 1 KiB.
const maxJWKInput = 4 << 10

func runKeyringExportJWK(e *env, args []string) error {
	f := newFlags(e, "keyring export-jwk", "keyring export-jwk FILE ID [--enc A256GCM|A256CBC-HS512] --reveal")
	enc := f.String("enc", keyring.EncA256GCM, "the JWE encryption the key is for: A256GCM or A256CBC-HS512")
	reveal := f.Bool("reveal", false, "required: print the key material (the key's JWE key, not its root secret)")
	pos, err := f.parse(args, 2, 2)
	if err != nil {
		return err
	}
	if !*reveal {
		return usageErrorf("keyring export-jwk: the JWK is key material: give --reveal to print it")
	}
	if *enc != keyring.EncA256GCM && *enc != keyring.EncA256CBCHS512 {
		return usageErrorf("keyring export-jwk: --enc must be A256GCM or A256CBC-HS512")
	}
	id, err := parseID(pos[1])
	if err != nil {
		return err
	}
	r, err := readRing(pos[0])
	if err != nil {
		return err
	}
	k, ok := r.Key(id)
	if !ok {
		return withCode(exitKey, fmt.Errorf("keyring %s: key %d: %w", pos[0], id, keyring.ErrNotFound))
	}
	if k.State() == keyring.Retired {
		return withCode(exitKey, fmt.Errorf("keyring %s: key %d: %w: its tokens no longer open", pos[0], id, keyring.ErrRetired))
	}
	data, err := keyring.ExportJWK(k, *enc)
	if err != nil {
		// An imported A256GCM key cannot serve A256CBC-HS512.
		return withCode(exitRefused, err)
	}
	_, err = fmt.Fprintf(e.stdout, "%s\n", data)
	return withCode(exitIO, err)
}

func runKeyringImportJWK(e *env, args []string) error {
	f := newFlags(e, "keyring import-jwk", "keyring import-jwk FILE [JWK_FILE] (or the JWK on stdin)")
	pos, err := f.parse(args, 1, 2)
	if err != nil {
		return err
	}
	var data []byte
	if len(pos) == 2 {
		data, err = readBoundedFile(pos[1], "JWK file", maxJWKInput)
	} else {
		data, err = readInput(e.stdin, "JWK", maxJWKInput)
	}
	if err != nil {
		return err
	}
	k, err := keyring.ImportJWK(data, e.now())
	if err != nil {
		return withCode(exitKeyring, fmt.Errorf("importing the JWK: %w", err))
	}
	err = change(pos[0], func(r *keyring.Ring) (*keyring.Ring, error) {
		nr, err := r.Import(k)
		if errors.Is(err, keyring.ErrDuplicateID) {
			return nil, withCode(exitRefused, fmt.Errorf("%w: the ring already has a key %d", err, k.ID()))
		}
		return nr, err
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, k.ID())
	return nil
}

package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// errExists is returned by "keyring new" without --force when --out names
// an existing keyring.
var errExists = errors.New("already exists")

func runKeyringNew(e *env, args []string) error {
	f := newFlags(e, "keyring new", "keyring new (--out FILE [--force] | --reveal) [--alg ALG]")
	alg := algFlag{keyring.DefaultAlgorithm}
	f.Var(&alg, "alg", "algorithm of the key: xchacha20poly1305, aes256gcm or hmacsha256")
	out := f.String("out", "", "write the keyring to `FILE` (mode 0600); prints the primary key's ID")
	force := f.Bool("force", false, "replace FILE if it exists")
	reveal := f.Bool("reveal", false, "print the keyring file, secret included, on stdout instead of writing it")
	if _, err := f.parse(args, 0, 0); err != nil {
		return err
	}
	switch {
	case *out == "" && !*reveal:
		return usageErrorf("keyring new: give --out FILE, or --reveal to print the keyring with its secret")
	case *out != "" && *reveal:
		return usageErrorf("keyring new: --out and --reveal exclude each other")
	}
	r, err := keyring.Generate(alg.a)
	if err != nil {
		return withCode(exitRefused, err)
	}
	if *reveal {
		data, err := keyring.MarshalFile(r)
		if err != nil {
			return withCode(exitRefused, err)
		}
		_, err = e.stdout.Write(data)
		return withCode(exitIO, err)
	}
	// Created under the file's lock, so that two "keyring new" (or a "new
	// --force" and an "add") on one file do not overwrite each other. Only
	// a valid keyring file is replaced: a file that does not parse is
	// refused, so a mistyped --out cannot wipe something else.
	_, err = keyring.Update(*out, func(old *keyring.Ring) (*keyring.Ring, error) {
		if old != nil && !*force {
			return nil, fmt.Errorf("%s %w; use --force to replace it", *out, errExists)
		}
		return r, nil
	})
	if err != nil {
		return withCode(ringCode(err), err)
	}
	fmt.Fprintln(e.stdout, r.Primary(e.now()).ID())
	return nil
}

func runKeyringAdd(e *env, args []string) error {
	f := newFlags(e, "keyring add", "keyring add FILE [--alg ALG] [--promote-at TIME]")
	alg := algFlag{keyring.DefaultAlgorithm}
	f.Var(&alg, "alg", "algorithm of the new key: xchacha20poly1305, aes256gcm or hmacsha256")
	var at timeFlag
	f.Var(&at, "promote-at", "make the new key the primary at `TIME` (RFC 3339) without another change")
	pos, err := f.parse(args, 1, 1)
	if err != nil {
		return err
	}
	var added *keyring.Key
	err = change(pos[0], func(r *keyring.Ring) (*keyring.Ring, error) {
		nr, k, err := r.Add(alg.a, at.t)
		added = k
		return nr, err
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, added.ID())
	return nil
}

func runKeyringPromote(e *env, args []string) error {
	return keyChange(e, args, "promote", func(r *keyring.Ring, id uint32) (*keyring.Ring, string, error) {
		old := r.Primary(e.now()).ID()
		nr, err := r.Promote(id)
		if err != nil || old == id {
			return nr, fmt.Sprintf("key %d is the primary", id), err
		}
		msg := fmt.Sprintf("key %d is the primary; key %d is active and still opens its tokens", id, old)
		// Say which scheduled promotions the change cancelled.
		for _, k := range r.Settle(e.now()).Keys() {
			if nk, _ := nr.Key(k.ID()); k.ID() != id && !k.ActivateAt().IsZero() && nk.ActivateAt().IsZero() {
				msg += fmt.Sprintf("; key %d's promotion scheduled for %s is cancelled", k.ID(), k.ActivateAt().UTC().Format(time.RFC3339))
			}
		}
		return nr, msg, nil
	})
}

func runKeyringRetire(e *env, args []string) error {
	return keyChange(e, args, "retire", func(r *keyring.Ring, id uint32) (*keyring.Ring, string, error) {
		nr, err := r.Retire(id)
		return nr, fmt.Sprintf("key %d is retired: its tokens no longer open", id), err
	})
}

func runKeyringRemove(e *env, args []string) error {
	return keyChange(e, args, "remove", func(r *keyring.Ring, id uint32) (*keyring.Ring, string, error) {
		nr, err := r.Remove(id)
		return nr, fmt.Sprintf("key %d is removed", id), err
	})
}

// keyChange runs "keyring VERB FILE ID": op changes the ring and says what
// it did, in a line printed on success.
func keyChange(e *env, args []string, verb string, op func(*keyring.Ring, uint32) (*keyring.Ring, string, error)) error {
	f := newFlags(e, "keyring "+verb, "keyring "+verb+" FILE ID")
	pos, err := f.parse(args, 2, 2)
	if err != nil {
		return err
	}
	id, err := parseID(pos[1])
	if err != nil {
		return err
	}
	var msg string
	err = change(pos[0], func(r *keyring.Ring) (*keyring.Ring, error) {
		nr, m, err := op(r, id)
		msg = m
		return nr, err
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, msg)
	return nil
}

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// shownKey is one key in the output of "keyring show --json": its public
// description plus what it is used for at the time shown.
type shownKey struct {
	keyring.KeyInfo
	PrimaryNow bool   `json:"primary_now"`
	Use        string `json:"use"`
}

// shownRing is the output of "keyring show --json".
type shownRing struct {
	Source  string     `json:"source"`
	At      time.Time  `json:"at"`
	Primary uint32     `json:"primary"` // the key that seals at At
	Keys    []shownKey `json:"keys"`
}

func runKeyringShow(e *env, args []string) error {
	f := newFlags(e, "keyring show", "keyring show [FILE] [--json] [--at TIME]")
	asJSON := f.Bool("json", false, "print JSON")
	at := timeFlag{}
	f.Var(&at, "at", "show the keys' use at `TIME` (RFC 3339) instead of now")
	pos, err := f.parse(args, 0, 1)
	if err != nil {
		return err
	}
	src, r, err := ringArg(e, pos)
	if err != nil {
		return err
	}
	now := at.t
	if now.IsZero() {
		now = e.now()
	}
	s := describe(src, r, now.UTC())
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return withCode(exitIO, enc.Encode(s))
	}
	fmt.Fprintf(e.stdout, "keyring %s: %d keys; primary at %s: %d\n", s.Source, len(s.Keys), s.At.Format(time.RFC3339), s.Primary)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tALGORITHM\tSTATE\tCREATED\tACTIVATE_AT\tFINGERPRINT\tUSE")
	for _, k := range s.Keys {
		act := "-"
		if k.ActivateAt != nil {
			act = k.ActivateAt.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Algorithm, k.State,
			k.Created.Format(time.RFC3339), act, k.Fingerprint, k.Use)
	}
	return withCode(exitIO, tw.Flush())
}

// describe says what each key of r does at now, which it shows to the
// second; the keys' use is decided at now exactly, as Seal decides it.
func describe(src string, r *keyring.Ring, now time.Time) shownRing {
	p := r.Primary(now)
	s := shownRing{Source: src, At: now.Truncate(time.Second), Primary: p.ID()}
	for _, k := range r.Keys() {
		sk := shownKey{KeyInfo: k.Info(), PrimaryNow: k == p}
		switch {
		case k == p:
			sk.Use = "seals and opens"
		case k.State() == keyring.Retired:
			sk.Use = "refused: its tokens do not open"
		case k.ActivateAt().After(now):
			sk.Use = "opens; seals from " + k.ActivateAt().Format(time.RFC3339)
		default:
			sk.Use = "opens"
		}
		s.Keys = append(s.Keys, sk)
	}
	return s
}

func runKeyringCheck(e *env, args []string) error {
	f := newFlags(e, "keyring check", "keyring check [FILE]")
	pos, err := f.parse(args, 0, 1)
	if err != nil {
		return err
	}
	src, r, err := ringArg(e, pos)
	if err != nil {
		return err
	}
	if len(pos) == 1 {
		if fi, err := os.Stat(pos[0]); err == nil && fi.Mode().Perm()&0o077 != 0 {
			fmt.Fprintf(e.stderr, "keyseal: warning: %s is readable or writable by others (mode %#o); the keyring holds secrets\n",
				pos[0], fi.Mode().Perm())
		}
	}
	fmt.Fprintf(e.stdout, "keyring %s: ok, %d keys, primary %d\n", src, r.Len(), r.Primary(e.now()).ID())
	return nil
}

// ringArg reads the keyring named by an optional FILE argument, or else the
// one in $KEYSEAL_KEYRING, and says where it came from.
func ringArg(e *env, pos []string) (string, *keyring.Ring, error) {
	if len(pos) == 1 {
		r, err := readRing(pos[0])
		return pos[0], r, err
	}
	r, err := loadRing(e, "")
	return "$" + keyring.EnvVar, r, err
}

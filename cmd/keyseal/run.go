package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// env is what a command may touch: its standard streams, the environment
// and the clock. Tests run commands in-process with their own env.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
}

// command is one entry of a command table. Adding a command (such as
// "demo", or "keyring export-jwk") is adding one entry.
type command struct {
	name    string
	args    string // synopsis of the arguments, for help
	summary string
	run     func(e *env, args []string) error
}

// commands is the top-level command table; keyringCommands holds the
// subcommands of "keyseal keyring". They are set in init because "help"
// reads them.
var commands, keyringCommands []command

func init() {
	commands = []command{
		{"keyring", "SUBCOMMAND ...", "create, rotate, show and check keyring files", runKeyring},
		{"seal", "--name NAME [--keyring FILE] [--ttl DURATION] [--compress] [--format native]",
			"seal the plaintext on stdin; print the token", runSeal},
		{"open", "--name NAME [--keyring FILE] [--at TIME] [--max-age DURATION] [--format auto|native] [--json]",
			"verify and open the token on stdin; print the plaintext", runOpen},
		{"inspect", "[--json]", "print the UNVERIFIED header of the token on stdin; needs no keys", runInspect},
		{"help", "[COMMAND]", "print this help, or a command's flags", runHelp},
	}
	keyringCommands = []command{
		{"new", "(--out FILE [--force] | --reveal) [--alg ALG]",
			"create a keyring with one primary key; print its ID", runKeyringNew},
		{"add", "FILE [--alg ALG] [--promote-at TIME]",
			"add an active key (promoted at TIME if given); print its ID", runKeyringAdd},
		{"promote", "FILE ID", "make key ID the primary; the old primary stays active", runKeyringPromote},
		{"retire", "FILE ID", "retire key ID: its tokens no longer open", runKeyringRetire},
		{"remove", "FILE ID", "delete key ID: its tokens fail as unknown key", runKeyringRemove},
		{"show", "[FILE] [--json] [--at TIME]", "list keys: ID, algorithm, state, times, fingerprint, use", runKeyringShow},
		{"check", "[FILE]", "validate a keyring; the exit code says", runKeyringCheck},
	}
}

// run runs keyseal with the given arguments (without the program name) and
// returns its exit code. Errors are printed as one line on stderr.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, now: time.Now}
	return report(stderr, dispatch(e, commands, "", args))
}

// dispatch runs the command of table named by args[0].
func dispatch(e *env, table []command, prefix string, args []string) error {
	if len(args) == 0 {
		return usageErrorf("%smissing command; run 'keyseal help'", prefix)
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help", "help":
		if prefix != "" { // "keyseal keyring help [COMMAND]"
			return runHelp(e, append([]string{strings.TrimSuffix(prefix, ": ")}, args[1:]...))
		}
		name = "help"
	}
	if c, ok := find(table, name); ok {
		return c.run(e, args[1:])
	}
	return usageErrorf("%sunknown command %q; run 'keyseal help'", prefix, name)
}

func runKeyring(e *env, args []string) error {
	return dispatch(e, keyringCommands, "keyring: ", args)
}

func runHelp(e *env, args []string) error {
	switch {
	case len(args) == 0:
		printHelp(e.stdout)
		return nil
	case len(args) == 1 && args[0] == "keyring":
		printTable(e.stdout, "keyseal keyring ", keyringCommands)
		return nil
	case len(args) == 2 && args[0] == "keyring":
		if c, ok := find(keyringCommands, args[1]); ok {
			return c.run(e, []string{"-h"})
		}
	case len(args) == 1 && args[0] != "help":
		if c, ok := find(commands, args[0]); ok {
			return c.run(e, []string{"-h"})
		}
	}
	return usageErrorf("help: no such command %q", strings.Join(args, " "))
}

func find(table []command, name string) (command, bool) {
	for _, c := range table {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func printTable(w io.Writer, prefix string, table []command) {
	for _, c := range table {
		if c.name == "keyring" {
			continue // its subcommands are listed on their own
		}
		fmt.Fprintf(w, "  %s%s %s\n      %s\n", prefix, c.name, c.args, c.summary)
	}
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, "keyseal operates keyseal keyrings and tokens.\n\nCommands:\n")
	printTable(w, "keyseal ", commands)
	fmt.Fprint(w, "\nKeyring commands:\n")
	printTable(w, "keyseal keyring ", keyringCommands)
	fmt.Fprint(w, helpDetails)
	fmt.Fprint(w, "\nExit codes:\n")
	for _, c := range exitCodes {
		fmt.Fprintf(w, "  %d  %s\n", c.code, c.what)
	}
}

const helpDetails = `
The keyring of seal and open is the file given with --keyring, or else the
keyring file content held in $KEYSEAL_KEYRING. "keyring show" and "keyring
check" without FILE read $KEYSEAL_KEYRING too.

ALG is xchacha20poly1305 (default), aes256gcm or hmacsha256. TIME is RFC 3339
(2026-01-02T15:04:05Z). DURATION is a Go duration (90m, 24h, 720h).

Changes to a keyring file are atomic (temporary file, fsync, rename), leave
the file with mode 0600, and leave it untouched when the command fails.
Concurrent changes to one file are serialised by a lock on FILE.lock, which
is left in place. No command prints a key's secret except "keyring new
--reveal", which prints the new keyring file on stdout instead of writing it.

open prints the plaintext as is. open --json prints one JSON object:
  {"plaintext": string, or null when the plaintext is not UTF-8,
   "plaintext_base64": standard base64 with padding, always present,
   "key_id": number, "issued_at": RFC 3339, "expires_at": RFC 3339,
   "needs_reseal": true when the key is no longer the primary,
   "compressed": bool, "format": "native"}
open checks times against --at (default now) with 60s leeway and refuses
tokens issued more than --max-age ago (default 24h, as the library).

stdin is bounded: seal reads at most 1 MiB of plaintext, open and inspect at
most 64 KiB of token (surrounding whitespace is trimmed); more is refused
with exit code 9. Errors are one line on stderr, starting "keyseal: ".
`

// errHelpFor prints a command's usage and flags on stdout for -h.
func errHelpFor(e *env, synopsis string, printFlags func(io.Writer)) error {
	fmt.Fprintf(e.stdout, "usage: keyseal %s\n", synopsis)
	printFlags(e.stdout)
	return errHelp
}

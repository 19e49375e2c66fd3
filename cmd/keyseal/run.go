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
		{"seal", "--name NAME [--keyring FILE] [--ttl DURATION] [--compress] [--format native|jwe] [--enc ENC]",
			"seal the plaintext on stdin; print the token", runSeal},
		{"open", "--name NAME [--keyring FILE] [--at TIME] [--max-age DURATION] [--format auto|native|jwe|securecookie] [--enc ENC] [--hash-key-file FILE [--block-key-file FILE] --cutoff TIME [--serializer gob|json]] [--json]",
			"verify and open the token on stdin; print the plaintext", runOpen},
		{"inspect", "[--json]", "print the format and UNVERIFIED header of the token on stdin; needs no keys", runInspect},
		{"demo", "[--addr HOST:PORT] [--keyring FILE] [demo flags]",
			"run the demo web app on a loopback address until Ctrl-C (SIGINT) or SIGTERM", runDemo},
		{"version", "", "print keyseal's module version and the Go version that built it", runVersion},
		{"help", "[COMMAND]", "print this help, or a command's flags", runHelp},
	}
	keyringCommands = []command{
		{"new", "(--out FILE [--force] | --reveal) [--alg ALG]",
			"create a keyring with one primary key; print its ID", runKeyringNew},
		{"add", "FILE [--alg ALG] [--promote-at TIME]",
			"add an active key (promoted at TIME if given); print its ID", runKeyringAdd},
		{"promote", "FILE ID", "make key ID the primary; the old primary stays active; pending schedules are cancelled", runKeyringPromote},
		{"retire", "FILE ID", "retire key ID: its tokens no longer open", runKeyringRetire},
		{"remove", "FILE ID", "delete key ID: its tokens fail as unknown key", runKeyringRemove},
		{"show", "[FILE] [--json] [--at TIME]", "list keys: ID, algorithm, state, times, fingerprint, use", runKeyringShow},
		{"check", "[FILE]", "validate a keyring; the exit code says", runKeyringCheck},
		{"export-jwk", "FILE ID [--enc A256GCM|A256CBC-HS512] --reveal",
			"print key ID's JWE key as a JSON Web Key, for another JOSE stack (key material!)", runKeyringExportJWK},
		{"import-jwk", "FILE [JWK_FILE]", "add the A256GCM JSON Web Key in JWK_FILE or on stdin as an active key; print its ID",
			runKeyringImportJWK},
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
		fmt.Fprintf(w, "  %s\n      %s\n", strings.TrimSpace(prefix+c.name+" "+c.args), c.summary)
	}
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, "keyseal operates keyseal keyrings and tokens.\n\nCommands:\n")
	printTable(w, "keyseal ", commands)
	fmt.Fprint(w, "\nKeyring commands:\n")
	printTable(w, "keyseal keyring ", keyringCommands)
	io.WriteString(w, helpDetails)
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
Concurrent changes to one file are serialised by a lock on FILE.lock (see
keyring.Update), which is left in place. A FILE that is a symbolic link is
changed at its target, under the target's lock; the link stays. "keyring new --force" replaces only
a valid keyring file. No command prints key material except "keyring new
--reveal", which prints the new keyring file on stdout instead of writing
it, and "keyring export-jwk --reveal"; without --reveal they print nothing
and exit 2.

export-jwk prints key ID's JWE key for --enc (default A256GCM) as an "oct"
JSON Web Key {"kty","kid","use":"enc","alg":"dir","k"}: for a native key a
subkey derived from it, never its root secret, so it opens JWE tokens only
(for an imported jwe-a256gcm key, the imported key itself). A retired
key is not exported (exit 5). import-jwk adds a 32-byte A256GCM JWK, whose
"kid" must be a decimal key ID not in the ring, as an active key of
algorithm jwe-a256gcm: it opens (and, once promoted, seals) JWE tokens only.
A JWK that is not accepted exits 7; a kid already in the ring exits 1.

Formats: seal --format native (default) or jwe; open --format auto
(default), native, jwe or securecookie. auto picks the format from the
token's first characters (AQ: native, eyJ: jwe, MT/Mj: securecookie)
without trying any key. JWE tokens (alg dir, --enc A256GCM by default, or
A256CBC-HS512) carry JSON claims: seal --format jwe needs a JSON object on
stdin and adds "iat" and "exp"; open prints the claims. They are not bound
to a name, so open takes them only with an explicit --format jwe and no
--name (under auto, "open --name NAME" refuses a JWE token with exit code
3). securecookie values
(gorilla/securecookie, gorilla/sessions) are open-only and need no keyring:
  --hash-key-file FILE   the hash key, the file's raw bytes exactly as given
                         to securecookie.New (write it without a newline:
                         printf %s "$KEY" > FILE; xxd -r -p for hex)
  --block-key-file FILE  the block key (16, 24 or 32 raw bytes), if the
                         cookies were encrypted
  --cutoff TIME          required: from TIME on every value is refused with
                         exit code 10, before it is verified
  --serializer gob|json  gob (default: gorilla/sessions maps of builtin
                         types; custom types fail with exit 6) or json
  --max-age defaults to securecookie's 720h; --name is the cookie name.
open prints a JWE or securecookie value as one line of JSON.

open prints the plaintext as is. open --json prints one JSON object:
  {"plaintext": string, or null when the plaintext is not UTF-8,
   "plaintext_base64": standard base64 with padding, always present,
   "key_id": number, "issued_at": RFC 3339, "expires_at": RFC 3339,
   "needs_reseal": true when the key is no longer the primary,
   "compressed": bool, "format": "native", "jwe" or "securecookie"}
For jwe the plaintext is the claims JSON. For securecookie key_id is 0,
needs_reseal is always true (re-seal legacy values as native) and
expires_at is the timestamp plus --max-age.
open checks times against --at (default now) with 60s leeway and refuses
tokens issued more than --max-age ago (default 24h, as the library).

stdin is bounded: seal reads at most 1 MiB of plaintext, open and inspect at
most 64 KiB of token (surrounding whitespace is trimmed), import-jwk at
most 4 KiB of JWK; more is refused with exit code 9. Errors are one line
on stderr, starting "keyseal: ".

demo runs the demo web app (see "keyseal help demo" for its flags) on a
loopback address, prints "keyseal demo: open http://ADDR/ ..." on stdout
once it listens (--addr 127.0.0.1:0 picks a free port), logs on stderr, and
exits 0 on SIGINT or SIGTERM after a graceful shutdown.
`

// errHelpFor prints a command's usage and flags on stdout for -h.
func errHelpFor(e *env, synopsis string, printFlags func(io.Writer)) error {
	fmt.Fprintf(e.stdout, "usage: keyseal %s\n", synopsis)
	printFlags(e.stdout)
	return errHelp
}

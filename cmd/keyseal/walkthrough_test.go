package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWalkthrough runs testdata/rotation.sh, the rotation walk-through of
// the README's "Operating keys from the shell", with bash and the built
// binary on PATH, as a user pasting it would.
func TestWalkthrough(t *testing.T) {
	s, out, errb := runScript(t, "testdata/rotation.sh")
	for _, want := range []string{
		"UNVERIFIED",
		`{"user":"ada"}` + "\n",
		"is the primary; key",
		"FINGERPRINT",
		`"needs_reseal":true`,
		"is retired",
		"refused: exit code 5\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("walk-through output lacks %q:\n%s", want, out.String())
		}
	}
	if got := errb.String(); !strings.HasPrefix(got, "keyseal: keyseal: key is retired") || strings.Count(got, "\n") != 1 {
		t.Errorf("walk-through stderr: %q", got)
	}
	s.check([]string{"walk-through"}, result{code: 0, stdout: out.String()})
}

// TestJWKWalkthrough runs testdata/jwk.sh, the README's walk-through of
// sharing a key as a JWK and opening a JWE token under another keyring.
func TestJWKWalkthrough(t *testing.T) {
	s, out, errb := runScript(t, "testdata/jwk.sh")
	for _, want := range []string{
		"format:     jwe",
		`"sub":"ada"`,
		"refused: exit code 2\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("walk-through output lacks %q:\n%s", want, out.String())
		}
	}
	if got := errb.String(); !strings.Contains(got, "give --reveal") || strings.Count(got, "\n") != 1 {
		t.Errorf("walk-through stderr: %q", got)
	}
	fi, err := os.Stat(s.path("key.jwk"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key.jwk: %v, %v", fi, err)
	}
	// Secrets of the keyrings never print; the JWK printed once, into key.jwk.
	s.check([]string{"walk-through"}, result{code: 0, stdout: out.String()})
}

// runScript runs a walk-through script with bash -u in a new shell's
// directory, with the built binary first on PATH, as a user pasting it
// would, and fails the test if it fails.
func runScript(t *testing.T, name string) (*shell, *strings.Builder, *strings.Builder) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script, err := filepath.Abs(name)
	if err != nil {
		t.Fatal(err)
	}
	s := newShell(t)
	cmd := exec.Command(bash, "-u", script)
	cmd.Dir = s.dir
	cmd.Env = append(baseEnv(), "PATH="+filepath.Dir(binary)+string(os.PathListSeparator)+os.Getenv("PATH"))
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", name, err, out.String(), errb.String())
	}
	return s, &out, &errb
}

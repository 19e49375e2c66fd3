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
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script, err := filepath.Abs("testdata/rotation.sh")
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
		t.Fatalf("walk-through: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errb.String())
	}
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
	if got := errb.String(); !strings.HasPrefix(got, "keyseal: codec: key is retired") || strings.Count(got, "\n") != 1 {
		t.Errorf("walk-through stderr: %q", got)
	}
	s.check([]string{"walk-through"}, result{code: 0, stdout: out.String()})
}

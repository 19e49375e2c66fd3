package main

import (
	"io"
	"strings"
	"testing"
)

// zeros is an endless stream of zero bytes that counts what was read.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.n += int64(len(p))
	return len(p), nil
}

// TestHugeStdinInProcess feeds an endless stdin to every command that
// reads one: each refuses it as too large after reading one byte past its
// limit.
func TestHugeStdinInProcess(t *testing.T) {
	env := func(string) string { return ringJSON(primaryKey) }
	for _, c := range []struct {
		limit int
		args  []string
	}{
		{maxPlaintextInput, []string{"seal", "--name", "n"}},
		{maxTokenInput, []string{"open", "--name", "n"}},
		{maxTokenInput, []string{"inspect"}},
	} {
		z := &zeros{}
		var out, errb strings.Builder
		code := run(c.args, z, &out, &errb, env)
		if code != exitTooLarge {
			t.Errorf("%s on endless stdin: exit code %d, want %d: %s", c.args[0], code, exitTooLarge, errb.String())
		}
		if z.n > int64(c.limit)+64<<10 {
			t.Errorf("%s read %d bytes of stdin, limit %d", c.args[0], z.n, c.limit)
		}
		if out.Len() != 0 || !strings.HasPrefix(errb.String(), "keyseal: ") {
			t.Errorf("%s: stdout %q, stderr %q", c.args[0], out.String(), errb.String())
		}
	}
}

// TestHugeStdinBinary pipes a gigabyte into the binary: it stops early
// with exitTooLarge and its memory stays far below what reading it all
// would take.
func TestHugeStdinBinary(t *testing.T) {
	s := newShell(t)
	ring := s.path("ring.json")
	s.ok("", "keyring", "new", "--out", ring)
	for _, args := range [][]string{
		{"seal", "--keyring", ring, "--name", "n"},
		{"open", "--keyring", ring, "--name", "n"},
		{"inspect"},
	} {
		cmd := s.command(io.LimitReader(&zeros{}, 1<<30), args...)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		if code := cmd.ProcessState.ExitCode(); code != exitTooLarge {
			t.Fatalf("%s on 1 GiB of stdin: exit code %d (%v), want %d: %s", args[0], code, err, exitTooLarge, errb.String())
		}
		checkStderr(t, args, result{code: exitTooLarge, stderr: errb.String()})
		if kib, ok := maxRSS(cmd.ProcessState); ok && kib > 128<<10 {
			t.Errorf("%s used %d KiB of memory on a huge stdin", args[0], kib)
		}
	}
}

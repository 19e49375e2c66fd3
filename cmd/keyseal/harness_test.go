package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// binary is the keyseal binary built once by TestMain; every test that
// runs a command as a user would goes through it.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "keyseal-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "keyseal")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building keyseal: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// shell runs the keyseal binary in a temporary directory, like a user at a
// shell, and checks every run's output: errors are one "keyseal: " line on
// stderr, and no secret of any keyring in the directory or the environment
// ever appears on stdout or stderr.
type shell struct {
	t   *testing.T
	dir string
	env []string // extra environment, KEY=VALUE
}

func newShell(t *testing.T) *shell {
	return &shell{t: t, dir: t.TempDir()}
}

type result struct {
	code           int
	stdout, stderr string
}

// path returns the absolute path of a file in the shell's directory.
func (s *shell) path(name string) string { return filepath.Join(s.dir, name) }

// run runs keyseal with stdin and args.
func (s *shell) run(stdin string, args ...string) result {
	s.t.Helper()
	return s.runReader(strings.NewReader(stdin), args...)
}

func (s *shell) runReader(stdin io.Reader, args ...string) result {
	s.t.Helper()
	cmd := s.command(stdin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	return s.finish(cmd.Run(), &out, &errb, args)
}

func (s *shell) command(stdin io.Reader, args ...string) *exec.Cmd {
	cmd := exec.Command(binary, args...)
	cmd.Dir = s.dir
	cmd.Env = append(baseEnv(), s.env...)
	cmd.Stdin = stdin
	return cmd
}

func (s *shell) finish(err error, out, errb *bytes.Buffer, args []string) result {
	s.t.Helper()
	r := result{stdout: out.String(), stderr: errb.String()}
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			s.t.Fatalf("keyseal %q: %v", args, err)
		}
		r.code = ee.ExitCode()
	}
	s.check(args, r)
	return r
}

// want runs keyseal and fails the test unless it exits with code.
func (s *shell) want(code int, stdin string, args ...string) result {
	s.t.Helper()
	r := s.run(stdin, args...)
	if r.code != code {
		s.t.Fatalf("keyseal %q: exit code %d, want %d; stderr: %s", args, r.code, code, r.stderr)
	}
	return r
}

// checkExit fails t unless r, the result of keyseal args, exited with
// code, and, if that is a failure, printed nothing on stdout: a failed
// command's stdout must not be mistaken for output.
func checkExit(t testing.TB, args []string, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("keyseal %q: exit code %d, want %d; stderr: %s", args, r.code, code, r.stderr)
	}
	if code != exitOK && r.stdout != "" {
		t.Fatalf("keyseal %q failed with output on stdout: %q", args, r.stdout)
	}
}

// ok runs keyseal, fails the test unless it succeeds, and returns its
// stdout without surrounding space.
func (s *shell) ok(stdin string, args ...string) string {
	s.t.Helper()
	return strings.TrimSpace(s.want(exitOK, stdin, args...).stdout)
}

// check applies the rules every run must follow.
func (s *shell) check(args []string, r result) {
	s.t.Helper()
	checkStderr(s.t, args, r)
	for _, a := range args {
		if a == "--reveal" || a == "-reveal" {
			return // the one command allowed to print a secret
		}
	}
	for _, secret := range s.secrets() {
		if leaks(r.stdout, secret) || leaks(r.stderr, secret) {
			s.t.Fatalf("keyseal %q printed a key secret", args)
		}
	}
}

func checkStderr(t *testing.T, args []string, r result) {
	t.Helper()
	lines := strings.SplitAfter(r.stderr, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic") {
		t.Fatalf("keyseal %q: stack trace on stderr:\n%s", args, r.stderr)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "keyseal: ") || !strings.HasSuffix(l, "\n") {
			t.Fatalf("keyseal %q: stderr line %q does not start with \"keyseal: \"", args, l)
		}
	}
	switch {
	case r.code != exitOK && len(lines) != 1:
		t.Fatalf("keyseal %q: exit code %d with %d stderr lines, want 1:\n%s", args, r.code, len(lines), r.stderr)
	case r.code == exitOK && len(lines) > 0 && !strings.HasPrefix(lines[0], "keyseal: warning: "):
		t.Fatalf("keyseal %q: succeeded with an error on stderr: %s", args, r.stderr)
	}
}

// secretPattern matches a 32-byte secret in standard base64, as keyring
// files hold them: it finds secrets even in files that do not parse.
var secretPattern = regexp.MustCompile(`[A-Za-z0-9+/]{43}=`)

// secrets returns every key secret in the shell's directory and
// environment.
func (s *shell) secrets() [][]byte {
	var all [][]byte
	add := func(text string) {
		for _, m := range secretPattern.FindAllString(text, -1) {
			if b, err := base64.StdEncoding.DecodeString(m); err == nil && len(b) == 32 {
				all = append(all, b)
			}
		}
	}
	entries, _ := os.ReadDir(s.dir)
	for _, e := range entries {
		if e.Type().IsRegular() {
			if data, err := os.ReadFile(s.path(e.Name())); err == nil && len(data) <= 4<<20 {
				add(string(data))
			}
		}
	}
	for _, kv := range s.env {
		add(kv)
	}
	return all
}

// leaks reports whether out holds secret in any common encoding.
func leaks(out string, secret []byte) bool {
	h := hex.EncodeToString(secret)
	for _, enc := range []string{
		string(secret), h, strings.ToUpper(h),
		base64.StdEncoding.EncodeToString(secret),
		base64.RawStdEncoding.EncodeToString(secret),
		base64.URLEncoding.EncodeToString(secret),
		base64.RawURLEncoding.EncodeToString(secret),
	} {
		if strings.Contains(out, enc) {
			return true
		}
	}
	return false
}

// baseEnv is the test process's environment without any keyring.
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KEYSEAL_KEYRING=") {
			env = append(env, kv)
		}
	}
	return env
}

// fileState is a file's content and metadata, to prove a failed command
// left it untouched.
type fileState struct {
	data []byte
	info os.FileInfo
}

func stat(t *testing.T, path string) fileState {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fileState{data, fi}
}

func (f fileState) assertSame(t *testing.T, path string, why string) {
	t.Helper()
	now := stat(t, path)
	if !bytes.Equal(now.data, f.data) || now.info.Mode() != f.info.Mode() ||
		!now.info.ModTime().Equal(f.info.ModTime()) || !os.SameFile(now.info, f.info) {
		t.Fatalf("%s changed %s", why, path)
	}
}

// assertMode0600 fails unless the file at path has mode 0600.
func assertMode0600(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("%s has mode %#o, want 0600", path, fi.Mode().Perm())
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func parseDuration(s string) (time.Duration, error) { return time.ParseDuration(s) }

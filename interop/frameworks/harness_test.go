// Package frameworks_test runs keyseal's rails and flask packages against
// the frameworks themselves: Rails' cookie jar (ActionDispatch::Cookies
// and ActiveSupport::MessageEncryptor, from the Debian packages
// ruby-actionpack and ruby-activesupport) and Flask's session interface
// (Flask's SecureCookieSessionInterface over itsdangerous, from
// python3-flask and python3-itsdangerous). The scripts in testdata make
// cookies with them and read keyseal's back.
//
// Without ruby and those gems, or a python3 with flask, the tests skip,
// unless KEYSEAL_REQUIRE_FRAMEWORKS=1 (set it in CI), which turns the
// skip into a failure. KEYSEAL_PYTHON names the Python interpreter to use
// (default: the first of python3 on PATH and /usr/bin/python3 that
// imports flask).
package frameworks_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var (
	rubyOnce, pythonOnce sync.Once
	rubyErr, pythonErr   string
	python               string
)

// need skips or fails t when a framework is missing.
func need(t *testing.T, missing string) {
	t.Helper()
	if missing == "" {
		return
	}
	if os.Getenv("KEYSEAL_REQUIRE_FRAMEWORKS") != "" {
		t.Fatal(missing)
	}
	t.Skip(missing + " (set KEYSEAL_REQUIRE_FRAMEWORKS=1 to fail instead)")
}

func requireRails(t *testing.T) {
	t.Helper()
	rubyOnce.Do(func() {
		out, err := exec.Command("ruby", "-e", `require "action_dispatch"; require "action_dispatch/middleware/cookies"; print ActionPack.version`).CombinedOutput()
		if err != nil {
			rubyErr = "frameworks: ruby with actionpack and activesupport not found (Debian: ruby-actionpack): " + err.Error() + "\n" + string(out)
		}
	})
	need(t, rubyErr)
}

func requireFlask(t *testing.T) {
	t.Helper()
	pythonOnce.Do(func() {
		candidates := []string{"python3", "/usr/bin/python3"}
		if p := os.Getenv("KEYSEAL_PYTHON"); p != "" {
			candidates = []string{p}
		}
		for _, p := range candidates {
			if exec.Command(p, "-c", "import flask, itsdangerous").Run() == nil {
				python = p
				return
			}
		}
		pythonErr = "frameworks: no python3 that imports flask and itsdangerous (Debian: python3-flask)"
	})
	need(t, pythonErr)
}

// run sends tasks to a script in testdata and decodes its answers into
// out, a pointer to a slice as long as tasks.
func run(t *testing.T, interp, script string, tasks any, out any) {
	t.Helper()
	in, err := json.Marshal(tasks)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(interp, filepath.Join("testdata", script))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", interp, script, err, stderr.String())
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("%s %s: %v\n%s", interp, script, err, b)
	}
}

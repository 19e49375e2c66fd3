// Package npmci installs the npm packages a test pins (a package-lock.json
// in a folder, usually testdata) for tests that run real JavaScript
// libraries with Node. `npm ci` runs once per change of the lock file: the
// installed tree is stamped with the lock file's hash.
//
// Without node or npm the tests skip, unless KEYSEAL_REQUIRE_NODE is set
// (CI sets it), which turns the skip into a failure.
package npmci

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var (
	mu   sync.Mutex
	done = map[string]string{} // folder: why it failed, "" when installed
)

// Require installs the packages of dir's package-lock.json, once per test
// binary, and skips or fails t when that is not possible. what names the
// tests in the message ("the JOSE interop tests").
func Require(t testing.TB, dir, what string) {
	t.Helper()
	mu.Lock()
	why, ok := done[dir]
	if !ok {
		why = install(dir, what)
		done[dir] = why
	}
	mu.Unlock()
	if why == "" {
		return
	}
	if os.Getenv("KEYSEAL_REQUIRE_NODE") != "" {
		t.Fatal(why)
	}
	t.Skip(why + " (set KEYSEAL_REQUIRE_NODE=1 to fail instead)")
}

func install(dir, what string) string {
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "interop: " + tool + " not found on PATH; install nodejs and npm to run " + what
		}
	}
	lock, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return "interop: " + err.Error()
	}
	sum := sha256.Sum256(lock)
	want := hex.EncodeToString(sum[:])
	stamp := filepath.Join(dir, "node_modules", ".keyseal-lock-sha256")
	if got, err := os.ReadFile(stamp); err == nil && string(got) == want {
		return ""
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "interop: npm ci failed: " + err.Error() + "\n" + string(out)
	}
	if err := os.WriteFile(stamp, []byte(want), 0o644); err != nil {
		return "interop: " + err.Error()
	}
	return ""
}

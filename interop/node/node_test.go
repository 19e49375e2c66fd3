// Package node_test runs keyseal against independent JOSE implementations
// written in JavaScript: the npm "jose" package and Auth.js (@auth/core),
// pinned in testdata/package-lock.json and run with Node.
//
// The tests need node and npm on PATH. Without them they skip, unless
// KEYSEAL_REQUIRE_NODE=1 (set it in CI), which turns the skip into a
// failure. `npm ci` runs once per change of package-lock.json; the
// installed tree is stamped with the lock file's hash.
package node_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var (
	setupOnce sync.Once
	setupErr  string
)

// requireNode skips or fails t when node is missing, and installs the
// pinned packages when the lock file changed since the last install.
func requireNode(t *testing.T) {
	t.Helper()
	setupOnce.Do(func() { setupErr = setup() })
	if setupErr == "" {
		return
	}
	if os.Getenv("KEYSEAL_REQUIRE_NODE") != "" {
		t.Fatal(setupErr)
	}
	t.Skip(setupErr + " (set KEYSEAL_REQUIRE_NODE=1 to fail instead)")
}

func setup() string {
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "interop: " + tool + " not found on PATH; install nodejs and npm to run the JavaScript interop tests"
		}
	}
	lock, err := os.ReadFile(filepath.Join("testdata", "package-lock.json"))
	if err != nil {
		return "interop: " + err.Error()
	}
	sum := sha256.Sum256(lock)
	want := hex.EncodeToString(sum[:])
	stamp := filepath.Join("testdata", "node_modules", ".keyseal-lock-sha256")
	if got, err := os.ReadFile(stamp); err == nil && string(got) == want {
		return ""
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = "testdata"
	if out, err := cmd.CombinedOutput(); err != nil {
		return "interop: npm ci failed: " + err.Error() + "\n" + string(out)
	}
	if err := os.WriteFile(stamp, []byte(want), 0o644); err != nil {
		return "interop: " + err.Error()
	}
	return ""
}

// task is one request to testdata/interop.mjs; result is its answer.
type task map[string]any

type result struct {
	Token   string                         `json:"token"`
	Error   string                         `json:"error"`
	Claims  map[string]any                 `json:"claims"`
	Header  map[string]any                 `json:"header"`
	JWK     json.RawMessage                `json:"jwk"`
	Cookies []struct{ Name, Value string } `json:"cookies"`
}

// runNode runs the tasks in one Node process and returns their results.
func runNode(t *testing.T, tasks []task) []result {
	t.Helper()
	in, err := json.Marshal(tasks)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", "interop.mjs")
	cmd.Dir = "testdata"
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var res []result
	if err := json.Unmarshal(out, &res); err != nil || len(res) != len(tasks) {
		t.Fatalf("node output: %v: %.200s", err, out)
	}
	return res
}

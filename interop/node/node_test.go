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
	"encoding/json"
	"os/exec"
	"testing"

	"github.com/keyseal/keyseal/internal/testkit/npmci"
)

// requireNode skips or fails t when node is missing, and installs the
// pinned packages when the lock file changed since the last install.
func requireNode(t *testing.T) {
	t.Helper()
	npmci.Require(t, "testdata", "the JavaScript interop tests")
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

// Package nodesessions_test checks keyseal's nodesession package against
// the real libraries: iron-session 9.0.1 (iron-webcrypto 2.0.0) and
// Express's cookie-session 2.1.1 (cookies 0.9.1, keygrip 1.1.0), pinned in
// testdata/package-lock.json and run with Node.
//
// The tests need node and npm on PATH. Without them they skip, unless
// KEYSEAL_REQUIRE_NODE=1 (set it in CI), which turns the skip into a
// failure. `npm ci` runs once per change of package-lock.json; the
// installed tree is stamped with the lock file's hash.
package nodesessions_test

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"reflect"
	"testing"

	"github.com/keyseal/keyseal/internal/testkit/npmci"
)

// requireNode skips or fails t when node is missing, and installs the
// pinned packages when the lock file changed since the last install.
func requireNode(t *testing.T) {
	t.Helper()
	npmci.Require(t, "testdata", "the Node session interop tests")
}

// task is one request to testdata/nodesessions.mjs; result is its answer.
type task map[string]any

type result struct {
	Token      string          `json:"token"`
	SetCookies []string        `json:"setCookies"`
	Data       json.RawMessage `json:"data"`
	IsNew      bool            `json:"isNew"`
	Error      string          `json:"error"`
}

// runNode runs the tasks in one Node process and returns their results.
func runNode(t *testing.T, tasks []task) []result {
	t.Helper()
	requireNode(t)
	in, err := json.Marshal(tasks)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", "nodesessions.mjs")
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
		t.Fatalf("node output: %v: %.300s", err, out)
	}
	return res
}

// sameJSON fails t unless a and b are the same JSON value.
func sameJSON(t *testing.T, what string, a, b []byte) {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%s: %v: %s", what, err, a)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("%s: %v: %s", what, err, b)
	}
	if !reflect.DeepEqual(x, y) {
		t.Errorf("%s: got %s, want %s", what, a, b)
	}
}

// rawJSON is a JSON text passed through to Node as a value.
func rawJSON(s string) json.RawMessage { return json.RawMessage(s) }

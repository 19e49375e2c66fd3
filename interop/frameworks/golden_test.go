package frameworks_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var golden = flag.Bool("golden", false, "rewrite the golden cookies in ../../rails/testdata and ../../flask/testdata")

// goldenCase is one cookie of a golden file, as the root module's tests
// read it: open Value with Secrets (newest first) under Name at Now, and
// get Session, or an error matching Err.
type goldenCase struct {
	Case     string          `json:"case"`
	Secrets  []string        `json:"secrets"`
	SHA1Keys bool            `json:"sha1_keys,omitempty"`
	Name     string          `json:"name"`
	Value    string          `json:"value"`
	Now      int64           `json:"now"`
	MaxAge   int64           `json:"max_age,omitempty"` // seconds
	Session  json.RawMessage `json:"session,omitempty"`
	Expires  int64           `json:"expires,omitempty"`
	Issued   int64           `json:"issued,omitempty"`
	Reseal   bool            `json:"needs_reseal,omitempty"`
	Err      string          `json:"err,omitempty"` // "auth", "expired", "marshal", ...
}

// goldenNow is the time the golden cookies are opened at.
var goldenNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Unix()

func writeGolden(t *testing.T, pkg string, cases []goldenCase) {
	t.Helper()
	b, err := json.MarshalIndent(cases, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", pkg, "testdata", "golden.json")
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d cookies to %s", len(cases), path)
}

// TestRailsGolden makes rails/testdata/golden.json with Rails, under
// -golden: cookies the root module's tests open without Ruby.
func TestRailsGolden(t *testing.T) {
	if !*golden {
		t.Skip("run with -golden to rewrite the golden cookies")
	}
	requireRails(t)
	later := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	earlier := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC).Unix()
	type spec struct {
		c    goldenCase
		app  railsApp
		make railsTask // Secrets, Name, Expires, Serializer set
	}
	w := func(secret, name string, exp int64, ser string) railsTask {
		return railsTask{Secrets: []string{secret}, Name: name, Expires: exp, Serializer: ser}
	}
	both := []string{railsSecret, railsOld}
	sess := mustJSON(railsSession)
	specs := []spec{
		{goldenCase{Case: "6.1 defaults: GCM, purpose, expiry", Session: sess, Expires: later}, railsApps[0], w(railsSecret, railsName, later, "json")},
		{goldenCase{Case: "7.0 defaults: SHA-256 keys, no expiry", Session: sess}, railsApps[1], w(railsSecret, railsName, 0, "json")},
		{goldenCase{Case: "5.2 defaults: GCM, no metadata", Session: sess}, railsApps[2], w(railsSecret, railsName, 0, "json")},
		{goldenCase{Case: "5.0 defaults: CBC and HMAC-SHA1", Session: sess, Reseal: true}, railsApps[3], w(railsSecret, railsName, 0, "json")},
		{goldenCase{Case: "CBC with purpose and expiry", Session: sess, Expires: later, Reseal: true}, railsApps[4], w(railsSecret, railsName, later, "json")},
		{goldenCase{Case: "old secret of a rotation", Session: sess, Reseal: true}, railsApps[0], w(railsOld, railsName, 0, "json")},
		{goldenCase{Case: "expired", Err: "expired"}, railsApps[0], w(railsSecret, railsName, earlier, "json")},
		{goldenCase{Case: "another cookie's purpose", Err: "auth"}, railsApps[0], w(railsSecret, "_other_session", 0, "json")},
		{goldenCase{Case: "Marshal serializer", Err: "marshal"}, railsApps[0], w(railsSecret, railsName, 0, "marshal")},
	}
	var tasks []railsTask
	for _, s := range specs {
		task := s.app.task("write", s.make.Secrets...)
		task.Name, task.Expires, task.Serializer, task.Data = s.make.Name, s.make.Expires, s.make.Serializer, railsSession
		tasks = append(tasks, task)
	}
	var cases []goldenCase
	for i, r := range railsRun(t, tasks) {
		c := specs[i].c
		c.Secrets, c.SHA1Keys, c.Name, c.Value, c.Now = both, !specs[i].app.sha256, railsName, r.Value, goldenNow
		c.MaxAge = int64(5 * 365 * 24 * 3600) // expiries in 2030
		cases = append(cases, c)
	}
	writeGolden(t, "rails", cases)
}

// TestFlaskGolden makes flask/testdata/golden.json with Flask, under
// -golden: cookies the root module's tests open without Python.
func TestFlaskGolden(t *testing.T) {
	if !*golden {
		t.Skip("run with -golden to rewrite the golden cookies")
	}
	requireFlask(t)
	signed := goldenNow - 3600
	old := goldenNow - 40*24*3600
	type spec struct {
		c    goldenCase
		task flaskTask
	}
	w := func(secret string, ts int64, data map[string]any, tagged bool) flaskTask {
		return flaskTask{Op: "write", Secret: secret, Data: data, Tagged: tagged, Permanent: true, Timestamp: &ts}
	}
	big := map[string]any{"user_id": 7, "blob": strings.Repeat("compressible ", 100)}
	bomb := map[string]any{"bomb": strings.Repeat("x", 200_000)}
	specs := []spec{
		{goldenCase{Case: "plain"}, w(flaskSecret, signed, flaskSession, false)},
		{goldenCase{Case: "compressed"}, w(flaskSecret, signed, big, false)},
		{goldenCase{Case: "every tag"}, w(flaskSecret, signed, flaskSession, true)},
		{goldenCase{Case: "fallback secret", Reseal: true}, w(flaskFallback, signed, flaskSession, false)},
		{goldenCase{Case: "older than PERMANENT_SESSION_LIFETIME", Err: "expired"}, w(flaskSecret, old, flaskSession, false)},
		{goldenCase{Case: "signed in the future", Err: "notyet"}, w(flaskSecret, goldenNow+3600, flaskSession, false)},
		{goldenCase{Case: "inflates beyond MaxSessionSize", Err: "toolarge"}, w(flaskSecret, signed, bomb, false)},
	}
	var tasks []flaskTask
	for _, s := range specs {
		tasks = append(tasks, s.task)
	}
	var cases []goldenCase
	for i, r := range flaskRun(t, tasks) {
		c := specs[i].c
		c.Secrets, c.Name, c.Value, c.Now = []string{flaskSecret, flaskFallback}, "session", r.Value, goldenNow
		if c.Err == "" {
			c.Session, c.Issued = mustJSON(r.Data), *specs[i].task.Timestamp
		}
		cases = append(cases, c)
	}
	writeGolden(t, "flask", cases)
}

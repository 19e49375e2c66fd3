package frameworks_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/flask"
)

// flaskTask is a request to testdata/flask_cookies.py (see its comment).
type flaskTask struct {
	Op        string         `json:"op"`
	Secret    string         `json:"secret"`
	Fallbacks []string       `json:"fallbacks,omitempty"`
	Lifetime  int64          `json:"lifetime,omitempty"` // seconds
	Data      map[string]any `json:"data,omitempty"`
	Tagged    bool           `json:"tagged,omitempty"`
	Permanent bool           `json:"permanent,omitempty"`
	Timestamp *int64         `json:"timestamp,omitempty"`
	Value     string         `json:"value,omitempty"`
}

type flaskResult struct {
	Value string         `json:"value"`
	Data  map[string]any `json:"data"`
	Empty bool           `json:"empty"`
	Error string         `json:"error"`
}

const (
	flaskSecret   = "flask-secret-key-7d1c9e0b5a3f"
	flaskFallback = "flask-old-secret-2b8e4f6a0c1d"
)

// flaskRun runs tasks through Flask and fails on a script error.
func flaskRun(t *testing.T, tasks []flaskTask) []flaskResult {
	t.Helper()
	var res []flaskResult
	run(t, python, "flask_cookies.py", tasks, &res)
	for i, r := range res {
		if r.Error != "" {
			t.Fatalf("flask task %d (%+v): %s", i, tasks[i], r.Error)
		}
	}
	return res
}

func flaskCodec(t *testing.T, cfg flask.Config) *flask.Codec {
	t.Helper()
	if cfg.Secrets == nil {
		cfg.Secrets = []string{flaskSecret, flaskFallback}
	}
	c, err := flask.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func at(t time.Time) *int64 { u := t.Unix(); return &u }

var flaskSession = map[string]any{"user_id": float64(7), "name": "flask user é ☃", "cart": []any{"a", "b"}}

// Cookies Flask makes open to the session Flask holds: plain,
// compressed, with every tagged type, permanent, and signed with a key
// now in the fallbacks (NeedsReseal).
func TestFlaskOpensGenuine(t *testing.T) {
	requireFlask(t)
	big := map[string]any{"blob": strings.Repeat("compressible ", 100)}
	tasks := []flaskTask{
		{Secret: flaskSecret, Data: flaskSession},
		{Secret: flaskSecret, Data: big},
		{Secret: flaskSecret, Data: flaskSession, Tagged: true, Permanent: true},
		{Secret: flaskFallback, Data: flaskSession},
	}
	for i := range tasks {
		tasks[i].Op = "write"
	}
	res := flaskRun(t, tasks)
	if !strings.HasPrefix(res[1].Value, ".") || strings.HasPrefix(res[0].Value, ".") {
		t.Fatalf("compression not as expected: %q, %q", res[0].Value, res[1].Value)
	}
	c := flaskCodec(t, flask.Config{})
	for i, r := range res {
		data, m, err := c.Open(r.Value)
		if err != nil {
			t.Errorf("cookie %d: %v (%s)", i, err, r.Value)
			continue
		}
		sameJSON(t, data, r.Data)
		if d := time.Since(m.IssuedAt); d < -time.Second || d > time.Minute || m.NeedsReseal != (i == 3) {
			t.Errorf("cookie %d: meta %+v", i, m)
		}
		if !m.ExpiresAt.Equal(m.IssuedAt.Add(flask.DefaultMaxAge)) {
			t.Errorf("cookie %d: expires %v", i, m.ExpiresAt)
		}
	}
}

// Cookies keyseal seals open in Flask, compressed or not, with an
// object that looks tagged, and in an app that moved keyseal's secret to
// its fallbacks.
func TestFlaskReadsSealed(t *testing.T) {
	requireFlask(t)
	sessions := []map[string]any{
		flaskSession,
		{"blob": strings.Repeat("compressible ", 100)},
		{"looks_tagged": map[string]any{" t": "not a tuple"}, "deep": []any{map[string]any{" di": 1}}},
	}
	c := flaskCodec(t, flask.Config{Secrets: []string{flaskSecret}})
	var tasks []flaskTask
	for _, s := range sessions {
		v, err := c.Seal(mustJSON(s))
		if err != nil {
			t.Fatal(err)
		}
		tasks = append(tasks, flaskTask{Op: "read", Secret: flaskSecret, Value: v},
			flaskTask{Op: "read", Secret: "a-newer-secret", Fallbacks: []string{flaskSecret}, Value: v})
	}
	if !strings.HasPrefix(tasks[2].Value, ".") {
		t.Errorf("a compressible session was not compressed: %q", tasks[2].Value)
	}
	for i, r := range flaskRun(t, tasks) {
		if r.Empty {
			t.Errorf("session %d: Flask refused keyseal's cookie", i/2)
			continue
		}
		sameJSON(t, mustJSON(r.Data), sessions[i/2])
	}
}

// Tampered, wrong secret, expired under PERMANENT_SESSION_LIFETIME,
// signed in the future, and inflating beyond MaxSessionSize: refused by
// keyseal with the sentinels; Flask refuses all but the last.
func TestFlaskRefuses(t *testing.T) {
	requireFlask(t)
	now := time.Now()
	written := flaskRun(t, []flaskTask{
		{Op: "write", Secret: flaskSecret, Data: flaskSession},
		{Op: "write", Secret: flaskSecret, Data: flaskSession, Timestamp: at(now.Add(-2 * time.Hour))},
		{Op: "write", Secret: flaskSecret, Data: flaskSession, Timestamp: at(now.Add(time.Hour))},
		{Op: "write", Secret: flaskSecret, Data: map[string]any{"bomb": strings.Repeat("x", 200_000)}},
	})
	genuine := written[0].Value
	tampered := []byte(genuine)
	tampered[3] ^= 1 // still base64url
	cases := []struct {
		name     string
		value    string
		codec    *flask.Codec
		lifetime int64 // the Flask app's, seconds
		want     error
		flask    bool // Flask opens it
	}{
		{"tampered", string(tampered), flaskCodec(t, flask.Config{}), 0, keyseal.ErrAuth, false},
		{"wrong secret", genuine, flaskCodec(t, flask.Config{Secrets: []string{"other"}}), 0, keyseal.ErrAuth, false},
		{"older than the lifetime", written[1].Value, flaskCodec(t, flask.Config{MaxAge: time.Hour}), 3600, keyseal.ErrExpired, false},
		{"within a longer lifetime", written[1].Value, flaskCodec(t, flask.Config{MaxAge: 3 * time.Hour}), 3 * 3600, nil, true},
		{"signed in the future", written[2].Value, flaskCodec(t, flask.Config{}), 0, keyseal.ErrNotYetValid, false},
		{"zlib bomb", written[3].Value, flaskCodec(t, flask.Config{}), 0, keyseal.ErrTooLarge, true},
	}
	var reads []flaskTask
	for _, c := range cases {
		_, _, err := c.codec.Open(c.value)
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		secret := flaskSecret
		if c.name == "wrong secret" {
			secret = "other"
		}
		reads = append(reads, flaskTask{Op: "read", Secret: secret, Lifetime: c.lifetime, Value: c.value})
	}
	for i, r := range flaskRun(t, reads) {
		if r.Empty == cases[i].flask {
			t.Errorf("%s: Flask opened it: %v, want %v", cases[i].name, !r.Empty, cases[i].flask)
		}
	}
	if len(written[3].Value) > 4096 {
		t.Errorf("the bomb does not fit a cookie: %d characters", len(written[3].Value))
	}
}

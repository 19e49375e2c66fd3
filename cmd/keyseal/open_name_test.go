package main

import (
	"encoding/base64"
	"encoding/json"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// TestOpenJWENeedsFormat checks that a name given to open is a name
// checked: under --format auto a JWE token, which is bound to no name, is
// refused as a token of another name (exit 3), and opens only with an
// explicit --format jwe, which refuses a --name (exit 2).
func TestOpenJWENeedsFormat(t *testing.T) {
	s := newShell(t)
	ring := s.path("ring.json")
	s.ok("", "keyring", "new", "--out", ring)
	token := s.ok(`{"sub":"api"}`, "seal", "--keyring", ring, "--format", "jwe", "--ttl", "1h")
	for _, c := range []struct {
		name, want string
		code       int
		args       []string
	}{
		{"auto with --name", "--format jwe", exitAuth, []string{"--name", "session"}},
		{"auto without --name", "--format jwe", exitUsage, nil},
		{"jwe with --name", "not bound to a name", exitUsage, []string{"--format", "jwe", "--name", "session"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"open", "--keyring", ring}, c.args...)
			r := s.run(token, args...)
			checkExit(t, args, r, c.code)
			if !strings.Contains(r.stderr, c.want) {
				t.Errorf("stderr %q does not say %q", r.stderr, c.want)
			}
		})
	}
	if out := s.ok(token, "open", "--keyring", ring, "--format", "jwe"); !strings.Contains(out, `"sub":"api"`) {
		t.Fatalf("open --format jwe: %s", out)
	}
	// A native token still opens under auto with its name.
	native := s.ok("hi", "seal", "--keyring", ring, "--name", "session")
	if out := s.ok(native, "open", "--keyring", ring, "--name", "session"); out != "hi" {
		t.Fatalf("open of a native token: %q", out)
	}
}

// TestEmptyToken checks that open and inspect with nothing (or only
// whitespace) on stdin say that no token was given: a usage error.
func TestEmptyToken(t *testing.T) {
	s := newShell(t)
	ring := s.path("ring.json")
	s.ok("", "keyring", "new", "--out", ring)
	for _, stdin := range []string{"", " \n\t\n"} {
		for _, args := range [][]string{
			{"open", "--keyring", ring, "--name", "session"},
			{"open", "--keyring", ring, "--format", "jwe"},
			{"inspect"},
		} {
			r := s.run(stdin, args...)
			checkExit(t, args, r, exitUsage)
			if !strings.Contains(r.stderr, "no token") {
				t.Errorf("keyseal %q with stdin %q: stderr %q does not say no token was given", args, stdin, r.stderr)
			}
		}
	}
}

// TestVersion checks that "keyseal version" prints the module version
// from the build information and the Go version that built it.
func TestVersion(t *testing.T) {
	s := newShell(t)
	out := s.ok("", "version")
	// TestMain builds the binary with the toolchain running this test.
	fields := strings.Fields(out)
	if len(fields) != 3 || fields[0] != "keyseal" || fields[2] != runtime.Version() || fields[1] == "" {
		t.Fatalf("keyseal version printed %q, want \"keyseal VERSION %s\"", out, runtime.Version())
	}
	s.want(exitUsage, "", "version", "extra")
}

// TestInspectJWEHeaderFields checks that inspect --json of a JWE token
// prints the header members the token has, and no empty ones for members
// it lacks.
func TestInspectJWEHeaderFields(t *testing.T) {
	s := newShell(t)
	header := func(h string) string {
		return base64.RawURLEncoding.EncodeToString([]byte(h)) + ".AA.AA.AA.AA"
	}
	for _, c := range []struct {
		header string
		want   map[string]string
	}{
		{`{"alg":"dir","enc":"A256GCM","kid":"7"}`, map[string]string{"alg": "dir", "enc": "A256GCM", "kid": "7"}},
		{`{"alg":"dir","enc":"A256GCM","kid":"7","typ":"JWT","cty":"json"}`,
			map[string]string{"alg": "dir", "enc": "A256GCM", "kid": "7", "typ": "JWT", "cty": "json"}},
		{`{"alg":"dir","enc":"A256GCM"}`, map[string]string{"alg": "dir", "enc": "A256GCM"}},
	} {
		var got struct {
			Header map[string]string `json:"header"`
		}
		out := s.ok(header(c.header), "inspect", "--json")
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Header) != len(c.want) {
			t.Errorf("inspect --json of header %s: %v, want %v", c.header, got.Header, c.want)
		}
		for k, v := range c.want {
			if got.Header[k] != v {
				t.Errorf("inspect --json of header %s: %v, want %v", c.header, got.Header, c.want)
			}
		}
	}
}

// TestVersionLine checks the version line for the build information a
// release, a checkout and a binary without build information give.
func TestVersionLine(t *testing.T) {
	for _, c := range []struct {
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{&debug.BuildInfo{GoVersion: "go1.27.4", Main: debug.Module{Path: "github.com/keyseal/keyseal", Version: "v1.2.3"}}, true, "keyseal v1.2.3 go1.27.4"},
		{&debug.BuildInfo{GoVersion: "go1.27.4", Main: debug.Module{Path: "github.com/keyseal/keyseal", Version: "(devel)"}}, true, "keyseal (devel) go1.27.4"},
		{nil, false, "keyseal (unknown) " + runtime.Version()},
	} {
		if got := versionLine(c.bi, c.ok); got != c.want {
			t.Errorf("versionLine(%+v) = %q, want %q", c.bi, got, c.want)
		}
	}
}

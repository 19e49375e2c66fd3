package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestBuilds starts every build on 127.0.0.1:0, as scripts/load.sh does,
// and checks the session behaviour of each route, so that the load test
// cannot measure an app that no longer works.
func TestBuilds(t *testing.T) {
	for build := range builds {
		t.Run(build, func(t *testing.T) {
			base := serve(t, build)
			sessions := build != "none"

			code, body, set := get(t, base+"/read", "")
			if sessions && code != http.StatusUnauthorized || !sessions && body != "hello Ada Lovelace, view 0\n" || set != "" {
				t.Errorf("/read without a cookie: %d %q, Set-Cookie %q", code, body, set)
			}
			_, _, cookie := get(t, base+"/login", "")
			if sessions == (cookie == "") {
				t.Fatalf("/login set cookie %q", cookie)
			}
			if code, body, set = get(t, base+"/read", cookie); code != http.StatusOK || body != "hello Ada Lovelace, view 0\n" || set != "" {
				t.Errorf("/read: %d %q, Set-Cookie %q", code, body, set)
			}
			code, body, set = get(t, base+"/write", cookie)
			if code != http.StatusOK || body != "hello Ada Lovelace, view 1\n" || sessions == (set == "") {
				t.Errorf("/write: %d %q, Set-Cookie %q", code, body, set)
			}
			if !sessions {
				return
			}
			if _, body, _ = get(t, base+"/write", set); body != "hello Ada Lovelace, view 2\n" {
				t.Errorf("/write with the new cookie: %q", body)
			}
			// A character in the middle: near the end, base64 may carry
			// unused bits that a lenient decoder (securecookie's) ignores.
			i := len(cookie) * 2 / 3
			tampered := cookie[:i] + map[bool]string{true: "A", false: "B"}[cookie[i] != 'A'] + cookie[i+1:]
			if code, _, _ = get(t, base+"/read", tampered); code != http.StatusUnauthorized {
				t.Errorf("/read with a tampered cookie: %d", code)
			}
			if _, body, _ = get(t, base+"/debug/stats", ""); !strings.HasPrefix(body, "mallocs ") || !strings.Contains(body, "\ncpu_ns ") {
				t.Errorf("/debug/stats: %q", body)
			}
		})
	}
}

func TestListenLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "example.com:80", "127.0.0.1"} {
		if _, ln, err := listen("none", addr); err == nil {
			ln.Close()
			t.Errorf("listen(%q) succeeded", addr)
		}
	}
	if _, _, err := listen("redis", "127.0.0.1:0"); err == nil {
		t.Error("an unknown build was accepted")
	}
}

// serve starts build on a loopback port until the test ends.
func serve(t *testing.T, build string) string {
	t.Helper()
	srv, ln, err := listen(build, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// get requests url with cookie as its Cookie header and returns the
// status, the body and the cookie the response set ("name=value"), if any.
func get(t *testing.T, url, cookie string) (code int, body, set string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if c := resp.Cookies(); len(c) > 0 {
		set = c[0].Name + "=" + c[0].Value
	}
	return resp.StatusCode, string(b), set
}

func TestBinUser(t *testing.T) {
	in := BinUser(ada)
	in.Views = -3
	b, err := in.AppendBinary([]byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	var out BinUser
	if err := out.UnmarshalBinary(b[1:]); err != nil || out.Name != ada.Name || out.Email != ada.Email ||
		len(out.Roles) != 2 || out.Roles[1] != "editor" || out.CSRF != ada.CSRF || out.Views != -3 || out.ID != ada.ID {
		t.Fatalf("round trip: %+v, %v", out, err)
	}
	for n := range len(b) - 1 {
		if err := new(BinUser).UnmarshalBinary(b[1 : 1+n]); err == nil {
			t.Errorf("a %d-byte prefix decoded", n)
		}
	}
	if err := new(BinUser).UnmarshalBinary(append(b[1:], 0)); err == nil {
		t.Error("a trailing byte decoded")
	}
}

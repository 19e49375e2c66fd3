package cookiesession_test

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// TestPayloadsOfEarlierVersions: cookies written by earlier versions of
// the package (testdata/payloads.txt, never regenerated) still open,
// with their data and flashes, under the Manager's lifetime.
func TestPayloadsOfEarlierVersions(t *testing.T) {
	want := map[string]string{
		"plain":      "ada 3 [] persistent",
		"flashes":    "bob 0 [hello world] persistent",
		"schema 200": "eve 1 [] persistent",
	}
	f, err := os.Open("testdata/payloads.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ring, err := keyring.New(goldenKey(t, 7))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 5, 5, 0, time.UTC)
	sc := bufio.NewScanner(f)
	seen := 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		fields := strings.Split(sc.Text(), "\t")
		schema, _ := strconv.ParseUint(fields[1], 10, 32)
		var invalid error
		m, err := cookiesession.New(ring, cookiesession.Config[user]{
			Clock:         func() time.Time { return now },
			SchemaVersion: uint32(schema),
			OnInvalid:     func(_ *http.Request, err error) { invalid = err },
		})
		if err != nil {
			t.Fatal(err)
		}
		var got string
		serve(t, m, fields[2], func(s *cookiesession.Session[user]) {
			u, meta := s.Data(), s.Meta()
			kind := "persistent"
			if meta.Lifetime.BrowserSession {
				kind = "browser"
			}
			got = fmt.Sprintf("%s %d %v %s", u.Name, u.Count, s.Flashes(), kind)
			if meta.Lifetime.Idle != cookiesession.DefaultIdleTimeout || meta.Lifetime.Absolute != cookiesession.DefaultAbsoluteLifetime {
				t.Errorf("%s: lifetime %+v", fields[0], meta.Lifetime)
			}
		})
		if invalid != nil || got != want[fields[0]] {
			t.Errorf("%s: %q (invalid: %v), want %q", fields[0], got, invalid, want[fields[0]])
		}
		seen++
	}
	if seen != len(want) {
		t.Fatalf("read %d cookies, want %d", seen, len(want))
	}
}

package nodesessions_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/nodesession"
)

var (
	pw1 = "an iron password of 32 characters or more, number one"
	pw2 = "another iron password, number two, also long enough!"
	pw3 = "a third iron password for rotation: ééééééééééééééééé"
)

// ironSessions are the sessions the iron tests seal: flat, nested,
// non-ASCII, and one near the 4096-byte cookie limit.
var ironSessions = []string{
	`{"user":"ann"}`,
	`{"user":{"id":42,"name":"Ann","roles":["admin","dev"]},"isLoggedIn":true,"n":1.5,"x":null}`,
	`{"name":"Zoë 李 🎉","quote":"\"*~\\/"}`,
	`{"blob":"` + strings.Repeat("x", 2400) + `"}`,
}

func newIron(t *testing.T, cfg nodesession.IronConfig) *nodesession.Iron {
	t.Helper()
	c, err := nodesession.NewIron(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ironCookie returns the value of the first Set-Cookie for name.
func ironCookie(t *testing.T, setCookies []string, name string) string {
	t.Helper()
	for _, sc := range setCookies {
		c, err := http.ParseSetCookie(sc)
		if err != nil {
			t.Fatal(err)
		}
		if c.Name == name {
			return c.Value
		}
	}
	t.Fatalf("no cookie %q in %q", name, setCookies)
	return ""
}

// Seals made by iron-session (sealData, and getIronSession's save writing
// the cookie) open in Go to the same session, under single passwords and
// password maps, with iron-session's default ttl and others.
func TestIronNodeSealsGoOpens(t *testing.T) {
	type setup struct {
		name     string
		node     any // iron-session's password option
		ttl      int // seconds; 0: the default
		go_      map[uint32]string
		id       uint32
		reseal   bool
		goTTL    time.Duration
		goMaxAge time.Duration
	}
	setups := []setup{
		{name: "string", node: pw1, go_: map[uint32]string{1: pw1}, id: 1},
		{name: "map", node: map[string]string{"1": pw1, "2": pw2}, go_: map[uint32]string{1: pw1, 2: pw2}, id: 2},
		{name: "rotated-in-go", node: map[string]string{"1": pw1, "2": pw2}, go_: map[uint32]string{1: pw1, 2: pw2, 3: pw3}, id: 2, reseal: true},
		{name: "ttl-1h", node: map[string]string{"7": pw3}, ttl: 3600, go_: map[uint32]string{7: pw3}, id: 7, goTTL: time.Hour},
		{name: "ttl-30d", node: pw2, ttl: 30 * 86400, go_: map[uint32]string{1: pw2}, id: 1, goTTL: 30 * 24 * time.Hour, goMaxAge: 30 * 24 * time.Hour},
	}
	var tasks []task
	for _, s := range setups {
		for _, data := range ironSessions {
			base := task{"passwords": s.node, "data": rawJSON(data)}
			if s.ttl != 0 {
				base["ttl"] = s.ttl
			}
			seal, save := task{"op": "iron-seal"}, task{"op": "iron-save", "cookieName": "app-session"}
			for k, v := range base {
				seal[k], save[k] = v, v
			}
			if _, ok := seal["ttl"]; !ok {
				seal["ttl"] = 14 * 86400
			}
			tasks = append(tasks, seal, save)
		}
	}
	res := runNode(t, tasks)
	i := 0
	cases := 0
	for _, s := range setups {
		c := newIron(t, nodesession.IronConfig{Passwords: s.go_, TTL: s.goTTL, MaxAge: s.goMaxAge})
		for _, data := range ironSessions {
			for j, r := range res[i : i+2] {
				if r.Error != "" {
					t.Fatalf("%s: node: %s", s.name, r.Error)
				}
				tok := r.Token
				if j == 1 {
					tok = ironCookie(t, r.SetCookies, "app-session")
				}
				got, m, err := c.Open(tok)
				if err != nil {
					t.Fatalf("%s: Open(%.40s...): %v", s.name, tok, err)
				}
				sameJSON(t, s.name, got, []byte(data))
				if m.KeyID != s.id || m.NeedsReseal != s.reseal {
					t.Errorf("%s: meta %+v, want key %d reseal %v", s.name, m, s.id, s.reseal)
				}
				ttl := s.goTTL
				if ttl == 0 {
					ttl = nodesession.IronDefaultTTL
				}
				if d := m.ExpiresAt.Sub(m.IssuedAt); d < ttl-time.Second || d > ttl+time.Second {
					t.Errorf("%s: lifetime %v, want %v", s.name, d, ttl)
				}
				if d := time.Since(m.IssuedAt); d < -2*time.Second || d > 10*time.Second {
					t.Errorf("%s: issued %v ago", s.name, d)
				}
				cases++
			}
			i += 2
		}
	}
	t.Logf("%d iron-session seals opened", cases)
}

// Seals made in Go open in iron-session, by getIronSession reading the
// cookie and by unsealData, with iron-session's rotation: a map holding
// the sealing ID opens them, one without it reports an unknown password.
func TestIronGoSealsNodeOpens(t *testing.T) {
	goMap := map[uint32]string{1: pw1, 2: pw2}
	c := newIron(t, nodesession.IronConfig{Passwords: goMap})
	single := newIron(t, nodesession.IronConfig{Passwords: map[uint32]string{1: pw1}})
	hour := newIron(t, nodesession.IronConfig{Passwords: goMap, TTL: time.Hour})
	nodeMap := map[string]string{"1": pw1, "2": pw2}
	var tasks []task
	var want []string
	for _, data := range ironSessions {
		for _, ic := range []*nodesession.Iron{c, single, hour} {
			tok, err := ic.Seal([]byte(data))
			if err != nil {
				t.Fatal(err)
			}
			tasks = append(tasks,
				task{"op": "iron-read", "cookie": "other=1; app-session=" + tok, "passwords": nodeMap},
				task{"op": "iron-unseal", "token": tok, "passwords": nodeMap, "ttl": 14 * 86400},
				task{"op": "iron-read", "cookie": "app-session=" + tok, "passwords": pw1}, // iron-session's {1: pw1}
			)
			want = append(want, data, data, data)
			if ic == single {
				continue
			}
			// Sealed under ID 2: an app with only ID 1 cannot open it.
			want[len(want)-1] = "unknown-password"
		}
	}
	res := runNode(t, tasks)
	for i, r := range res {
		if strings.HasPrefix(want[i], "{") {
			if r.Error != "" {
				t.Fatalf("task %d (%v): iron-session refused a Go seal: %s", i, tasks[i]["op"], r.Error)
			}
			sameJSON(t, "iron-session reading a Go seal", r.Data, []byte(want[i]))
		} else if r.Error != want[i] {
			t.Errorf("task %d: error %q, want %q", i, r.Error, want[i])
		}
	}
	t.Logf("%d Go seals checked in iron-session", len(res))
}

// Seals iron-session made are refused as every format refuses: tampered
// (ErrAuth), a wrong password under the right ID (ErrAuth), an ID the
// reader lacks (ErrUnknownKey), expired (ErrExpired); and iron-session
// refuses Go seals in the same cases.
func TestIronRefusals(t *testing.T) {
	res := runNode(t, []task{
		{"op": "iron-seal", "data": rawJSON(ironSessions[1]), "passwords": map[string]string{"1": pw1, "2": pw2}, "ttl": 3600},
	})
	tok := res[0].Token
	now := time.Now()
	good := newIron(t, nodesession.IronConfig{Passwords: map[uint32]string{1: pw1, 2: pw2}, TTL: time.Hour})
	if _, _, err := good.Open(tok); err != nil {
		t.Fatalf("genuine seal: %v", err)
	}
	at := func(d time.Duration) func() time.Time { return func() time.Time { return now.Add(d) } }
	for _, tc := range []struct {
		name  string
		cfg   nodesession.IronConfig
		token string
		want  error
	}{
		{"tampered ciphertext", good4(), flipAt(tok, partAt(tok, 4)+5), keyseal.ErrAuth},
		{"tampered expiry", good4(), tok[:partAt(tok, 5)] + "9" + tok[partAt(tok, 5)+1:], keyseal.ErrAuth},
		{"wrong password", nodesession.IronConfig{Passwords: map[uint32]string{2: pw3}, TTL: time.Hour}, tok, keyseal.ErrAuth},
		{"unknown ID", nodesession.IronConfig{Passwords: map[uint32]string{1: pw2}, TTL: time.Hour}, tok, keyseal.ErrUnknownKey},
		{"expired", nodesession.IronConfig{Passwords: map[uint32]string{2: pw2}, TTL: time.Hour, Clock: at(time.Hour + 61*time.Second)}, tok, keyseal.ErrExpired},
		{"older than MaxAge", nodesession.IronConfig{Passwords: map[uint32]string{2: pw2}, TTL: time.Hour, MaxAge: 10 * time.Minute, Clock: at(12 * time.Minute)}, tok, keyseal.ErrExpired},
		{"longer ttl than TTL", nodesession.IronConfig{Passwords: map[uint32]string{2: pw2}, TTL: time.Minute}, tok, keyseal.ErrNotYetValid},
		{"too large", nodesession.IronConfig{Passwords: map[uint32]string{2: pw2}, TTL: time.Hour, MaxTokenSize: 100}, tok, keyseal.ErrTooLarge},
		{"other version", good4(), strings.Replace(tok, "~2", "~3", 1), keyseal.ErrUnsupportedVersion},
		{"iron 1", good4(), strings.Replace(tok, "Fe26.2", "Fe26.1", 1), keyseal.ErrUnsupportedVersion},
	} {
		c := newIron(t, tc.cfg)
		if _, _, err := c.Open(tc.token); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	// Just within the leeway it still opens, as in iron-webcrypto.
	within := newIron(t, nodesession.IronConfig{Passwords: map[uint32]string{2: pw2}, TTL: time.Hour, Clock: at(time.Hour + 55*time.Second)})
	if _, _, err := within.Open(tok); err != nil {
		t.Errorf("within the leeway: %v", err)
	}

	// iron-session refuses Go seals that are tampered, expired, or under
	// a password it lacks.
	expired := newIron(t, nodesession.IronConfig{Passwords: map[uint32]string{1: pw1}, TTL: time.Hour, Clock: at(-time.Hour - 61*time.Second)})
	old, err := expired.Seal([]byte(ironSessions[0]))
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := newIron(t, nodesession.IronConfig{Passwords: map[uint32]string{1: pw1}}).Seal([]byte(ironSessions[0]))
	if err != nil {
		t.Fatal(err)
	}
	res = runNode(t, []task{
		{"op": "iron-unseal", "token": old, "passwords": pw1, "ttl": 3600},
		{"op": "iron-unseal", "token": flipAt(fresh, len(fresh)-10), "passwords": pw1},
		{"op": "iron-unseal", "token": fresh, "passwords": pw2},
		{"op": "iron-unseal", "token": fresh, "passwords": map[string]string{"2": pw1}},
	})
	for i, want := range []string{"expired", "invalid", "invalid", "unknown-password"} {
		if res[i].Error != want {
			t.Errorf("iron-session on Go seal %d: %q, want %q", i, res[i].Error, want)
		}
	}
}

// good4 is the configuration that opens the seal of TestIronRefusals.
func good4() nodesession.IronConfig {
	return nodesession.IronConfig{Passwords: map[uint32]string{1: pw1, 2: pw2}, TTL: time.Hour}
}

// partAt returns the offset of part n of a seal (0 is "Fe26.2").
func partAt(seal string, n int) int {
	i := 0
	for range n {
		i += strings.IndexByte(seal[i:], '*') + 1
	}
	return i
}

// flipAt changes the base64url character at i to another one.
func flipAt(s string, i int) string {
	b := []byte(s)
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

// Sessions too large for a cookie, which iron-session splits over
// app-session.0, .1, ... with its chunk option, open once joined.
func TestIronChunks(t *testing.T) {
	data := `{"blob":"` + strings.Repeat("y", 6000) + `"}`
	res := runNode(t, []task{{"op": "iron-save", "cookieName": "app-session", "chunk": true, "passwords": pw1, "data": rawJSON(data)}})
	if res[0].Error != "" {
		t.Fatal(res[0].Error)
	}
	var joined string
	for i := range 4 {
		for _, sc := range res[0].SetCookies {
			if c, err := http.ParseSetCookie(sc); err == nil && c.Name == "app-session."+string(rune('0'+i)) {
				joined += c.Value
			}
		}
	}
	got, _, err := newIron(t, nodesession.IronConfig{Passwords: map[uint32]string{1: pw1}}).Open(joined)
	if err != nil {
		t.Fatalf("%d cookies joined: %v", len(res[0].SetCookies), err)
	}
	sameJSON(t, "chunked", got, []byte(data))
}

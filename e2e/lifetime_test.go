package e2e

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/keyring"
)

// startLifetimeApp serves /login?remember=0|1, which logs in with a
// browser-session or a persistent cookie, and /me, which prints the name.
func startLifetimeApp(t *testing.T) string {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	type user struct{ Name string }
	m, err := cookiesession.New(ring, cookiesession.Config[user]{InsecureDevMode: true})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		s := m.Get(r.Context())
		if err := s.SetLifetime(cookiesession.Lifetime{BrowserSession: r.FormValue("remember") != "1"}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		s.Set(user{Name: r.FormValue("name")})
		s.Renew()
		io.WriteString(w, `<p id="out">logged in</p>`)
	})
	mux.HandleFunc("/me", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<p id="out">user:`+m.Get(r.Context()).Data().Name+`</p>`)
	})
	srv := httptest.NewServer(m.LoadAndSave(mux))
	t.Cleanup(srv.Close)
	return strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
}

// runBrowser starts headless Chromium on profile, runs f, and closes the
// browser as a user would, so that it writes its cookie store.
func runBrowser(t *testing.T, profile string, f func(ctx context.Context)) {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancelCtx := chromedp.NewContext(actx)
	defer cancelCtx()
	tctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()
	f(tctx)
	// Browser.close: a clean shutdown that flushes the cookie store.
	if err := chromedp.Cancel(ctx); err != nil {
		t.Fatalf("closing the browser: %v", err)
	}
}

// TestBrowserSessionCookie: a login without "remember me" gets a cookie
// that is gone when the browser restarts on the same profile; one with
// "remember me" stays.
func TestBrowserSessionCookie(t *testing.T) {
	base := startLifetimeApp(t)
	for _, c := range []struct {
		remember string
		want     string
	}{{"0", "user:"}, {"1", "user:ada"}} {
		profile, err := os.MkdirTemp("", "keyseal-e2e-lifetime-")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(profile)
		read := func(ctx context.Context, url string) string {
			t.Helper()
			var s string
			if err := chromedp.Run(ctx, chromedp.Navigate(url), chromedp.Text("#out", &s, chromedp.ByQuery)); err != nil {
				t.Fatalf("%s: %v", url, err)
			}
			return s
		}
		runBrowser(t, profile, func(ctx context.Context) {
			read(ctx, base+"/login?name=ada&remember="+c.remember)
			if got := read(ctx, base+"/me"); got != "user:ada" {
				t.Fatalf("remember=%s, same browser: %q", c.remember, got)
			}
		})
		runBrowser(t, profile, func(ctx context.Context) {
			if got := read(ctx, base+"/me"); got != c.want {
				t.Errorf("remember=%s, after a restart: %q, want %q", c.remember, got, c.want)
			}
		})
	}
}

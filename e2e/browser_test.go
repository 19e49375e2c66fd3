package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/keyseal/keyseal/internal/demo"
)

// chromium returns the browser binary to drive.
func chromium(t *testing.T) string {
	if p := os.Getenv("KEYSEAL_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium found: install the Debian package chromium (scripts/setup.sh does) or set KEYSEAL_CHROMIUM")
	return ""
}

// startDemo runs the demo app in-process on a free loopback port.
func startDemo(t *testing.T) string {
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- demo.Run(ctx, demo.Options{Addr: "127.0.0.1:0"}, func(a string) { addrc <- a })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("demo: %v", err)
		}
	})
	select {
	case a := <-addrc:
		return "http://" + a
	case err := <-errc:
		t.Fatalf("demo did not start: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("demo did not start in time")
	}
	return ""
}

// newBrowser starts headless Chromium with the flags this machine needs: no
// sandbox (root), no GPU, and no background networking (the network is
// closed; without these flags Chromium hammers it).
func newBrowser(t *testing.T) context.Context {
	// A fresh profile, removed after the browser has exited (t.TempDir
	// would race with Chromium's last writes).
	profile, err := os.MkdirTemp("", "keyseal-e2e-profile-")
	if err != nil {
		t.Fatal(err)
	}
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
		chromedp.WindowSize(1000, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	return ctx
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	dir := "artifacts"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: e2e/%s (%d bytes)", path, len(png))
}

// TestBrowserRotation logs in through the demo's forms in Chromium, counts,
// rotates the keyring (add, promote, retire the old key) and checks the
// session survives each step and is re-sealed under the new key, then logs
// out.
func TestBrowserRotation(t *testing.T) {
	base := startDemo(t)
	ctx := newBrowser(t)
	text := func(sel string) string {
		t.Helper()
		var s string
		if err := chromedp.Run(ctx, chromedp.Text(sel, &s, chromedp.ByQuery)); err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	click := func(sel string) {
		t.Helper()
		// Mark the current document, click, and wait until a new document
		// (the redirect after the POST) has loaded. Evaluations fail while
		// the page navigates; those are retried.
		err := chromedp.Run(ctx,
			chromedp.Evaluate(`window.__before = true`, nil),
			chromedp.Click(sel, chromedp.ByQuery))
		for deadline := time.Now().Add(20 * time.Second); err == nil; {
			var loaded bool
			e := chromedp.Run(ctx, chromedp.Evaluate(`!window.__before && document.readyState === "complete"`, &loaded))
			if e == nil && loaded {
				break
			}
			if time.Now().After(deadline) {
				err = fmt.Errorf("no new page after the click (last: %v)", e)
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("clicking %s: %v", sel, err)
		}
	}

	err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible("#user-input", chromedp.ByQuery),
		chromedp.SendKeys("#user-input", "ada", chromedp.ByQuery),
	)
	if err == nil {
		click("#login")
		err = chromedp.Run(ctx, chromedp.WaitVisible("#who", chromedp.ByQuery))
	}
	if err != nil {
		t.Fatalf("log in: %v", err)
	}
	if got := text("#user"); got != "ada" {
		t.Fatalf("logged in as %q", got)
	}
	if got := text("#flash"); got != "Welcome, ada!" {
		t.Errorf("flash after login: %q", got)
	}
	click("#increment")
	click("#increment")
	if got := text("#counter"); got != "2" {
		t.Fatalf("counter after two clicks: %s", got)
	}
	// Navigating keeps the session and the flash is gone (read once).
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#who", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if got := text("#counter"); got != "2" {
		t.Fatalf("counter after navigation: %s", got)
	}
	var flashes int
	chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll(".flash").length`, &flashes))
	if flashes != 0 {
		t.Errorf("flash shown twice")
	}
	oldKey := text("#key-id")
	screenshot(t, ctx, "1-logged-in")

	// Rotation phase 1 and 2: add a key, promote it.
	click("#add-key")
	newKey := ""
	var ids []string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll("#keys tr[data-key]")].map(r => r.dataset.key)`, &ids)); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if id != oldKey {
			newKey = id
		}
	}
	if len(ids) != 2 || newKey == "" {
		t.Fatalf("keys after add: %v", ids)
	}
	click(`tr[data-key="` + newKey + `"] button.promote`)
	// This response re-sealed the cookie under the new primary; the next
	// page shows the cookie the browser now holds.
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#who", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if got := text("#key-id"); got != newKey {
		t.Fatalf("cookie sealed under key %s after promoting %s (old %s)", got, newKey, oldKey)
	}
	if text("#user") != "ada" || text("#counter") != "2" {
		t.Fatal("session lost in the rotation")
	}

	// Phase 3: retire the old key; this browser is still logged in.
	click(`tr[data-key="` + oldKey + `"] button.retire`)
	if got := text(`tr[data-key="` + oldKey + `"] .state`); got != "retired" {
		t.Fatalf("old key state: %s", got)
	}
	click("#increment")
	if text("#user") != "ada" || text("#counter") != "3" {
		t.Fatal("session lost after retiring the old key")
	}
	screenshot(t, ctx, "2-rotated")

	click("#logout")
	if err := chromedp.Run(ctx, chromedp.WaitVisible("#user-input", chromedp.ByQuery)); err != nil {
		t.Fatalf("after logout: %v", err)
	}
	if got := text("#flash"); got != "Logged out." {
		t.Errorf("flash after logout: %q", got)
	}
	screenshot(t, ctx, "3-logged-out")
	if _, err := strconv.ParseUint(newKey, 10, 32); err != nil {
		t.Fatalf("key id %q", newKey)
	}
}

// Package e2e drives the demo app in a real browser (headless Chromium
// through the DevTools protocol with chromedp). It is a separate module so
// the browser driver stays out of the library's go.mod.
//
// The test needs Chromium (Debian package chromium; scripts/setup.sh
// installs it). Set KEYSEAL_CHROMIUM to use another binary. Screenshots
// are written to e2e/artifacts/.
package e2e

package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"

	"github.com/keyseal/keyseal/examples/edge/gate"
	"github.com/keyseal/keyseal/keyring"
)

// benchSetup returns a keyring, its gate settings and a Cookie header
// holding a session for ada, as a browser sends it.
func benchSetup(b *testing.B) (*keyring.Ring, map[string]string, string) {
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		b.Fatal(err)
	}
	settings := map[string]string{
		gate.EnvKeyring:         marshal(b, ring),
		gate.EnvGateSecret:      strings.Repeat("s", gate.MinSecretSize),
		gate.EnvInsecureDevMode: "1",
	}
	cookie := "theme=dark; " + gate.DefaultDevCookieName + "=" + mint(b, ring, gate.DefaultDevCookieName, "ada", time.Now()) + "; lang=en"
	return ring, settings, cookie
}

// BenchmarkOpenVerify measures what the gate does per request, finding
// the session cookie, opening and verifying it and reading its user:
// natively, and inside workerd (the gate's own module called from
// JavaScript, as worker.mjs calls it, the call and its result object
// included). workerd's clocks do not advance during a request, so the
// time is measured outside: one request makes b.N calls.
func BenchmarkOpenVerify(b *testing.B) {
	_, settings, cookie := benchSetup(b)
	b.Run("native", func(b *testing.B) {
		g, err := gate.FromEnv(func(k string) string { return settings[k] })
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if d := g.Check("/account", "", cookie); d.User != "ada" {
				b.Fatalf("%+v", d)
			}
		}
	})
	rt := benchWorker(b, settings) // one workerd for every round
	warm := false
	b.Run("workerd", func(b *testing.B) {
		call := func(n int) {
			req, _ := http.NewRequest("GET", fmt.Sprintf("%s/?n=%d", rt.URL, n), nil)
			req.Header.Set("Cookie", cookie)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatalf("%d %s", resp.StatusCode, body)
			}
		}
		if !warm {
			warm = true
			// Warm up: V8 compiles hot wasm functions again, optimized,
			// and Go's heap grows to its working size.
			call(20000)
			b.ResetTimer()
		}
		call(b.N)
	})
}

// benchWorker runs testdata/bench.mjs with the gate's module in workerd.
func benchWorker(b *testing.B, settings map[string]string) *workerdProc {
	dir := buildWorker(b)
	if err := copyFile("testdata/bench.mjs", filepath.Join(dir, "build", "bench.mjs")); err != nil {
		b.Fatal(err)
	}
	var bindings strings.Builder
	for name, value := range settings {
		fmt.Fprintf(&bindings, "    (name = %q, text = %s),\n", name, capnpString(value))
	}
	config := fmt.Sprintf(`using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "bench", worker = (
    modules = [
      (name = "bench.mjs", esModule = embed "build/bench.mjs"),
      (name = "wasm_exec.js", esModule = embed "build/wasm_exec.js"),
      (name = "gate.wasm", wasm = embed "build/gate.wasm"),
    ],
    compatibilityDate = "2026-11-01",
    bindings = [
%s    ],
  ))],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "bench")],
);
`, bindings.String())
	if err := os.WriteFile(filepath.Join(dir, "bench.capnp"), []byte(config), 0o644); err != nil {
		b.Fatal(err)
	}
	return startWorkerd(b, dir, "bench.capnp", nil, nil)
}

// BenchmarkColdStart measures starting workerd with the gate until its
// first answer: process start, config, the module's compilation, Go's
// start-up and the keyring's parsing (on the first request).
func BenchmarkColdStart(b *testing.B) {
	ring, settings, _ := benchSetup(b)
	dir := buildWorker(b)
	o := startOrigin(b, ring, settings[gate.EnvGateSecret])
	config := gateConfig(b, dir, o.Addr, settings)
	var total time.Duration
	for b.Loop() {
		rt := startWorkerd(b, dir, config, nil, nil)
		total += rt.ColdStart
		b.StopTimer()
		rt.Stop()
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/start")
}

// BenchmarkRequest measures a logged-in request through the gate in
// workerd to the origin, against the same request straight to the origin.
func BenchmarkRequest(b *testing.B) {
	ring, settings, cookie := benchSetup(b)
	secret := settings[gate.EnvGateSecret]
	o := startOrigin(b, ring, secret)
	rt := startWorkerd(b, buildWorker(b), gateConfig(b, buildWorker(b), o.Addr, settings), nil, nil)
	run := func(b *testing.B, url string, header ...string) {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Cookie", cookie)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		for b.Loop() {
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(body) != "user=ada\n" {
				b.Fatalf("%d %q", resp.StatusCode, body)
			}
		}
	}
	b.Run("through-gate", func(b *testing.B) { run(b, rt.URL+"/account") })
	b.Run("origin-direct", func(b *testing.B) {
		run(b, o.URL+"/account", gate.SecretHeader, secret, gate.UserHeader, "ada")
	})
}

// BenchmarkWASIFilter measures the WASI filter per request in wazero's
// compiler: a fresh instance per request (Go's start-up, the keyring's
// parsing, one open-and-verify), the way a host runs a WASI command.
func BenchmarkWASIFilter(b *testing.B) {
	_, settings, cookie := benchSetup(b)
	f := newFilter(b, wazero.NewRuntimeConfigCompiler())
	for b.Loop() {
		if v, code, stderr := f.run(b, settings, cookie, time.Now()); v.User != "ada" {
			b.Fatalf("%+v %d %s", v, code, stderr)
		}
	}
}

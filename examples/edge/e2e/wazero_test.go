package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/examples/edge/gate"
	"github.com/keyseal/keyseal/keyring"
)

var (
	filterOnce sync.Once
	filterPath string
	filterErr  error
)

// buildFilter builds examples/edge/wasi for GOOS=wasip1.
func buildFilter(t testing.TB) string {
	t.Helper()
	filterOnce.Do(func() {
		filterPath = filepath.Join(scratch, "filter.wasm")
		_, filterErr = goTool([]string{"GOOS=wasip1", "GOARCH=wasm"}, "build", "-trimpath", "-ldflags=-s -w",
			"-o", filterPath, "github.com/keyseal/keyseal/examples/edge/wasi")
	})
	if filterErr != nil {
		t.Fatal(filterErr)
	}
	return filterPath
}

// filter runs the WASI filter in wazero.
type filter struct {
	rt       wazero.Runtime
	compiled wazero.CompiledModule
}

// newFilter compiles the filter for config: the interpreter in tests (the
// compiler, itself under -race, takes a minute on 5 MB of wasm), the
// compiler in benchmarks.
func newFilter(t testing.TB, config wazero.RuntimeConfig) *filter {
	t.Helper()
	wasm, err := os.ReadFile(buildFilter(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, config)
	t.Cleanup(func() { rt.Close(ctx) })
	wasi_snapshot_preview1.MustInstantiate(ctx, rt)
	compiled, err := rt.CompileModule(ctx, wasm)
	if err != nil {
		t.Fatal(err)
	}
	return &filter{rt, compiled}
}

type verdict struct {
	Action    string `json:"action"`
	User      string `json:"user"`
	SetCookie string `json:"set_cookie"`
	Reason    string `json:"reason"`
}

// run runs the module once with env, the Cookie header value on stdin,
// and the wall clock at now; it returns the verdict, or the exit code
// and stderr when the module fails.
func (f *filter) run(t testing.TB, env map[string]string, cookie string, now time.Time) (verdict, int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cfg := wazero.NewModuleConfig().
		WithName(""). // anonymous: the module runs once per request
		WithStdin(strings.NewReader(cookie)).
		WithStdout(&stdout).
		WithStderr(&stderr).
		// The host's clock and a cryptographic random source: wazero's
		// defaults are fake and deterministic.
		WithWalltime(func() (int64, int32) { return now.Unix(), int32(now.Nanosecond()) }, sys.ClockResolution(time.Microsecond)).
		WithSysNanotime().
		WithRandSource(rand.Reader)
	for k, v := range env {
		cfg = cfg.WithEnv(k, v)
	}
	mod, err := f.rt.InstantiateModule(context.Background(), f.compiled, cfg)
	if mod != nil {
		mod.Close(context.Background())
	}
	var exit *sys.ExitError
	if errors.As(err, &exit) && exit.ExitCode() != 0 {
		return verdict{}, int(exit.ExitCode()), stderr.String()
	} else if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	var v verdict
	if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
		t.Fatalf("filter output %q: %v (stderr %q)", stdout.String(), err, stderr.String())
	}
	return v, 0, ""
}

// TestWASIFilter runs the gate's wasip1 build in wazero: allow, deny and
// re-seal, through a key rotation.
func TestWASIFilter(t *testing.T) {
	f := newFilter(t, wazero.NewRuntimeConfigInterpreter())
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	oldKey := ring.Primary(time.Now()).ID()
	const name = gate.DefaultDevCookieName
	now := time.Now()
	token := mint(t, ring, name, "ada", now)
	env := map[string]string{
		gate.EnvKeyring:         marshal(t, ring),
		gate.EnvGateSecret:      strings.Repeat("s", gate.MinSecretSize),
		gate.EnvInsecureDevMode: "1",
	}
	check := func(cookie string, at time.Time, action, user, reason string) verdict {
		t.Helper()
		v, code, stderr := f.run(t, env, cookie, at)
		if code != 0 || v.Action != action || v.User != user || !strings.Contains(v.Reason, reason) {
			t.Errorf("cookie %.40q: %+v (exit %d %s), want %s %q %q", cookie, v, code, stderr, action, user, reason)
		}
		return v
	}
	check("theme=dark; "+name+"="+token, now, "allow", "ada", "")
	check("", now, "deny", "", gate.ErrNoSession.Error())
	tampered := []byte(token)
	tampered[20] ^= 'A' ^ 'B' // A<->B, and any other letter to another
	check(name+"="+string(tampered), now, "deny", "", "keyseal:")
	check(name+"="+token, now.Add(25*time.Hour), "deny", "", keyseal.ErrExpired.Error())

	// Add and promote a key: the cookie is re-sealed under it.
	ring, k, err := ring.Add(keyring.XChaCha20Poly1305, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	env[gate.EnvKeyring] = marshal(t, ring)
	check(name+"="+token, now, "allow", "ada", "")
	if ring, err = ring.Promote(k.ID()); err != nil {
		t.Fatal(err)
	}
	env[gate.EnvKeyring] = marshal(t, ring)
	v := check(name+"="+token, now, "reseal", "ada", "")
	resealed, _, _ := strings.Cut(strings.TrimPrefix(v.SetCookie, name+"="), ";")
	if h, err := codec.ParseHeader(resealed); err != nil || h.KeyID != k.ID() {
		t.Fatalf("re-sealed cookie %q: header %+v, %v; want key %d", v.SetCookie, h, err, k.ID())
	}
	check(name+"="+resealed, now, "allow", "ada", "")

	// Retire the old key: the re-sealed cookie opens, the old one does not.
	if ring, err = ring.Retire(oldKey); err != nil {
		t.Fatal(err)
	}
	env[gate.EnvKeyring] = marshal(t, ring)
	check(name+"="+resealed, now, "allow", "ada", "")
	check(name+"="+token, now, "deny", "", keyseal.ErrKeyRetired.Error())

	// A wrong setting stops the filter with exit status 2.
	env[gate.EnvGateSecret] = "short"
	if _, code, stderr := f.run(t, env, name+"="+token, now); code != 2 || !strings.Contains(stderr, "gate secret") {
		t.Errorf("bad setting: exit %d, stderr %q; want 2 and the reason", code, stderr)
	}
}

package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// repo is the repository's root, from this package's directory.
const repo = "../../.."

// scratch holds what the tests build once per run; TestMain removes it.
var scratch string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "keyseal-edge-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	scratch = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	workerdOnce sync.Once
	workerdBin  string
	workerdErr  string
)

// requireWorkerd returns the workerd binary, installed with npm ci at the
// version testdata/package-lock.json pins. Without node and npm the test
// skips, or fails under KEYSEAL_REQUIRE_NODE=1 (CI sets it).
func requireWorkerd(t testing.TB) string {
	t.Helper()
	workerdOnce.Do(func() { workerdBin, workerdErr = installWorkerd() })
	if workerdErr == "" {
		return workerdBin
	}
	if os.Getenv("KEYSEAL_REQUIRE_NODE") != "" {
		t.Fatal(workerdErr)
	}
	t.Skip(workerdErr + " (set KEYSEAL_REQUIRE_NODE=1 to fail instead)")
	return ""
}

// installWorkerd runs npm ci in a cache directory named for the lock
// file's hash, outside the repository, once per lock file: it installs
// into a fresh directory and renames it into place, so concurrent runs
// never see a half-installed tree.
func installWorkerd() (string, string) {
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "", "edge e2e: " + tool + " not found on PATH; install nodejs and npm (scripts/setup.sh does) to run workerd"
		}
	}
	lock, err := os.ReadFile("testdata/package-lock.json")
	if err != nil {
		return "", "edge e2e: " + err.Error()
	}
	pkg, err := os.ReadFile("testdata/package.json")
	if err != nil {
		return "", "edge e2e: " + err.Error()
	}
	sum := sha256.Sum256(append(pkg, lock...))
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	parent := filepath.Join(cache, "keyseal", "workerd")
	final := filepath.Join(parent, hex.EncodeToString(sum[:8]))
	bin := filepath.Join(final, "node_modules", ".bin", "workerd")
	if _, err := os.Stat(bin); err == nil {
		return bin, ""
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", "edge e2e: " + err.Error()
	}
	tmp, err := os.MkdirTemp(parent, "install-")
	if err != nil {
		return "", "edge e2e: " + err.Error()
	}
	defer os.RemoveAll(tmp) // once renamed, there is nothing left to remove
	for name, data := range map[string][]byte{"package.json": pkg, "package-lock.json": lock} {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return "", "edge e2e: " + err.Error()
		}
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", "edge e2e: npm ci failed: " + err.Error() + "\n" + string(out)
	}
	if err := os.Rename(tmp, final); err != nil {
		if _, statErr := os.Stat(bin); statErr != nil { // another run won the race
			return "", "edge e2e: " + err.Error()
		}
	}
	if _, err := os.Stat(bin); err != nil {
		return "", "edge e2e: npm ci installed no workerd binary: " + err.Error()
	}
	return bin, ""
}

// goTool runs the go command the tests were built with (GOTOOLCHAIN
// included), so the module and wasm_exec.js come from one toolchain.
func goTool(env []string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

var (
	workerOnce sync.Once
	workerDir  string
	workerErr  error
)

// buildWorker lays out the example's Worker as its build.sh does:
// worker.mjs and workerd.capnp copied from examples/edge/worker, and
// build/gate.wasm and build/wasm_exec.js built beside them.
func buildWorker(t testing.TB) string {
	t.Helper()
	workerOnce.Do(func() { workerDir, workerErr = doBuildWorker() })
	if workerErr != nil {
		t.Fatal(workerErr)
	}
	return workerDir
}

func doBuildWorker() (string, error) {
	dir := filepath.Join(scratch, "worker")
	if err := os.MkdirAll(filepath.Join(dir, "build"), 0o755); err != nil {
		return "", err
	}
	for _, name := range []string{"worker.mjs", "workerd.capnp"} {
		if err := copyFile(filepath.Join(repo, "examples/edge/worker", name), filepath.Join(dir, name)); err != nil {
			return "", err
		}
	}
	if _, err := goTool([]string{"GOOS=js", "GOARCH=wasm"}, "build", "-trimpath", "-ldflags=-s -w",
		"-o", filepath.Join(dir, "build", "gate.wasm"), "github.com/keyseal/keyseal/examples/edge/worker"); err != nil {
		return "", err
	}
	goroot, err := goTool(nil, "env", "GOROOT")
	if err != nil {
		return "", err
	}
	execJS := filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js")
	if err := copyFile(execJS, filepath.Join(dir, "build", "wasm_exec.js")); err != nil {
		return "", err
	}
	return dir, nil
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

// freePort returns a loopback port nothing listens on right now.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// syncBuffer collects a process's output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// workerdProc is a running workerd.
type workerdProc struct {
	URL string
	// ColdStart is the time from starting workerd to its first answer.
	ColdStart time.Duration

	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	once sync.Once
}

// startWorkerd runs workerd serve config (in dir) with extra arguments
// and environment, listening on a free loopback port that overrides the
// config's socket "http", and waits until it answers. It stops when the
// test ends, also on failure.
func startWorkerd(t testing.TB, dir, config string, args, env []string) *workerdProc {
	t.Helper()
	bin := requireWorkerd(t)
	var lastErr error
	for range 3 { // the free port may be taken before workerd binds it
		rt, err := tryWorkerd(t, bin, dir, config, args, env)
		if err == nil {
			return rt
		}
		lastErr = err
	}
	t.Fatal(lastErr)
	return nil
}

func tryWorkerd(t testing.TB, bin, dir, config string, args, env []string) (*workerdProc, error) {
	port := freePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	argv := append([]string{"serve", config, "--socket-addr", "http=" + addr}, args...)
	cmd := exec.Command(bin, argv...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	rt := &workerdProc{URL: "http://" + addr, cmd: cmd, out: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = rt.out, rt.out
	ownGroup(cmd)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { cmd.Wait(); close(rt.done) }()
	t.Cleanup(func() {
		rt.Stop()
		if t.Failed() {
			t.Logf("workerd output:\n%s", rt.out.String())
		}
	})
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-rt.done:
			return nil, fmt.Errorf("workerd exited before answering: %s", rt.out.String())
		default:
		}
		// An API path: the gate answers it (401) without the origin.
		resp, err := client.Get(rt.URL + "/api/ready")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			rt.ColdStart = time.Since(start)
			return rt, nil
		}
		time.Sleep(5 * time.Millisecond)
	}
	rt.Stop()
	return nil, fmt.Errorf("workerd did not answer within 20s: %s", rt.out.String())
}

// Stop kills workerd's process group and waits for it.
func (rt *workerdProc) Stop() {
	rt.once.Do(func() {
		killGroup(rt.cmd)
		select {
		case <-rt.done:
		case <-time.After(10 * time.Second):
		}
	})
}

// capnpString quotes s as a Cap'n Proto text-format string literal.
func capnpString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < ' ' || c > '~':
			fmt.Fprintf(&b, "\\x%02x", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// gateConfig writes a workerd config for the example's Worker whose
// bindings are text bindings holding the settings, as a user configures
// secrets inline, and returns its file name (in the worker directory).
func gateConfig(t testing.TB, dir string, originAddr string, settings map[string]string) string {
	t.Helper()
	var bindings strings.Builder
	for name, value := range settings {
		fmt.Fprintf(&bindings, "    (name = %q, text = %s),\n", name, capnpString(value))
	}
	config := fmt.Sprintf(`using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "gate", worker = .gate),
    (name = "origin", external = (address = %q, http = ())),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "gate")],
);

const gate :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "wasm_exec.js", esModule = embed "build/wasm_exec.js"),
    (name = "gate.wasm", wasm = embed "build/gate.wasm"),
  ],
  compatibilityDate = "2026-11-01",
  bindings = [
    (name = "ORIGIN", service = "origin"),
%s  ],
);
`, originAddr, bindings.String())
	f, err := os.CreateTemp(dir, "test-*.capnp")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(config); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(f.Name()) })
	return filepath.Base(f.Name())
}

package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDemo starts "keyseal demo" on a free loopback port, reads the
// address it prints, gets its page, and stops it with SIGINT: it shuts
// down cleanly with exit code 0.
func TestDemo(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("sending SIGINT to a process is not supported on Windows")
	}
	s := newShell(t)
	// A safety net only: the test ends with SIGINT long before.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "demo", "-addr", "127.0.0.1:0", "--no-key-controls")
	cmd.Dir, cmd.Env = s.dir, baseEnv()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("reading the demo's address: %v; stderr: %s", err, stderr.String())
	}
	m := regexp.MustCompile(`^keyseal demo: open (http://127\.0\.0\.1:[0-9]+/) `).FindStringSubmatch(line)
	if m == nil {
		cmd.Process.Kill()
		t.Fatalf("demo printed %q", line)
	}
	resp, err := http.Get(m[1])
	if err != nil {
		cmd.Process.Kill()
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<html") {
		cmd.Process.Kill()
		t.Fatalf("GET %s: %s\n%.200s", m[1], resp.Status, body)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(stdout)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("demo after SIGINT: %v; stderr: %s", err, stderr.String())
	}
	if len(rest) != 0 {
		t.Fatalf("demo printed more on stdout: %q", rest)
	}
	for _, l := range strings.SplitAfter(stderr.String(), "\n") {
		if l != "" && !strings.HasPrefix(l, "keyseal: ") {
			t.Fatalf("demo stderr line without the keyseal prefix: %q", l)
		}
	}
}

package cluster_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestCluster builds the harness and runs it with its default targets:
// 200 clients, at least 10 000 requests per phase, 0 sessions lost and 0
// 5xx through the rotation, the restart and the keyring file faults,
// clock-skew acceptance and refusal, and a negative control that must lose
// sessions. The harness stops every process it started, also when this test
// is interrupted (it gets SIGINT, then SIGKILL, and its children die with it).
func TestCluster(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command: %v", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "harness")
	build := exec.Command(goBin, "build", "-o", bin, "./cmd/harness")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the harness: %v\n%s", err, out)
	}

	summary := filepath.Join(dir, "summary.txt")
	cmd := exec.CommandContext(t.Context(), bin, "-summary", summary)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 20 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	t.Logf("harness output:\n%s", out.Bytes())
	if err != nil {
		t.Fatalf("harness: %v (a missing nginx is reported above; scripts/setup.sh installs it)", err)
	}
	if table, err := os.ReadFile(summary); err != nil || len(table) == 0 {
		t.Fatalf("no summary table: %v", err)
	}
}

// Package docs checks that the docs stay true: every Go snippet of them
// compiles (the README's app and quickstart also run), and SECURITY.md
// gives a reporting channel that works.
package docs

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestQuickstartMatchesExample keeps the README's codec example and
// examples/quickstart/main.go identical, so the program the README shows is
// one the build compiles and this test runs.
func TestQuickstartMatchesExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	i := strings.Index(s, "## Sealing bytes without HTTP")
	if i < 0 {
		t.Fatal("README has no \"Sealing bytes without HTTP\" section")
	}
	start := strings.Index(s[i:], "```go\n")
	if start < 0 {
		t.Fatal("that section has no Go block")
	}
	block := s[i+start+len("```go\n"):]
	block = block[:strings.Index(block, "```")]
	example, err := os.ReadFile("../../examples/quickstart/main.go")
	if err != nil {
		t.Fatal(err)
	}
	if block != string(example) {
		t.Fatalf("README Quickstart and examples/quickstart/main.go differ:\n--- README\n%s\n--- example\n%s", block, example)
	}
}

// TestQuickstartRuns runs the quickstart and checks what it prints.
func TestQuickstartRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	out, err := exec.Command("go", "run", "../../examples/quickstart").CombinedOutput()
	if err != nil {
		t.Fatalf("go run examples/quickstart: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), `{"user":"ada"} sealed under key `) {
		t.Fatalf("quickstart printed %q", out)
	}
}

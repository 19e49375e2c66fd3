package docs

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestSecurityContact checks that SECURITY.md sends reporters to the
// repository's private vulnerability reporting, derived from the module
// path, and gives no placeholder address.
func TestSecurityContact(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^module github\.com/([^/\s]+/[^/\s]+)$`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod names no github.com/OWNER/REPO module")
	}
	doc, err := os.ReadFile("../../SECURITY.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	i := strings.Index(s, "## Reporting a vulnerability")
	if i < 0 {
		t.Fatal(`SECURITY.md has no "Reporting a vulnerability" section`)
	}
	section := s[i+1:]
	if j := strings.Index(section, "\n## "); j >= 0 {
		section = section[:j]
	}
	if url := "https://github.com/" + string(m[1]) + "/security/advisories/new"; !strings.Contains(section, url) {
		t.Errorf("the reporting section does not give %s", url)
	}
	for _, bad := range []string{"placeholder", "@"} {
		if strings.Contains(strings.ToLower(section), bad) {
			t.Errorf("the reporting section contains %q: give a channel that works", bad)
		}
	}
	for _, want := range []string{"Acknowledgement", "disclosure", "Credit", "Supported versions"} {
		if !strings.Contains(section, want) {
			t.Errorf("the reporting section does not say what reporters can expect: no %q", want)
		}
	}
}

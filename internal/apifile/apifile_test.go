package apifile

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite api/keyseal.txt from the current code")

// surfaces are the modules with public packages and their API files: the
// library, and the nested modules users import (the drop-in store for
// gorilla/sessions apps and the gin adapter, which keep gorilla/sessions
// and gin out of the library's go.mod).
// Of routers, only the gin adapter is an API; the other packages are
// recipes to copy.
var surfaces = []struct{ dir, module, file string }{
	{"../..", "github.com/keyseal/keyseal", "../../api/keyseal.txt"},
	{"../../gorillastore", "github.com/keyseal/keyseal/gorillastore", "../../api/gorillastore.txt"},
	{"../../routers/ginsession", "github.com/keyseal/keyseal/routers/ginsession", "../../api/ginsession.txt"},
}

// TestAPIFile fails when the exported API differs from its API file: every
// change to the public surface changes that file in the same commit.
func TestAPIFile(t *testing.T) {
	for _, s := range surfaces {
		t.Run(filepath.Base(s.file), func(t *testing.T) { checkAPIFile(t, s.dir, s.module, s.file) })
	}
}

func checkAPIFile(t *testing.T, dir, module, apiFile string) {
	got, err := Generate(dir, module)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if len(got) == 0 {
			t.Fatalf("no exported API found for %s in %s", module, dir)
		}
		if err := os.WriteFile(apiFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(apiFile)
	if err != nil {
		t.Fatalf("%v (create it with: go test ./internal/apifile -update)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	added, removed := diff(lines(want), lines(got))
	var msg strings.Builder
	msg.WriteString("the exported API differs from " + strings.TrimPrefix(apiFile, "../../") + "; if the change is deliberate, run\n\tgo test ./internal/apifile -update\nand commit the file with the change.\n")
	for _, l := range removed {
		msg.WriteString("- " + l + "\n")
	}
	for _, l := range added {
		msg.WriteString("+ " + l + "\n")
	}
	t.Fatal(msg.String())
}

// TestGenerateSeesChanges checks that the listing reacts to the kinds of
// change it must catch: a new exported function, a changed signature, a
// new struct field, a new method, and that unexported names, internal
// packages, examples and commands stay out.
func TestGenerateSeesChanges(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/m\n\ngo 1.26\n")
	write("p/p.go", `package p

import "time"

// Limit is exported.
const Limit = 4096

var ErrX error

type Config struct {
	MaxAge time.Duration
	hidden int
}

type Codec[T any] struct{}

func (c *Codec[T]) Seal(v T) (string, error) { return "", nil }
func (c Codec[T]) Name() string               { return "" }
func (c *Codec[T]) seal()                     {}

func New(name string, cfg Config) (*Codec[int], error) { return nil, nil }
func Join[S ~string](sep S, parts ...S) S              { return sep }
func helper()                                         {}
`)
	write("internal/q/q.go", "package q\n\nfunc Hidden() {}\n")
	write("examples/e/e.go", "package e\n\nfunc Example() {}\n")
	write("cmd/c/main.go", "package main\n\nfunc Exported() {}\nfunc main() {}\n")
	got, err := Generate(dir, "example.com/m")
	if err != nil {
		t.Fatal(err)
	}
	want := `pkg example.com/m/p, const Limit = 4096
pkg example.com/m/p, func Join[S ~string](S, ...S) S
pkg example.com/m/p, func New(string, Config) (*Codec[int], error)
pkg example.com/m/p, method (*Codec[T]) Seal(T) (string, error)
pkg example.com/m/p, method (Codec[T]) Name() string
pkg example.com/m/p, type Codec[T any] struct
pkg example.com/m/p, type Config struct
pkg example.com/m/p, type Config struct, MaxAge time.Duration
pkg example.com/m/p, var ErrX error
`
	if string(got) != want {
		t.Fatalf("Generate:\n%s\nwant:\n%s", got, want)
	}
}

func lines(b []byte) []string { return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") }

// diff returns the lines only in b (added) and only in a (removed).
func diff(a, b []string) (added, removed []string) {
	in := func(set []string) map[string]bool {
		m := map[string]bool{}
		for _, s := range set {
			m[s] = true
		}
		return m
	}
	inA, inB := in(a), in(b)
	for _, s := range b {
		if !inA[s] {
			added = append(added, s)
		}
	}
	for _, s := range a {
		if !inB[s] {
			removed = append(removed, s)
		}
	}
	return added, removed
}

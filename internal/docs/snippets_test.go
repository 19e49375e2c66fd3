package docs

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The Go snippets of the docs are compiled against the working copy, so
// none can rot. Every ```go block of the top-level *.md files and of docs/
// is one of:
//
//   - a whole file (it starts with "package", after comments): compiled
//     as it is, in a package of its own; "package main" is a program a
//     reader can paste;
//   - a fragment, marked by an HTML comment on the line before the fence:
//     <!-- snippet: decls --> for top-level declarations, <!-- snippet: body -->
//     for statements (compiled as the body of a func() error). A fragment
//     compiles with the names the doc leaves to the reader (their keys,
//     ring, session type) declared in testdata/context/<doc>.go, and the
//     imports its selectors name (see imports);
//   - a whole program marked <!-- snippet: run NAME -->: also run, with
//     testdata/NAME_test.go beside it, by go test.
//
// A block that is neither a whole file nor marked fails the test, as does a
// marker the test does not know.

// docFiles lists the docs whose snippets are checked, relative to the root.
func docFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{"*.md", "docs/*.md"} {
		m, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			rel, err := filepath.Rel(root, f)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, filepath.ToSlash(rel))
		}
	}
	return files
}

// A snippet is one ```go block of a doc.
type snippet struct {
	doc  string // path relative to the repository root
	path string // the doc's absolute path, for //line directives
	line int    // line of the block's first line of code (1-based)
	kind string // "file", "decls", "body" or "run"
	run  string // the test's name for kind "run"
	code string
}

func (s snippet) String() string { return fmt.Sprintf("%s:%d", s.doc, s.line) }

var (
	markerRE  = regexp.MustCompile(`^<!--\s*snippet:\s*(.*?)\s*-->$`)
	runNameRE = regexp.MustCompile(`^[a-z0-9_]+$`)
)

// extract returns the ```go blocks of a Markdown file. A fence may be
// indented (inside a list); its indentation is removed from the block.
func extract(doc, text string) ([]snippet, error) {
	lines := strings.Split(text, "\n")
	var out []snippet
	for i := 0; i < len(lines); i++ {
		trimmed := strings.TrimLeft(lines[i], " ")
		indent := len(lines[i]) - len(trimmed)
		if !strings.HasPrefix(trimmed, "```") {
			continue
		}
		info := strings.TrimSpace(strings.TrimPrefix(trimmed, "```"))
		start := i + 1
		end := start
		for end < len(lines) && strings.TrimSpace(lines[end]) != "```" {
			end++
		}
		if end == len(lines) {
			return nil, fmt.Errorf("%s:%d: unterminated code block", doc, i+1)
		}
		i = end
		if lang, _, _ := strings.Cut(info, " "); lang != "go" {
			continue
		}
		var code strings.Builder
		for _, l := range lines[start:end] {
			code.WriteString(strings.TrimPrefix(l, strings.Repeat(" ", indent)))
			code.WriteByte('\n')
		}
		s := snippet{doc: doc, line: start + 1, kind: "file", code: code.String()}
		if start >= 2 {
			if m := markerRE.FindStringSubmatch(strings.TrimSpace(lines[start-2])); m != nil {
				f := strings.Fields(m[1])
				switch {
				case len(f) == 1 && (f[0] == "decls" || f[0] == "body"):
					s.kind = f[0]
				case len(f) == 2 && f[0] == "run" && runNameRE.MatchString(f[1]):
					s.kind, s.run = "run", f[1]
				default:
					return nil, fmt.Errorf("%s: unknown snippet marker %q (want decls, body or run NAME)", s, m[0])
				}
			}
		}
		if s.kind == "file" || s.kind == "run" {
			if !startsWithPackage(s.code) {
				return nil, fmt.Errorf("%s: a ```go block must be a whole file (package ...) or be marked <!-- snippet: decls --> or <!-- snippet: body --> on the line before it", s)
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// startsWithPackage reports whether code is a whole Go file.
func startsWithPackage(code string) bool {
	f, err := parser.ParseFile(token.NewFileSet(), "", code, parser.PackageClauseOnly)
	return err == nil && f.Name != nil
}

// imports maps the package names fragments may use to their paths. A
// fragment imports those its selectors name and it does not declare.
var imports = map[string]string{
	"authjs":        "github.com/keyseal/keyseal/authjs",
	"codec":         "github.com/keyseal/keyseal/codec",
	"cookiesession": "github.com/keyseal/keyseal/cookiesession",
	"flask":         "github.com/keyseal/keyseal/flask",
	"format":        "github.com/keyseal/keyseal/format",
	"jwe":           "github.com/keyseal/keyseal/jwe",
	"keyring":       "github.com/keyseal/keyseal/keyring",
	"keyseal":       "github.com/keyseal/keyseal",
	"legacy":        "github.com/keyseal/keyseal/legacy",
	"nodesession":   "github.com/keyseal/keyseal/nodesession",
	"rails":         "github.com/keyseal/keyseal/rails",
	"context":       "context",
	"errors":        "errors",
	"fmt":           "fmt",
	"gob":           "encoding/gob",
	"http":          "net/http",
	"json":          "encoding/json",
	"log":           "log",
	"os":            "os",
	"slog":          "log/slog",
	"strconv":       "strconv",
	"time":          "time",
}

// fragmentFile turns a fragment into a Go file of package snippet.
// //line directives make the compiler report positions in the doc.
func fragmentFile(s snippet) (string, error) {
	var body strings.Builder
	if s.kind == "decls" {
		fmt.Fprintf(&body, "//line %s:%d\n%s", s.path, s.line, s.code)
	} else {
		// Parse the statements alone first, to learn what they declare.
		probe := "package snippet\nfunc _() error {\n" + s.code + "}\n"
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, s.String(), probe, 0)
		if err != nil {
			return "", fmt.Errorf("%s: not a list of statements: %v", s, err)
		}
		stmts := f.Decls[0].(*ast.FuncDecl).Body.List
		var last ast.Stmt
		if n := len(stmts); n > 0 {
			if r, ok := stmts[n-1].(*ast.ReturnStmt); ok {
				last = r
			}
		}
		// A fragment's variables are the reader's to use: mark them used.
		var uses strings.Builder
		for _, st := range stmts {
			for _, name := range declared(st) {
				fmt.Fprintf(&uses, "_ = %s\n", name)
			}
		}
		code := s.code
		tail := uses.String() + "return nil\n"
		if last != nil { // the fragment returns: mark its variables before
			p := fset.Position(last.Pos())
			lines := strings.SplitAfter(code, "\n")
			code = strings.Join(lines[:p.Line-3], "")
			tail = uses.String() + "//line " + fmt.Sprintf("%s:%d", s.path, s.line+p.Line-3) + "\n" + strings.Join(lines[p.Line-3:], "")
		}
		fmt.Fprintf(&body, "func _() error {\n//line %s:%d\n%s//line %s-wrapper:1\n%s}\n", s.path, s.line, code, s.path, tail)
	}
	src := "package snippet\n\n" + body.String()
	f, err := parser.ParseFile(token.NewFileSet(), s.String(), src, 0)
	if err != nil {
		return "", fmt.Errorf("%s: %v", s, err)
	}
	var need []string
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil {
				if path, ok := imports[id.Name]; ok && !slices.Contains(need, path) {
					need = append(need, path)
				}
			}
		}
		return true
	})
	slices.Sort(need)
	var head strings.Builder
	head.WriteString("package snippet\n\n")
	for _, p := range need {
		fmt.Fprintf(&head, "import %q\n", p)
	}
	return head.String() + "\n" + body.String(), nil
}

// declared returns the names a statement declares in its own scope.
func declared(st ast.Stmt) []string {
	var names []string
	add := func(id *ast.Ident) {
		if id.Name != "_" && !slices.Contains(names, id.Name) {
			names = append(names, id.Name)
		}
	}
	switch st := st.(type) {
	case *ast.AssignStmt:
		if st.Tok == token.DEFINE {
			for _, e := range st.Lhs {
				if id, ok := e.(*ast.Ident); ok {
					add(id)
				}
			}
		}
	case *ast.DeclStmt:
		if g, ok := st.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
			for _, spec := range g.Specs {
				for _, id := range spec.(*ast.ValueSpec).Names {
					add(id)
				}
			}
		}
	}
	return names
}

// snippetPackages writes every snippet of the docs as a package under a
// fresh directory inside this module, so that it compiles against the
// working copy, and returns the paths of all the packages and of those to
// run. The directory is removed when the test ends.
func snippetPackages(t *testing.T) (vet, run []string) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	// "_" keeps the directory out of ./... patterns should it be left behind.
	dir, err := os.MkdirTemp(".", "_snippets")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })

	var all []snippet
	for _, doc := range docFiles(t, root) {
		text, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		s, err := extract(doc, string(text))
		if err != nil {
			t.Fatal(err)
		}
		for i := range s {
			s[i].path = filepath.Join(root, doc)
		}
		all = append(all, s...)
	}
	if len(all) == 0 {
		t.Fatal("no ```go block in the docs")
	}
	for i, s := range all {
		pkg := fmt.Sprintf("%s/s%02d_%s_%d", dir, i, strings.NewReplacer("/", "_", ".", "_").Replace(s.doc), s.line)
		if err := os.Mkdir(pkg, 0o755); err != nil {
			t.Fatal(err)
		}
		write := func(name, content string) {
			if err := os.WriteFile(filepath.Join(pkg, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		switch s.kind {
		case "file", "run":
			write("snippet.go", fmt.Sprintf("//line %s:%d\n%s", s.path, s.line, s.code))
		default:
			src, err := fragmentFile(s)
			if err != nil {
				t.Fatal(err)
			}
			write("snippet.go", src)
			ctx, err := os.ReadFile(filepath.Join("testdata", "context", strings.TrimSuffix(filepath.Base(s.doc), ".md")+".go"))
			if err == nil {
				write("context.go", string(ctx))
			} else if !os.IsNotExist(err) {
				t.Fatal(err)
			}
		}
		if s.kind == "run" {
			test, err := os.ReadFile(filepath.Join("testdata", s.run+"_test.go"))
			if err != nil {
				t.Fatalf("%s: %v", s, err)
			}
			write(s.run+"_test.go", string(test))
			run = append(run, "./"+filepath.ToSlash(pkg))
		}
		vet = append(vet, "./"+filepath.ToSlash(pkg))
	}
	return vet, run
}

// goCmd runs the go command in this directory.
func goCmd(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("go %s: %v\n%s", args[0], err, out.String())
	}
}

// TestSnippetsCompile type-checks and vets every Go snippet of the docs in
// one go vet run.
func TestSnippetsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet")
	}
	vet, _ := snippetPackages(t)
	goCmd(t, append([]string{"vet"}, vet...)...)
}

// TestSnippetsRun runs the snippets marked "run" with their tests.
func TestSnippetsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	_, run := snippetPackages(t)
	if len(run) == 0 {
		t.Fatal(`no snippet is marked "run": the README's net/http app should be`)
	}
	goCmd(t, append([]string{"test", "-count=1"}, run...)...)
}

// TestExtract checks the markers and the shapes of block extract accepts.
func TestExtract(t *testing.T) {
	fence := "```"
	ok := "text\n\n  " + fence + "go\n  package main\n\n  func main() {}\n  " + fence + "\n" +
		"<!-- snippet: body -->\n" + fence + "go\nx := 1\n" + fence + "\n" +
		fence + "sh\ngo run .\n" + fence + "\n"
	got, err := extract("a.md", ok)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].kind != "file" || got[0].line != 4 || got[0].code != "package main\n\nfunc main() {}\n" ||
		got[1].kind != "body" || got[1].line != 10 {
		t.Fatalf("extract = %+v", got)
	}
	for name, doc := range map[string]string{
		"unmarked fragment": fence + "go\nx := 1\n" + fence + "\n",
		"unknown marker":    "<!-- snippet: fragment -->\n" + fence + "go\nx := 1\n" + fence + "\n",
		"run without file":  "<!-- snippet: run app -->\n" + fence + "go\nx := 1\n" + fence + "\n",
		"unterminated":      fence + "go\npackage main\n",
	} {
		if _, err := extract("a.md", doc); err == nil {
			t.Errorf("%s: extract accepted it", name)
		}
	}
}

// TestFragmentFile checks what a body fragment is wrapped in: its imports,
// its variables marked used before a final return, positions in the doc.
func TestFragmentFile(t *testing.T) {
	s := snippet{doc: "a.md", path: "/r/a.md", line: 10, kind: "body",
		code: "n, err := strconv.Atoi(\"1\")\nif err != nil {\n\treturn err\n}\nreturn errors.New(\"x\")\n"}
	src, err := fragmentFile(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"import \"errors\"\nimport \"strconv\"\n",
		"//line /r/a.md:10\nn, err := strconv.Atoi",
		"_ = n\n_ = err\n//line /r/a.md:14\nreturn errors.New",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("generated file lacks %q:\n%s", want, src)
		}
	}
	if strings.Contains(src, "return nil") {
		t.Errorf("a fragment that returns got a return after it:\n%s", src)
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "", src, 0); err != nil {
		t.Errorf("generated file does not parse: %v\n%s", err, src)
	}
}

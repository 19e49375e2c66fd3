// Package apifile writes down keyseal's exported API, one line per exported
// name, as Go's own api/go1.*.txt files do: the public surface is a product,
// and a change to it must be a reviewed change of api/keyseal.txt.
//
// The test in this package regenerates the listing from the compiler's export
// data and fails when it differs from the committed file; run
//
//	go test ./internal/apifile -update
//
// to rewrite the file after a deliberate change.
package apifile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/constant"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
)

// listed is what `go list -export -json` says of one package.
type listed struct {
	ImportPath string
	Name       string
	Export     string
	GoFiles    []string
	DepOnly    bool
}

// public reports whether p, a package of module mod, is part of the public
// API: not internal, not a command, not an example.
func public(p listed, mod string) bool {
	if p.DepOnly || p.Name == "main" || len(p.GoFiles) == 0 {
		return false
	}
	if p.ImportPath != mod && !strings.HasPrefix(p.ImportPath, mod+"/") {
		return false
	}
	rest := strings.TrimPrefix(p.ImportPath, mod)
	return !strings.Contains(rest+"/", "/internal/") && !strings.HasPrefix(rest+"/", "/examples/")
}

// Generate lists the exported API of every public package of the module in
// dir: one line per exported name, sorted.
func Generate(dir, mod string) ([]byte, error) {
	// go test puts the go command of its own toolchain first on PATH.
	cmd := exec.Command("go", "list", "-export", "-deps", "-json", "./...")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("apifile: go list: %v\n%s", err, stderr.Bytes())
	}
	exports := map[string]string{}
	var pkgs []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("apifile: go list output: %v", err)
		}
		exports[p.ImportPath] = p.Export
		if public(p, mod) {
			pkgs = append(pkgs, p.ImportPath)
		}
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		f, ok := exports[path]
		if !ok || f == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(f)
	})
	var lines []string
	for _, path := range pkgs {
		pkg, err := imp.Import(path)
		if err != nil {
			return nil, fmt.Errorf("apifile: %s: %v", path, err)
		}
		lines = append(lines, describe(pkg)...)
	}
	sort.Strings(lines)
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// describe lists the exported names of pkg in the style of Go's api files.
func describe(pkg *types.Package) []string {
	qual := func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		return p.Name()
	}
	ts := func(t types.Type) string { return types.TypeString(t, qual) }
	prefix := "pkg " + pkg.Path() + ", "
	var lines []string
	add := func(format string, args ...any) { lines = append(lines, prefix+fmt.Sprintf(format, args...)) }
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		switch o := obj.(type) {
		case *types.Const:
			if b, ok := o.Type().(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
				add("const %s = %s", name, o.Val().ExactString())
			} else {
				add("const %s %s", name, ts(o.Type()))
				if o.Val().Kind() != constant.Unknown {
					add("const %s = %s", name, o.Val().ExactString())
				}
			}
		case *types.Var:
			add("var %s %s", name, ts(o.Type()))
		case *types.Func:
			add("func %s%s", name, signature(o.Type().(*types.Signature), ts))
		case *types.TypeName:
			lines = append(lines, describeType(prefix, o, ts)...)
		}
	}
	return lines
}

// describeType lists a type, its exported fields or interface methods, and
// the exported methods of its value and pointer method sets.
func describeType(prefix string, o *types.TypeName, ts func(types.Type) string) []string {
	name := o.Name()
	var lines []string
	add := func(format string, args ...any) { lines = append(lines, prefix+fmt.Sprintf(format, args...)) }
	tparams := ""
	if n, ok := o.Type().(*types.Named); ok && n.TypeParams().Len() > 0 {
		var ps []string
		for i := 0; i < n.TypeParams().Len(); i++ {
			tp := n.TypeParams().At(i)
			ps = append(ps, tp.Obj().Name()+" "+ts(tp.Constraint()))
		}
		tparams = "[" + strings.Join(ps, ", ") + "]"
	}
	if o.IsAlias() {
		add("type %s = %s", name, ts(types.Unalias(o.Type())))
		return lines
	}
	switch u := o.Type().Underlying().(type) {
	case *types.Struct:
		add("type %s%s struct", name, tparams)
		for i := 0; i < u.NumFields(); i++ {
			if f := u.Field(i); f.Exported() {
				if f.Embedded() {
					add("type %s struct, embedded %s", name, ts(f.Type()))
				} else {
					add("type %s struct, %s %s", name, f.Name(), ts(f.Type()))
				}
			}
		}
	case *types.Interface:
		add("type %s%s interface", name, tparams)
		for i := 0; i < u.NumExplicitMethods(); i++ {
			if m := u.ExplicitMethod(i); m.Exported() {
				add("type %s interface, %s%s", name, m.Name(), signature(m.Type().(*types.Signature), ts))
			}
		}
		for i := 0; i < u.NumEmbeddeds(); i++ {
			add("type %s interface, embedded %s", name, ts(u.EmbeddedType(i)))
		}
		return lines
	default:
		add("type %s%s %s", name, tparams, ts(u))
	}
	named, ok := o.Type().(*types.Named)
	if !ok {
		return lines
	}
	recv := name
	if named.TypeParams().Len() > 0 {
		var ps []string
		for i := 0; i < named.TypeParams().Len(); i++ {
			ps = append(ps, named.TypeParams().At(i).Obj().Name())
		}
		recv += "[" + strings.Join(ps, ", ") + "]"
	}
	for i := 0; i < named.NumMethods(); i++ {
		m := named.Method(i)
		if !m.Exported() {
			continue
		}
		sig := m.Type().(*types.Signature)
		r := recv
		if _, ptr := sig.Recv().Type().(*types.Pointer); ptr {
			r = "*" + recv
		}
		add("method (%s) %s%s", r, m.Name(), signature(sig, ts))
	}
	return lines
}

// signature prints sig's parameters and results by type alone, as Go's api
// files do: renaming a parameter does not change the API.
func signature(sig *types.Signature, ts func(types.Type) string) string {
	tuple := func(t *types.Tuple, variadic bool) []string {
		var out []string
		for i := 0; i < t.Len(); i++ {
			typ := t.At(i).Type()
			if variadic && i == t.Len()-1 {
				out = append(out, "..."+ts(typ.(*types.Slice).Elem()))
				continue
			}
			out = append(out, ts(typ))
		}
		return out
	}
	var tparams string
	if tp := sig.TypeParams(); tp.Len() > 0 {
		var ps []string
		for i := 0; i < tp.Len(); i++ {
			ps = append(ps, tp.At(i).Obj().Name()+" "+ts(tp.At(i).Constraint()))
		}
		tparams = "[" + strings.Join(ps, ", ") + "]"
	}
	s := tparams + "(" + strings.Join(tuple(sig.Params(), sig.Variadic()), ", ") + ")"
	switch res := tuple(sig.Results(), false); len(res) {
	case 0:
	case 1:
		s += " " + res[0]
	default:
		s += " (" + strings.Join(res, ", ") + ")"
	}
	return s
}

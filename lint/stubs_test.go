package lint_test

import (
	"go/types"
	"os/exec"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestStubsMatchClientGolang checks the offline client_golang stubs in
// testdata/src against the real module (from the module cache, no
// network): every exported declaration of a stub must exist in the real
// package with an identical type, and every stub method and struct field
// likewise. A client_golang upgrade that changes a signature the analyzers
// rely on fails here.
func TestStubsMatchClientGolang(t *testing.T) {
	if testing.Short() {
		t.Skip("loads client_golang with go list")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found")
	}
	paths := []string{"github.com/prometheus/client_golang/prometheus", "github.com/prometheus/client_golang/prometheus/promauto"}
	root, _ := filepath.Abs("..")
	real := load(t, &packages.Config{Mode: packages.NeedTypes | packages.NeedName, Dir: root, Env: append(environ(), "GOPROXY=off")}, paths)
	gopath, _ := filepath.Abs("testdata")
	stub := load(t, &packages.Config{Mode: packages.NeedTypes | packages.NeedName, Dir: filepath.Join(gopath, "src"),
		Env: append(environ(), "GOPATH="+gopath, "GO111MODULE=off", "GOPROXY=off", "GOFLAGS=")}, paths)
	qual := func(p *types.Package) string { return p.Name() }
	str := func(t types.Type) string { return types.TypeString(t, qual) }
	checked := 0
	for _, path := range paths {
		rs, ss := real[path].Scope(), stub[path].Scope()
		for _, name := range ss.Names() {
			so := ss.Lookup(name)
			if !so.Exported() {
				continue
			}
			ro := rs.Lookup(name)
			if ro == nil {
				t.Errorf("%s.%s: in the stub, not in client_golang", path, name)
				continue
			}
			checked++
			switch so := so.(type) {
			case *types.TypeName:
				rt, ok := ro.(*types.TypeName)
				if !ok {
					t.Errorf("%s.%s: a type in the stub, a %T in client_golang", path, name, ro)
					continue
				}
				compareType(t, path+"."+name, so.Type(), rt.Type(), str)
			default:
				if str(so.Type()) != str(ro.Type()) {
					t.Errorf("%s.%s: stub type %s, client_golang %s", path, name, str(so.Type()), str(ro.Type()))
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d declarations compared; the stubs or the loader are broken", checked)
	}
}

func compareType(t *testing.T, name string, st, rt types.Type, str func(types.Type) string) {
	t.Helper()
	switch su := st.Underlying().(type) {
	case *types.Struct:
		ru, ok := rt.Underlying().(*types.Struct)
		if !ok {
			t.Errorf("%s: a struct in the stub, %s in client_golang", name, str(rt.Underlying()))
			return
		}
		for i := range su.NumFields() {
			f := su.Field(i)
			if !f.Exported() {
				continue
			}
			found := false
			for j := range ru.NumFields() {
				if rf := ru.Field(j); rf.Name() == f.Name() {
					found = true
					if str(rf.Type()) != str(f.Type()) {
						t.Errorf("%s.%s: stub field type %s, client_golang %s", name, f.Name(), str(f.Type()), str(rf.Type()))
					}
				}
			}
			if !found {
				t.Errorf("%s.%s: field in the stub, not in client_golang", name, f.Name())
			}
		}
	case *types.Interface:
		ru, ok := rt.Underlying().(*types.Interface)
		if !ok {
			t.Errorf("%s: an interface in the stub, %s in client_golang", name, str(rt.Underlying()))
			return
		}
		for i := range su.NumMethods() {
			m := su.Method(i)
			if !m.Exported() {
				continue
			}
			obj, _, _ := types.LookupFieldOrMethod(ru, false, nil, m.Name())
			if obj == nil || str(obj.Type()) != str(m.Type()) {
				t.Errorf("%s.%s: stub method %s, client_golang %v", name, m.Name(), str(m.Type()), obj)
			}
		}
	default:
		if str(st.Underlying()) != str(rt.Underlying()) {
			t.Errorf("%s: stub underlying %s, client_golang %s", name, str(st.Underlying()), str(rt.Underlying()))
		}
	}
	// Methods declared on the stub type.
	ms := types.NewMethodSet(types.NewPointer(st))
	rms := types.NewMethodSet(types.NewPointer(rt))
	for i := range ms.Len() {
		m := ms.At(i).Obj()
		if !m.Exported() {
			continue
		}
		rsel := rms.Lookup(m.Pkg(), m.Name())
		if rsel == nil {
			// Lookup needs the package of the real method for unexported
			// names only; exported names match across packages.
			for j := range rms.Len() {
				if rms.At(j).Obj().Name() == m.Name() {
					rsel = rms.At(j)
				}
			}
		}
		if rsel == nil {
			t.Errorf("%s.%s: method in the stub, not in client_golang", name, m.Name())
			continue
		}
		if str(m.Type()) != str(rsel.Obj().Type()) {
			t.Errorf("%s.%s: stub signature %s, client_golang %s", name, m.Name(), str(m.Type()), str(rsel.Obj().Type()))
		}
	}
}

func load(t *testing.T, cfg *packages.Config, paths []string) map[string]*types.Package {
	t.Helper()
	pkgs, err := packages.Load(cfg, paths...)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*types.Package{}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			t.Fatalf("load %s: %v", p.PkgPath, e)
		}
		out[p.PkgPath] = p.Types
	}
	return out
}

package corpus

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/soakkit/soakkit/secrets/internal/gen"
)

// Options control a corpus. The zero value makes a 16 MB corpus with seed 1.
type Options struct {
	Seed uint64 // default 1
	Size int64  // approximate total bytes; default 16 MB
}

// A Label marks one planted secret: lines Line..EndLine of File hold it.
type Label struct {
	File    string `json:"file"` // slash path relative to the corpus root
	Line    int    `json:"line"`
	EndLine int    `json:"end_line"`
	Rule    string `json:"rule"`    // the built-in rule expected to find it
	Encoded bool   `json:"encoded"` // planted base64-encoded
}

// A Manifest describes a generated corpus.
type Manifest struct {
	Seed    uint64  `json:"seed"`
	Files   int     `json:"files"`
	Bytes   int64   `json:"bytes"`
	Planted []Label `json:"planted"`
	Decoys  int     `json:"decoys"` // decoy lines written
}

// Generate writes a corpus under dir (created if needed) and returns its
// manifest. It does not write the manifest itself, so scanners of dir never
// see the answers.
func Generate(dir string, opt Options) (*Manifest, error) {
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.Size <= 0 {
		opt.Size = 16 << 20
	}
	g := &generator{r: rand.New(rand.NewPCG(opt.Seed, 0x5eed)), dir: dir, m: &Manifest{Seed: opt.Seed}}
	kinds := []func(i int) error{g.goFile, g.pyFile, g.yamlFile, g.jsonFile, g.envFile, g.xmlFile, g.mdFile, g.logFile, g.k8sFile, g.goFile, g.pyFile, g.logFile}
	for i := 0; g.m.Bytes < opt.Size; i++ {
		var err error
		switch {
		case i%97 == 13:
			err = g.bundleFile(i)
		case i%53 == 7:
			err = g.pemFile(i)
		case i%71 == 5:
			err = g.binaryFile(i)
		default:
			err = kinds[i%len(kinds)](i)
		}
		if err != nil {
			return nil, err
		}
	}
	return g.m, nil
}

type generator struct {
	r   *rand.Rand
	dir string
	m   *Manifest
}

// A doc accumulates one file's lines and its labels.
type doc struct {
	g      *generator
	name   string
	sb     strings.Builder
	line   int
	labels []Label
}

func (g *generator) newDoc(name string) *doc { return &doc{g: g, name: name} }

func (d *doc) add(s string) {
	d.sb.WriteString(s)
	d.sb.WriteByte('\n')
	d.line += strings.Count(s, "\n") + 1
}

// plant adds text holding a secret of rule and labels its lines.
func (d *doc) plant(rule, text string, encoded bool) {
	start := d.line + 1
	d.add(text)
	d.labels = append(d.labels, Label{File: d.name, Line: start, EndLine: d.line, Rule: rule, Encoded: encoded})
}

func (d *doc) decoy(text string) {
	d.add(text)
	d.g.m.Decoys++
}

func (d *doc) write() error {
	p := filepath.Join(d.g.dir, filepath.FromSlash(d.name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(p, []byte(d.sb.String()), 0o644); err != nil {
		return err
	}
	d.g.m.Files++
	d.g.m.Bytes += int64(d.sb.Len())
	d.g.m.Planted = append(d.g.m.Planted, d.labels...)
	return nil
}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *generator) ident() string {
	return g.pick(words) + strings.Title(g.pick(words)) //nolint:staticcheck // ASCII words only
}

func (g *generator) kind() gen.Kind { return gen.Kinds[g.r.IntN(len(gen.Kinds))] }

func (g *generator) decoy() string {
	ds := gen.Decoys(g.r)
	return ds[g.r.IntN(len(ds))]
}

func (g *generator) dirName(i int) string {
	return fmt.Sprintf("%s/%s%d", g.pick(topDirs), g.pick(words), i%37)
}

// fill adds n lines of filler from templates.
func (g *generator) fill(d *doc, n int, tmpl []string) {
	for k := 0; k < n; k++ {
		t := g.pick(tmpl)
		t = strings.ReplaceAll(t, "$I", g.ident())
		t = strings.ReplaceAll(t, "$W", g.pick(words))
		t = strings.ReplaceAll(t, "$N", fmt.Sprint(g.r.IntN(100000)))
		t = strings.ReplaceAll(t, "$H", gen.Str(g.r, "0123456789abcdef", 40))
		t = strings.ReplaceAll(t, "$U", uuid(g.r))
		d.add(t)
	}
}

func uuid(r *rand.Rand) string {
	h := "0123456789abcdef"
	return gen.Str(r, h, 8) + "-" + gen.Str(r, h, 4) + "-4" + gen.Str(r, h, 3) + "-8" + gen.Str(r, h, 3) + "-" + gen.Str(r, h, 12)
}

// body writes filler with planted secrets and decoys interleaved.
func (g *generator) body(d *doc, tmpl []string, plant func(k gen.Kind, v string) string) {
	blocks := 20 + g.r.IntN(60)
	for b := 0; b < blocks; b++ {
		g.fill(d, 5+g.r.IntN(30), tmpl)
		switch x := g.r.IntN(10); {
		case x < 2:
			k := g.kind()
			d.plant(k.Rule, plant(k, k.Gen(g.r)), false)
		case x < 4:
			d.decoy(g.decoy())
		}
	}
}

func (g *generator) goFile(i int) error {
	d := g.newDoc(fmt.Sprintf("%s/%s_%d.go", g.dirName(i), g.pick(words), i))
	d.add("package " + g.pick(words))
	g.body(d, goTmpl, func(k gen.Kind, v string) string {
		if strings.Contains(v, "\n") {
			return "const " + g.ident() + " = `" + v + "`"
		}
		return "\t" + camel(k.Name) + " := \"" + v + "\""
	})
	return d.write()
}

func (g *generator) pyFile(i int) error {
	d := g.newDoc(fmt.Sprintf("%s/%s_%d.py", g.dirName(i), g.pick(words), i))
	g.body(d, pyTmpl, func(k gen.Kind, v string) string {
		if strings.Contains(v, "\n") {
			return strings.ToUpper(k.Name) + ` = """` + v + `"""`
		}
		return strings.ToUpper(k.Name) + " = '" + v + "'"
	})
	return d.write()
}

func (g *generator) yamlFile(i int) error {
	d := g.newDoc(fmt.Sprintf("%s/%s-%d.yaml", g.dirName(i), g.pick(words), i))
	g.body(d, yamlTmpl, func(k gen.Kind, v string) string {
		if strings.Contains(v, "\n") {
			return "  " + k.Name + ": |\n    " + strings.ReplaceAll(v, "\n", "\n    ")
		}
		return "  " + k.Name + ": \"" + v + "\""
	})
	return d.write()
}

func (g *generator) jsonFile(i int) error {
	d := g.newDoc(fmt.Sprintf("%s/%s.%d.json", g.dirName(i), g.pick(words), i))
	d.add("{")
	g.body(d, jsonTmpl, func(k gen.Kind, v string) string {
		return `  "` + camel(k.Name) + `": "` + strings.ReplaceAll(v, "\n", `\n`) + `",`
	})
	d.add(`  "end": true`)
	d.add("}")
	return d.write()
}

func (g *generator) envFile(i int) error {
	d := g.newDoc(fmt.Sprintf("%s/%d.env", g.dirName(i), i))
	g.body(d, envTmpl, func(k gen.Kind, v string) string {
		return strings.ToUpper(k.Name) + "=\"" + strings.ReplaceAll(v, "\n", `\n`) + "\""
	})
	return d.write()
}

func (g *generator) xmlFile(i int) error {
	d := g.newDoc(fmt.Sprintf("%s/%s%d.xml", g.dirName(i), g.pick(words), i))
	d.add(`<?xml version="1.0"?>`)
	d.add("<config>")
	g.body(d, xmlTmpl, func(k gen.Kind, v string) string {
		n := camel(k.Name)
		return "  <" + n + ">" + v + "</" + n + ">"
	})
	d.add("</config>")
	return d.write()
}

func (g *generator) mdFile(i int) error {
	d := g.newDoc(fmt.Sprintf("docs/%s-%d.md", g.pick(words), i))
	g.fill(d, 20+g.r.IntN(40), mdTmpl)
	for k := 0; k < 3+g.r.IntN(5); k++ {
		d.decoy(g.decoy())
		g.fill(d, 5+g.r.IntN(20), mdTmpl)
	}
	return d.write()
}

func (g *generator) logFile(i int) error {
	d := g.newDoc(fmt.Sprintf("logs/%s-%d.log", g.pick(words), i))
	g.body(d, logTmpl, func(k gen.Kind, v string) string {
		return "2026-11-26T10:00:00Z INFO connecting with " + k.Name + "=" + strings.ReplaceAll(v, "\n", `\n`)
	})
	return d.write()
}

// k8sFile writes a Kubernetes Secret whose values are base64-encoded.
func (g *generator) k8sFile(i int) error {
	d := g.newDoc(fmt.Sprintf("deploy/%s-secret-%d.yaml", g.pick(words), i))
	g.fill(d, 10, yamlTmpl)
	d.add("---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: " + g.pick(words) + "\ntype: Opaque\ndata:")
	for k := 0; k < 2+g.r.IntN(4); k++ {
		kd := encodable[g.r.IntN(len(encodable))]
		v := kd.Gen(g.r)
		d.plant(kd.Rule, "  "+kd.Name+": "+base64.StdEncoding.EncodeToString([]byte(v)), true)
		d.add("  replicas: " + base64.StdEncoding.EncodeToString([]byte(fmt.Sprint(g.r.IntN(9)))))
		d.decoy("  ca.crt: " + base64.StdEncoding.EncodeToString([]byte(gen.Str(g.r, "\x00\x01\x02\xfe\xff\x80abc", 600))))
	}
	return d.write()
}

var encodable = func() []gen.Kind {
	var out []gen.Kind
	for _, k := range gen.Kinds {
		if !strings.HasPrefix(k.Rule, "generic") && k.Rule != "aws-secret-access-key" && k.Rule != "azure-storage-account-key" && k.Rule != "database-uri-password" {
			out = append(out, k)
		}
	}
	return out
}()

// bundleFile writes a minified JavaScript bundle: a few megabyte-long lines,
// each with at most one planted secret.
func (g *generator) bundleFile(i int) error {
	d := g.newDoc(fmt.Sprintf("web/dist/app.%d.min.js", i))
	for l := 0; l < 3; l++ {
		var sb strings.Builder
		for sb.Len() < 400<<10 {
			fmt.Fprintf(&sb, "var %s=function(e,t){return e.%s(t,%d)};", g.ident(), g.pick(words), g.r.IntN(1000))
			if g.r.IntN(50) == 0 {
				fmt.Fprintf(&sb, `fetch("/api/%s",{headers:{"x-request-id":"%s"}});`, g.pick(words), uuid(g.r))
			}
		}
		if l != 1 {
			k := gen.Kinds[[]int{3, 13, 11, 17}[g.r.IntN(4)]]
			sb.WriteString(`var cfg={` + camel(k.Name) + `:"` + k.Gen(g.r) + `"};`)
			d.plant(k.Rule, sb.String(), false)
		} else {
			d.add(sb.String())
		}
	}
	return d.write()
}

func (g *generator) pemFile(i int) error {
	d := g.newDoc(fmt.Sprintf("keys/%s_%d.pem", g.pick(words), i))
	if i%2 == 0 {
		d.plant("private-key", gen.PEM(g.r, g.pick([]string{"RSA", "EC", "OPENSSH", ""}), 10+g.r.IntN(20)), false)
	} else {
		pub := "-----BEGIN PUBLIC KEY-----\n"
		for k := 0; k < 6; k++ {
			pub += gen.Str(g.r, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 64) + "\n"
		}
		d.decoy(pub + "-----END PUBLIC KEY-----")
	}
	return d.write()
}

func (g *generator) binaryFile(i int) error {
	p := filepath.Join(g.dir, "assets", fmt.Sprintf("img%d.png", i))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	w.WriteString("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	n := 20000 + g.r.IntN(60000)
	for k := 0; k < n; k++ {
		w.WriteByte(byte(g.r.IntN(256)))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	g.m.Files++
	g.m.Bytes += int64(n + 16)
	return f.Close()
}

func camel(s string) string {
	parts := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == '_' || r == '-' })
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.Title(parts[i]) //nolint:staticcheck // ASCII words only
	}
	return strings.Join(parts, "")
}

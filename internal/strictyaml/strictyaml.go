package strictyaml

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/soakkit/soakkit/internal/configfile"

	"go.yaml.in/yaml/v3"
)

// An Error reports one problem in a configuration file.
type Error struct {
	File  string
	Line  int    // 1-based; 0 when unknown
	Field string // dotted path such as "soak.heartbeat" or "plan.steps[1].run"; may be empty
	Err   error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ReadFile reads and decodes the file at path into v.
func ReadFile(path string, v any) error {
	data, err := configfile.Read(path, configfile.MaxConfig)
	if err != nil {
		return err
	}
	return Decode(path, data, v)
}

// Decode decodes data, read from file (used only in messages), into v. An
// empty document leaves v unchanged. The returned error, if any, is an
// *Error or, for several problems, an errors.Join of them in line order.
func Decode(file string, data []byte, v any) error {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return syntaxError(file, err)
	}
	if root.Kind == 0 || (root.Kind == yaml.DocumentNode && len(root.Content) == 0) {
		return nil
	}
	paths := map[int]string{}
	walk(&root, "", paths)

	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(v)
	if err == nil || errors.Is(err, io.EOF) {
		if err := dec.Decode(new(yaml.Node)); err == nil {
			return &Error{File: file, Err: errors.New("more than one YAML document; only one is allowed")}
		}
		return nil
	}
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		// A custom unmarshaler (UnmarshalText, UnmarshalYAML) failed; yaml
		// reports that without a position, so find the node that fails.
		if line, field, lerr := locate(&root, reflect.TypeOf(v), ""); lerr != nil {
			return &Error{File: file, Line: line, Field: field, Err: lerr}
		}
		return syntaxError(file, err)
	}
	var errs []error
	for _, msg := range te.Errors {
		line, text := splitLine(msg)
		text = unknownField.ReplaceAllString(text, "unknown field")
		errs = append(errs, &Error{File: file, Line: line, Field: paths[line], Err: errors.New(text)})
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].(*Error).Line < errs[j].(*Error).Line })
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// Lines returns, for a YAML document, the line of every key and sequence
// item by dotted path ("plan.steps[1].timeout"), so that checks made after
// decoding can still name a line. It returns nil if data does not parse.
func Lines(data []byte) map[string]int {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil {
		return nil
	}
	out := map[string]int{}
	var visit func(n *yaml.Node, path string)
	visit = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				visit(c, path)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				p := k.Value
				if path != "" {
					p = path + "." + p
				}
				out[p] = k.Line
				visit(n.Content[i+1], p)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				p := fmt.Sprintf("%s[%d]", path, i)
				out[p] = c.Line
				visit(c, p)
			}
		}
	}
	visit(&root, "")
	return out
}

var (
	lineRe       = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownField = regexp.MustCompile(`^field (\S+) not found in type .*$`)
)

func splitLine(msg string) (int, string) {
	if m := lineRe.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, m[2]
	}
	return 0, msg
}

func syntaxError(file string, err error) error {
	line, text := splitLine(err.Error())
	return &Error{File: file, Line: line, Err: errors.New(strings.TrimPrefix(text, "yaml: "))}
}

var (
	unmarshalerType     = reflect.TypeFor[yaml.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// locate finds the first node under n that fails to decode into the type
// at the same place in t, and returns its line, dotted path and error.
func locate(n *yaml.Node, t reflect.Type, path string) (int, string, error) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return 0, "", nil
	}
	if n.Kind == yaml.DocumentNode {
		for _, c := range n.Content {
			if line, p, err := locate(c, t, path); err != nil {
				return line, p, err
			}
		}
		return 0, "", nil
	}
	pt := reflect.PointerTo(t)
	if n.Kind == yaml.ScalarNode || pt.Implements(unmarshalerType) || pt.Implements(textUnmarshalerType) {
		if err := n.Decode(reflect.New(t).Interface()); err != nil {
			var te *yaml.TypeError
			if errors.As(err, &te) {
				return 0, "", nil // reported with a line by the main pass
			}
			return n.Line, path, err
		}
		return 0, "", nil
	}
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	switch {
	case n.Kind == yaml.MappingNode && t.Kind() == reflect.Struct:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if ft, ok := fieldType(t, k.Value); ok {
				if line, p, err := locate(val, ft, join(k.Value)); err != nil {
					return line, p, err
				}
			}
		}
	case n.Kind == yaml.MappingNode && t.Kind() == reflect.Map:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if line, p, err := locate(n.Content[i+1], t.Elem(), join(n.Content[i].Value)); err != nil {
				return line, p, err
			}
		}
	case n.Kind == yaml.SequenceNode && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
		for i, c := range n.Content {
			if line, p, err := locate(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return line, p, err
			}
		}
	}
	return 0, "", nil
}

// fieldType returns the type of the field of struct t that YAML key k
// decodes into, following inlined structs.
func fieldType(t reflect.Type, k string) (reflect.Type, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if got, ok := fieldType(ft, k); ok {
					return got, true
				}
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		if name == k {
			return f.Type, true
		}
	}
	return nil, false
}

// walk records, for each line that holds a key or a sequence item, the
// dotted path of the value there. Later (deeper) entries win.
func walk(n *yaml.Node, path string, paths map[int]string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			walk(c, path, paths)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			paths[k.Line] = p
			if val.Line != k.Line {
				paths[val.Line] = p
			}
			walk(val, p, paths)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			if _, ok := paths[c.Line]; !ok || c.Kind == yaml.ScalarNode {
				paths[c.Line] = p
			}
			walk(c, p, paths)
		}
	case yaml.AliasNode:
		// Aliases point elsewhere; their lines are recorded there.
	}
}

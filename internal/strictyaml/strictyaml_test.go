package strictyaml

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type step struct {
	Name    string        `yaml:"name"`
	Run     []string      `yaml:"run"`
	Timeout time.Duration `yaml:"timeout"`
}

// size is a custom scalar whose UnmarshalText rejects what is not "small" or "big".
type size string

func (s *size) UnmarshalText(b []byte) error {
	if string(b) != "small" && string(b) != "big" {
		return errors.New("size must be small or big")
	}
	*s = size(b)
	return nil
}

type conf struct {
	Sizes []size `yaml:"sizes"`
	Plan  struct {
		Steps []step `yaml:"steps"`
	} `yaml:"plan"`
	Soak struct {
		Heartbeat  time.Duration `yaml:"heartbeat"`
		Iterations int           `yaml:"iterations"`
	} `yaml:"soak"`
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		give string
		want []string // "line field" of each error
	}{
		{"ok", "plan:\n  steps:\n    - name: a\n      run: [go, vet]\n      timeout: 5m\n", nil},
		{"empty", "", nil},
		{"unknown key", "soak:\n  hartbeat: 5s\n", []string{"2 soak.hartbeat unknown field"}},
		{"bad duration", "plan:\n  steps:\n    - name: a\n      timeout: 5x\n", []string{"4 plan.steps[0].timeout cannot unmarshal !!str `5x` into time.Duration"}},
		{"bare number duration", "soak:\n  heartbeat: 30\n", []string{"2 soak.heartbeat cannot unmarshal !!int `30` into time.Duration"}},
		{"wrong type", "soak:\n  iterations: many\n", []string{"2 soak.iterations cannot unmarshal !!str `many` into int"}},
		{"several", "soak:\n  iterations: x\n  nope: 1\n", []string{
			"2 soak.iterations cannot unmarshal !!str `x` into int",
			"3 soak.nope unknown field"}},
		{"syntax", "plan: [\n", []string{"1  did not find expected node content"}},
		{"two documents", "soak: {}\n---\nsoak: {}\n", []string{"0  more than one YAML document; only one is allowed"}},
		{"custom unmarshaler error has a line", "plan:\n  steps: []\nsizes:\n  - small\n  - huge\n", []string{"5 sizes[1] size must be small or big"}},
		{"json accepted", `{"soak": {"iterations": 3}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c conf
			err := Decode("soakkit.yaml", []byte(tt.give), &c)
			var got []string
			for _, e := range flatten(err) {
				var se *Error
				if !errors.As(e, &se) {
					t.Fatalf("error %v is %T, want *Error", e, e)
				}
				if !strings.HasPrefix(se.Error(), "soakkit.yaml:") {
					t.Errorf("message %q does not name the file", se.Error())
				}
				got = append(got, strings.TrimSpace(strings.Join([]string{strconv.Itoa(se.Line), se.Field, se.Err.Error()}, " ")))
			}
			want := tt.want
			for i := range want {
				want[i] = strings.TrimSpace(want[i])
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Decode(%q) errors (-want +got):\n%s", tt.give, diff)
			}
		})
	}
}

func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestErrorFormat(t *testing.T) {
	e := &Error{File: "a.yaml", Line: 3, Field: "soak.heartbeat", Err: errors.New("bad")}
	if got, want := e.Error(), "a.yaml:3: soak.heartbeat: bad"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add("plan:\n  steps:\n    - name: a\n      run: [x]\n")
	f.Add("soak: {heartbeat: 1s, iterations: 2}")
	f.Add("- a\n- b: [c")
	f.Fuzz(func(t *testing.T, s string) {
		var c conf
		err := Decode("f.yaml", []byte(s), &c)
		for _, e := range flatten(err) {
			var se *Error
			if !errors.As(e, &se) {
				t.Fatalf("Decode(%q) error %v is %T, want *Error", s, e, e)
			}
		}
	})
}

func TestLines(t *testing.T) {
	data := []byte("plan:\n  steps:\n    - name: a\n      run: [x]\n    - name: b\n      timeout: 5m\nsoak:\n  heartbeat: 1s\n")
	got := Lines(data)
	want := map[string]int{"plan": 1, "plan.steps": 2, "plan.steps[0]": 3, "plan.steps[0].name": 3, "plan.steps[0].run": 4,
		"plan.steps[1]": 5, "plan.steps[1].name": 5, "plan.steps[1].timeout": 6, "soak": 7, "soak.heartbeat": 8}
	for path, line := range want {
		if got[path] != line {
			t.Errorf("Lines()[%q] = %d, want %d", path, got[path], line)
		}
	}
}

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestValidateShard: validate --shard runs its shard's go_test packages,
// split as soak --shard splits them (sorted, round robin): of a, b, c and
// d, where b and d fail, shard 0/2 holds a and c and passes, shard 1/2
// holds b and d and fails, and the whole suite fails.
func TestValidateShard(t *testing.T) {
	skipWithoutGo(t)
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":       "module example.com/sharded\n\ngo 1.22\n",
		"soakkit.yaml": "plan:\n  timeout: 5m\n  steps:\n    - name: tests\n      go_test: [./...]\n",
	}
	for _, p := range []string{"a", "b", "c", "d"} {
		body := ""
		if p == "b" || p == "d" {
			body = `t.Fatal("package ` + p + ` fails")`
		}
		files[p+"/"+p+"_test.go"] = fmt.Sprintf("package %s\n\nimport \"testing\"\n\nfunc Test%s(t *testing.T) { %s }\n", p, strings.ToUpper(p), body)
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantTest []string // tests that ran, as report.json names them
	}{
		{"shard 0 of 2", []string{"--shard", "0/2"}, exitOK, []string{"TestA", "TestC"}},
		{"shard 1 of 2", []string{"--shard", "1/2"}, exitFailed, []string{"TestB", "TestD"}},
		{"whole suite", nil, exitFailed, []string{"TestA", "TestB", "TestC", "TestD"}},
		{"bad shard", []string{"--shard", "2/2"}, exitUsage, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			art := filepath.Join(t.TempDir(), "art")
			args := append([]string{"validate", "--config", filepath.Join(dir, "soakkit.yaml"), "--artifacts", art}, tt.args...)
			r := soakkit(t, dir, nil, args...)
			if r.code != tt.wantCode {
				t.Fatalf("soakkit %v: exit %d, want %d\nstdout: %s\nstderr: %s", tt.args, r.code, tt.wantCode, r.stdout, r.stderr)
			}
			if tt.wantTest == nil {
				if !strings.Contains(r.stderr, "--shard") {
					t.Errorf("soakkit %v: stderr does not name --shard: %s", tt.args, r.stderr)
				}
				return
			}
			data, err := os.ReadFile(filepath.Join(art, "report.json"))
			if err != nil {
				t.Fatal(err)
			}
			var rep struct {
				Sections []struct {
					Name  string `json:"name"`
					Tests []struct {
						Test string `json:"test"`
					} `json:"tests"`
				} `json:"sections"`
			}
			if err := json.Unmarshal(data, &rep); err != nil {
				t.Fatalf("report.json: %v", err)
			}
			var ran []string
			for _, s := range rep.Sections {
				for _, tc := range s.Tests {
					if tc.Test != "" { // "" is the package's own result
						ran = append(ran, tc.Test)
					}
				}
			}
			slices.Sort(ran) // in the order the packages finished
			if strings.Join(ran, " ") != strings.Join(tt.wantTest, " ") {
				t.Errorf("soakkit %v ran %v, want %v\nreport.json: %s", tt.args, ran, tt.wantTest, data)
			}
		})
	}
}

package step_test

import (
	"errors"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/step"
)

func TestParseShard(t *testing.T) {
	tests := []struct {
		give    string
		want    step.Shard
		wantErr bool
	}{
		{give: "", want: step.Shard{}},
		{give: "0/4", want: step.Shard{Index: 0, Total: 4}},
		{give: " 3/4 ", want: step.Shard{Index: 3, Total: 4}},
		{give: "0/1", want: step.Shard{Index: 0, Total: 1}},
		{give: "4/4", wantErr: true},
		{give: "-1/4", wantErr: true},
		{give: "1/0", wantErr: true},
		{give: "1", wantErr: true},
		{give: "a/b", wantErr: true},
	}
	for _, tt := range tests {
		got, err := step.ParseShard(tt.give)
		if tt.wantErr {
			if !errors.Is(err, step.ErrBadShard) {
				t.Errorf("ParseShard(%q) error = %v, want ErrBadShard", tt.give, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseShard(%q) = %+v, %v, want %+v", tt.give, got, err, tt.want)
		}
		if s := got.String(); !got.Whole() && s != tt.want.String() {
			t.Errorf("String() = %q", s)
		}
	}
}

// TestShardSelect: N shards of the same list, in any order, are disjoint
// and cover it, and differ in size by at most one.
func TestShardSelect(t *testing.T) {
	pkgs := []string{"m/e", "m/a", "m/d", "m/b", "m/c", "m/a"}
	for total := 1; total <= 7; total++ {
		var all []string
		sizes := map[int]bool{}
		for i := range total {
			sh := step.Shard{Index: i, Total: total}
			got := sh.Select(pkgs)
			rev := slices.Clone(pkgs)
			slices.Reverse(rev)
			if diff := cmp.Diff(got, sh.Select(rev)); diff != "" {
				t.Errorf("shard %s depends on the order of the list:\n%s", sh, diff)
			}
			all = append(all, got...)
			sizes[len(got)] = true
		}
		slices.Sort(all)
		if diff := cmp.Diff([]string{"m/a", "m/b", "m/c", "m/d", "m/e"}, all); diff != "" {
			t.Errorf("%d shards cover (-want +got):\n%s", total, diff)
		}
		if len(sizes) > 2 {
			t.Errorf("%d shards have sizes %v", total, sizes)
		}
	}
	if got := (step.Shard{Index: 1, Total: 2}).Env(); !slices.Contains(got, "SOAKKIT_SHARD=1/2") || !slices.Contains(got, "SOAKKIT_SHARD_INDEX=1") {
		t.Errorf("Env() = %q", got)
	}
}

// TestGoTestShard: shards of a module's packages run disjoint parts that
// cover it; a shard that gets no package is skipped.
func TestGoTestShard(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir, _ := filepath.Abs("testdata/shardmod")
	run := func(sh step.Shard) step.Result {
		g := step.GoTest{Name: "unit", Dir: dir, Flags: []string{"-count=1"}, Env: []string{"GOFLAGS=-mod=mod"},
			Timeout: 5 * time.Minute, Shard: sh}
		return g.Run(t.Context(), step.Runtime{LogDir: t.TempDir()})
	}
	tests := []struct {
		shard step.Shard
		want  []string // tests run
	}{
		{step.Shard{Index: 0, Total: 2}, []string{"TestA", "TestC"}},
		{step.Shard{Index: 1, Total: 2}, []string{"TestB"}},
		{step.Shard{}, []string{"TestA", "TestB", "TestC"}},
	}
	for _, tt := range tests {
		r := run(tt.shard)
		if r.Status != step.Passed {
			t.Fatalf("shard %q: status %q: %s\n%s", tt.shard, r.Status, r.Details, r.Tail)
		}
		var got []string
		for _, tr := range r.Tests {
			if tr.Test != "" {
				got = append(got, tr.Test)
			}
		}
		slices.Sort(got)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("shard %q ran (-want +got):\n%s", tt.shard, diff)
		}
	}
	if r := run(step.Shard{Index: 3, Total: 4}); r.Status != step.Skipped || !r.OK {
		t.Errorf("shard 3/4 of 3 packages: status %q (%s), want skipped", r.Status, r.Details)
	}
}

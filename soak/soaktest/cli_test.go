package soaktest

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/internal/winetest"
	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// artifactSet returns the files of the artifacts tree at root, slash paths
// relative to it, and fails unless its manifest lists every one of them but
// itself.
func artifactSet(t *testing.T, root string) []string {
	t.Helper()
	l := artifact.Layout{Root: root}
	var files []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(root, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(files)
	var m artifact.Manifest
	if err := canonjson.Read(l.Manifest(), &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if err := m.Verify(root); err != nil {
		t.Errorf("manifest of %s does not verify: %v", root, err)
	}
	var listed []string
	for _, f := range m.Files {
		listed = append(listed, f.Path)
	}
	want := slices.DeleteFunc(slices.Clone(files), func(f string) bool { return f == "soak/manifest.json" })
	if diff := cmp.Diff(want, listed); diff != "" {
		t.Errorf("manifest of %s does not cover the tree (-files +listed):\n%s", root, diff)
	}
	return files
}

// soaktest and the soakkit command close a soak of the same plan with the
// same files, all covered by the manifest.
func TestSameArtifactsAsCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the soakkit command")
	}
	winetest.Skip(t, "builds soakkit and soaks go env; no Windows Go toolchain inside Wine")
	bin := filepath.Join(t.TempDir(), "soakkit")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/soakkit/soakkit/cmd/soakkit").CombinedOutput(); err != nil {
		t.Fatalf("build soakkit: %v\n%s", err, out)
	}
	argv := []string{"go", "env", "GOOS"}

	cliDir := filepath.Join(t.TempDir(), "cli")
	cmd := exec.CommandContext(t.Context(), bin, append([]string{"soak", "--iterations", "2", "--duration", "5m",
		"--heartbeat", "10ms", "--artifacts", cliDir, "--"}, argv...)...)
	cmd.Env = append(os.Environ(), "CI=true", "GITHUB_ACTIONS=", "GITHUB_STEP_SUMMARY=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soakkit soak: %v\n%s", err, out)
	}

	libDir := filepath.Join(t.TempDir(), "lib")
	ft := &fakeT{}
	cfg := soak.Config{Count: 2}
	it := &soak.Iteration{Sections: soak.Sections(step.Command{Name: "go", Argv: argv}.Step())}
	s := Run(ft, it, withShort(func() bool { return false }), withEnv(envOf(nil)), WithDuration(5*time.Minute),
		WithArtifacts(libDir), WithConfig(cfg), WithSoakOptions(soak.WithHeartbeat(10*time.Millisecond)))
	if s == nil || len(ft.errs) > 0 {
		t.Fatalf("Run() = %v, errors %q", s, ft.errs)
	}

	if diff := cmp.Diff(artifactSet(t, cliDir), artifactSet(t, libDir)); diff != "" {
		t.Errorf("artifact files (-soakkit soak +soaktest):\n%s", diff)
	}
}

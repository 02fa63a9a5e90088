package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/summary"
)

// build builds the package at path into dir and returns the executable.
func build(t *testing.T, dir, name, path string) string {
	t.Helper()
	bin := filepath.Join(dir, name)
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if out, err := exec.Command("go", "build", "-o", bin, path).CombinedOutput(); err != nil {
		t.Fatalf("build %s: %v\n%s", path, err, out)
	}
	return bin
}

// artifactSet returns the files of the artifacts tree at root, slash paths
// relative to it, and fails unless its manifest lists every one of them but
// itself.
func artifactSet(t *testing.T, root string) []string {
	t.Helper()
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
	if err := readJSON(artifact.Layout{Root: root}.Manifest(), &m); err != nil {
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

func exitCode(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	if ee != nil {
		return ee.ExitCode()
	}
	return 0
}

// The embedding program closes its soak as the soakkit command does: the
// same files, all covered by the manifest.
func TestSameArtifactsAsCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs two programs")
	}
	bins := t.TempDir()
	embed := build(t, bins, "embed", ".")
	soakkit := build(t, bins, "soakkit", "github.com/soakkit/soakkit/cmd/soakkit")
	argv := []string{"go", "env", "GOOS"}

	lib := filepath.Join(t.TempDir(), "embed")
	if out, err := exec.CommandContext(t.Context(), embed, append([]string{"-iterations", "2", "-duration", "5m", "-artifacts", lib, "--"}, argv...)...).CombinedOutput(); err != nil {
		t.Fatalf("embed: %v\n%s", err, out)
	}
	cli := filepath.Join(t.TempDir(), "cli")
	cmd := exec.CommandContext(t.Context(), soakkit, append([]string{"soak", "--iterations", "2", "--duration", "5m", "--heartbeat", "1s", "--artifacts", cli, "--"}, argv...)...)
	cmd.Env = append(os.Environ(), "CI=true", "GITHUB_ACTIONS=", "GITHUB_STEP_SUMMARY=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soakkit soak: %v\n%s", err, out)
	}
	if diff := cmp.Diff(artifactSet(t, cli), artifactSet(t, lib)); diff != "" {
		t.Errorf("artifact files (-soakkit soak +embed):\n%s", diff)
	}
}

// Ctrl+C ends the embedding program with status 130 and a summary that
// says the soak was stopped, never a pass.
func TestInterrupt(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("os.Interrupt cannot be sent to a process on Windows")
	}
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	embed := build(t, t.TempDir(), "embed", ".")
	dir := filepath.Join(t.TempDir(), "art")
	cmd := exec.Command(embed, "-duration", "1h", "-artifacts", dir, "--", "go", "env", "GOOS")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })

	// Interrupt once the first iteration is recorded.
	l := artifact.Layout{Root: dir}
	deadline := time.Now().Add(2 * time.Minute)
	for !hasRecord(l.Iterations()) {
		select {
		case err := <-done:
			t.Fatalf("embed ended before its first iteration: %v\n%s", err, out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no iteration recorded in 2m\n%s", out.String())
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatalf("embed did not end within 2m of os.Interrupt\n%s", out.String())
	}
	if code := exitCode(t, err); code != summary.ExitSignal {
		t.Errorf("embed after os.Interrupt: exit %d, want %d\n%s", code, summary.ExitSignal, out.String())
	}
	var s summary.Summary
	if err := readJSON(l.Summary(), &s); err != nil {
		t.Fatal(err)
	}
	if s.Verdict.Status != summary.Stopped || s.Verdict.ExitCode != summary.ExitSignal {
		t.Errorf("summary.json after os.Interrupt: %s, exit code %d (%s); want stopped, %d", s.Verdict.Status, s.Verdict.ExitCode, s.Verdict.Reason, summary.ExitSignal)
	}
	artifactSet(t, dir)
}

// readJSON decodes the JSON file at path into v.
func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// hasRecord reports whether the JSON Lines file at path has a complete line.
func hasRecord(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	_, err = bufio.NewReader(f).ReadString('\n')
	return err == nil
}

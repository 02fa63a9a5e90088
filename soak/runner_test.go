package soak

import (
	"context"
	"errors"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

func TestDetectRunner(t *testing.T) {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "local"
	}
	tests := []struct {
		name string
		give map[string]string
		want string
	}{
		{"github", map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_JOB": "soak", "RUNNER_NAME": "GitHub Actions 12"}, "soak/GitHub Actions 12"},
		{"github-matrix", map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_JOB": "soak", "SOAKKIT_MATRIX": "windows-2", "RUNNER_NAME": "r1"}, "soak/windows-2/r1"},
		{"indexed-job", map[string]string{"KUBERNETES_SERVICE_HOST": "10.0.0.1", "HOSTNAME": "soak-3-x7k2p", "JOB_COMPLETION_INDEX": "3"}, "soak-3"},
		{"pod", map[string]string{"KUBERNETES_SERVICE_HOST": "10.0.0.1", "HOSTNAME": "soak-7d9f-abcde"}, "soak-7d9f-abcde"},
		{"pod-other-name", map[string]string{"KUBERNETES_SERVICE_HOST": "10.0.0.1", "HOSTNAME": "runner", "JOB_COMPLETION_INDEX": "1"}, "runner-1"},
		{"control-chars", map[string]string{"GITHUB_ACTIONS": "true", "RUNNER_NAME": "a\nb\x00c"}, "abc"},
		{"host", map[string]string{"HOSTNAME": "ignored-outside-kubernetes"}, host},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DetectRunner(func(k string) string { return tt.give[k] }); got != tt.want {
				t.Errorf("DetectRunner(%v) = %q, want %q", tt.give, got, tt.want)
			}
		})
	}
}

func TestRunnerValidate(t *testing.T) {
	for _, name := range []string{"a\tb", " x", string(make([]byte, 200))} {
		cfg := Config{Count: 1, Runner: name}
		var ce *ConfigError
		if err := cfg.Validate(true); !errors.As(err, &ce) || ce.Field != "runner" {
			t.Errorf("Validate(runner %q) = %v, want a runner ConfigError", name, err)
		}
	}
	cfg := Config{Count: 1, Shard: step.Shard{Index: 4, Total: 4}}
	if err := cfg.Validate(true); !errors.Is(err, step.ErrBadShard) {
		t.Errorf("Validate(shard 4/4) = %v, want ErrBadShard", err)
	}
}

// TestRunnerRecorded: the runner and shard are recorded in state.json, the
// environment snapshot and the state's config; a resume without a name
// keeps the recorded one, and one with another name is refused.
func TestRunnerRecorded(t *testing.T) {
	root := t.TempDir()
	ctx, cancel := context.WithCancelCause(t.Context())
	var stopped atomic.Bool
	it := &Iteration{Sections: Sections(step.Func("stop", func(context.Context) error {
		if !stopped.Swap(true) {
			cancel(errors.New("interrupt"))
		}
		return nil
	}))}
	cfg := Config{Count: 3, ArtifactsDir: root, Runner: "linux-2", Shard: step.Shard{Index: 1, Total: 3}}
	s, err := New(cfg, it, WithHeartbeat(0), WithEnvSnapshot(probe.EnvOptions{Environ: []string{}, Timeout: time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(ctx); err == nil {
		t.Fatal("interrupted Run returned no error")
	}
	l := s.Layout()
	want := &artifact.Runner{Name: "linux-2", OS: runtime.GOOS, Arch: runtime.GOARCH, Shard: "1/3"}
	st, err := artifact.ReadState(l.State())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, st.Runner); diff != "" {
		t.Errorf("state.json runner (-want +got):\n%s", diff)
	}
	var env probe.Env
	if err := canonjson.Read(l.Env(), &env); err != nil {
		t.Fatal(err)
	}
	if env.Runner != "linux-2" {
		t.Errorf("env.json runner %q, want linux-2", env.Runner)
	}

	other := cfg
	other.Runner = "mac-1"
	if _, err := newSoak(t, other, it, WithHeartbeat(0)).Resume(t.Context()); !errors.Is(err, ErrSettingsChanged) {
		t.Errorf("Resume with another runner: %v, want ErrSettingsChanged", err)
	}
	keep := cfg
	keep.Runner = ""
	if _, err := newSoak(t, keep, it, WithHeartbeat(0)).Resume(t.Context()); err != nil {
		t.Fatalf("Resume without a runner name: %v", err)
	}
	st, err = artifact.ReadState(l.State())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, st.Runner); diff != "" {
		t.Errorf("state.json runner after resume (-want +got):\n%s", diff)
	}
}

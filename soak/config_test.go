package soak

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/soakkit/soakkit/soak/artifact"
	"go.yaml.in/yaml/v3"
)

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		give    string
		want    ByteSize
		wantErr bool
	}{
		{give: "1048576", want: 1 << 20},
		{give: "1MiB", want: 1 << 20},
		{give: "1.5 GiB", want: 3 << 29},
		{give: "500MB", want: 500e6},
		{give: "64KiB", want: 64 << 10},
		{give: "12B", want: 12},
		{give: "", wantErr: true},
		{give: "MiB", wantErr: true},
		{give: "-1MiB", wantErr: true},
		{give: "lots", wantErr: true},
		{give: "NaN", wantErr: true},
		{give: "NaNMiB", wantErr: true},
		{give: "InfGiB", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseByteSize(tt.give)
		if tt.wantErr {
			if !errors.Is(err, ErrBadByteSize) {
				t.Errorf("ParseByteSize(%q) error = %v, want ErrBadByteSize", tt.give, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", tt.give, got, err, tt.want)
		}
	}
}

// TestConfigDecode: the YAML and JSON a config file would hold map onto
// Config with snake_case names, and bad durations are errors.
func TestConfigDecode(t *testing.T) {
	const y = `
duration: 72h
iteration_timeout: 20m
keep_going: true
max_failures: 3
sample_interval: 10s
max_bytes: 900MiB
keep_logs: 5
service:
  argv: [./server, --port, "8080"]
  ready: {tcp: "127.0.0.1:8080", log_line: "^listening"}
  start_timeout: 90s
`
	var got Config
	if err := yaml.Unmarshal([]byte(y), &got); err != nil {
		t.Fatal(err)
	}
	want := Config{
		Duration: artifact.Duration(72 * time.Hour), IterationTimeout: artifact.Duration(20 * time.Minute), KeepGoing: true, MaxFailures: 3,
		SampleInterval: artifact.Duration(10 * time.Second), MaxBytes: 900 << 20, KeepLogs: 5,
		Service: &Service{Argv: []string{"./server", "--port", "8080"}, Ready: Ready{TCP: "127.0.0.1:8080", LogLine: "^listening"},
			StartTimeout: artifact.Duration(90 * time.Second)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("YAML decode (-want +got):\n%s", diff)
	}
	if err := got.Validate(true); err != nil {
		t.Errorf("Validate: %v", err)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var back Config
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
	if err := yaml.Unmarshal([]byte("duration: 24\n"), &got); !errors.Is(err, artifact.ErrBadDuration) {
		t.Errorf("duration: 24 decoded with error %v, want artifact.ErrBadDuration", err)
	}
}

func TestConfigValidate(t *testing.T) {
	svc := &Service{Argv: []string{"srv"}}
	tests := []struct {
		name       string
		give       Config
		planned    bool
		wantFields []string
	}{
		{"count only", Config{Count: 3}, true, nil},
		{"nothing to stop on", Config{}, true, []string{"duration"}},
		{"watch needs duration", Config{Service: svc}, false, []string{"duration"}},
		{"watch needs both", Config{}, false, []string{"service", "duration"}},
		{"watch needs service", Config{Duration: artifact.Duration(time.Hour)}, false, []string{"service"}},
		{"max failures without keep going", Config{Count: 1, MaxFailures: 2}, true, []string{"max_failures"}},
		{"negatives", Config{Count: -1, KeepLogs: -1, IterationTimeout: -1}, true, []string{"count", "iteration_timeout", "keep_logs"}},
		{"tiny cap", Config{Count: 1, MaxBytes: 10}, true, []string{"max_bytes"}},
		{"bad service", Config{Count: 1, Service: &Service{Ready: Ready{TCP: "nope", HTTP: "ftp://x", LogLine: "("}, Env: []string{"NOEQ"}}},
			true, []string{"service.argv", "service.ready.tcp", "service.ready.http", "service.ready.log_line", "service.env[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.give.Validate(tt.planned)
			var fields []string
			if err != nil {
				for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
					var ce *ConfigError
					if !errors.As(e, &ce) {
						t.Fatalf("error %v is not a *ConfigError", e)
					}
					fields = append(fields, ce.Field)
				}
			}
			if diff := cmp.Diff(tt.wantFields, fields); diff != "" {
				t.Errorf("Validate fields (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNewReportsEachFieldOnce: New with an empty Config and no plan names
// each missing field once.
func TestNewReportsEachFieldOnce(t *testing.T) {
	_, err := New(Config{}, nil)
	if err == nil {
		t.Fatal("New(Config{}, nil) = nil error, want the missing fields")
	}
	count := map[string]int{}
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ce *ConfigError
		if !errors.As(e, &ce) {
			t.Fatalf("error %v is not a *ConfigError", e)
		}
		count[ce.Field]++
	}
	if diff := cmp.Diff(map[string]int{"duration": 1, "service": 1}, count); diff != "" {
		t.Errorf("New(Config{}, nil) fields reported (-want +got):\n%s\nerror: %v", diff, err)
	}
}

// TestNewRejectsNegativeHeartbeat: a bad duration is an error, never
// silently replaced.
func TestNewRejectsNegativeHeartbeat(t *testing.T) {
	it := &Iteration{Sections: Sections(sleepStep("x", 0))}
	_, err := New(Config{Count: 1, ArtifactsDir: t.TempDir()}, it, WithHeartbeat(-time.Second))
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Field != "heartbeat" || !errors.Is(err, artifact.ErrBadDuration) {
		t.Errorf("New with a negative heartbeat: error %v, want a heartbeat ConfigError wrapping artifact.ErrBadDuration", err)
	}
	if _, err := New(Config{Count: 1, ArtifactsDir: t.TempDir()}, it, WithHeartbeat(0)); err != nil {
		t.Errorf("New with a zero heartbeat: %v", err)
	}
}

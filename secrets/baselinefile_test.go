package secrets

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteBaselineRoundTrip writes the baseline of a scan and scans again
// with it: every finding is accepted, and the file holds no secret.
func TestWriteBaselineRoundTrip(t *testing.T) {
	dir := t.TempDir()
	key := "AKIA" + "IOSFODNN7EXAMPLQ"
	os.WriteFile(filepath.Join(dir, "a.env"), []byte("AWS_ACCESS_KEY_ID="+key+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("x\ntoken = "+key+"\n"), 0o644)
	rep, err := (&Scanner{}).Scan(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if real, _, _ := rep.Counts(); real == 0 {
		t.Fatalf("scan found nothing to baseline: %+v", rep.Findings)
	}
	var buf bytes.Buffer
	n, err := rep.WriteBaseline(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(rep.Findings) {
		t.Errorf("WriteBaseline wrote %d fingerprints for %d findings", n, len(rep.Findings))
	}
	if strings.Contains(buf.String(), key) || strings.Contains(buf.String(), "AKIA") {
		t.Errorf("baseline holds the secret or its match:\n%s", buf.String())
	}
	b, err := ParseBaseline("baseline", buf.Bytes())
	if err != nil {
		t.Fatalf("ParseBaseline of the written baseline: %v\n%s", err, buf.String())
	}
	if len(b) != n {
		t.Errorf("ParseBaseline read %d fingerprints, want %d", len(b), n)
	}
	again, err := (&Scanner{Baseline: b}).Scan(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Result(); got != Clean {
		t.Errorf("scan with the written baseline: %s, want %s", got, Clean)
	}
}

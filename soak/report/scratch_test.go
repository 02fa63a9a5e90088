package report

import (
	"os"
	"testing"
)

func TestScratch(t *testing.T) {
	dir := synthDir(t, leakySoak())
	if err := WriteFile(dir, nil); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(Path(dir))
	os.WriteFile("/tmp/report_scratch.html", b, 0o644)
	t.Logf("%d bytes", len(b))
}

package report

import (
	"io"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/benchtest"
	"github.com/soakkit/soakkit/probe"
)

// countingWriter counts the bytes of the page.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countingWriter)(nil)

// BenchmarkRender72h renders the report of a 72-hour soak whose service was
// sampled at 1 Hz (259,200 samples, plus 51,840 of the soak's own process)
// with an iteration every 5 minutes (864). It reports the page's size and
// the time one render takes, reading the artifacts and computing their
// summary included.
func BenchmarkRender72h(b *testing.B) {
	s := synth{
		start: synthStart, length: 72 * time.Hour, interval: time.Second, iteration: 5 * time.Minute,
		leakPerHour: 2 * probe.MiB, failEvery: 97, timeoutAt: 500,
	}
	benchRender(b, synthDir(b, s))
}

// benchRender renders the report of the artifacts in dir in b's loop and
// reports the page's size, s/render and cpu-s/render: CPU time too, since on
// a busy machine the wall time says more about the neighbours than about
// the render.
func benchRender(b *testing.B, dir string) {
	b.ReportAllocs()
	var w countingWriter
	start, cpu := time.Now(), benchtest.CPUTime()
	for b.Loop() {
		w = countingWriter{}
		if err := Render(dir, &w, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(w.n), "page-bytes")
	b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "s/render")
	if used := benchtest.CPUTime() - cpu; used > 0 {
		b.ReportMetric(used.Seconds()/float64(b.N), "cpu-s/render")
	}
}

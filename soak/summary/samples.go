package summary

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/soakkit/soakkit/probe"
)

// targetTrack holds the trackers of one long-lived sampled target.
type targetTrack struct {
	name     string
	trackers []*probe.Tracker
	last     time.Time
	fdAlarm  *probe.Alarm
	alarms   []probe.Alarm
}

// leakMetrics are the metrics judged per long-lived target, in name order.
var leakMetrics = func() []probe.Metric {
	ms := []probe.Metric{probe.RSS, probe.FDs, probe.Threads, probe.Procs, probe.Zombies, probe.HeapLive, probe.Goroutines}
	slices.Sort(ms)
	return ms
}()

// analyzeSamples streams samples.jsonl through one probe.Tracker per metric
// of every long-lived target (the "step:" targets are short-lived and judged
// per iteration instead), as the engine's Monitors do while sampling. Memory
// is bounded by the trackers, whatever the file's length.
func analyzeSamples(path string, lc *LeakConfig) ([]probe.Verdict, []probe.Alarm, error) {
	tracks := map[string]*targetTrack{}
	var order []*targetTrack
	var s probe.Sample
	err := readLines(path, func(line []byte) error {
		s = probe.Sample{}
		if !parseSample(line, &s) {
			s = probe.Sample{}
			if err := json.Unmarshal(line, &s); err != nil {
				return nil // a line that is not a sample is not ours to judge
			}
		}
		if strings.HasPrefix(s.Target, "step:") || s.Time.IsZero() {
			return nil
		}
		tt := tracks[s.Target]
		if tt == nil {
			tt = &targetTrack{name: s.Target}
			for _, m := range leakMetrics {
				tt.trackers = append(tt.trackers, probe.NewTracker(m, lc.policy(m)))
			}
			tracks[s.Target] = tt
			order = append(order, tt)
		}
		if s.Time.Before(tt.last) {
			return nil // out of order (a clock step): the trackers need monotonic time
		}
		tt.last = s.Time
		if s.Restart {
			for _, tr := range tt.trackers {
				tr.Restart(s.Time)
			}
		}
		for _, tr := range tt.trackers {
			v, ok := s.Value(tr.Metric())
			if !ok {
				continue
			}
			if a, ok := tr.Add(s.Time, v); ok {
				a.Target = tt.name
				tt.alarms = append(tt.alarms, a)
			}
		}
		if s.MaxFDPct >= 80 && tt.fdAlarm == nil {
			tt.fdAlarm = &probe.Alarm{Target: tt.name, Metric: probe.FDs, Kind: probe.AlarmCeiling, Time: s.Time,
				Value: float64(s.FDs), Reason: "a process holds " + strconv.FormatFloat(s.MaxFDPct, 'f', 0, 64) + "% of its RLIMIT_NOFILE soft limit (ceiling 80%)"}
			tt.alarms = append(tt.alarms, *tt.fdAlarm)
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	slices.SortFunc(order, func(a, b *targetTrack) int { return strings.Compare(a.name, b.name) })
	var vs []probe.Verdict
	var alarms []probe.Alarm
	for _, tt := range order {
		for _, tr := range tt.trackers {
			if tr.Len() == 0 {
				continue
			}
			v := tr.Verdict()
			v.Target = tt.name
			if tr.Metric() == probe.FDs && tt.fdAlarm != nil && v.Outcome != probe.Leak {
				v.Outcome, v.Reason = probe.Leak, tt.fdAlarm.Reason
			}
			vs = append(vs, v)
		}
		alarms = append(alarms, tt.alarms...)
	}
	slices.SortStableFunc(alarms, func(a, b probe.Alarm) int { return a.Time.Compare(b.Time) })
	return vs, alarms, err
}

// readLines calls fn with every complete line of the JSON Lines file at
// path. Like jsonl.Read it skips a final line without a newline (torn by a
// crash), but it leaves validation to the caller: parseSample checks what it
// reads, and anything else goes through encoding/json. Lines longer than
// 64 MiB are an error.
func readLines(path string, fn func(line []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 256<<10)
	var long []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long, chunk...)
			if len(long) > 64<<20 {
				return fmt.Errorf("%s: line longer than 64 MiB", path)
			}
			continue
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		line := chunk
		if long != nil {
			line, long = append(long, chunk...), nil
		}
		if err := fn(bytes.TrimRight(line, "\r\n")); err != nil {
			return err
		}
	}
}

// parseSample decodes a flat samples.jsonl object into s without
// reflection: the format is flat (strings, numbers and booleans) and a 72 h
// run at 1 Hz has hundreds of thousands of lines. It returns false for
// anything it does not expect (escapes, nesting), and the caller falls back
// to encoding/json.
func parseSample(b []byte, s *probe.Sample) bool {
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return false
	}
	b = b[1 : len(b)-1]
	for len(b) > 0 {
		if b[0] == ',' {
			b = b[1:]
		}
		if len(b) == 0 || b[0] != '"' {
			return false
		}
		end := bytes.IndexByte(b[1:], '"')
		if end < 0 {
			return false
		}
		key := b[1 : 1+end]
		if bytes.IndexByte(key, '\\') >= 0 {
			return false
		}
		b = b[2+end:]
		if len(b) == 0 || b[0] != ':' {
			return false
		}
		b = b[1:]
		if len(b) == 0 {
			return false
		}
		var val []byte
		str := false
		if b[0] == '"' {
			end := bytes.IndexByte(b[1:], '"')
			if end < 0 {
				return false
			}
			val = b[1 : 1+end]
			if bytes.IndexByte(val, '\\') >= 0 {
				return false
			}
			b = b[2+end:]
			str = true
		} else {
			if b[0] == '{' || b[0] == '[' {
				return false
			}
			end := bytes.IndexByte(b, ',')
			if end < 0 {
				end = len(b)
			}
			val = b[:end]
			b = b[end:]
		}
		if !setField(s, string(key), val, str) {
			return false
		}
	}
	return true
}

// setField sets the Sample field named by its JSON key. Unknown keys are
// ignored, as encoding/json would.
func setField(s *probe.Sample, key string, val []byte, str bool) bool {
	num := func() (float64, bool) {
		if str {
			return 0, false
		}
		f, err := strconv.ParseFloat(string(val), 64)
		return f, err == nil
	}
	// Integer fields parse as encoding/json parses them (1.5, -1 or 1e3
	// in a uint64 is not a sample there either), so the two paths agree.
	u := func(dst *uint64) bool {
		v, err := strconv.ParseUint(string(val), 10, 64)
		*dst = v
		return !str && err == nil
	}
	i := func(dst *int) bool {
		v, err := strconv.ParseInt(string(val), 10, 0)
		*dst = int(v)
		return !str && err == nil
	}
	boolean := func(dst *bool) bool {
		if str || (string(val) != "true" && string(val) != "false") {
			return false
		}
		*dst = string(val) == "true"
		return true
	}
	switch key {
	case "t":
		if !str {
			return false
		}
		t, err := time.Parse(time.RFC3339Nano, string(val))
		s.Time = t
		return err == nil
	case "target":
		s.Target = string(val)
		return str
	case "gone":
		return boolean(&s.Gone)
	case "restart":
		return boolean(&s.Restart)
	case "rss":
		return u(&s.RSS)
	case "fds":
		return i(&s.FDs)
	case "threads":
		return i(&s.Threads)
	case "procs":
		return i(&s.Procs)
	case "zombies":
		return i(&s.Zombies)
	case "go_heap_live":
		return u(&s.HeapLive)
	case "go_mem_total":
		return u(&s.GoMemTotal)
	case "goroutines":
		return i(&s.Goroutines)
	case "mem_total":
		return u(&s.MemTotal)
	case "mem_used":
		return u(&s.MemUsed)
	case "fd_pct":
		f, ok := num()
		s.MaxFDPct = f
		return ok
	case "disk_path":
		s.DiskPath = string(val)
		return str
	case "disk_free":
		return u(&s.DiskFree)
	}
	return true
}

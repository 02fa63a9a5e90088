package secrets

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReachOf(t *testing.T) {
	tests := []struct {
		give string
		want reach
	}{
		{`tok-[a-z0-9]{12}`, reach{0, 4 + 12*4, 0}},
		{`[\w.-]{0,50}?(?i:secret)[\s'"]{0,3}=([a-z]{8})`, reach{3, 50*4 + 6*2 + 3*4 + 1 + 8*4, 0}},
		{`[\w.-]{0,50}?(?i:sec|ret)[\s'"]{0,3}=([a-z]{8})`, reach{3, 50*4 + 3*2 + 3*4 + 1 + 8*4, 3}},
		{`(?i)[\w.-]{0,50}?(?:access|auth|(?-i:[Aa]pi|API)|secret)[\s'"]{0,3}=([a-z]{8})`, reach{3, 258, 0}},
		{`\s(secret)`, reach{1, 4 + 6, 1}},
		{`(?s)-----BEGIN.{64,}?-----END`, reach{maxReach, maxReach, 0}},
		{`a\nb|c\n\nd`, reach{2, 4, 2}},
		{`(?:x[\r\n]{1,2}){1,5}`, reach{10, (1 + 2*4) * 5, 10}},
		{`x.*y`, reach{0, maxReach, 0}},
		{`^[^\n]+$`, reach{0, maxReach, 0}},
	}
	keywords := []string{"secret", "-----begin", "api", "access", "auth"}
	for _, tt := range tests {
		if got := reachOf(regexp.MustCompile(tt.give), keywords); got != tt.want {
			t.Errorf("reachOf(%q) = %+v, want %+v", tt.give, got, tt.want)
		}
	}
}

func TestReachWindow(t *testing.T) {
	// Lines of 4 bytes each ("l0\n" … is 3; use "ab0\n").
	var b strings.Builder
	for i := range 10 {
		fmt.Fprintf(&b, "ab%d\n", i)
	}
	text := []byte(strings.TrimSuffix(b.String(), "\n"))
	line := func(n int) int { return 4 * n } // start of line n
	tests := []struct {
		name      string
		r         reach
		kStart    int
		wantStart int
		wantEnd   int
	}{
		{"own line", reach{0, 100, 0}, line(5) + 1, line(5), line(5) + 3},
		{"two lines each way", reach{2, 100, 2}, line(5) + 1, line(3), line(7) + 3},
		{"forward only", reach{2, 100, 0}, line(5) + 1, line(5), line(7) + 3},
		{"bytes bound lines", reach{9, 5, 9}, line(5) + 1, line(4), line(6) + 3},
		{"clipped at the start", reach{3, 100, 3}, line(1), 0, line(4) + 3},
		{"clipped at the end", reach{3, 100, 3}, line(9), line(6), len(text)},
	}
	for _, tt := range tests {
		s, e := tt.r.window(text, tt.kStart, tt.kStart+1)
		if s != tt.wantStart || e != tt.wantEnd {
			t.Errorf("%s: window = [%d, %d) %q, want [%d, %d) %q", tt.name, s, e, text[s:e], tt.wantStart, tt.wantEnd, text[tt.wantStart:tt.wantEnd])
		}
	}
}

// TestMultilineRegexRules checks configured regexes that span lines: the
// value on the line after its key is found, reported on the line where
// the secret starts, and a regex that cannot match a newline still sees
// one line at a time, with ^ and $ at real line boundaries.
func TestMultilineRegexRules(t *testing.T) {
	cfg, err := ParseConfig("multi.toml", []byte(`
[[rules]]
id = "xml-token"
regex = '''(?i)<(?:\w*token)>\s{0,20}([a-z0-9]{24})\s{0,20}</'''
keywords = ["token>"]

[[rules]]
id = "yaml-block"
regex = '''(?i)api_secret:\s*[|>][-+]?\n[ \t]+([a-z0-9]{24})$'''
keywords = ["api_secret"]

[[rules]]
id = "line-token"
regex = '''^line-[a-z0-9]{12}$'''
keywords = ["line-"]
`))
	if err != nil {
		t.Fatal(err)
	}
	type loc struct {
		Rule      string
		Line, Col int
		EndLine   int
	}
	const sec = "q8zk2lmp0vn7xr4tw9yb3c5d"
	tests := []struct {
		name string
		give string
		want []loc
	}{
		{"xml element", "<a>\n  <apiToken>\n      " + sec + "\n  </apiToken>\n</a>\n", []loc{{"xml-token", 3, 7, 4}}},
		{"xml one line", "<apiToken>" + sec + "</apiToken>\n", []loc{{"xml-token", 1, 1, 1}}},
		{"yaml literal", "x: 1\napi_secret: |\n  " + sec + "\ny: 2\n", []loc{{"yaml-block", 3, 3, 3}}},
		{"yaml folded strip", "api_secret: >-\n\t" + sec + "\n", []loc{{"yaml-block", 2, 2, 2}}},
		{"too far apart", "<apiToken>\n" + strings.Repeat("\n", 30) + sec + "\n</apiToken>\n", nil},
		{"anchored line", "a\nline-abcdefabcdef\nb\n", []loc{{"line-token", 2, 1, 2}}},
		{"anchored needs line end", "a line-abcdefabcdef\nline-abcdefabcdefg\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Scanner{}
			cfg.Apply(s)
			rep, err := s.ScanReader(t.Context(), "f.txt", strings.NewReader(tt.give))
			if err != nil {
				t.Fatal(err)
			}
			var got []loc
			for _, f := range rep.Findings {
				got = append(got, loc{f.RuleID, f.Line, f.Column, f.EndLine})
				if f.Secret != sec && f.RuleID != "line-token" {
					t.Errorf("secret = %q, want %q", f.Secret, sec)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings in %q mismatch (-want +got):\n%s", tt.give, diff)
			}
		})
	}
}

// TestMultilineAcrossChunks puts a key and its value on either side of
// every possible chunk cut: each is found once, on the value's line.
func TestMultilineAcrossChunks(t *testing.T) {
	cfg, err := ParseConfig("multi.toml", []byte(`
[[rules]]
id = "xml-token"
regex = '''<apiToken>\s{0,20}([a-z0-9]{24})\s{0,20}</'''
keywords = ["<apitoken>"]
`))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var want []int
	line := 1
	for i := 0; b.Len() < 200<<10; i++ {
		if i%97 == 0 {
			fmt.Fprintf(&b, "<apiToken>\n  %024d\n</apiToken>\n", i)
			want = append(want, line+1)
			line += 3
			continue
		}
		b.WriteString("filler text that is not a secret at all\n")
		line++
	}
	text := b.String()
	for _, chunk := range []int{0, 32 << 10, 33<<10 + 7} {
		s := &Scanner{ChunkSize: chunk}
		cfg.Apply(s)
		rep, err := s.ScanReader(t.Context(), "big.xml", strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, f := range rep.Findings {
			got = append(got, f.Line)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ChunkSize %d: finding lines mismatch (-want +got):\n%s", chunk, diff)
		}
	}
}

// FuzzMultilineWindow is a differential test of windowed matching: for a
// regex whose every match holds its keyword and spans a bounded number of
// lines, the windows around the keyword find exactly the secrets that the
// regex finds running over the whole text.
func FuzzMultilineWindow(f *testing.F) {
	f.Add("<apiKey>\n  abcd1234ef\n</apiKey>\n")
	f.Add("x: 1\napikey:\n\n\n   zzzz9999yy\nKEY=aaaabbbbcc key=ccccddddee\n")
	f.Add("apikey apikey:\napikey: 0123456789\n") // soakkit:allow: fuzz seed
	re := regexp.MustCompile(`(?i)\bapikey\b[ \t]*[:=>][ \t]*\n?[ \t]*\n?\s{0,4}([a-z0-9]{10})\b`)
	d := newDetector([]Rule{{ID: "r", Regex: re, Keywords: []string{"apikey"}}}, 0)
	whole := lineAnchored(re)
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		var want []string
		for _, m := range whole.FindAllSubmatchIndex(b, -1) {
			want = append(want, fmt.Sprintf("%d-%d", m[2], m[3]))
		}
		var got []string
		for _, c := range d.detect(b, d.newScratch(), nil, 0) {
			got = append(got, fmt.Sprintf("%d-%d", c.sp.sStart, c.sp.sEnd))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("secrets in %q mismatch (-whole text +windows):\n%s", s, diff)
		}
	})
}

// BenchmarkReachWindow measures window on lines of typical length, for a
// one-line reach and for multi-line reaches bounded by lines and by bytes.
func BenchmarkReachWindow(b *testing.B) {
	var sb strings.Builder
	for i := range 4096 {
		fmt.Fprintf(&sb, "\tvalue%d := compute(%d, %q) // line of a source file\n", i, i*7, "request")
	}
	text := []byte(sb.String())
	for _, bb := range []struct {
		name string
		r    reach
	}{
		{"own-line", reach{0, 200, 0}},
		{"3-lines", reach{3, 4096, 3}},
		{"bytes-bound", reach{maxReach, 300, maxReach}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				for k := 4096; k < len(text)-4096; k += 997 {
					s, e := bb.r.window(text, k, k+3)
					n += e - s
				}
			}
			if n == 0 {
				b.Fatal("empty windows")
			}
		})
	}
}

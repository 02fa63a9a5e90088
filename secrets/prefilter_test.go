package secrets

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
)

type hit struct {
	end int
	kw  int32
}

// naiveHits finds every case-insensitive occurrence of every keyword.
func naiveHits(text string, kws []string) []hit {
	lt := string(lowerASCII(nil, []byte(text)))
	var out []hit
	for k, kw := range kws {
		for i := 0; i+len(kw) <= len(lt); i++ {
			if lt[i:i+len(kw)] == kw {
				out = append(out, hit{i + len(kw), int32(k)})
			}
		}
	}
	return out
}

func sortHits(h []hit) []hit {
	slices.SortFunc(h, func(a, b hit) int {
		if a.end != b.end {
			return a.end - b.end
		}
		return int(a.kw - b.kw)
	})
	return h
}

func FuzzPrefilter(f *testing.F) {
	f.Add("password=TOKEN secret ghp_x AKIA", "pass,word,sword,token")
	f.Add("aaaaab", "a,aa,aab,b")
	f.Fuzz(func(t *testing.T, text, kwlist string) {
		var kws []string
		for _, k := range strings.Split(strings.ToLower(kwlist), ",") {
			if k != "" && len(kws) < 50 && !slices.Contains(kws, k) {
				kws = append(kws, k)
			}
		}
		if len(kws) == 0 {
			return
		}
		p := newPrefilter(kws)
		var got []hit
		p.walk([]byte(text), func(end int, kw int32) { got = append(got, hit{end, kw}) })
		want := naiveHits(text, kws)
		if !slices.Equal(sortHits(got), sortHits(want)) {
			t.Errorf("walk(%q, %q) = %v, want %v", text, kws, got, want)
		}
	})
}

func TestPrefilterBuiltinKeywords(t *testing.T) {
	var kws []string
	for _, r := range builtinRules {
		for _, k := range r.Keywords {
			if !slices.Contains(kws, k) {
				kws = append(kws, k)
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 1))
	var sb strings.Builder
	for i := 0; i < 20000; i++ {
		if r.IntN(5) == 0 {
			kw := kws[r.IntN(len(kws))]
			if r.IntN(2) == 0 {
				kw = strings.ToUpper(kw)
			}
			sb.WriteString(kw)
		} else {
			sb.WriteByte(byte(r.IntN(256)))
		}
	}
	text := sb.String()
	var got []hit
	newPrefilter(kws).walk([]byte(text), func(end int, kw int32) { got = append(got, hit{end, kw}) })
	if want := naiveHits(text, kws); !slices.Equal(sortHits(got), sortHits(want)) {
		t.Errorf("prefilter disagrees with naive search: %d vs %d hits", len(got), len(want))
	}
}

// BenchmarkPrefilter compares the DFA prefilter with BobuSumisu's trie
// (plus the lower-casing it needs) on the corpus text.
func BenchmarkPrefilter(b *testing.B) {
	text := corpusText(b)
	var kws []string
	for _, r := range builtinRules {
		for _, k := range r.Keywords {
			if !slices.Contains(kws, k) {
				kws = append(kws, k)
			}
		}
	}
	b.Run("dfa", func(b *testing.B) {
		p := newPrefilter(kws)
		n := 0
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			p.walk(text, func(int, int32) { n++ })
		}
	})
	b.Run("bobusumisu", func(b *testing.B) {
		tr := ahocorasick.NewTrieBuilder().AddStrings(kws).Build()
		var lower []byte
		n := 0
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			lower = lowerASCII(lower, text)
			tr.Walk(lower, func(end, n2, p int64) bool { n++; return true })
		}
	})
}

package secrets

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// TestPublishedKeysWellFormed checks the list of published keys: each has
// the exact shape of a Google API key, says where it was published, and
// appears once.
func TestPublishedKeysWellFormed(t *testing.T) {
	shape := regexp.MustCompile(`^AIza[0-9A-Za-z_-]{35}$`)
	seen := map[string]bool{}
	for _, k := range publishedKeys {
		if !shape.MatchString(k.value) {
			t.Errorf("published key %q: not the shape of a Google API key (AIza and 35 URL-safe base64 characters)", k.value)
		}
		if !strings.HasPrefix(k.repo, "firebase/") || strings.Count(k.repo, "/") != 1 {
			t.Errorf("published key %q: repo %q is not a repository of the firebase organisation", k.value, k.repo)
		}
		if k.path == "" || strings.HasPrefix(k.path, "/") {
			t.Errorf("published key %q: path %q is not a path inside its repository", k.value, k.path)
		}
		if seen[k.value] {
			t.Errorf("published key %q listed twice", k.value)
		}
		seen[k.value] = true
	}
}

// TestPublishedKeysSuppressed checks that a finding on a published key is
// listed, suppressed as Published, fails only a strict scan, and that a
// key differing from it by one character, or a fresh key of the same
// shape, still fails a default scan.
func TestPublishedKeysSuppressed(t *testing.T) {
	s := sampler{rand.New(rand.NewPCG(15, 39))}
	found := 0
	for _, k := range publishedKeys {
		fs := ScanString(`firebaseConfig = { apiKey: "` + k.value + `" }`)
		for _, f := range fs {
			if f.Suppressed != Published || f.Counts(false) || !f.Counts(true) {
				t.Errorf("published key %q: finding %v (suppressed %q), want it suppressed as %q, failing only a strict scan", k.value, f, f.Suppressed, Published)
			}
		}
		if len(fs) == 0 {
			continue
		}
		found++
		// Change one character in the random part: no longer the
		// published key.
		b := []byte(k.value)
		i := 10 + s.r.IntN(25)
		if b[i] == 'Q' {
			b[i] = 'R'
		} else {
			b[i] = 'Q'
		}
		if fs := ScanString(`apiKey: "` + string(b) + `"`); len(fs) != 1 || fs[0].Suppressed != NotSuppressed {
			t.Errorf("key %q (one character off a published one): got %v, want one unsuppressed finding", b, fs)
		}
	}
	if found < len(publishedKeys)/2 {
		t.Errorf("the google-api-key rule finds %d of %d published keys; the list is meant for keys it reports", found, len(publishedKeys))
	}
	for range 20 {
		key := "AIzaSy" + s.str(aB64URL, 33)
		if fs := ScanString(`apiKey: "` + key + `"`); len(fs) != 1 || fs[0].Suppressed != NotSuppressed {
			t.Errorf("fresh key %q: got %v, want one unsuppressed finding", key, fs)
		}
	}
}

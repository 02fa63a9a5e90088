package secrets

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/soakkit/soakkit/secrets/internal/gen"
)

// FuzzWriterSplit checks that the streaming writer's output is identical
// to redacting the whole text at once, for lines of random length around
// the 64 KiB line limit, a key and value at a random offset in each, and
// writes split at random points. The seed picks lengths, offsets, values
// and split points; key is the text before each value.
func FuzzWriterSplit(f *testing.F) {
	for i, k := range []string{"password: ", "aws_secret_access_key: ", "--token ", "token=", "x\\t", "token%3D", "-----BEGIN RSA PRIVATE KEY-----\n", "orderId: "} {
		f.Add(uint64(i), k)
	}
	f.Fuzz(func(t *testing.T, seed uint64, key string) {
		if len(key) > 512 {
			return
		}
		r := rand.New(rand.NewPCG(seed, 0x5eed))
		in := splitInput(r, key)
		for _, rd := range []*Redactor{{RulesOnly: true}, {}} {
			want := rd.Redact(in)
			var out bytes.Buffer
			w := rd.NewWriter(&out)
			for rest := in; len(rest) > 0; {
				var k int
				switch r.IntN(3) {
				case 0:
					k = 1 + r.IntN(16)
				case 1:
					k = 1 + r.IntN(8192)
				default:
					k = 60<<10 + r.IntN(8<<10)
				}
				k = min(k, len(rest))
				if _, err := w.Write([]byte(rest[:k])); err != nil {
					t.Fatal(err)
				}
				rest = rest[k:]
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != want {
				i := 0
				for i < len(got) && i < len(want) && got[i] == want[i] {
					i++
				}
				t.Fatalf("RulesOnly=%v: writer output differs from Redact at byte %d: writer %q, Redact %q",
					rd.RulesOnly, i, got[i:min(len(got), i+80)], want[i:min(len(want), i+80)])
			}
		}
	})
}

// splitInput builds a few lines, most of them about 64 KiB long, with key
// and a value at a random offset in each.
func splitInput(r *rand.Rand, key string) string {
	var sb strings.Builder
	for range 1 + r.IntN(4) {
		n := 64<<10 + r.IntN(1024) - 512
		if r.IntN(4) == 0 {
			n = r.IntN(300)
		}
		var line []byte
		switch r.IntN(4) {
		case 0: // one long token: no place to cut
			line = []byte(gen.Str(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", n))
		case 1: // JSON-ish
			line = []byte(strings.Repeat(`{"k":"v\n","n":12},`, n/19+1)[:n])
		default: // words
			line = []byte(gen.Str(r, "abcdefgh    ", n))
		}
		value := []string{
			gen.Str(r, "abcdefghijkmnopqrstuvwxyz", 6) + "7#Q9x!",
			gen.Str(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+", 40),
			"ghp_" + gen.Str(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 36),
			"https://u:" + gen.Str(r, "abcdefgh0123", 12) + "@db.internal/x",
			gen.PEM(r, "RSA", 4),
		}[r.IntN(5)]
		off := r.IntN(len(line) + 1)
		sb.Write(line[:off])
		sb.WriteString(key + value)
		sb.Write(line[off:])
		sb.WriteByte('\n')
	}
	return sb.String()
}

package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/soakkit/soakkit/secrets"
)

// history runs ScanHistory on a repository and writes its JSON report.
func history(args []string) error {
	fs := flag.NewFlagSet("history", flag.ExitOnError)
	repo := fs.String("repo", "", "git repository")
	report := fs.String("report", "", "JSON report file")
	all := fs.Bool("all", true, "every ref, as gitleaks git does by default")
	workers := fs.Int("workers", 0, "git processes at once (default: one per CPU)")
	fs.Parse(args)
	rep, err := (&secrets.Scanner{}).ScanHistory(context.Background(), *repo, secrets.History{All: *all, Workers: *workers})
	if err != nil {
		return err
	}
	f, err := os.Create(*report)
	if err != nil {
		return err
	}
	if err := rep.Write(f, secrets.FormatJSON); err != nil {
		f.Close()
		return err
	}
	fmt.Fprintln(os.Stderr, rep.Summary())
	return f.Close()
}

// genrepo builds a synthetic git history with git fast-import: a few
// dozen Go-like source files that each commit edits (lines changed,
// inserted and deleted, files added and removed now and then), with AWS
// access key IDs and Stripe keys planted in some commits and removed again
// in some later ones.
func genrepo(args []string) error {
	fs := flag.NewFlagSet("genrepo", flag.ExitOnError)
	out := fs.String("out", "", "directory of the new repository")
	commits := fs.Int("commits", 1500, "number of commits")
	seed := fs.Uint64("seed", 1, "generator seed")
	fs.Parse(args)
	if *out == "" {
		return fmt.Errorf("genrepo: -out is required")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	git := func(args ...string) *exec.Cmd {
		cmd := exec.Command("git", append([]string{"-C", *out, "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Stderr = os.Stderr
		return cmd
	}
	if err := git("init", "-q", "-b", "main").Run(); err != nil {
		return fmt.Errorf("git init: %w", err)
	}
	imp := git("fast-import", "--quiet")
	in, err := imp.StdinPipe()
	if err != nil {
		return err
	}
	if err := imp.Start(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(in, 1<<20)
	planted := writeHistory(bw, rand.New(rand.NewPCG(*seed, *seed^0x9e3779b97f4a7c15)), *commits)
	if err := bw.Flush(); err != nil {
		return err
	}
	in.Close()
	if err := imp.Wait(); err != nil {
		return fmt.Errorf("git fast-import: %w", err)
	}
	if err := git("reset", "-q", "--hard", "main").Run(); err != nil {
		return fmt.Errorf("git reset: %w", err)
	}
	fmt.Printf("repository: %d commits, %d secrets planted\n", *commits, planted)
	return nil
}

const (
	b32   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	words = "config client server handler request response buffer cache index token value result error context status"
)

func pick(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// codeLine returns a line of plausible Go code.
func codeLine(r *rand.Rand) string {
	w := strings.Fields(words)
	a, b := w[r.IntN(len(w))], w[r.IntN(len(w))]
	switch r.IntN(6) {
	case 0:
		return fmt.Sprintf("\t%s%d := %s.Get(%q)", a, r.IntN(100), b, a+"-"+b)
	case 1:
		return fmt.Sprintf("\tif err := %s.Close(); err != nil {\n\t\treturn fmt.Errorf(%q, err)\n\t}", a, b+": %w")
	case 2:
		return fmt.Sprintf("\t// %s the %s before the %s is read.", strings.ToUpper(a[:1])+a[1:], b, a)
	case 3:
		return fmt.Sprintf("\tsum += %s[%d] * %d", a, r.IntN(64), r.IntN(1000))
	case 4:
		return fmt.Sprintf("func (s *%s) %s%d(ctx context.Context) error {\n\treturn s.%s(ctx)\n}", strings.ToUpper(a[:1])+a[1:], strings.ToUpper(b[:1])+b[1:], r.IntN(50), a)
	}
	return fmt.Sprintf("\tlog.Printf(\"%s %%s: %%d\", %s, %d)", a, b, r.IntN(1<<16))
}

func plantLine(r *rand.Rand) string {
	if r.IntN(2) == 0 {
		return fmt.Sprintf("\tawsKeyID := %q // deploy", "AKIA"+pick(r, b32, 16))
	}
	return fmt.Sprintf("\tstripeKey := %q", "sk_live_"+pick(r, alnum, 28))
}

// writeHistory writes a fast-import stream of n commits on main and
// returns how many secrets it planted.
func writeHistory(w *bufio.Writer, r *rand.Rand, n int) int {
	files := map[string][]string{}
	var names []string
	newFile := func() string {
		name := fmt.Sprintf("pkg%d/%s%d.go", r.IntN(12), strings.Fields(words)[r.IntN(15)], len(names))
		lines := []string{"package pkg", ""}
		for range 60 + r.IntN(240) {
			lines = append(lines, codeLine(r))
		}
		files[name] = lines
		names = append(names, name)
		return name
	}
	for range 40 {
		newFile()
	}
	authors := []string{"Ada Lovelace <ada@example.test>", "Grace Hopper <grace@example.test>", "Linus Dev <linus@example.test>", "Bot <ci@example.test>"}
	planted := 0
	var withSecret []string
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for c := 1; c <= n; c++ {
		changed := map[string]bool{}
		var deleted []string
		if c == 1 {
			for _, name := range names {
				changed[name] = true
			}
		}
		for range 1 + r.IntN(4) {
			name := names[r.IntN(len(names))]
			lines := files[name]
			for range 2 + r.IntN(30) {
				i := 2 + r.IntN(len(lines)-1)
				switch r.IntN(3) {
				case 0:
					lines = slices.Insert(lines, i, codeLine(r))
				case 1:
					if i < len(lines) && len(lines) > 20 {
						lines = slices.Delete(lines, i, i+1)
					}
				default:
					if i < len(lines) {
						lines[i] = codeLine(r)
					}
				}
			}
			files[name] = lines
			changed[name] = true
		}
		switch x := r.IntN(100); {
		case x < 3:
			changed[newFile()] = true
		case x < 4 && len(names) > 30:
			i := r.IntN(len(names))
			deleted = append(deleted, names[i])
			delete(files, names[i])
			delete(changed, names[i])
			names = slices.Delete(names, i, i+1)
		}
		if r.IntN(40) == 0 {
			name := names[r.IntN(len(names))]
			lines := files[name]
			files[name] = slices.Insert(lines, 2+r.IntN(len(lines)-1), plantLine(r))
			changed[name] = true
			withSecret = append(withSecret, name)
			planted++
		}
		if len(withSecret) > 0 && r.IntN(60) == 0 {
			// Remove the planted lines of one file again.
			name := withSecret[0]
			withSecret = withSecret[1:]
			if lines, ok := files[name]; ok {
				files[name] = slices.DeleteFunc(lines, func(l string) bool {
					return strings.Contains(l, "awsKeyID") || strings.Contains(l, "stripeKey")
				})
				changed[name] = true
			}
		}
		author := authors[r.IntN(len(authors))]
		when := t0 + int64(c)*3600
		msg := fmt.Sprintf("change %d\n", c)
		fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\nauthor %s %d +0000\ncommitter %s %d +0000\ndata %d\n%s", c, author, when, author, when, len(msg), msg)
		if c > 1 {
			fmt.Fprintf(w, "from :%d\n", c-1)
		}
		keys := make([]string, 0, len(changed))
		for name := range changed {
			keys = append(keys, name)
		}
		slices.Sort(keys)
		for _, name := range keys {
			body := strings.Join(files[name], "\n") + "\n"
			fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", name, len(body), body)
		}
		for _, name := range deleted {
			fmt.Fprintf(w, "D %s\n", name)
		}
		w.WriteString("\n")
	}
	return planted
}

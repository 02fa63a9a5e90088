package secrets_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/soakkit/soakkit/secrets"
)

func ExampleRedact() {
	fmt.Println(secrets.Redact("connecting to 203.0.113.7 (gateway 10.0.0.1) with password=Hunter2-Hunter2")) // soakkit:allow: test fixture, not a credential
	// Output: connecting to **** (gateway 10.0.0.1) with password=****
}

// A log stream: RulesOnly keeps byte counts, trace IDs and test names,
// which the aggressive default would mask as long runs.
func ExampleRedactor_NewWriter() {
	logs := &secrets.Redactor{RulesOnly: true}
	w := logs.NewWriter(os.Stdout)
	fmt.Fprint(w, "export AWS_ACCESS_KEY_ID=AKIA")
	fmt.Fprint(w, "Q3JZ5WTRH2LMXK7D artifact_bytes=1234567 test=TestUploadResumesAfterReconnect\n") // the key arrives in two writes
	w.Close()
	// Output: export AWS_ACCESS_KEY_ID=**** artifact_bytes=1234567 test=TestUploadResumesAfterReconnect
}

// Free text read by people: the aggressive default also masks long runs,
// e-mail addresses and public IP addresses.
func ExampleNewWriter() {
	w := secrets.NewWriter(os.Stdout)
	fmt.Fprint(w, "mail ops@example.com from 203.0.113.7, key AKIA")
	fmt.Fprint(w, "Q3JZ5WTRH2LMXK7D\n")
	w.Close()
	// Output: mail **** from ****, key ****
}

// A redacting slog.Handler wraps any handler; it is rules-only unless
// given a Redactor.
func ExampleNewHandler() {
	h := slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{} // stable output
		}
		return a
	}})
	log := slog.New(secrets.NewHandler(h, nil))
	log.Info("service started", "argv", []string{"./server", "--token", "Zq8xLm40pRt7", "--port", "8080"}, "artifact_bytes", 1234567)
	// Output: level=INFO msg="service started" argv="[./server --token **** --port 8080]" artifact_bytes=1234567
}

func ExampleRedactArgv() {
	fmt.Println(secrets.RedactArgv([]string{"deploy", "--password", "Zq8xLm40pR", "DB_TOKEN=Zq8xLm40pR", "--url=https://ci:Zq8xLm40pR@git.internal/x"})) // soakkit:allow: test fixture, not a credential
	// Output: [deploy --password **** DB_TOKEN=**** --url=https://ci:****@git.internal/x]
}

func ExampleScanner_ScanReader() {
	var s secrets.Scanner
	rep, err := s.ScanReader(context.Background(), "config.env", strings.NewReader(
		"DATABASE_URL=postgres://app:Zq8x-Lm40pR@db.internal:5432/app\n")) // soakkit:allow: test fixture, not a credential
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range rep.Findings {
		fmt.Println(f)
	}
	fmt.Println(rep.Marker(), rep.ExitCode())
	// Output:
	// config.env:1:14: database-uri-password: postgres://app:****@db.internal
	// | scan_secrets | FAIL | RESULT=FOUND | 1
}

func ExampleParseConfig() {
	cfg, err := secrets.ParseConfig(".gitleaks.toml", []byte(`
[extend]
useDefault = true
disabledRules = ["generic-password"]

[[rules]]
id = "internal-token"
regex = '''\b(itk_[a-z0-9]{24})\b'''
keywords = ["itk_"]

[[allowlists]]
globs = ["**/testdata/**"]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	s := &secrets.Scanner{}
	cfg.Apply(s)
	rep, _ := s.ScanReader(context.Background(), "svc.go", strings.NewReader(`tok := "itk_q8zk2lmp0vn7xr4tw9yb3c5d"`+"\n"))
	for _, f := range rep.Findings {
		fmt.Println(f)
	}
	// Output: svc.go:1:9: internal-token: ****
}

func ExampleParseOriginalAllowlist() {
	als, err := secrets.ParseOriginalAllowlist("tools/ci/allowlist.txt", strings.NewReader(
		"# entries in scan_secrets.py's format\ntests/**\ndummy_key\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range als {
		fmt.Println(a.Description)
	}
	// Output:
	// tools/ci/allowlist.txt (paths)
	// tools/ci/allowlist.txt (content)
}

package a

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/ioutil"
	"os"
	"path/filepath"
)

type state struct{ N int }

func encoderFile(p string, s state) error {
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	defer f.Close()
	return json.NewEncoder(f).Encode(s) // want `json.NewEncoder writes straight to \*os.File "f" \(not atomic\)`
}

func encoderBuffered(p string, s state) error {
	f, _ := os.Create(p)
	w := bufio.NewWriter(f)
	return json.NewEncoder(w).Encode(s) // want `json.NewEncoder writes straight to \*os.File "f"`
}

func writeFile(p string, s state) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	return os.WriteFile(p, data, 0o644) // want `JSON from json.Marshal written with os.WriteFile is not atomic`
}

func writeFileDirect(p string, s state) {
	b, _ := json.Marshal(s)
	_ = ioutil.WriteFile(p, b, 0o644) // want `JSON from json.Marshal written with ioutil.WriteFile is not atomic`
}

func fileWrite(p string, s state) {
	f, _ := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	b, _ := json.Marshal(s)
	f.Write(b)               // want `JSON from json.Marshal written with \(\*os.File\).Write is not atomic`
	f.WriteString(string(b)) // want `\(\*os.File\).WriteString is not atomic`
}

// Negatives.

func stdout(s state) {
	json.NewEncoder(os.Stdout).Encode(s)
	json.NewEncoder(os.Stderr).Encode(s)
	out := os.Stdout
	json.NewEncoder(out).Encode(s)
}

func appendLog(p string, s state) error {
	f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	return json.NewEncoder(f).Encode(s)
}

type responseWriter interface{ Write([]byte) (int, error) }

// A parameter may be a pipe: not flagged.
func param(f *os.File, s state) { json.NewEncoder(f).Encode(s) }

func nonFile(w responseWriter, s state) {
	json.NewEncoder(w).Encode(s)
	var buf bytes.Buffer
	json.NewEncoder(&buf).Encode(s)
}

func plainText(p string) error { return os.WriteFile(p, []byte("hello\n"), 0o644) }

// atomicJSON is an atomic writer by construction: CreateTemp + Rename.
func atomicJSON(p string, s state) error {
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return err
	}
	if err := json.NewEncoder(f).Encode(s); err != nil {
		return err
	}
	b, _ := json.Marshal(s)
	os.WriteFile(p+".bak", b, 0o644)
	f.Sync()
	f.Close()
	return os.Rename(f.Name(), p)
}

// Suppressed.
func suppressed(p string, s state) {
	b, _ := json.Marshal(s)
	os.WriteFile(p, b, 0o644) // lint-ok: atomicwrite/json-writefile -- scratch file, never read back
	// lint-ok: json-write -- legacy alias
	os.WriteFile(p, b, 0o644)
}

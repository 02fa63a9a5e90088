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
	return json.NewEncoder(f).Encode(s) // want `json.NewEncoder writes straight to \*os.File "f" \(not atomic\); write a temp file, Sync, Close and Rename it`
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

// Streams of JSON lines not opened for appending: the advice is O_APPEND,
// not a temp file and a rename.

func streamEncoderLoop(p string, ss []state) error {
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f) // want `json.NewEncoder writes straight to \*os.File "f" \(not atomic\); for a JSON Lines stream, open it with os.O_APPEND`
	for _, s := range ss {
		if err := enc.Encode(s); err != nil {
			return err
		}
	}
	return nil
}

func streamLine(p string, s state) {
	f, _ := os.OpenFile(p, os.O_WRONLY|os.O_CREATE, 0o644)
	b, _ := json.Marshal(s)
	line := append(b, '\n')
	f.Write(line) // want `\(\*os.File\).Write is not atomic; for a JSON Lines stream, open it with os.O_APPEND`
}

func streamByName(dir string, s state) {
	f, _ := os.Create(filepath.Join(dir, "samples.jsonl"))
	json.NewEncoder(f).Encode(s) // want `for a JSON Lines stream, open it with os.O_APPEND`
}

// Negatives.

// A stream opened for appending, flags in a variable, one Write per line.
type sink struct{ f *os.File }

func openSink(p string) (*sink, error) {
	flags := os.O_WRONLY | os.O_CREATE | os.O_APPEND
	f, err := os.OpenFile(p, flags, 0o644)
	if err != nil {
		return nil, err
	}
	return &sink{f: f}, nil
}

func (s *sink) Append(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = s.f.Write(append(b, '\n'))
	return err
}

func appendLines(p string, ss []state) error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_APPEND
	f, err := os.OpenFile(p, flags, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for _, s := range ss {
		b, _ := json.Marshal(s)
		f.Write(append(b, '\n'))
		enc.Encode(s)
	}
	return nil
}

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

package all

import "os"

// Mode "all": every file creation outside a sanctioned writer.
func create(p string) {
	os.Create(p)                                              // want `os.Create outside a sanctioned writer`
	os.WriteFile(p, nil, 0o644)                               // want `os.WriteFile outside a sanctioned writer`
	os.OpenFile(p, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644) // want `os.OpenFile outside a sanctioned writer`
	os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	os.Open(p)
	flags := os.O_APPEND | os.O_CREATE | os.O_WRONLY
	os.OpenFile(p, flags, 0o644)
	os.Create(p + ".jsonl") // want `os.Create outside a sanctioned writer: artifacts must be written atomically; for a JSON Lines stream, open it with os.O_APPEND`
}

// WriteArtifact is configured as sanctioned.
func WriteArtifact(p string, b []byte) error { return os.WriteFile(p, b, 0o644) }

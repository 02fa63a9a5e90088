package artifact

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/soakkit/soakkit/internal/canonjson"
)

// A Manifest lists every file of an artifacts tree with its SHA-256, as
// written to soak/manifest.json at the end of a soak and again, by
// [WriteManifest], once the summary files and the report are written.
type Manifest struct {
	Algorithm string         `json:"algorithm"` // "sha256"
	Files     []ManifestFile `json:"files"`     // sorted by path
}

// A ManifestFile is one entry of a [Manifest].
type ManifestFile struct {
	Path   string `json:"path"` // slash-separated, relative to the artifacts root
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"` // lowercase hex
}

// BuildManifest hashes every regular file under root except the manifest at
// skip (if any) and temporary files of atomic writes in progress.
func BuildManifest(root, skip string) (*Manifest, error) {
	m := &Manifest{Algorithm: "sha256", Files: []ManifestFile{}}
	skipAbs, _ := filepath.Abs(skip)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() || isTempName(d.Name()) {
			return nil
		}
		if abs, _ := filepath.Abs(path); skip != "" && abs == skipAbs {
			return nil
		}
		sum, n, err := hashFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		m.Files = append(m.Files, ManifestFile{Path: filepath.ToSlash(rel), Bytes: n, SHA256: sum})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("artifact: manifest: %w", err)
	}
	slices.SortFunc(m.Files, func(a, b ManifestFile) int { return strings.Compare(a.Path, b.Path) })
	return m, nil
}

// WriteManifest builds the manifest of the tree of l, every file but the
// manifest itself, and writes it atomically to [Layout.Manifest]. Call it
// after the last file of the tree is written, so that the manifest covers
// all of them.
func WriteManifest(l Layout) (*Manifest, error) {
	m, err := BuildManifest(l.Root, l.Manifest())
	if err != nil {
		return nil, err
	}
	if err := canonjson.WriteFile(l.Manifest(), m); err != nil {
		return nil, fmt.Errorf("artifact: manifest: %w", err)
	}
	return m, nil
}

// Verify checks every file listed in m against the tree under root and
// returns an error naming each one that is missing or differs.
func (m *Manifest) Verify(root string) error {
	var errs []error
	for _, f := range m.Files {
		sum, n, err := hashFile(filepath.Join(root, filepath.FromSlash(f.Path)))
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s: %w", f.Path, err))
		case sum != f.SHA256 || n != f.Bytes:
			errs = append(errs, fmt.Errorf("%s: content differs from the manifest", f.Path))
		}
	}
	return errors.Join(errs...)
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// isTempName reports whether name is a temporary file of an atomic write
// in progress.
func isTempName(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-")
}

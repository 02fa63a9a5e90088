package gomod

import (
	"os"
	"testing"
)

func TestPass(t *testing.T) { t.Log("fine") }

func TestFail(t *testing.T) {
	if os.Getenv("GOMOD_PASS") == "" {
		t.Error("wanted failure")
	}
}

func TestSkip(t *testing.T) { t.Skip("not today") }

func TestSub(t *testing.T) {
	t.Run("a", func(t *testing.T) {})
	t.Run("b", func(t *testing.T) {})
	// A test name can carry a secret (a table case named after its input).
	t.Run("tok_secretvalue", func(t *testing.T) {})
}

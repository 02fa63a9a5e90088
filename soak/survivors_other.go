//go:build !linux

package soak

import "github.com/soakkit/soakkit/internal/proctree"

// endSurvivors cannot enumerate child processes cheaply outside Linux;
// there the survivor check relies on each step's own sweep
// (step.Result.Leftovers), and on Windows on its Job Object.
func endSurvivors(keep map[int]bool) []proctree.Process { return nil }

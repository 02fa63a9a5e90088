//go:build unix

package step_test

import (
	"testing"

	"github.com/soakkit/soakkit/internal/crowd"
)

// startUnrelated starts n sleeping processes outside any step's tree for
// the rest of b.
func startUnrelated(b *testing.B, n int) { crowd.Start(b, n) }

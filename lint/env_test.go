package lint_test

import "os"

func environ() []string { return os.Environ() }

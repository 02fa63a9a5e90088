package step_test

import (
	"bytes"
	"os"
	"strconv"
	"strings"
)

// alive reports whether pid still runs; a zombie has ended.
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	return f[0] != "Z" && f[0] != "X"
}

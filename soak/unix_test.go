package soak

import "runtime"

func unixLike() bool { return runtime.GOOS != "windows" && runtime.GOOS != "plan9" }

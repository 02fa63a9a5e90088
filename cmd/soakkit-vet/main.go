package main

import "github.com/soakkit/soakkit/lint"

func main() { lint.VetMain() }

package soak

func soakDriver(args []string) int { return 2 }

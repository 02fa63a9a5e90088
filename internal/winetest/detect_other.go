//go:build !windows

package winetest

func detected() bool { return false }

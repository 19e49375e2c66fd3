//go:build !linux

package main

import "os"

// maxRSS reports false: peak memory is measured on Linux only, where
// Maxrss is in KiB.
func maxRSS(*os.ProcessState) (int64, bool) { return 0, false }

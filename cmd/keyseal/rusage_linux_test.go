package main

import (
	"os"
	"syscall"
)

// maxRSS returns the peak memory of a finished process in KiB.
func maxRSS(ps *os.ProcessState) (int64, bool) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, false
	}
	return ru.Maxrss, true
}

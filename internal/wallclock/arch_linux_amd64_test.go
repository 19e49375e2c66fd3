//go:build linux && amd64

package wallclock

const isLinuxAMD64 = true

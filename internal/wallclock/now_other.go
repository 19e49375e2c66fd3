//go:build !(linux && amd64)

package wallclock

import "time"

// Now returns the current local time: time.Now on this platform.
func Now() time.Time { return time.Now() }

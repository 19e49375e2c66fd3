//go:build linux && amd64

package wallclock

import (
	"strings"
	"testing"
)

// TestNowHasNoMonotonicReading: on linux/amd64 Now reads the wall clock
// alone (elsewhere it is time.Now, which carries a monotonic reading).
func TestNowHasNoMonotonicReading(t *testing.T) {
	if s := Now().String(); strings.Contains(s, "m=") {
		t.Errorf("Now() = %s carries a monotonic reading", s)
	}
}

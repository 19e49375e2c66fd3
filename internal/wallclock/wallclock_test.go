package wallclock

import (
	"testing"
	"time"
)

// TestNowFollowsTimeNow checks that Now reads the same clock as time.Now:
// every reading lies between two time.Now readings taken around it (to
// the microsecond gettimeofday resolves), in the same location.
func TestNowFollowsTimeNow(t *testing.T) {
	for range 1000 {
		before := time.Now().Round(0).Truncate(time.Microsecond)
		got := Now()
		after := time.Now().Round(0)
		if got.Before(before) || got.After(after) {
			t.Fatalf("Now() = %v, outside [%v, %v]", got, before, after)
		}
		if got.Location() != before.Location() {
			t.Fatalf("Now() in %v, time.Now in %v", got.Location(), before.Location())
		}
	}
}

func BenchmarkNow(b *testing.B) {
	for b.Loop() {
		Now()
	}
}

func BenchmarkTimeNow(b *testing.B) {
	for b.Loop() {
		time.Now()
	}
}

package cookiesession

import (
	"reflect"
	"testing"
	"time"
)

// TestHasRefs: only types whose plain copy shares nothing skip the deep
// copy.
func TestHasRefs(t *testing.T) {
	type flat struct {
		A string
		B [2]int
		C time.Time
		D struct{ E float64 }
	}
	type self struct {
		Next *self
	}
	type nested struct {
		F [1]struct{ G []int }
	}
	for _, c := range []struct {
		t    reflect.Type
		want bool
	}{
		{reflect.TypeFor[flat](), false},
		{reflect.TypeFor[int](), false},
		{reflect.TypeFor[[0]*int](), false},
		{reflect.TypeFor[self](), true},
		{reflect.TypeFor[nested](), true},
		{reflect.TypeFor[map[string]int](), true},
		{reflect.TypeFor[any](), true},
		{reflect.TypeFor[struct{ F func() }](), true},
		{reflect.TypeFor[[]byte](), true},
	} {
		if got := hasRefs(c.t); got != c.want {
			t.Errorf("hasRefs(%v) = %v, want %v", c.t, got, c.want)
		}
	}
}

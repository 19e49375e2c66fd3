package cookiesession

import (
	"reflect"
	"time"
)

// Data hands out copies that share nothing with the session, so that
// changing one can never reach the cookie, whether or not something else
// saves the session in the same request. A T without references (no
// pointer, slice, map, interface, channel or func inside it; strings and
// time.Time are immutable) is copied by assignment, for free. Any other T
// is copied through its serialized form: encoded as the cookie would hold
// it and decoded into a fresh T, so the copy is also what the next
// request will see.

// hasRefs reports whether a value of type t can share memory with a copy
// of it made by assignment.
func hasRefs(t reflect.Type) bool {
	return refs(t, map[reflect.Type]bool{})
}

func refs(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == reflect.TypeFor[time.Time]() {
		return false // its *Location is never changed through a Time
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface, reflect.Chan,
		reflect.Func, reflect.UnsafePointer:
		return true
	case reflect.Array:
		return t.Len() > 0 && refs(t.Elem(), seen)
	case reflect.Struct:
		if seen[t] {
			return false
		}
		seen[t] = true
		for i := range t.NumField() {
			if refs(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}

// copyData returns a copy of s.data that shares nothing with it. Called
// with s.mu held. A T that does not encode and decode has no copy to
// give: the zero T is returned, and the session's save reports the
// encoding error.
func (s *Session[T]) copyData() T {
	if !s.m.refs {
		return s.data
	}
	var out T
	bp := getBuf()
	b, err := s.m.form.append((*bp)[:0], &s.data)
	if err == nil {
		err = s.m.form.decode(b, &out)
	}
	*bp = b
	putBuf(bp)
	if err != nil {
		var zero T
		return zero
	}
	return out
}

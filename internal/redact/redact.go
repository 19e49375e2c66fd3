// Package redact keeps key material out of fmt's reach.
//
// fmt prints what a pointer points to only at the top level of a value,
// and at the top level of its fallback for a bad verb ("%!s(...)"), which
// prints without calling String or Format. A value holding key material
// directly, or one pointer away, therefore shows it when a copy of its
// holder is printed with %p, or when a struct holding it in an unexported
// field is printed with %s. A Box keeps the material two pointers away
// from whatever holds the Box, so every such path prints an address (the
// technique of keyring.Key's secret).
package redact

import "fmt"

// Box holds a value two pointers away from the holder of a *Box. It is
// immutable once made and safe for concurrent use.
type Box[T any] struct{ v *T }

// New boxes v.
func New[T any](v T) *Box[T] { return &Box[T]{&v} }

// Get returns the boxed value, or nil for a nil Box.
func (b *Box[T]) Get() *T {
	if b == nil {
		return nil
	}
	return b.v
}

// String prints nothing of the value.
func (b *Box[T]) String() string { return "REDACTED" }

// Format prints nothing of the value, whatever the verb.
func (b *Box[T]) Format(f fmt.State, verb rune) { fmt.Fprint(f, b.String()) }

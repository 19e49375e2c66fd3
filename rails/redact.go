package rails

import (
	"fmt"
	"strconv"
)

// String describes the codec without its secrets or keys.
func (c Codec) String() string {
	n := 0
	if ks := c.keys.Get(); ks != nil { // nil in the zero Codec
		n = len(*ks)
	}
	return "rails.Codec{cookie=" + strconv.Quote(c.name) + " secrets=" + strconv.Itoa(n) + " REDACTED}"
}

// GoString is String, for %#v.
func (c Codec) GoString() string { return c.String() }

// Format makes every fmt verb print the redacted form, so a secret cannot
// reach a log through a format string.
func (c Codec) Format(f fmt.State, verb rune) { fmt.Fprint(f, c.String()) }

package authjs

import (
	"fmt"
	"strconv"
)

// String describes the codec without its secrets or keys.
func (c Codec) String() string {
	return "authjs.Codec{cookie=" + strconv.Quote(c.name) + " secrets=" + strconv.Itoa(len(c.keys)) + " REDACTED}"
}

// GoString is String, for %#v.
func (c Codec) GoString() string { return c.String() }

// Format makes every fmt verb print the redacted form, so a secret cannot
// reach a log through a format string.
func (c Codec) Format(f fmt.State, verb rune) { fmt.Fprint(f, c.String()) }

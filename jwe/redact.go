package jwe

import "fmt"

// String describes the codec without its keys.
func (c *Codec) String() string { return "jwe.Codec{enc=" + string(c.enc) + " REDACTED}" }

// GoString is String, for %#v.
func (c *Codec) GoString() string { return c.String() }

// Format makes every fmt verb print the redacted form, so a key cannot
// reach a log through a format string.
func (c *Codec) Format(f fmt.State, verb rune) { fmt.Fprint(f, c.String()) }

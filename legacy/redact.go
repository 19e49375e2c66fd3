package legacy

import (
	"fmt"
	"strconv"
)

// String describes the decoder without its keys.
func (d Decoder) String() string {
	n := 0
	if pairs := d.keys.Get(); pairs != nil { // nil in the zero Decoder
		n = len(*pairs)
	}
	return "legacy.Decoder{keys=" + strconv.Itoa(n) + " cutoff=" + d.cutoff.UTC().Format("2006-01-02T15:04:05Z") + " REDACTED}"
}

// GoString is String, for %#v.
func (d Decoder) GoString() string { return d.String() }

// Format makes every fmt verb print the redacted form, so a key cannot
// reach a log through a format string.
func (d Decoder) Format(f fmt.State, verb rune) { fmt.Fprint(f, d.String()) }

package format_test

import (
	"fmt"

	"github.com/keyseal/keyseal/format"
)

func ExampleDetect() {
	for _, v := range []string{
		"AQAAAAAqAGlU7wAAaVU9EAbc",   // a native token (truncated)
		"eyJhbGciOiJkaXIifQ..iv.c.t", // a JWE
		"MTcwMDAwMDAwMHxhYmN8bWFj",   // a securecookie value
		"hello",
	} {
		fmt.Println(format.Detect(v))
	}
	// Output:
	// native
	// jwe
	// securecookie
	// unknown
}

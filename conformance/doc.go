// Package conformance holds test-only checks of keyseal's cryptographic
// construction paths against the Wycheproof test vectors
// (github.com/c2sp/wycheproof). It is a separate module so that the
// vectors stay out of the library's go.mod; it has no API.
//
// Run it with `go test ./...` in this directory. The vectors come from the
// pinned wycheproof module (embedded in it), fetched once by
// `go mod download`; the tests need no network.
package conformance

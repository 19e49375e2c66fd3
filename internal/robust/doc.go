// Package robust holds robustness tests of the native token codec at
// volume: a million random and mutated tokens opened without a panic and
// with only the codec's sentinel errors, and a million seals without a
// repeated nonce. `go test -short` runs a tenth of each, and so does the
// race detector: the full figures come from `go test ./internal/robust`.
// It has no API.
package robust

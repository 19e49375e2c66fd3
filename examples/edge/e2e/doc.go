// Package e2e runs the edge gate of examples/edge for real: its Worker
// in workerd, Cloudflare's open-source Workers runtime (installed with
// npm ci at the version testdata/package-lock.json pins), in front of a
// cookiesession origin on loopback, driven by an HTTP client with a
// cookie jar; and its WASI filter in wazero, in-process. bench_test.go
// measures both (scripts/edge-bench.sh).
//
// The workerd tests need node and npm on PATH. Without them they skip,
// unless KEYSEAL_REQUIRE_NODE=1 (scripts/test-all.sh sets it), which
// turns the skip into a failure. The npm install lives in the user cache
// directory (keyseal/workerd/<hash of the lock file>), outside the
// repository. A nested module: wazero stays out of the library's go.mod.
package e2e

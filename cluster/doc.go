// Package cluster is keyseal's cluster proof, a test-only module: three
// demo-app instances behind nginx, each following its own copy of a
// keyring file, under a population of clients while the keys rotate one
// instance at a time. The harness is the command in cmd/harness; the test
// in this package builds and runs it.
//
//	cd cluster && go test -v -run TestCluster .   # or: go run ./cmd/harness
//
// It needs nginx (the Debian package nginx; scripts/setup.sh installs it)
// and listens on loopback only.
package cluster

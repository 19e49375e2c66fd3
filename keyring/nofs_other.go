//go:build !js && !wasip1

package keyring

// noFileAccess is the identity outside WebAssembly, where an open that fails
// says why by itself.
func noFileAccess(err error) error { return err }

// Package keyring holds the versioned keys that keyseal seals and opens
// tokens with.
//
// A [Ring] is an immutable set of keys. Each [Key] has a random non-zero
// uint32 ID that is carried in every token, so opening a token finds its key
// in O(1) instead of trying every key. Exactly one key is the primary: it
// seals new tokens. Active keys still open tokens, retired keys are known but
// refused. Rotation never logs anyone out:
//
//	ring, _ := keyring.Generate(keyring.XChaCha20Poly1305) // one primary key
//	old := ring.Primary(time.Now())
//	ring, next, _ := ring.Add(keyring.XChaCha20Poly1305, time.Time{}) // deploy everywhere
//	ring, _ = ring.Promote(next.ID()) // seal with the new key
//	ring, _ = ring.Retire(old.ID())   // after the max token age
//	keyring.WriteFile("keyring.json", ring)
//
// Every operation returns a new Ring; a Ring is never modified, so it is safe
// for concurrent use and a request can work on one snapshot from start to end.
// A [Watcher] reloads a keyring file when its content changes and keeps the
// last good ring when the new content is invalid.
//
// Key secrets never leave the package except through [MarshalFile] and
// [WriteFile] (the keyring file format) and through [Key.Derive], which
// returns a per-purpose subkey derived with HKDF-SHA256, [Key.JWEKey] (a
// derived JWE content encryption key) and [ExportJWK], which hands that
// JWE key to another JOSE stack. [ImportJWK] brings one in as a key of
// algorithm [A256GCMDirect], used only for JWE tokens. Keys and rings
// print, format and marshal to JSON without their secrets.
//
// This package uses only the standard library.
package keyring

// Package keyuse lets the codecs count a key's uses. The counts are what
// operators read (keyring.Key.Usage) to decide when a key is safe to
// retire, so anyone may read them and only keyseal may write them: the
// writers live here, out of the public API. Package keyring sets them
// when it is initialized; k must be a *keyring.Key.
package keyuse

import "time"

var (
	// Seal records that k sealed a token at now.
	Seal func(k any, now time.Time)
	// Open records that k opened a token at now.
	Open func(k any, now time.Time)
)

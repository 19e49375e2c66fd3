package keyring

import "fmt"

// Algorithm is what a key's secret is used for. It is fixed when the key is
// created: a token never chooses its own algorithm.
type Algorithm uint8

const (
	// XChaCha20Poly1305 seals tokens with XChaCha20-Poly1305 and a random
	// 192-bit nonce. It is the default.
	XChaCha20Poly1305 Algorithm = iota + 1
	// AES256GCM seals tokens with AES-256-GCM and a random 96-bit nonce.
	// Random 96-bit nonces bound a key to about 2³² seals; rotate sooner.
	AES256GCM
	// HMACSHA256 signs tokens without encrypting them: the client can read
	// the payload but cannot change it.
	HMACSHA256
	// A256GCMDirect marks a key imported from another JOSE stack (see
	// [ImportJWK]): its secret is used as-is as the A256GCM content
	// encryption key of JWE "dir" tokens, and for nothing else. The native
	// token codec refuses rings holding such keys.
	A256GCMDirect
)

// DefaultAlgorithm is the algorithm used when none is named.
const DefaultAlgorithm = XChaCha20Poly1305

var algorithmNames = map[Algorithm]string{
	XChaCha20Poly1305: "xchacha20poly1305",
	AES256GCM:         "aes256gcm",
	HMACSHA256:        "hmacsha256",
	A256GCMDirect:     "jwe-a256gcm",
}

// String returns the algorithm's name as written in keyring files.
func (a Algorithm) String() string {
	if s, ok := algorithmNames[a]; ok {
		return s
	}
	return fmt.Sprintf("Algorithm(%d)", uint8(a))
}

// Valid reports whether a is one of the defined algorithms.
func (a Algorithm) Valid() bool {
	_, ok := algorithmNames[a]
	return ok
}

// ParseAlgorithm returns the algorithm with the given name:
// "xchacha20poly1305", "aes256gcm", "hmacsha256" or "jwe-a256gcm".
func ParseAlgorithm(name string) (Algorithm, error) {
	for a, s := range algorithmNames {
		if s == name {
			return a, nil
		}
	}
	return 0, fmt.Errorf("%w %s", ErrUnknownAlgorithm, quoteName(name))
}

// MarshalText implements [encoding.TextMarshaler].
func (a Algorithm) MarshalText() ([]byte, error) {
	if !a.Valid() {
		return nil, fmt.Errorf("%w %d", ErrUnknownAlgorithm, uint8(a))
	}
	return []byte(a.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (a *Algorithm) UnmarshalText(b []byte) error {
	v, err := ParseAlgorithm(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// State says what a key may be used for.
type State uint8

const (
	// Primary keys seal and open. A ring has exactly one.
	Primary State = iota + 1
	// Active keys open tokens but do not seal, unless their activation
	// time has come (see [Key.ActivateAt]).
	Active
	// Retired keys are known but refused: tokens sealed under them no
	// longer open.
	Retired
)

var stateNames = map[State]string{
	Primary: "primary",
	Active:  "active",
	Retired: "retired",
}

// String returns the state's name as written in keyring files.
func (s State) String() string {
	if n, ok := stateNames[s]; ok {
		return n
	}
	return fmt.Sprintf("State(%d)", uint8(s))
}

// ParseState returns the state with the given name: "primary", "active" or
// "retired".
func ParseState(name string) (State, error) {
	for s, n := range stateNames {
		if n == name {
			return s, nil
		}
	}
	return 0, fmt.Errorf("%w %s", ErrUnknownState, quoteName(name))
}

// MarshalText implements [encoding.TextMarshaler].
func (s State) MarshalText() ([]byte, error) {
	if _, ok := stateNames[s]; !ok {
		return nil, fmt.Errorf("%w %d", ErrUnknownState, uint8(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *State) UnmarshalText(b []byte) error {
	v, err := ParseState(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

package gate

import (
	"fmt"
	"strings"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// The settings FromEnv reads: on Workers-style platforms they are the
// Worker's bindings (KEYSEAL_KEYRING and KEYSEAL_GATE_SECRET as secrets),
// under WASI the module's environment.
const (
	EnvKeyring          = keyring.EnvVar // the keyring file's JSON
	EnvGateSecret       = "KEYSEAL_GATE_SECRET"
	EnvCookieName       = "KEYSEAL_COOKIE_NAME"
	EnvLoginPath        = "KEYSEAL_LOGIN_PATH"
	EnvPublicPaths      = "KEYSEAL_PUBLIC_PATHS" // comma-separated prefixes
	EnvAbsoluteLifetime = "KEYSEAL_ABSOLUTE_LIFETIME"
	EnvInsecureDevMode  = "KEYSEAL_INSECURE_DEV_MODE" // "1" to turn on
)

// FromEnv builds a Gate from settings read with getenv (os.Getenv, or a
// Worker's env object).
func FromEnv(getenv func(string) string) (*Gate, error) {
	ring, err := keyring.Parse([]byte(getenv(EnvKeyring)))
	if err != nil {
		return nil, fmt.Errorf("gate: %s: %w", EnvKeyring, err)
	}
	cfg := Config{
		Ring:            ring,
		GateSecret:      getenv(EnvGateSecret),
		CookieName:      getenv(EnvCookieName),
		LoginPath:       getenv(EnvLoginPath),
		InsecureDevMode: getenv(EnvInsecureDevMode) == "1",
	}
	for p := range strings.SplitSeq(getenv(EnvPublicPaths), ",") {
		if p = strings.TrimSpace(p); p != "" {
			cfg.PublicPaths = append(cfg.PublicPaths, p)
		}
	}
	if s := getenv(EnvAbsoluteLifetime); s != "" {
		if cfg.AbsoluteLifetime, err = time.ParseDuration(s); err != nil || cfg.AbsoluteLifetime < time.Second {
			return nil, fmt.Errorf("gate: %s: want a duration of at least 1s, such as 168h", EnvAbsoluteLifetime)
		}
	}
	return New(cfg)
}

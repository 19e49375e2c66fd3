package demo

import (
	"flag"
)

// RegisterFlags defines the demo's command-line flags on fs, writing into o.
// Both `go run ./examples/demo` and `keyseal demo` use it.
func RegisterFlags(fs *flag.FlagSet, o *Options) {
	fs.StringVar(&o.Addr, "addr", "127.0.0.1:8080", "listen address (loopback only)")
	fs.StringVar(&o.KeyringFile, "keyring", "", "keyring file to follow with hot reload (default: an ephemeral keyring)")
	fs.StringVar(&o.Instance, "instance", "", "instance name shown in the page and the X-Instance header")
	fs.DurationVar(&o.Poll, "poll", 0, "keyring file poll interval (default 1s)")
	fs.DurationVar(&o.ClockSkew, "clock-skew", 0, "shift this instance's clock (for skew tests)")
	fs.DurationVar(&o.Leeway, "leeway", 0, "clock skew tolerated on session cookies' times (default 60s; negative for none)")
	fs.BoolVar(&o.NoKeyControls, "no-key-controls", false, "hide the add/promote/retire buttons")
	fs.BoolVar(&o.KeyControls, "key-controls", false, "with --keyring, show the key buttons, which rewrite the file (off by default)")
	fs.DurationVar(&o.IdleTimeout, "idle", 0, "session idle timeout (default 24h)")
	fs.DurationVar(&o.AbsoluteLifetime, "lifetime", 0, "session absolute lifetime (default 7 days)")
}

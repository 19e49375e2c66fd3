// Command wasi is the edge gate as a WASI filter (GOOS=wasip1
// GOARCH=wasm), for hosts that run a module per request, such as a proxy
// with a WASI plugin or a function platform: it reads a request's Cookie
// header value on stdin and writes one line of JSON on stdout:
//
//	{"action":"allow","user":"ada"}
//	{"action":"reseal","user":"ada","set_cookie":"session=...; Path=/; ..."}
//	{"action":"deny","reason":"keyseal: token expired"}
//
// reseal is allow plus a Set-Cookie header value to append to the
// response. Its settings come from the environment, as for the Worker
// (gate.FromEnv: KEYSEAL_KEYRING, KEYSEAL_GATE_SECRET, ...); a wrong one
// exits with status 2 and the reason on stderr. The host must give the
// module the real clock and a cryptographic random source (wazero:
// WithSysWalltime, WithRandSource(crypto/rand.Reader)).
//
//	GOOS=wasip1 GOARCH=wasm go build -o filter.wasm ./examples/edge/wasi
//	echo "session=..." | wazero run -env KEYSEAL_KEYRING="$(cat keyring.json)" ... filter.wasm
//
// See docs/edge.md.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/keyseal/keyseal/examples/edge/gate"
)

// maxCookieHeader bounds what is read from stdin: more than any browser
// sends in one Cookie header.
const maxCookieHeader = 64 << 10

type verdict struct {
	Action    string `json:"action"`
	User      string `json:"user,omitempty"`
	SetCookie string `json:"set_cookie,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

func main() {
	g, err := gate.FromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "keyseal filter:", err)
		os.Exit(2)
	}
	in, err := io.ReadAll(io.LimitReader(os.Stdin, maxCookieHeader+1))
	if err != nil {
		fmt.Fprintln(os.Stderr, "keyseal filter: reading stdin:", err)
		os.Exit(2)
	}
	v := decide(g, in)
	if err := json.NewEncoder(os.Stdout).Encode(v); err != nil {
		os.Exit(2)
	}
}

func decide(g *gate.Gate, in []byte) verdict {
	if len(in) > maxCookieHeader {
		return verdict{Action: "deny", Reason: "keyseal filter: cookie header too large"}
	}
	s, err := g.Open(strings.TrimRight(string(in), "\r\n"))
	switch {
	case err != nil:
		return verdict{Action: "deny", Reason: err.Error()}
	case s.SetCookie != "":
		return verdict{Action: "reseal", User: s.User, SetCookie: s.SetCookie}
	default:
		return verdict{Action: "allow", User: s.User}
	}
}

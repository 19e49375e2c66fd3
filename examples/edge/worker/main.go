//go:build js && wasm

// Command worker is the edge gate's logic for a Workers-style runtime
// (workerd, Cloudflare Workers), built with GOOS=js GOARCH=wasm and loaded
// by worker.mjs through Go's wasm_exec.js. It registers one function,
// globalThis.keysealGate(request), where request is the path, the query
// and the Cookie header value joined by newlines (none of them can hold
// one), and returns the gate's decision as JSON; worker.mjs does the
// HTTP. One string each way: every value that crosses between JavaScript
// and Go costs microseconds. Its settings are the Worker's bindings,
// which worker.mjs hands over as the environment (see gate.FromEnv). See
// docs/edge.md.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"syscall/js"

	"github.com/keyseal/keyseal/examples/edge/gate"
)

// plan is a decision as worker.mjs reads it. Only structs: encoding a map
// costs a third more per request under wasm.
type plan struct {
	Status     int    `json:"status"` // 0: forward
	Location   string `json:"location,omitempty"`
	SetCookie  string `json:"setCookie,omitempty"`
	CookieName string `json:"cookieName"`
	// The request headers to delete first, then to set when forwarding:
	// UserHeader to User (when not empty), SecretHeader to Secret.
	UserHeader   string `json:"userHeader"`
	SecretHeader string `json:"secretHeader"`
	User         string `json:"user,omitempty"`
	Secret       string `json:"secret,omitempty"`
}

// misconfigured is the answer to every request when a setting is wrong.
const misconfigured = `{"status":500}`

func main() {
	g, err := gate.FromEnv(os.Getenv)
	if err != nil {
		// A wrong binding is an operator's mistake: every request gets a
		// 500, and the reason (never a secret) goes to the Worker's log.
		fmt.Println("keyseal gate:", err)
	}
	js.Global().Set("keysealGate", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if g == nil || len(args) != 1 {
			return misconfigured
		}
		path, rest, _ := strings.Cut(args[0].String(), "\n")
		query, cookie, _ := strings.Cut(rest, "\n")
		d := g.Check(path, query, cookie)
		p := plan{
			Status:       d.Status,
			Location:     d.Location,
			SetCookie:    d.SetCookie,
			CookieName:   g.CookieName(),
			UserHeader:   gate.UserHeader,
			SecretHeader: gate.SecretHeader,
		}
		if d.Status == 0 {
			p.User, p.Secret = d.User, g.Secret()
		}
		b, err := json.Marshal(p)
		if err != nil {
			return misconfigured
		}
		return string(b)
	}))
	select {} // serve calls from JavaScript until the isolate goes away
}

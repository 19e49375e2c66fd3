//go:build js && wasm

// Command worker is the edge gate's logic for a Workers-style runtime
// (workerd, Cloudflare Workers), built with GOOS=js GOARCH=wasm and loaded
// by worker.mjs through Go's wasm_exec.js. It registers one function,
// globalThis.keysealGate(path, query, cookie), that returns the gate's
// decision as a plain object; worker.mjs does the HTTP. Its settings are
// the Worker's bindings, which worker.mjs hands over as the environment
// (see gate.FromEnv). See docs/edge.md.
package main

import (
	"fmt"
	"os"
	"syscall/js"
	"time"

	"github.com/keyseal/keyseal/examples/edge/gate"
)

func main() {
	g, err := gate.FromEnv(os.Getenv)
	if err != nil {
		// A wrong binding is an operator's mistake: every request gets a
		// 500, and the reason (never a secret) goes to the Worker's log.
		fmt.Println("keyseal gate:", err)
	}
	js.Global().Set("keysealGate", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if g == nil {
			return map[string]any{"status": 500}
		}
		d := g.Check(time.Now(), args[0].String(), args[1].String(), args[2].String())
		out := map[string]any{
			"status":     d.Status,
			"location":   d.Location,
			"setCookie":  d.SetCookie,
			"cookieName": g.CookieName(),
			"strip":      []any{gate.UserHeader, gate.SecretHeader},
		}
		if d.Status == 0 {
			set := map[string]any{gate.SecretHeader: g.Secret()}
			if d.User != "" {
				set[gate.UserHeader] = d.User
			}
			out["set"] = set
		}
		return out
	}))
	select {} // serve calls from JavaScript until the isolate goes away
}

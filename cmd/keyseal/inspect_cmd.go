package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/keyseal/keyseal/codec"
)

// inspected is the output of "inspect --json". Verified is always false:
// the header is read without any key.
type inspected struct {
	Verified   bool     `json:"verified"`
	Format     string   `json:"format"`
	Version    uint8    `json:"version"`
	Flags      uint8    `json:"flags"`
	Compressed bool     `json:"compressed"`
	KeyID      uint32   `json:"key_id"`
	IssuedAt   jsonTime `json:"issued_at"`
	ExpiresAt  jsonTime `json:"expires_at"`
	Length     int      `json:"length"`
}

func runInspect(e *env, args []string) error {
	f := newFlags(e, "inspect", "inspect [--json] < token")
	asJSON := f.Bool("json", false, "print JSON")
	if _, err := f.parse(args, 0, 0); err != nil {
		return err
	}
	in, err := readInput(e.stdin, "token", maxTokenInput)
	if err != nil {
		return err
	}
	token := string(bytes.TrimSpace(in))
	h, err := codec.ParseHeader(token)
	if err != nil {
		return withCode(codecCode(err), err)
	}
	out := inspected{Format: "native", Version: h.Version, Flags: h.Flags, Compressed: h.Compressed(),
		KeyID: h.KeyID, IssuedAt: jsonTime{h.IssuedAt}, ExpiresAt: jsonTime{h.ExpiresAt}, Length: len(token)}
	if *asJSON {
		return withCode(exitIO, json.NewEncoder(e.stdout).Encode(out))
	}
	_, err = fmt.Fprintf(e.stdout, `UNVERIFIED header: not authenticated, anyone can write any header; use "keyseal open" to verify.
format:     native, version %d
key_id:     %d
issued_at:  %s
expires_at: %s
compressed: %t
length:     %d characters
`, out.Version, out.KeyID, out.IssuedAt.Format(time.RFC3339), out.ExpiresAt.Format(time.RFC3339), out.Compressed, out.Length)
	return withCode(exitIO, err)
}

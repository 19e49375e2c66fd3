package main

import (
	"strings"
	"testing"
)

// FuzzOpen feeds hostile stdin to open and inspect in-process: they never
// panic, exit only with a code documented for them, and report failures as
// one stderr line.
func FuzzOpen(f *testing.F) {
	ring := ringJSON(primaryKey)
	env := func(k string) string {
		if k == "KEYSEAL_KEYRING" {
			return ring
		}
		return ""
	}
	token, code, stderr := runIn("seed", env, "seal", "--name", "n")
	if code != exitOK {
		f.Fatalf("seal: %d %s", code, stderr)
	}
	for _, seed := range []string{token, strings.TrimSpace(token), "", " \n", "AQ", "AQAAAAcAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		token[:24] + strings.Repeat("_", 60), strings.Repeat("A", 4097), "\xff\x00"} {
		f.Add(seed)
	}
	openCodes := map[int]bool{exitOK: true, exitAuth: true, exitTime: true, exitKey: true, exitMalformed: true, exitTooLarge: true}
	inspectCodes := map[int]bool{exitOK: true, exitMalformed: true, exitTooLarge: true}
	f.Fuzz(func(t *testing.T, in string) {
		for _, c := range []struct {
			args  []string
			codes map[int]bool
		}{
			{[]string{"open", "--name", "n", "--json"}, openCodes},
			{[]string{"inspect", "--json"}, inspectCodes},
		} {
			_, code, stderr := runIn(in, env, c.args...)
			if !c.codes[code] {
				t.Fatalf("%s: exit code %d: %s", c.args[0], code, stderr)
			}
			checkStderr(t, c.args, result{code: code, stderr: stderr})
		}
	})
}

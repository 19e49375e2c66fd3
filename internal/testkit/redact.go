package testkit

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// Holders returns v and the ways a program may hold it, to print: the
// pointer, a copy, structs holding it in an exported field, an unexported
// field and by pointer, pointers to those, a slice and a map.
func Holders[T any](v *T) map[string]any {
	type exported struct{ C T }
	type unexported struct{ c T }
	type byPointer struct{ c *T }
	type nested struct{ inner unexported }
	return map[string]any{
		"pointer":                    v,
		"copy":                       *v,
		"exported field":             exported{*v},
		"unexported field":           unexported{*v},
		"pointer field":              byPointer{v},
		"pointer to unexported":      &unexported{*v},
		"pointer to pointer field":   &byPointer{v},
		"nested unexported":          nested{unexported{*v}},
		"slice":                      []T{*v},
		"map":                        map[string]*T{"k": v},
		"pointer to nested":          &nested{unexported{*v}},
		"slice of unexported holder": []unexported{{*v}},
	}
}

// redactVerbs are the fmt verbs a log line may use.
var redactVerbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %p"}

// CheckRedacted prints each holder of a value with every verb, and
// marshals it with encoding/json and encoding/gob, and fails the test if
// any output shows one of secrets: in hex, in decimal bytes, quoted, in
// base64, or as the big- or little-endian words an expanded key schedule
// keeps.
func CheckRedacted(t *testing.T, holders map[string]any, secrets ...[]byte) {
	t.Helper()
	var forms []string
	for _, s := range secrets {
		if len(s) < 8 {
			t.Fatalf("testkit: a secret of %d bytes is too short to look for", len(s))
		}
		p := s[:8]
		q := strconv.Quote(string(p))
		forms = append(forms, hex.EncodeToString(p), strings.ToUpper(hex.EncodeToString(p)),
			strings.Trim(fmt.Sprint(p), "[]"), q[1:len(q)-1],
			base64.StdEncoding.EncodeToString(s[:6]), base64.RawURLEncoding.EncodeToString(s[:6]),
			strconv.FormatUint(uint64(binary.BigEndian.Uint32(p)), 10),
			strconv.FormatUint(uint64(binary.LittleEndian.Uint32(p)), 10),
			strconv.FormatUint(uint64(binary.BigEndian.Uint32(p)), 16),
			strconv.FormatUint(uint64(binary.LittleEndian.Uint32(p)), 16))
	}
	check := func(how, out string) {
		t.Helper()
		for _, f := range forms {
			if strings.Contains(out, f) {
				t.Errorf("%s shows key material (%q): %s", how, f, out)
				return
			}
		}
	}
	for name, h := range holders {
		for _, verb := range redactVerbs {
			check(name+" "+verb, fmt.Sprintf(verb, h, h))
		}
		if b, err := json.Marshal(h); err == nil {
			check(name+" json", string(b))
		}
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(h); err == nil {
			check(name+" gob", buf.String())
		}
	}
}

package gate

import (
	"bytes"
	"testing"
)

func TestPayloadData(t *testing.T) {
	tests := []struct {
		in   []byte
		data []byte // nil: refused
	}{
		{[]byte("\x01\x00\x00{}"), []byte("{}")},
		{[]byte("\x01\xac\x02\x02\x01a\x02bc{}"), []byte("{}")}, // schema 300, two flashes
		{[]byte("\x01\x00\x00"), []byte{}},
		{nil, nil},
		{[]byte("\x02\x00\x00{}"), []byte("{}")},                              // JSON, recorded
		{[]byte("\x03\x00\x00{}"), nil},                                       // the type's binary form
		{[]byte("\x04\x00\x00{}"), nil},                                       // an app's Serializer
		{[]byte("\x82\x04\x01\x02\x00\x00\x00\x00{}"), []byte("{}")},          // extension: a lifetime record
		{[]byte("\x82\x03\x02\x01s\x00\x00{}"), []byte("{}")},                 // extension: a stamp record
		{[]byte("\x82\x03\x03\x01s\x00\x00{}"), nil},                          // unknown tag
		{[]byte("\x82\x04\x01\x02\x02\x00\x00\x00{}"), nil},                   // unknown lifetime flag
		{[]byte("\x82\x06\x02\x01s\x01\x01\x01\x00\x00{}"), nil},              // tags out of order
		{[]byte("\x82\x00\x00\x00{}"), nil},                                   // empty extension
		{[]byte("\x82\x09\x00\x00{}"), nil},                                   // extension past the end
		{[]byte("\x01"), nil},                                                 // no schema
		{[]byte("\x01\x80"), nil},                                             // truncated varint
		{[]byte("\x01\x00\x05ab"), nil},                                       // more flashes than bytes
		{[]byte("\x01\x00\x01\x09ab"), nil},                                   // flash longer than the rest
		{[]byte("\x01\x00\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"), nil}, // huge length
	}
	for _, tt := range tests {
		got, _, err := payloadData(tt.in)
		if tt.data == nil && err == nil || tt.data != nil && (err != nil || !bytes.Equal(got, tt.data)) {
			t.Errorf("payloadData(%q) = %q, %v; want %q", tt.in, got, err, tt.data)
		}
	}
}

// FuzzUserOf feeds authenticated-but-hostile plaintexts (a key holder
// writes them) to the payload and JSON parsing: never a panic, and a user
// is always printable.
func FuzzUserOf(f *testing.F) {
	for _, s := range []string{"\x01\x00\x00{\"user\":\"ada\"}", "\x01\xac\x02\x02\x01a\x02bc{\"user\":\"b\"}", "\x01\x00\x01\xff\xff\xff\xff\x0f", "\x01\x00\x00{\"user\":1}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		u, _, err := userOf(b)
		if err == nil && (u == "" || !printable(u)) {
			t.Fatalf("userOf(%q) = %q", b, u)
		}
	})
}

// The lifetime record's first flag is the browser-session cookie.
func TestPayloadBrowserSession(t *testing.T) {
	for in, want := range map[string]bool{
		"\x82\x04\x01\x02\x01\x00\x00\x00{}": true,
		"\x82\x04\x01\x02\x00\x00\x00\x00{}": false,
		"\x02\x00\x00{}":                     false,
	} {
		if _, got, err := payloadData([]byte(in)); err != nil || got != want {
			t.Errorf("payloadData(%q): browser session %v, %v; want %v", in, got, err, want)
		}
	}
}

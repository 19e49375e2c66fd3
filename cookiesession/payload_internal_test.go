package cookiesession

import (
	"bytes"
	"slices"
	"testing"
)

// FuzzParsePayload checks that parsePayload's shortcut for the usual
// header agrees with the general parser, and that payloads round-trip.
func FuzzParsePayload(f *testing.F) {
	f.Add([]byte{1, 0, 0, 'x'})
	f.Add([]byte{1, 0x7f, 0})
	f.Add([]byte{1, 0x80, 0x01, 0, 'x'})
	f.Add([]byte{1, 0, 1, 2, 'h', 'i', 'x'})
	f.Add([]byte{1, 0, 0x80, 0})
	f.Add([]byte{2, 0, 0, '{', '}'})
	f.Add([]byte{3, 0, 0})
	f.Add([]byte{4, 0x80, 0x01, 0, 'x'})
	f.Add([]byte{5, 0, 0})
	f.Add([]byte{0, 0, 0})
	f.Add([]byte{1, 0})
	f.Add([]byte{0x82, 5, 1, 3, 1, 0, 0, 0, 0, '{', '}'})
	f.Add([]byte{0x83, 9, 1, 7, 0, 0x80, 0x94, 0xeb, 0xdc, 3, 0, 0, 0})
	f.Add([]byte{0x82, 0, 0, 0})
	f.Add([]byte{0x82, 10, 1, 3, 1, 0, 0, 2, 3, 'a', 'b', 'c', 0, 0, 'x'})
	f.Add([]byte{0x82, 5, 2, 3, 'a', 'b', 'c', 0, 1, 1, 'f', 'x'})
	f.Add([]byte{0x82, 5, 2, 3, 1, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, gotErr := parsePayload(b)
		want, wantErr := parsePayloadVarints(b)
		if (gotErr == nil) != (wantErr == nil) || got.form != want.form || got.ext != want.ext || got.schema != want.schema ||
			!slices.Equal(got.flashes, want.flashes) || !bytes.Equal(got.data, want.data) {
			t.Fatalf("parsePayload(%x) = %+v, %v; want %+v, %v", b, got, gotErr, want, wantErr)
		}
		if gotErr != nil {
			return
		}
		again, err := parsePayload(append(appendPayloadHeader(nil, got.form, got.schema, got.flashes, &got.ext), got.data...))
		if err != nil || again.form != got.form || again.ext != got.ext || again.schema != got.schema || !slices.Equal(again.flashes, got.flashes) || !bytes.Equal(again.data, got.data) {
			t.Fatalf("round trip of %+v: %+v, %v", got, again, err)
		}
	})
}

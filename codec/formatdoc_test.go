package codec_test

import (
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/internal/derive"
	"github.com/keyseal/keyseal/internal/primitive"
)

// FORMAT.md states facts about the code; this test keeps the two in step:
// the info strings, the limits, and the worked example, which must be a
// vector of the files.
func TestFormatDocMatchesCode(t *testing.T) {
	data, err := os.ReadFile("../FORMAT.md")
	if err != nil {
		t.Skipf("FORMAT.md not found next to the module: %v", err)
	}
	doc := string(data)
	for _, alg := range algorithms {
		info := derive.Info(alg.String(), primitive.Purpose)
		if !strings.Contains(doc, hex.EncodeToString([]byte(info))) {
			t.Errorf("FORMAT.md lacks the info bytes of %q", info)
		}
	}
	for _, fact := range []string{
		"# keyseal sealed token format, version 1",
		"| 0      | 1    | version     | `0x01` for this format |",
		"default 4096 characters",
		"default 65 536 bytes",
		"default 24 h",
		"default 60 s",
		"1–255 bytes",
		"43 characters (32 raw bytes)",
	} {
		if !strings.Contains(doc, fact) {
			t.Errorf("FORMAT.md no longer says %q", fact)
		}
	}
	if codec.Version != 1 || codec.HeaderSize != 16 || 0x01 != 1 || keyseal.DefaultMaxTokenSize != 4096 ||
		codec.DefaultMaxDecompressedSize != 65536 || keyseal.DefaultMaxAge.Hours() != 24 || keyseal.DefaultLeeway.Seconds() != 60 ||
		codec.MaxNameSize != 255 || primitive.Purpose != "token" {
		t.Error("a format constant changed: update FORMAT.md, bump the version if the format changed, and regenerate the vectors")
	}
	pos, _ := loadVectors(t)
	found := false
	for _, v := range pos {
		if v.Description == "xchacha20poly1305: 11-byte plaintext" {
			found = strings.Contains(doc, "    token      "+v.Token+"\n") &&
				strings.Contains(doc, "    nonce      "+v.Nonce+"\n") &&
				strings.Contains(doc, "    secret     "+v.Keys[0].Secret+"\n") &&
				strings.Contains(doc, "    subkey     "+v.Keys[0].Subkey+"\n")
		}
	}
	if !found {
		t.Error("FORMAT.md's worked example is not the vector \"xchacha20poly1305: 11-byte plaintext\"")
	}
}

package conformance_test

import (
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"testing"

	"github.com/c2sp/wycheproof"
)

// file is the part of a Wycheproof v1 vector file these tests read. Each
// group holds its parameter sizes in bits; tests hold hex strings.
type file[T any] struct {
	Algorithm     string     `json:"algorithm"`
	NumberOfTests int        `json:"numberOfTests"`
	TestGroups    []group[T] `json:"testGroups"`
}

type group[T any] struct {
	KeySize int `json:"keySize"`
	IVSize  int `json:"ivSize"`
	TagSize int `json:"tagSize"`
	Tests   []T `json:"tests"`
}

// vector holds the fields common to every test case.
type vector struct {
	TcID    int      `json:"tcId"`
	Comment string   `json:"comment"`
	Flags   []string `json:"flags"`
	Result  string   `json:"result"` // "valid", "invalid" or "acceptable"
}

// load reads and decodes one vector file of the pinned wycheproof module.
func load[T any](t *testing.T, name string) file[T] {
	t.Helper()
	data, err := fs.ReadFile(wycheproof.TestVectors, name)
	if err != nil {
		t.Fatalf("reading %s from the wycheproof module: %v", name, err)
	}
	var f file[T]
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("decoding %s: %v", name, err)
	}
	n := 0
	for _, g := range f.TestGroups {
		n += len(g.Tests)
	}
	if n == 0 || n != f.NumberOfTests {
		t.Fatalf("%s: %d tests in groups, file says %d", name, n, f.NumberOfTests)
	}
	return f
}

// unhex decodes a hex field of a vector, failing the test on bad input.
func unhex(t *testing.T, id int, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("tcId %d: bad hex: %v", id, err)
	}
	return b
}

// tally counts the outcomes of one vector file. Every vector lands in
// exactly one count; any other outcome fails the test.
type tally struct {
	pass     int            // valid vectors that produced the expected output
	rejected int            // invalid vectors the construction refused
	size     int            // invalid vectors whose parameter size keyseal cannot express
	skipped  map[string]int // by reason: vectors with sizes keyseal does not use
}

// skip counts a vector skipped for a reason.
func (c *tally) skip(reason string) {
	if c.skipped == nil {
		c.skipped = make(map[string]int)
	}
	c.skipped[reason]++
}

func (c tally) total() int {
	n := c.pass + c.rejected + c.size
	for _, k := range c.skipped {
		n += k
	}
	return n
}

// report logs the counts and checks that they cover the file and that the
// file exercised both valid and invalid cases where it has them.
func (c tally) report(t *testing.T, name string, want int, wantInvalid bool) {
	t.Helper()
	t.Logf("%s: %d vectors: %d pass, %d invalid rejected, %d invalid with a nonce size tokens cannot carry, skipped %v",
		name, c.total(), c.pass, c.rejected, c.size, c.skipped)
	if c.total() != want {
		t.Errorf("%s: counted %d vectors, file has %d", name, c.total(), want)
	}
	if c.pass == 0 {
		t.Errorf("%s: no valid vector passed", name)
	}
	if wantInvalid && c.rejected == 0 {
		t.Errorf("%s: no invalid vector was exercised", name)
	}
}

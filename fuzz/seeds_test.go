package fuzz

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// seeds lists each fuzz target's seed corpus. Every FuzzXxx adds its seeds
// through addSeeds, and TestSeedCorpora checks that every target in this
// package is listed here with at least one seed (from f.Add or from
// testdata/fuzz/FuzzXxx), so a target cannot silently start from nothing.
var seeds = map[string]func(testing.TB) [][]any{
	"FuzzOpen":         openSeeds,
	"FuzzHeader":       headerSeeds,
	"FuzzRoundTrip":    roundTripSeeds,
	"FuzzNonMalleable": nonMalleableSeeds,
	"FuzzDifferential": differentialSeeds,
	"FuzzKeyringParse": keyringSeeds,
}

// addSeeds adds a target's seeds to f.
func addSeeds(f *testing.F, target string) {
	for _, args := range seeds[target](f) {
		f.Add(args...)
	}
}

var fuzzFunc = regexp.MustCompile(`(?m)^func (Fuzz\w+)\(f \*testing\.F\)`)

func TestSeedCorpora(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	targets := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range fuzzFunc.FindAllSubmatch(src, -1) {
			target := string(m[1])
			targets++
			n := 0
			if gen, ok := seeds[target]; ok {
				n = len(gen(t))
			}
			corpus, _ := os.ReadDir(filepath.Join("testdata", "fuzz", target))
			n += len(corpus)
			if n == 0 {
				t.Errorf("%s (%s) has no seeds: list them in the seeds map or in testdata/fuzz/%[1]s", target, file)
			}
			t.Logf("%s: %d seeds", target, n)
		}
	}
	if targets < len(seeds) {
		t.Errorf("found %d fuzz targets in the source, but %d are listed in seeds", targets, len(seeds))
	}
}

// The seeds of FuzzOpen reach every sentinel, so the fuzzer starts from
// every branch of Open's error handling.
func TestOpenSeedsReachEverySentinel(t *testing.T) {
	c := fixtureCodec(t, name)
	seen := map[error]bool{}
	for _, tok := range invalidTokens() {
		_, _, err := c.Open(tok)
		if err == nil {
			t.Errorf("invalid seed %q opened", tok)
			continue
		}
		seen[sentinel(t, err, codecSentinels)] = true
	}
	for _, s := range codecSentinels {
		if !seen[s] {
			t.Errorf("no seed of FuzzOpen yields %q", s)
		}
	}
	for _, tok := range validTokens() {
		if _, _, err := c.Open(tok); err != nil {
			t.Errorf("valid seed %q: %v", tok, err)
		}
	}
}

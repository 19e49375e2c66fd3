//go:build race

package robust_test

// raceEnabled is true when the race detector is on. It makes every
// operation here 10 to 30 times slower, so the tests then run a tenth of
// their iterations; the 10⁶ figures come from a run without -race.
const raceEnabled = true

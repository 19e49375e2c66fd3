// Package wallclock reads the wall clock as cheaply as the platform allows.
//
// The codec and the session middleware need the current time in whole
// seconds on every Seal and Open: tokens carry Unix times, and nothing
// measures elapsed time with it. time.Now reads two clocks (the wall
// clock and the monotonic one); on linux/amd64 Now reads only the wall
// clock, with the vDSO's gettimeofday, which reads the same kernel clock
// (CLOCK_REALTIME) as time.Now's wall reading, in about half the time
// (BenchmarkNow, BenchmarkTimeNow).
// Elsewhere Now is time.Now.
//
// The time Now returns has no monotonic reading, so Sub and comparisons
// between two of them follow the wall clock when it is set. That is what
// token times need: they are wall-clock times by nature. Nothing is
// cached: every call reads the clock, so a process that was suspended or
// restored from a snapshot sees the current time at once.
package wallclock

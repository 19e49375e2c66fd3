//go:build race

package codec_test

func init() { raceEnabled = true }

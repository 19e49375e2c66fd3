// Package limits applies keyseal's one contract for the limits of every
// format's Config (the keyseal package doc): the same zero values, the same
// meaning of a negative value, the same clock.
package limits

import (
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/wallclock"
)

// Config is the part of a format's Config that the contract covers.
type Config struct {
	MaxAge       time.Duration
	Leeway       time.Duration
	MaxTokenSize int
	Clock        func() time.Time
}

// Limits are a Config's limits with its defaults applied.
type Limits struct {
	MaxAge       int64 // seconds, at least 1
	Leeway       int64 // seconds, at least 0
	MaxTokenSize int   // characters, at least 1
	Clock        func() time.Time
}

// Resolve checks cfg for package pkg and applies the defaults: zero means
// the default (maxAge, maxToken, keyseal.DefaultLeeway, the wall clock); a
// negative MaxAge or MaxTokenSize, or a MaxAge under a second, is a
// *keyseal.ConfigError; a negative Leeway means none.
func Resolve(pkg string, cfg Config, maxAge time.Duration, maxToken int) (Limits, error) {
	bad := func(field, reason string) (Limits, error) {
		return Limits{}, &keyseal.ConfigError{Package: pkg, Field: field, Reason: reason}
	}
	switch {
	case cfg.MaxAge < 0:
		return bad("MaxAge", "must not be negative")
	case cfg.MaxAge != 0 && cfg.MaxAge < time.Second:
		return bad("MaxAge", "must be at least a second (or zero, the default)")
	case cfg.MaxTokenSize < 0:
		return bad("MaxTokenSize", "must not be negative")
	}
	l := Limits{
		MaxAge:       int64(cfg.MaxAge / time.Second),
		Leeway:       int64(cfg.Leeway / time.Second),
		MaxTokenSize: cfg.MaxTokenSize,
		Clock:        cfg.Clock,
	}
	if cfg.MaxAge == 0 {
		l.MaxAge = int64(maxAge / time.Second)
	}
	switch {
	case cfg.Leeway == 0:
		l.Leeway = int64(keyseal.DefaultLeeway / time.Second)
	case cfg.Leeway < 0:
		l.Leeway = 0
	}
	if l.MaxTokenSize == 0 {
		l.MaxTokenSize = maxToken
	}
	if l.Clock == nil {
		l.Clock = wallclock.Now
	}
	return l, nil
}

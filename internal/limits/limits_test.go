package limits_test

import (
	"errors"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/internal/limits"
)

func TestResolve(t *testing.T) {
	clock := func() time.Time { return time.Unix(1, 0) }
	cases := []struct {
		cfg  limits.Config
		want limits.Limits
	}{
		{limits.Config{}, limits.Limits{MaxAge: 3600, Leeway: 60, MaxTokenSize: 100}},
		{limits.Config{MaxAge: 90 * time.Second, Leeway: 5500 * time.Millisecond, MaxTokenSize: 7, Clock: clock},
			limits.Limits{MaxAge: 90, Leeway: 5, MaxTokenSize: 7}},
		{limits.Config{Leeway: -time.Second}, limits.Limits{MaxAge: 3600, Leeway: 0, MaxTokenSize: 100}},
	}
	for _, c := range cases {
		got, err := limits.Resolve("p", c.cfg, time.Hour, 100)
		if err != nil {
			t.Fatalf("Resolve(%+v): %v", c.cfg, err)
		}
		if got.Clock == nil {
			t.Fatalf("Resolve(%+v): no clock", c.cfg)
		}
		if c.cfg.Clock != nil && !got.Clock().Equal(clock()) {
			t.Fatalf("Resolve(%+v): the Config's clock was not kept", c.cfg)
		}
		if got.MaxAge != c.want.MaxAge || got.Leeway != c.want.Leeway || got.MaxTokenSize != c.want.MaxTokenSize {
			t.Errorf("Resolve(%+v) = %+v, want %+v", c.cfg, got, c.want)
		}
	}
	for _, c := range []struct {
		cfg   limits.Config
		field string
	}{
		{limits.Config{MaxAge: -time.Second}, "MaxAge"},
		{limits.Config{MaxAge: 999 * time.Millisecond}, "MaxAge"},
		{limits.Config{MaxTokenSize: -1}, "MaxTokenSize"},
	} {
		_, err := limits.Resolve("p", c.cfg, time.Hour, 100)
		var ce *keyseal.ConfigError
		if !errors.As(err, &ce) || ce.Package != "p" || ce.Field != c.field {
			t.Errorf("Resolve(%+v) = %v, want a ConfigError on p's %s", c.cfg, err, c.field)
		}
	}
}

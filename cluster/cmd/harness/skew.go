package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"time"

	"github.com/keyseal/keyseal"
)

// skewResult is one cross-instance check: a session sealed by from and
// presented to to.
type skewResult struct {
	from, to *instance
	accepted bool
	reason   string // the refusal the opener logged, if refused
}

// skewCheck starts three instances whose clocks are shifted by -L, 0 and
// +L (L their leeway: the demo's default unless -skew-leeway), logs in on
// each and presents the cookie to each other. Clocks L apart accept each
// other's cookies; 2L apart, the cookie from the future is "not yet valid"
// and the one from the past has expired (the idle timeout is not longer
// than L).
func (h *harness) skewCheck() ([]skewResult, error) {
	L := h.cfg.skewL()
	var ins []*instance
	for _, s := range []struct {
		name string
		skew time.Duration
	}{{"skew-L", -L}, {"skew0", 0}, {"skew+L", L}} {
		in, err := h.newInstance(s.name, s.skew)
		if err != nil {
			return nil, err
		}
		in.leeway = h.cfg.skewLeeway
		h.extra = append(h.extra, in)
		if err := in.start(h.demo, h.cfg); err != nil {
			return nil, err
		}
		ins = append(ins, in)
	}
	var out []skewResult
	for _, from := range ins {
		for _, to := range ins {
			if from == to {
				continue
			}
			r, err := crossCheck(from, to)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	var bad []string
	for _, r := range out {
		apart := (r.from.skew - r.to.skew).Abs()
		want, reason := apart <= L, ""
		switch {
		case want:
		case r.from.skew > r.to.skew:
			reason = "token not yet valid"
		default:
			reason = "token expired"
		}
		if r.accepted != want || !strings.Contains(r.reason, reason) {
			bad = append(bad, fmt.Sprintf("%s -> %s: accepted=%v reason=%q, want accepted=%v reason %q",
				r.from.name, r.to.name, r.accepted, r.reason, want, reason))
		}
	}
	if len(bad) > 0 {
		return out, fmt.Errorf("clock skew:\n  %s", strings.Join(bad, "\n  "))
	}
	return out, nil
}

// crossCheck logs in on from and reads the session on to with the same
// cookie jar.
func crossCheck(from, to *instance) (skewResult, error) {
	r := skewResult{from: from, to: to}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 5 * time.Second}
	resp, err := c.Post(from.url("/api/login"), "application/json", strings.NewReader(`{"user":"skew"}`))
	if err != nil {
		return r, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return r, fmt.Errorf("login on %s: %s", from.name, resp.Status)
	}
	before, err := to.health()
	if err != nil {
		return r, err
	}
	logBefore, _ := os.ReadFile(to.logfile)
	resp, err = c.Get(to.url("/api/session"))
	if err != nil {
		return r, err
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	r.accepted = strings.Contains(string(body), `"logged_in":true`)
	after, err := to.health()
	if err != nil {
		return r, err
	}
	if !r.accepted && after.Refused == before.Refused {
		return r, fmt.Errorf("%s -> %s: logged out without a refused cookie", from.name, to.name)
	}
	logAfter, _ := os.ReadFile(to.logfile)
	if !r.accepted && len(logAfter) > len(logBefore) {
		for line := range strings.SplitSeq(string(logAfter[len(logBefore):]), "\n") {
			if _, reason, ok := strings.Cut(line, "reason="); ok {
				r.reason = strings.Trim(reason, `"`)
			}
		}
	}
	return r, nil
}

// skewL is the leeway of the clock-skew instances.
func (cfg *config) skewL() time.Duration {
	if cfg.skewLeeway != 0 {
		return cfg.skewLeeway
	}
	return keyseal.DefaultLeeway
}

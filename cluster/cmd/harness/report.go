package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// summary renders the run as a table: one row per phase, then the clock
// skew checks.
func summary(h *harness, skew []skewResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "keyseal cluster: 3 instances behind nginx (round robin), %d clients, poll %v, idle %v, leeway %v\n\n",
		h.cfg.clients, h.cfg.poll, h.cfg.idle, h.cfg.leeway)
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "phase\ttime\trequests\treq/s\tlost\t5xx\terrors\tresealed\tserved a/b/c\treload latency / notes")
	var total, lost, negLost, s5xx int64
	for _, p := range h.ph {
		n := p.requests.Load()
		total += n
		lost += p.lost()
		if strings.Contains(p.name, "negative") {
			negLost += p.lost()
		}
		s5xx += p.status5xx.Load()
		fmt.Fprintf(w, "%s\t%.1fs\t%d\t%.0f\t%d\t%d\t%d\t%d\t%s\t%s\n", p.name, p.duration.Seconds(), n,
			float64(n)/max(p.duration.Seconds(), 1e-3), p.lost(), p.status5xx.Load(), p.errors.Load(),
			p.resealed.Load(), shares(p), strings.Join(p.latencies, ", "))
	}
	w.Flush()
	fmt.Fprintf(&b, "\ntotal: %d requests, %d lost (%d of them in the negative control), %d 5xx\n", total, lost, negLost, s5xx)
	met := "met"
	if h.maxLatency > h.cfg.maxLatency {
		met = "MISSED"
	}
	fmt.Fprintf(&b, "longest reload: %v (target %v: %s)\n", h.maxLatency.Round(time.Millisecond), h.cfg.maxLatency, met)
	if len(skew) > 0 {
		fmt.Fprintf(&b, "\nclock skew (leeway %v): a session sealed by an instance whose clock is off by X, read by one off by Y\n", h.cfg.skewL())
		for _, r := range skew {
			verdict := "accepted"
			if !r.accepted {
				verdict = "refused: " + r.reason
			}
			fmt.Fprintf(&b, "  X %+4.0fs  Y %+4.0fs  (%3.0fs apart)  %s\n", r.from.skew.Seconds(), r.to.skew.Seconds(),
				(r.from.skew - r.to.skew).Abs().Seconds(), verdict)
		}
	}
	return b.String()
}

// shares is the percentage of a phase's requests each instance served.
func shares(p *phase) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var total int64
	names := make([]string, 0, len(p.byInst))
	for name, n := range p.byInst {
		total += n
		names = append(names, name)
	}
	slices.SortFunc(names, cmp.Compare)
	var parts []string
	for _, name := range names {
		if name == "" {
			continue // nginx's own answers
		}
		parts = append(parts, fmt.Sprintf("%.0f", 100*float64(p.byInst[name])/float64(max(total, 1))))
	}
	return strings.Join(parts, "/") + "%"
}

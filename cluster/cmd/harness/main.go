// Command harness is keyseal's cluster proof: three demo-app instances,
// each following its own copy of a keyring file, behind nginx doing plain
// round robin, under a population of clients, while the keys rotate.
//
// It starts everything on loopback ports in a temporary directory, runs the
// phases below one after the other with the load running throughout, prints
// a summary table, stops every process it started, and exits non-zero if a
// target is missed:
//
//  1. add key: the new key is written to each instance's file in turn; each
//     reload is timed from the write until the instance's /healthz shows it.
//  2. promote: the new key becomes primary on each instance in turn, with a
//     pause between instances so a mixed fleet serves traffic.
//     drain: wait IdleTimeout + leeway + poll interval + 1 s, so no valid
//     cookie sealed under the old key remains. The instances a, b and c
//     get -leeway (1 s by default) so that this wait is short.
//  3. retire old key: on each instance in turn; no cookie may be refused.
//     restart b: instance b is stopped (SIGTERM) and started again.
//     file faults: a truncated file, invalid JSON and a file without a
//     primary; every instance keeps its last good ring.
//     clock skew: three more instances, with the demo's default leeway
//     (keyseal.DefaultLeeway, or -skew-leeway), shifted by -leeway, 0,
//     +leeway, accept each other's cookies when at most the leeway apart,
//     and refuse them with "token not yet valid" / "token expired" when
//     twice the leeway apart.
//     negative control: a new key promoted on instance a only, before b and
//     c hold it; the load MUST see lost sessions.
//
// A client is one browser: its own cookie jar, one request at a time. It
// logs in, then alternates POST /api/count and GET /api/session. A session
// is lost when a client that was logged in is answered as logged out (or
// as another user), or with a count lower than the one it expects: its
// previous count plus one after POST /api/count, the same after GET. The
// client's cookie is the session's only copy and the client sends one
// request at a time, so there is no concurrent writer and no
// last-write-wins: any lower count is a lost update. After a loss the
// client logs in again. Requests that fail (transport error, 5xx) leave the
// session as it was and are counted as errors and 5xx.
//
// Targets: at least -min-requests requests per phase, 0 lost, 0 5xx and 0
// errors in every phase but the negative control, where lost must be > 0.
// Reload latency over -max-latency is reported as a miss.
//
//	cd cluster && go run ./cmd/harness
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// config holds the harness's flags.
type config struct {
	demo          string
	clients       int
	minRequests   int
	poll          time.Duration
	idle          time.Duration
	lifetime      time.Duration
	leeway        time.Duration
	skewLeeway    time.Duration
	promotePause  time.Duration
	reloadTimeout time.Duration
	phaseTimeout  time.Duration
	maxLatency    time.Duration
	keep          bool
	summary       string
}

func main() {
	cfg := &config{}
	flag.StringVar(&cfg.demo, "demo", "", "demo binary (default: go build github.com/keyseal/keyseal/examples/demo)")
	flag.IntVar(&cfg.clients, "clients", 200, "simulated browsers")
	flag.IntVar(&cfg.minRequests, "min-requests", 10000, "requests each phase runs for at least")
	flag.DurationVar(&cfg.poll, "poll", 200*time.Millisecond, "keyring file poll interval of the instances")
	flag.DurationVar(&cfg.idle, "idle", 10*time.Second, "session idle timeout of the instances")
	flag.DurationVar(&cfg.lifetime, "lifetime", 10*time.Minute, "session absolute lifetime of the instances")
	flag.DurationVar(&cfg.leeway, "leeway", time.Second, "clock-skew leeway of instances a, b and c, which the drain waits out")
	flag.DurationVar(&cfg.skewLeeway, "skew-leeway", 0, "leeway of the clock-skew instances, at least -idle (default: the demo's, 60s)")
	flag.DurationVar(&cfg.promotePause, "promote-pause", time.Second, "pause between promotions, with a mixed fleet")
	flag.DurationVar(&cfg.maxLatency, "max-latency", 2*time.Second, "reload latency target")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the run's directory (logs, configs)")
	flag.StringVar(&cfg.summary, "summary", "", "also write the summary table to this file")
	flag.Parse()
	if cfg.leeway <= 0 {
		fmt.Fprintln(os.Stderr, "harness: -leeway must be positive")
		os.Exit(2)
	}
	if L := cfg.skewL(); L < cfg.idle {
		// The cookie from 2L in the past is refused as expired only if
		// it has outlived IdleTimeout by the leeway: 2L - L >= idle.
		fmt.Fprintf(os.Stderr, "harness: the clock-skew instances' leeway %v is shorter than -idle %v\n", L, cfg.idle)
		os.Exit(2)
	}
	cfg.reloadTimeout = 10 * time.Second
	cfg.phaseTimeout = 60 * time.Second

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintf(os.Stderr, "harness: FAIL: %v\n", err)
		os.Exit(1)
	}
	fmt.Fprintln(os.Stderr, "harness: PASS")
}

func run(ctx context.Context, cfg *config) (err error) {
	if _, err := findNginx(); err != nil {
		return err // before making a directory there is nothing to keep
	}
	dir, err := os.MkdirTemp("", "keyseal-cluster-")
	if err != nil {
		return err
	}
	h := &harness{cfg: cfg, dir: dir}
	defer func() {
		h.teardown()
		if cfg.keep || err != nil {
			fmt.Fprintf(os.Stderr, "harness: logs and configs kept in %s\n", dir)
		} else {
			os.RemoveAll(dir)
		}
	}()
	// A signal ends the run at once: stop every process, keep the logs.
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-finished:
			return
		case <-ctx.Done():
		}
		h.teardown()
		fmt.Fprintf(os.Stderr, "harness: interrupted; logs and configs kept in %s\n", dir)
		os.Exit(130)
	}()
	if err := h.setup(ctx); err != nil {
		return err
	}

	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	h.load = newLoad(h.baseURL(), cfg.clients)
	h.load.begin("")
	h.load.run(loadCtx)
	_, runErr := h.runPhase("   log in", func(*phase) error { return nil })
	if runErr == nil {
		runErr = h.rotate()
	}

	var skew []skewResult
	if runErr == nil {
		_, runErr = h.runPhase("   clock skew check", func(*phase) error {
			var err error
			skew, err = h.skewCheck()
			return err
		})
	}
	var neg *phase
	if runErr == nil {
		neg, runErr = h.negativeControl()
	}
	stopLoad()
	h.load.wait()
	h.load.close()

	table := summary(h, skew)
	fmt.Print(table)
	if cfg.summary != "" {
		if err := os.WriteFile(cfg.summary, []byte(table), 0o644); err != nil {
			return err
		}
	}
	if runErr != nil {
		return runErr
	}
	return verdict(h, neg)
}

// verdict checks the targets.
func verdict(h *harness, neg *phase) error {
	var errs []error
	for _, p := range h.ph {
		if p == neg {
			continue
		}
		if p.lost() != 0 || p.status5xx.Load() != 0 || p.errors.Load() != 0 {
			errs = append(errs, fmt.Errorf("phase %q: %d lost, %d 5xx, %d errors; first: %v",
				p.name, p.lost(), p.status5xx.Load(), p.errors.Load(), p.samples))
		}
		if p.requests.Load() < int64(h.cfg.minRequests) {
			errs = append(errs, fmt.Errorf("phase %q: %d requests, want at least %d", p.name, p.requests.Load(), h.cfg.minRequests))
		}
	}
	if neg == nil || neg.lost() == 0 {
		errs = append(errs, errors.New("negative control: no session lost; the harness cannot see a loss"))
	}
	// Latency is a goal, not a correctness property: a slow CI machine
	// reports it without failing the run.
	if h.maxLatency > h.cfg.maxLatency {
		fmt.Fprintf(os.Stderr, "harness: WARNING: reload latency %v over the %v target\n", h.maxLatency, h.cfg.maxLatency)
	}
	return errors.Join(errs...)
}

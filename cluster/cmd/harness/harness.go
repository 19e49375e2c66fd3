package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// harness is one run: its directory, the demo instances, nginx and the load.
type harness struct {
	cfg   *config
	dir   string
	demo  string // demo binary
	nginx *proc
	port  int // nginx's
	ins   []*instance
	extra []*instance // the clock-skew instances
	load  *load
	ring  *keyring.Ring // the good ring every instance should hold
	ph    []*phase

	maxLatency time.Duration // the longest reload seen
	down       sync.Once     // teardown runs once, from the run or a signal
}

// setup builds the demo, writes each instance's keyring file, starts the
// instances and nginx.
func (h *harness) setup(ctx context.Context) error {
	nginxBin, err := findNginx()
	if err != nil {
		return err
	}
	h.demo = h.cfg.demo
	if h.demo == "" {
		h.demo = filepath.Join(h.dir, "demo")
		build := exec.CommandContext(ctx, "go", "build", "-o", h.demo, "github.com/keyseal/keyseal/examples/demo")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("building the demo: %w", err)
		}
	}
	if h.ring, err = keyring.Generate(keyring.DefaultAlgorithm); err != nil {
		return err
	}
	for _, name := range []string{"a", "b", "c"} {
		in, err := h.newInstance(name, 0)
		if err != nil {
			return err
		}
		in.leeway = h.cfg.leeway
		h.ins = append(h.ins, in)
	}
	for _, in := range h.ins {
		if err := in.start(h.demo, h.cfg); err != nil {
			return err
		}
	}
	if h.port, err = freePort(); err != nil {
		return err
	}
	h.nginx, err = startNginx(ctx, nginxBin, filepath.Join(h.dir, "nginx"), h.port, h.ins)
	return err
}

// newInstance prepares an instance: a free port and its own keyring file
// holding the current ring.
func (h *harness) newInstance(name string, skew time.Duration) (*instance, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	in := &instance{name: name, port: port, skew: skew,
		keyfile: filepath.Join(h.dir, "keyring-"+name+".json"),
		logfile: filepath.Join(h.dir, "demo-"+name+".log")}
	return in, keyring.WriteFile(in.keyfile, h.ring)
}

// teardown stops everything the harness started, nginx first so no
// request reaches a stopping instance.
func (h *harness) teardown() {
	h.down.Do(h.stopAll)
}

func (h *harness) stopAll() {
	if h.nginx != nil {
		if err := h.nginx.stop(syscall.SIGTERM, 10*time.Second); err != nil && !isSignalExit(err) {
			fmt.Fprintf(os.Stderr, "harness: stopping nginx: %v\n", err)
		}
	}
	for _, in := range append(h.ins, h.extra...) {
		if err := in.stop(); err != nil {
			fmt.Fprintf(os.Stderr, "harness: stopping %s: %v\n", in.name, err)
		}
	}
}

func isSignalExit(err error) bool {
	var exit *exec.ExitError
	return errors.As(err, &exit)
}

// baseURL is the load balancer's address.
func (h *harness) baseURL() string { return "http://127.0.0.1:" + strconv.Itoa(h.port) }

// runPhase makes a new phase current, runs its steps, then keeps the load
// going until the phase has seen at least cfg.minRequests requests.
func (h *harness) runPhase(name string, steps func(p *phase) error) (*phase, error) {
	p := h.load.begin(name)
	h.ph = append(h.ph, p)
	fmt.Fprintf(os.Stderr, "harness: phase %q\n", name)
	err := steps(p)
	for err == nil && p.requests.Load() < int64(h.cfg.minRequests) {
		if time.Since(p.start) > h.cfg.phaseTimeout {
			err = fmt.Errorf("phase %q: only %d requests in %v", name, p.requests.Load(), h.cfg.phaseTimeout)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.duration = time.Since(p.start)
	return p, err
}

// writeRing writes r to in's keyring file, as a deploy tool would, and
// waits until in's /healthz satisfies ok, recording the reload latency.
func (h *harness) writeRing(p *phase, in *instance, r *keyring.Ring, ok func(*health) bool) error {
	if err := keyring.WriteFile(in.keyfile, r); err != nil {
		return err
	}
	d, err := in.waitHealth(h.cfg.reloadTimeout, ok)
	if err != nil {
		return err
	}
	p.latency(in.name, d)
	h.maxLatency = max(h.maxLatency, d)
	return nil
}

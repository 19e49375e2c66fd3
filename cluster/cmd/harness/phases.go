package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// rotate runs the three-phase rotation one instance at a time, then a
// restart and keyring file faults, all under load.
func (h *harness) rotate() error {
	old := h.ring.Primary(time.Now())

	// Phase 1: every instance learns the new key; none seals with it.
	next, k, err := h.ring.Add(keyring.DefaultAlgorithm, time.Time{})
	if err != nil {
		return err
	}
	id := k.ID()
	_, err = h.runPhase("1 add key", func(p *phase) error {
		for _, in := range h.ins {
			err := h.writeRing(p, in, next, func(hl *health) bool { return hl.state(id) == "active" })
			if err != nil {
				return err
			}
		}
		h.ring = next
		return nil
	})
	if err != nil {
		return err
	}

	// Phase 2: promote it, one instance at a time, with a pause so a mixed
	// fleet (some sealing under the old key, some under the new) serves
	// traffic for a while.
	if next, err = h.ring.Promote(id); err != nil {
		return err
	}
	_, err = h.runPhase("2 promote", func(p *phase) error {
		for _, in := range h.ins {
			if err := h.writeRing(p, in, next, func(hl *health) bool { return hl.Primary == id }); err != nil {
				return err
			}
			time.Sleep(h.cfg.promotePause)
		}
		h.ring = next
		return nil
	})
	if err != nil {
		return err
	}

	// Wait until no valid cookie can still be sealed under the old key: the
	// last one was sealed just before the last instance promoted, and lives
	// at most IdleTimeout, plus the leeway, plus one poll for the last
	// reload, plus a margin.
	wait := h.cfg.idle + h.cfg.leeway + h.cfg.poll + time.Second
	_, err = h.runPhase("   drain (wait "+wait.Round(time.Second).String()+")", func(p *phase) error {
		time.Sleep(wait)
		if n := h.load.staleClients(old.ID()); n > 0 {
			return fmt.Errorf("%d clients still hold a cookie sealed under the old key after the drain", n)
		}
		return nil
	})
	if err != nil {
		return err
	}

	// Phase 3: retire the old key everywhere. No cookie sealed under it is
	// still valid, so no instance refuses a cookie.
	if next, err = h.ring.Retire(old.ID()); err != nil {
		return err
	}
	refused := h.refused()
	_, err = h.runPhase("3 retire old key", func(p *phase) error {
		for _, in := range h.ins {
			if err := h.writeRing(p, in, next, func(hl *health) bool { return hl.state(old.ID()) == "retired" }); err != nil {
				return err
			}
		}
		h.ring = next
		return nil
	})
	if err != nil {
		return err
	}
	if d := h.refused() - refused; d != 0 {
		return fmt.Errorf("instances refused %d cookies after the retirement", d)
	}

	if err := h.restart(); err != nil {
		return err
	}
	return h.faults()
}

// refused sums the instances' refused-cookie counters.
func (h *harness) refused() int64 {
	var n int64
	for _, in := range h.ins {
		if hl, err := in.health(); err == nil {
			n += hl.Refused
		}
	}
	return n
}

// restart stops instance b gracefully under load and starts it again.
func (h *harness) restart() error {
	in := h.ins[1]
	_, err := h.runPhase("   restart "+in.name, func(p *phase) error {
		if err := in.stop(); err != nil {
			return err
		}
		time.Sleep(500 * time.Millisecond) // the others carry the load
		start := time.Now()
		if err := in.start(h.demo, h.cfg); err != nil {
			return err
		}
		up := time.Since(start)
		// Keep the phase going until nginx sends the instance traffic
		// again (it waits fail_timeout after the failed connections).
		for deadline := time.Now().Add(10 * time.Second); p.servedBy(in.name) < 1000; {
			if time.Now().After(deadline) {
				return fmt.Errorf("%s got no traffic after its restart", in.name)
			}
			time.Sleep(20 * time.Millisecond)
		}
		p.mu.Lock()
		p.latencies = append(p.latencies, fmt.Sprintf("down %v, up in %v, serving again after %v",
			500*time.Millisecond, up.Round(time.Millisecond), time.Since(start).Round(time.Millisecond)))
		p.mu.Unlock()
		return nil
	})
	return err
}

// faults breaks each instance's keyring file in a different way: the
// instances must keep the last good ring and serve on.
func (h *harness) faults() error {
	good, err := keyring.MarshalFile(h.ring)
	if err != nil {
		return err
	}
	// Every key active: valid JSON, but no primary.
	noPrimaryFile := strings.Replace(string(good), `"state": "primary"`, `"state": "active"`, 1)
	if _, err := keyring.Parse([]byte(noPrimaryFile)); !errors.Is(err, keyring.ErrNoPrimary) {
		return fmt.Errorf("the no-primary fault file: got error %v, want ErrNoPrimary", err)
	}
	bad := map[string][]byte{
		"a": good[:len(good)/2],                  // truncated write
		"b": []byte(`{"version": 1, "keys": [}`), // invalid JSON
		"c": []byte(noPrimaryFile),               // no primary
	}
	primary := h.ring.Primary(time.Now()).ID()
	_, err = h.runPhase("   file faults", func(p *phase) error {
		for _, in := range h.ins {
			// A plain, non-atomic write, as a careless deploy would do.
			if err := os.WriteFile(in.keyfile, bad[in.name], 0o600); err != nil {
				return err
			}
		}
		time.Sleep(3 * h.cfg.poll)
		for _, in := range h.ins {
			hl, err := in.health()
			if err != nil {
				return err
			}
			if hl.Primary != primary || len(hl.Keys) != h.ring.Len() {
				return fmt.Errorf("%s dropped its last good ring on a broken file: primary %d, %d keys", in.name, hl.Primary, len(hl.Keys))
			}
			log, _ := os.ReadFile(in.logfile)
			if !strings.Contains(string(log), "keeping the last good keyring") {
				return fmt.Errorf("%s did not report its broken keyring file (see %s)", in.name, in.logfile)
			}
		}
		for _, in := range h.ins {
			if err := os.WriteFile(in.keyfile, good, 0o600); err != nil {
				return err
			}
		}
		return nil
	})
	return err
}

// negativeControl promotes a new key on instance a only, before the others
// hold it: cookies a seals are refused by b and c, and the load must see
// sessions lost. It proves the harness can see a loss.
func (h *harness) negativeControl() (*phase, error) {
	next, k, err := h.ring.Add(keyring.DefaultAlgorithm, time.Time{})
	if err != nil {
		return nil, err
	}
	if next, err = next.Promote(k.ID()); err != nil {
		return nil, err
	}
	return h.runPhase("   negative control", func(p *phase) error {
		return h.writeRing(p, h.ins[0], next, func(hl *health) bool { return hl.Primary == k.ID() })
	})
}

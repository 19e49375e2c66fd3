package keyring_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

// jsPause is how long a worker of TestWatcherSwapUnderLoad sleeps between
// rounds under js/wasm, where it runs two workers instead of eight. js/wasm
// runs every goroutine on one thread and completes file I/O through Node's
// event loop, which it reaches only when every goroutine is blocked: the
// workers must be asleep at the same time often, or the watcher's and the
// rotations' file reads never finish. Eight workers pausing 100 µs hung the
// test until its timeout on the project's 2-core VMs; two pausing 2 ms let
// it pass in under a second.
const jsPause = 2 * time.Millisecond

// TestWatcherSwapUnderLoad rotates the keyring file over and over while
// goroutines seal and open through a codec built on the watcher. Keys are
// only added and promoted, never retired, so every token a goroutine sealed
// must still open, whichever ring each call happens to see. Run it with
// -race.
func TestWatcherSwapUnderLoad(t *testing.T) {
	const (
		rotations = 20
		minRounds = 50 // per worker, even if the rotations finish first
	)
	workers := 8
	if runtime.GOOS == "js" {
		workers = 2 // see jsPause
	}
	path := filepath.Join(t.TempDir(), "keyring.json")
	r := mustGenerate(t, keyring.DefaultAlgorithm)
	writeRing(t, path, r)
	w, err := keyring.Watch(path, keyring.WatchConfig{
		Interval: time.Millisecond,
		OnError:  func(err error) { t.Errorf("watcher error: %v", err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	c, err := codec.New(w, "session", codec.Config{})
	if err != nil {
		t.Fatal(err)
	}

	var (
		stop          = make(chan struct{})
		wg            sync.WaitGroup
		seals, opens  atomic.Uint64
		mu            sync.Mutex
		sealedUnder   = map[uint32]bool{}
		resealHinted  atomic.Uint64
		ringShrank    atomic.Bool
		workerFailure atomic.Bool
	)
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			type sealed struct {
				token string
				plain []byte
			}
			var mine []sealed
			keys := map[uint32]bool{}
			lastLen := 0
			defer func() {
				mu.Lock()
				for id := range keys {
					sealedUnder[id] = true
				}
				mu.Unlock()
			}()
			for i := 0; ; i++ {
				if runtime.GOOS == "js" {
					time.Sleep(jsPause)
				}
				if i >= minRounds {
					select {
					case <-stop:
						return
					default:
					}
				}
				if n := w.Current().Len(); n < lastLen {
					ringShrank.Store(true)
				} else {
					lastLen = n
				}
				plain := fmt.Appendf(nil, "worker %d round %d", g, i)
				token, err := c.Seal(plain)
				if err != nil {
					t.Errorf("worker %d: Seal: %v", g, err)
					workerFailure.Store(true)
					return
				}
				seals.Add(1)
				mine = append(mine, sealed{token, plain})
				// The token just sealed, and one sealed earlier.
				for _, s := range []sealed{mine[len(mine)-1], mine[rand.IntN(len(mine))]} {
					got, meta, err := c.Open(s.token)
					if err != nil {
						t.Errorf("worker %d: Open of its own token: %v", g, err)
						workerFailure.Store(true)
						return
					}
					opens.Add(1)
					if !bytes.Equal(got, s.plain) {
						t.Errorf("worker %d: opened %q, sealed %q", g, got, s.plain)
						workerFailure.Store(true)
						return
					}
					keys[meta.KeyID] = true
					if meta.NeedsReseal {
						resealHinted.Add(1)
					}
				}
			}
		}()
	}

	var once sync.Once
	stopWorkers := func() { once.Do(func() { close(stop); wg.Wait() }) }
	defer stopWorkers() // also when a rotation fails the test

	for i := range rotations {
		if workerFailure.Load() {
			break
		}
		var next *keyring.Key
		r, next = rotate(t, r)
		writeRing(t, path, r)
		if i%2 == 0 {
			if _, err := w.Reload(); err != nil { // races with the polling loop
				t.Fatal(err)
			}
		}
		eventually(t, "the rotation to load", primaryIs(w, next.ID()))
	}
	stopWorkers()

	if ringShrank.Load() {
		t.Error("a worker saw the ring lose keys")
	}
	if got := w.Current().Len(); got != rotations+1 {
		t.Errorf("final ring has %d keys, want %d", got, rotations+1)
	}
	if len(sealedUnder) < 2 {
		t.Errorf("tokens were sealed under %d keys only; the test did not overlap rotations", len(sealedUnder))
	}
	// Counters follow keys across reloads: the ring accounts for every
	// seal and open.
	var gotSeals, gotOpens uint64
	for _, u := range w.Current().Usage() {
		gotSeals += u.Seals
		gotOpens += u.Opens
	}
	if gotSeals != seals.Load() || gotOpens != opens.Load() {
		t.Errorf("usage counts %d seals and %d opens, the workers made %d and %d",
			gotSeals, gotOpens, seals.Load(), opens.Load())
	}
	t.Logf("%d seals, %d opens under %d keys, %d opens hinted a re-seal",
		seals.Load(), opens.Load(), len(sealedUnder), resealHinted.Load())
}

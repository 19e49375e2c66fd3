package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// phase counts what the load saw while one step of the run was under way.
// A request belongs to the phase current when it was sent.
type phase struct {
	name     string
	start    time.Time
	duration time.Duration

	requests  atomic.Int64
	loggedOut atomic.Int64 // a logged-in client was answered as logged out
	rollbacks atomic.Int64 // a logged-in client's count went backwards
	status5xx atomic.Int64
	errors    atomic.Int64 // transport errors and unexpected statuses
	resealed  atomic.Int64 // a client's cookie came back under another key

	mu        sync.Mutex
	latencies []string // "a 212ms", per instance, for reload steps
	byInst    map[string]int64
	samples   []string // the first few losses, for diagnosis
}

// lost is the phase's count of lost sessions (see the package doc).
func (p *phase) lost() int64 { return p.loggedOut.Load() + p.rollbacks.Load() }

func (p *phase) served(inst string) {
	p.mu.Lock()
	p.byInst[inst]++
	p.mu.Unlock()
}

func (p *phase) servedBy(inst string) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.byInst[inst]
}

func (p *phase) sample(format string, args ...any) {
	p.mu.Lock()
	if len(p.samples) < 5 {
		p.samples = append(p.samples, fmt.Sprintf(format, args...))
	}
	p.mu.Unlock()
}

func (p *phase) latency(inst string, d time.Duration) {
	p.mu.Lock()
	p.latencies = append(p.latencies, inst+" "+d.Round(time.Millisecond).String())
	p.mu.Unlock()
}

// load is the client population: each client has its own cookie jar, logs
// in, and then alternates POST /api/count and GET /api/session through the
// load balancer, one request at a time.
type load struct {
	base    string
	tr      *http.Transport
	clients []*client
	cur     atomic.Pointer[phase]
	wg      sync.WaitGroup
}

func newLoad(base string, n int) *load {
	tr := &http.Transport{MaxIdleConns: 2 * n, MaxIdleConnsPerHost: 2 * n, IdleConnTimeout: time.Minute}
	l := &load{base: base, tr: tr}
	for i := range n {
		jar, _ := cookiejar.New(nil) // never fails without options
		l.clients = append(l.clients, &client{
			l:    l,
			user: "user" + strconv.Itoa(i),
			hc:   &http.Client{Transport: tr, Jar: jar, Timeout: 10 * time.Second},
		})
	}
	return l
}

// begin makes a new phase current and returns it.
func (l *load) begin(name string) *phase {
	p := &phase{name: name, start: time.Now(), byInst: map[string]int64{}}
	l.cur.Store(p)
	return p
}

// run starts the clients; they stop when ctx is done. wait waits for them.
func (l *load) run(ctx context.Context) {
	for _, c := range l.clients {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			c.loop(ctx)
		}()
	}
}

func (l *load) wait() { l.wg.Wait() }

// close closes the clients' idle connections.
func (l *load) close() { l.tr.CloseIdleConnections() }

// staleClients counts clients whose cookie, as last seen by a server, was
// sealed under key id.
func (l *load) staleClients(id uint32) int {
	n := 0
	for _, c := range l.clients {
		if c.keyID.Load() == id {
			n++
		}
	}
	return n
}

// client is one simulated browser. Only its own goroutine touches its
// fields, except keyID.
type client struct {
	l        *load
	user     string
	hc       *http.Client
	loggedIn bool
	count    int
	keyID    atomic.Uint32
}

// apiState is the demo's JSON view of a session.
type apiState struct {
	LoggedIn bool   `json:"logged_in"`
	User     string `json:"user"`
	Count    int    `json:"count"`
	KeyID    uint32 `json:"key_id"`
	Instance string `json:"instance"`
}

func (c *client) loop(ctx context.Context) {
	for ctx.Err() == nil {
		if !c.loggedIn {
			c.login(ctx)
			continue
		}
		c.step(ctx, http.MethodPost, "/api/count", c.count+1)
		if c.loggedIn && ctx.Err() == nil {
			c.step(ctx, http.MethodGet, "/api/session", c.count)
		}
	}
}

// do sends one request and classifies the answer. ok is false when the
// request failed (transport error, 5xx, unexpected status), which the
// phase counts; the session is then left as it was.
func (c *client) do(ctx context.Context, p *phase, method, path, body string) (st apiState, ok bool) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.l.base+path, rd)
	if err != nil {
		p.errors.Add(1)
		return st, false
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json") // the demo's API takes JSON only
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			p.requests.Add(1)
			p.errors.Add(1)
			p.sample("%s %s: %v", method, path, err)
		}
		return st, false
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	p.requests.Add(1)
	p.served(resp.Header.Get("X-Instance"))
	switch {
	case resp.StatusCode >= 500:
		p.status5xx.Add(1)
		p.sample("%s %s: %s from %q", method, path, resp.Status, resp.Header.Get("X-Instance"))
		return st, false
	case resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusUnauthorized,
		err != nil, json.Unmarshal(data, &st) != nil:
		p.errors.Add(1)
		p.sample("%s %s: %s, body %.80q", method, path, resp.Status, data)
		return st, false
	}
	return st, true
}

func (c *client) login(ctx context.Context) {
	p := c.l.cur.Load()
	st, ok := c.do(ctx, p, http.MethodPost, "/api/login", `{"user":"`+c.user+`"}`)
	if ok && st.LoggedIn && st.User == c.user {
		c.loggedIn, c.count = true, 0
		c.keyID.Store(0)
	}
}

// step sends a request of a logged-in client and checks the session it
// sees: still logged in as itself, with exactly the count it expects.
func (c *client) step(ctx context.Context, method, path string, want int) {
	p := c.l.cur.Load()
	st, ok := c.do(ctx, p, method, path, "")
	if !ok {
		return
	}
	switch {
	case !st.LoggedIn || st.User != c.user:
		p.loggedOut.Add(1)
		p.sample("%s %s: %s logged out by instance %q (count was %d, key %d)",
			method, path, c.user, st.Instance, c.count, c.keyID.Load())
		c.loggedIn = false
		return
	case st.Count < want:
		p.rollbacks.Add(1)
		p.sample("%s %s: %s count went back to %d, want %d (instance %q)",
			method, path, c.user, st.Count, want, st.Instance)
	}
	c.count = st.Count
	if old := c.keyID.Swap(st.KeyID); old != 0 && old != st.KeyID {
		p.resealed.Add(1)
	}
}

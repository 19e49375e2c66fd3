package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// instance is one demo-app process with its own copy of the keyring file.
type instance struct {
	name    string
	port    int
	keyfile string
	logfile string
	skew    time.Duration
	leeway  time.Duration // passed as -leeway; 0 leaves the demo's default
	p       *proc
}

func (in *instance) url(path string) string {
	return "http://127.0.0.1:" + strconv.Itoa(in.port) + path
}

// health is the part of the demo's /healthz the harness reads.
type health struct {
	OK      bool              `json:"ok"`
	Primary uint32            `json:"primary_key_id"`
	Keys    []keyring.KeyInfo `json:"keys"`
	Refused int64             `json:"cookies_refused"`
}

// state returns the state of key id in h, or "" if h does not hold it.
func (h *health) state(id uint32) string {
	for _, k := range h.Keys {
		if k.ID == id {
			return k.State.String()
		}
	}
	return ""
}

// probe is the HTTP client for /healthz, separate from the load's.
var probe = &http.Client{Timeout: 2 * time.Second}

func (in *instance) health() (*health, error) {
	resp, err := probe.Get(in.url("/healthz"))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s /healthz: %s", in.name, resp.Status)
	}
	var h health
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&h); err != nil {
		return nil, fmt.Errorf("%s /healthz: %w", in.name, err)
	}
	return &h, nil
}

// waitHealth polls in's /healthz every 10 ms until ok returns true, and
// returns how long that took. It gives up after timeout.
func (in *instance) waitHealth(timeout time.Duration, ok func(*health) bool) (time.Duration, error) {
	start := time.Now()
	var last error
	for time.Since(start) < timeout {
		h, err := in.health()
		if err == nil && ok(h) {
			return time.Since(start), nil
		}
		last = err
		if in.p != nil && in.p.exited() {
			return 0, fmt.Errorf("%s exited: %v (see %s)", in.name, in.p.err, in.logfile)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return 0, fmt.Errorf("%s: condition not reached within %v (last error: %v)", in.name, timeout, last)
}

// start runs the demo binary for in and waits until it answers /healthz.
func (in *instance) start(demoBin string, cfg *config) error {
	args := []string{
		"-addr", "127.0.0.1:" + strconv.Itoa(in.port),
		"-keyring", in.keyfile,
		"-instance", in.name,
		"-poll", cfg.poll.String(),
		"-idle", cfg.idle.String(),
		"-lifetime", cfg.lifetime.String(),
		"-no-key-controls",
	}
	if in.skew != 0 {
		args = append(args, "-clock-skew", in.skew.String())
	}
	if in.leeway != 0 {
		args = append(args, "-leeway", in.leeway.String())
	}
	p, err := startProc(in.name, in.logfile, demoBin, args...)
	if err != nil {
		return err
	}
	in.p = p
	_, err = in.waitHealth(15*time.Second, func(h *health) bool { return h.OK })
	return err
}

// stop ends the instance gracefully (SIGTERM: the demo drains its requests).
func (in *instance) stop() error {
	if in.p == nil {
		return nil
	}
	err := in.p.stop(syscall.SIGTERM, 10*time.Second)
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		err = nil // killed by the signal we sent: expected
	}
	return err
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// findNginx returns the nginx binary: $KEYSEAL_NGINX, nginx on PATH, or
// Debian's /usr/sbin/nginx (not on a normal user's PATH).
func findNginx() (string, error) {
	if p := os.Getenv("KEYSEAL_NGINX"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("KEYSEAL_NGINX=%s: %w", p, err)
		}
		return p, nil
	}
	if p, err := exec.LookPath("nginx"); err == nil {
		return p, nil
	}
	for _, p := range []string{"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("nginx not found: install the Debian package nginx (scripts/setup.sh does) or set KEYSEAL_NGINX")
}

// nginxConf is a self-contained nginx configuration: every path under the
// prefix directory, so nginx runs as any user without touching /etc or
// /var. Round robin over the instances, no stickiness; keep-alive to the
// upstreams; a request whose upstream refuses the connection or fails is
// passed to the next instance, POST included: the instances keep no state,
// so replaying a request on another instance cannot apply it twice.
const nginxConf = `worker_processes 1;
pid {{dir}}/nginx.pid;
error_log {{dir}}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path {{dir}}/tmp/body;
  proxy_temp_path {{dir}}/tmp/proxy;
  fastcgi_temp_path {{dir}}/tmp/fastcgi;
  uwsgi_temp_path {{dir}}/tmp/uwsgi;
  scgi_temp_path {{dir}}/tmp/scgi;
  upstream demo {
{{servers}}    keepalive 128;
  }
  server {
    listen 127.0.0.1:{{port}};
    location / {
      proxy_pass http://demo;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_connect_timeout 1s;
      proxy_next_upstream error timeout non_idempotent;
      proxy_next_upstream_tries 3;
    }
  }
}
`

// startNginx writes the configuration into dir and starts nginx in the
// foreground, then waits until it proxies /healthz.
func startNginx(ctx context.Context, bin, dir string, port int, ins []*instance) (*proc, error) {
	var servers strings.Builder
	for _, in := range ins {
		fmt.Fprintf(&servers, "    server 127.0.0.1:%d max_fails=1 fail_timeout=1s;\n", in.port)
	}
	conf := strings.NewReplacer("{{dir}}", dir, "{{port}}", strconv.Itoa(port),
		"{{servers}}", servers.String()).Replace(nginxConf)
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil {
		return nil, err
	}
	// nginx's workers run as "nobody" when the harness is root: let them in.
	_ = os.Chmod(dir, 0o755)
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		return nil, err
	}
	p, err := startProc("nginx", filepath.Join(dir, "nginx.log"), bin,
		"-c", path, "-p", dir, "-e", filepath.Join(dir, "nginx-error.log"), "-g", "daemon off;")
	if err != nil {
		return nil, err
	}
	url := "http://127.0.0.1:" + strconv.Itoa(port) + "/healthz"
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if p.exited() {
			return nil, fmt.Errorf("nginx exited: %v (see %s)", p.err, filepath.Join(dir, "nginx-error.log"))
		}
		if resp, err := probe.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.stop(syscall.SIGTERM, 5*time.Second)
	return nil, errors.New("nginx did not start proxying in time")
}

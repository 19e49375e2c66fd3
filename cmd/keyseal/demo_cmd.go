package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/keyseal/keyseal/internal/demo"
	"github.com/keyseal/keyseal/keyring"
)

func runDemo(e *env, args []string) error {
	f := newFlags(e, "demo", "demo [--addr 127.0.0.1:8080] [--keyring FILE] [demo flags]")
	var o demo.Options
	demo.RegisterFlags(f.FlagSet, &o)
	if _, err := f.parse(args, 0, 0); err != nil {
		return err
	}
	if err := checkLoopback(o.Addr); err != nil {
		return err
	}
	o.Logger = slog.New(slog.NewTextHandler(prefixWriter{e.stderr}, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := demo.Run(ctx, o, func(addr string) {
		fmt.Fprintf(e.stdout, "keyseal demo: open http://%s/ (Ctrl-C to stop)\n", addr)
	})
	if err == nil {
		return nil
	}
	var fe *keyring.FileError
	if errors.As(err, &fe) {
		return withCode(ringCode(err), err)
	}
	return withCode(exitIO, err) // listening or serving failed
}

// checkLoopback refuses, as a usage error, an address the demo would
// refuse: it serves cookies over plain HTTP and stays on this machine.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usageErrorf("demo: bad --addr %q: want HOST:PORT, such as 127.0.0.1:8080", addr)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return usageErrorf("demo: --addr %q is not a loopback address; the demo serves cookies over plain HTTP", addr)
	}
	return nil
}

// prefixWriter starts every log record with "keyseal: ", as every line
// keyseal writes on stderr does. slog writes one record per Write.
type prefixWriter struct{ w io.Writer }

func (p prefixWriter) Write(b []byte) (int, error) {
	if _, err := io.WriteString(p.w, "keyseal: "); err != nil {
		return 0, err
	}
	return p.w.Write(b)
}

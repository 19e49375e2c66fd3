// Command load is a small app served by net/http in four builds (no
// sessions, keyseal's cookiesession with JSON or a binary form,
// gorilla/sessions' CookieStore), for the load test of scripts/load.sh:
//
//	go run ./load -build keyseal -addr 127.0.0.1:0
//
// It prints "listening on http://ADDR" once it serves, and stops on
// SIGINT or SIGTERM. Routes: /login starts a session, /read reads it,
// /write changes it, /debug/stats reports the allocation count and CPU
// time. It listens
// on loopback only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"
)

func main() {
	build := flag.String("build", "keyseal", "none, keyseal, keyseal-binary or gorilla")
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to `file`")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	if err := run(*build, *addr); err != nil {
		log.Print(err)
		defer os.Exit(1) // after the profile is written
	}
}

func run(build, addr string) error {
	srv, ln, err := listen(build, addr)
	if err != nil {
		return err
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// listen builds the app and listens on addr, which must be a loopback
// address.
func listen(build, addr string) (*http.Server, net.Listener, error) {
	mk, ok := builds[build]
	if !ok {
		return nil, nil, fmt.Errorf("load: unknown build %q (none, keyseal, keyseal-binary, gorilla)", build)
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, nil, fmt.Errorf("load: %w", err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, nil, fmt.Errorf("load: %q is not a loopback address", host)
	}
	s, err := mk()
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/", newApp(s))
	mux.HandleFunc("GET /debug/stats", statsHandler)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute}
	return srv, ln, nil
}

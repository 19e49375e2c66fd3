// Command demo runs keyseal's demo web app on http://127.0.0.1:8080: log in,
// count, and rotate keys while staying logged in.
//
//	go run ./examples/demo [-addr 127.0.0.1:8080] [-keyring keyring.json [-key-controls]] [-leeway 60s]
//
// Run it with -h for every flag.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/keyseal/keyseal/internal/demo"
)

func main() {
	var o demo.Options
	demo.RegisterFlags(flag.CommandLine, &o)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := demo.Run(ctx, o, func(addr string) {
		fmt.Printf("keyseal demo: open http://%s/ (Ctrl-C to stop)\n", addr)
	})
	if err != nil {
		log.Fatal(err)
	}
}

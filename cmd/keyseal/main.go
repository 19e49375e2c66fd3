// Command keyseal operates keyseal keyrings and tokens from the shell:
// create and rotate keys, seal and open tokens, and inspect a token's
// header. Run "keyseal help" for the commands and their exit codes.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

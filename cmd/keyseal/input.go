package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// Limits on what keyseal reads from stdin, checked while reading: a larger
// input is refused with exitTooLarge without being read to its end.
const (
	// maxPlaintextInput bounds the plaintext of seal. The library bounds
	// what a token can hold far below it.
	maxPlaintextInput = 1 << 20
	// maxTokenInput bounds the token of open and inspect, surrounding
	// whitespace included: far above any token the library accepts.
	maxTokenInput = 64 << 10
)

// readInput reads all of stdin r, or fails once it has read more than
// limit bytes.
func readInput(r io.Reader, what string, limit int) ([]byte, error) {
	return readBounded(r, what+" on stdin", limit)
}

// readToken reads the token on stdin for command cmd, without surrounding
// whitespace. An empty stdin is a usage error that says no token was
// given, not a malformed token.
func readToken(e *env, cmd string) (string, error) {
	in, err := readInput(e.stdin, "token", maxTokenInput)
	if err != nil {
		return "", err
	}
	token := string(bytes.TrimSpace(in))
	if token == "" {
		return "", usageErrorf("no token on stdin: give %s the token on its standard input (echo \"$token\" | keyseal %s ...)", cmd, cmd)
	}
	return token, nil
}

// readBounded reads all of r, or fails once it has read more than limit
// bytes.
func readBounded(r io.Reader, what string, limit int) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, withCode(exitIO, fmt.Errorf("reading the %s: %w", what, err))
	}
	if len(b) > limit {
		return nil, withCode(exitTooLarge, fmt.Errorf("the %s is over %d bytes", what, limit))
	}
	return b, nil
}

// readBoundedFile reads the file at path as readBounded reads r; what
// names it in errors, followed by the path.
func readBoundedFile(path, what string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, withCode(exitIO, err)
	}
	defer f.Close()
	return readBounded(f, what+" "+path, limit)
}

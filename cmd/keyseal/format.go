package main

import (
	"github.com/keyseal/keyseal/codec"
	"github.com/keyseal/keyseal/keyring"
)

// format is one token format seal and open know. Adding a format (JWE,
// gorilla/securecookie) is adding one entry to formats; --format auto
// picks the first format whose detect accepts the token.
type format struct {
	name   string
	seal   func(o codecOptions, plaintext []byte) (string, error) // nil if open-only
	open   func(o codecOptions, token string) ([]byte, codec.Meta, error)
	detect func(token string) bool
}

// codecOptions are what seal and open pass to a format.
type codecOptions struct {
	ring *keyring.Ring
	name string
	cfg  codec.Config
}

var formats = []format{
	{name: "native", seal: sealNative, open: openNative, detect: isNative},
}

// plannedFormats are format names accepted by the library's roadmap but not
// in this build yet; naming one is a usage error that says so.
var plannedFormats = map[string]bool{"jwe": true, "securecookie": true}

// findFormat returns the format named name, for sealing if seal is set.
func findFormat(name string, seal bool) (format, error) {
	for _, f := range formats {
		if f.name == name && (!seal || f.seal != nil) {
			return f, nil
		}
	}
	if plannedFormats[name] {
		return format{}, usageErrorf("format %q is not available in this build", name)
	}
	return format{}, usageErrorf("unknown format %q", name)
}

// detectFormat returns the format of token for --format auto. When no
// format recognises it, the native format reports why it does not open.
func detectFormat(token string) format {
	for _, f := range formats {
		if f.detect(token) {
			return f
		}
	}
	return formats[0]
}

func sealNative(o codecOptions, plaintext []byte) (string, error) {
	c, err := codec.New(o.ring, o.name, o.cfg)
	if err != nil {
		return "", err
	}
	return c.Seal(plaintext)
}

func openNative(o codecOptions, token string) ([]byte, codec.Meta, error) {
	c, err := codec.New(o.ring, o.name, o.cfg)
	if err != nil {
		return nil, codec.Meta{}, err
	}
	return c.Open(token)
}

func isNative(token string) bool {
	_, err := codec.ParseHeader(token)
	return err == nil
}

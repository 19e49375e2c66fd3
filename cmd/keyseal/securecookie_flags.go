package main

import "github.com/keyseal/keyseal/legacy"

// maxKeyFileSize bounds a securecookie key file: securecookie keys are 16
// to 64 bytes.
const maxKeyFileSize = 1 << 10

// secureCookieFlags are the flags of "open" for gorilla/securecookie values.
type secureCookieFlags struct {
	hashKeyFile, blockKeyFile *string
	serializer                *string
	cutoff                    timeFlag
}

func addSecureCookieFlags(f *flags) *secureCookieFlags {
	s := &secureCookieFlags{
		hashKeyFile:  f.String("hash-key-file", "", "securecookie: `FILE` holding the hash key, raw bytes exactly as given to securecookie.New"),
		blockKeyFile: f.String("block-key-file", "", "securecookie: `FILE` holding the block key (16, 24 or 32 raw bytes); omit for unencrypted cookies"),
		serializer:   f.String("serializer", "gob", "securecookie: how values were serialized: gob (gorilla/sessions) or json"),
	}
	f.Var(&s.cutoff, "cutoff", "securecookie: refuse every value from `TIME` (RFC 3339) on, the end of the migration (required)")
	return s
}

// given reports whether any securecookie flag was given.
func (s *secureCookieFlags) given() bool {
	return *s.hashKeyFile != "" || *s.blockKeyFile != "" || !s.cutoff.t.IsZero()
}

// config returns the decoder configuration the flags describe, or nil when
// none was given; opening a securecookie value then says what is missing.
func (s *secureCookieFlags) config(o codecOptions) (*legacy.Config, error) {
	if !s.given() {
		return nil, nil
	}
	switch {
	case *s.hashKeyFile == "":
		return nil, usageErrorf("securecookie: --hash-key-file is required")
	case s.cutoff.t.IsZero():
		return nil, usageErrorf("securecookie: --cutoff is required: legacy cookies are refused from that time on")
	}
	cfg := &legacy.Config{Cutoff: s.cutoff.t, MaxAge: o.cfg.MaxAge, Clock: o.cfg.Clock}
	switch *s.serializer {
	case "gob":
		cfg.Encoding = legacy.GobEncoding
	case "json":
		cfg.Encoding = legacy.JSONEncoding
	default:
		return nil, usageErrorf("securecookie: --serializer must be gob or json")
	}
	hash, err := readKeyFile(*s.hashKeyFile)
	if err != nil {
		return nil, err
	}
	k := legacy.Keys{Hash: hash}
	if *s.blockKeyFile != "" {
		if k.Block, err = readKeyFile(*s.blockKeyFile); err != nil {
			return nil, err
		}
	}
	cfg.Keys = []legacy.Keys{k}
	return cfg, nil
}

// readKeyFile reads a securecookie key: the file's bytes, as they are.
func readKeyFile(path string) ([]byte, error) {
	b, err := readBoundedFile(path, "key file", maxKeyFileSize)
	if err != nil {
		return nil, err
	}
	if len(b) == 0 {
		return nil, usageErrorf("securecookie: key file %s is empty", path)
	}
	return b, nil
}

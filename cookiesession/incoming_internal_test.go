package cookiesession

import (
	"net/http"
	"strings"
	"testing"
)

// readIncomingSplit is the straightforward form of readIncoming, split
// then cut, kept as the reference the fast scanner must agree with.
func readIncomingSplit(r *http.Request, name string) incoming {
	var in incoming
	for _, line := range r.Header["Cookie"] {
		for part := range strings.SplitSeq(line, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok || !strings.HasPrefix(k, name) {
				continue
			}
			switch rest := k[len(name):]; {
			case rest == "":
				in.hasBase = true
				if in.nSingle < MaxDuplicates {
					in.singles[in.nSingle] = v
					in.nSingle++
				}
			case len(rest) == 2 && rest[0] == '.' && rest[1] >= '0' && rest[1] < '0'+MaxChunks:
				i := rest[1] - '0'
				in.anyChunk = true
				if !in.seen[i] {
					in.seen[i], in.chunks[i] = true, v
				}
			}
		}
	}
	return in
}

// FuzzReadIncoming checks that readIncoming finds exactly what the
// reference finds, for the session's name and for chunk-like names.
func FuzzReadIncoming(f *testing.F) {
	for _, seed := range []string{
		"",
		"s=abc",
		"theme=dark; s=abc; lang=en",
		" s=a ;s=b;  s = c; s=; s; s=d=e;s=f;s=g",
		"s.0=2.ab; s.1=cd; s.1=zz; s.9=x; s.=y; s.00=z; s.3",
		"ss=1; s.1x=2; \ts=\u00a0x\u00a0 ;\u00a0s=y",
		";;; =; s==; s.2==",
		"s ; s\t;s\u00a0; s.1 ",
	} {
		f.Add(seed, "s")
	}
	f.Add("__Host-session=t; __Host-session.0=2.x", "__Host-session")
	f.Fuzz(func(t *testing.T, header, name string) {
		if !isToken(name) {
			return
		}
		r := &http.Request{Header: http.Header{"Cookie": strings.Split(header, "\n")}}
		var got incoming
		readIncoming(r, name, &got)
		if want := readIncomingSplit(r, name); got != want {
			t.Errorf("readIncoming(%q, %q) = %+v, want %+v", header, name, got, want)
		}
	})
}

package cookiesession

import (
	"net/http"
	"net/textproto"
	"strings"
	"testing"
)

// readIncomingSplit is the straightforward form of readIncoming, split
// then cut, kept as the reference the fast scanner must agree with.
func readIncomingSplit(r *http.Request, name string) incoming {
	var in incoming
	for _, line := range r.Header["Cookie"] {
		for part := range strings.SplitSeq(line, ";") {
			k, v, ok := strings.Cut(textproto.TrimString(part), "=")
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
				if in.seen[i] {
					in.dupChunks = true
				} else {
					in.seen[i], in.chunks[i] = true, v
				}
				in.last[i] = v
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

// FuzzReadIncomingNetHTTP compares readIncoming with net/http's own
// cookie parsing (Request.Cookies) on headers made of well-formed pairs,
// the ones a browser sends: the same values for the session's name, in
// the same order, and the same first and last value for each chunk name. The
// bytes choose the pairs' names, values and separators. Outside such
// headers the two differ on purpose: readIncoming takes no cookie with
// white space before its '=' or without '=' at all, and leaves values as
// they are (quotes included) for the codec to refuse.
func FuzzReadIncomingNetHTTP(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3}, "s")
	f.Add([]byte{0, 0, 5, 1, 7, 7, 3, 9, 2, 4}, "s")
	f.Add([]byte{4, 0, 3, 6, 9, 8, 2, 1, 1, 1, 0, 0, 0}, "__Host-session")
	f.Add([]byte("the quick brown fox; jumps over the lazy dog"), "sid")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		if !isToken(name) {
			return
		}
		names := []string{name, name + ".0", name + ".1", name + ".7", name + ".8", name + "x", "x" + name, name + ".00", "other", name[:len(name)-1]}
		seps := []string{";", "; ", ";  ", " ; ", "\t;\t", "; \u2000", ";\u00a0"}
		const values = "abcXYZ019-_.~!#$%&'()*+/:<=>?@[]^`{|}"
		var line []byte
		for i := 0; i+2 < len(data); i += 3 {
			if len(line) > 0 {
				line = append(line, seps[int(data[i])%len(seps)]...)
			}
			line = append(line, names[int(data[i+1])%len(names)]...)
			line = append(line, '=')
			for n := int(data[i+2]) % 6; n > 0; n-- {
				line = append(line, values[(int(data[i+2])*7+n*13+i)%len(values)])
			}
		}
		header := http.Header{"Cookie": {string(line)}}
		var got incoming
		readIncoming(&http.Request{Header: header}, name, &got)
		var want incoming
		for _, c := range (&http.Request{Header: header}).Cookies() {
			switch rest := strings.TrimPrefix(c.Name, name); {
			case c.Name == name:
				want.hasBase = true
				if want.nSingle < MaxDuplicates {
					want.singles[want.nSingle] = c.Value
					want.nSingle++
				}
			case len(rest) == 2 && rest[0] == '.' && rest[1] >= '0' && rest[1] < '0'+MaxChunks && len(rest) < len(c.Name):
				want.anyChunk = true
				i := rest[1] - '0'
				if want.seen[i] {
					want.dupChunks = true
				} else {
					want.seen[i], want.chunks[i] = true, c.Value
				}
				want.last[i] = c.Value
			}
		}
		if got != want {
			t.Fatalf("header %q, name %q:\n got %+v\nwant %+v", line, name, got, want)
		}
	})
}

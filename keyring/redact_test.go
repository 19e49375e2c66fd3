package keyring_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

// TestRedaction prints, formats, marshals and logs keys and rings in every
// way a program might, and checks that no secret shows in any form.
func TestRedaction(t *testing.T) {
	r := richRing(t)
	sec := secrets(t, r)
	k := r.Primary(time.Now())
	keys := r.Keys()

	type holder struct {
		Key  *keyring.Key
		Ring *keyring.Ring
		Keys []*keyring.Key
	}
	type valueHolder struct {
		Key  keyring.Key
		Ring keyring.Ring
	}
	type hidden struct {
		key keyring.Key
	}
	values := map[string]any{
		"key":           k,
		"key value":     *k,
		"ring":          r,
		"ring value":    *r,
		"keys":          keys,
		"map":           map[uint32]*keyring.Key{k.ID(): k},
		"holder":        holder{k, r, keys},
		"holder ptr":    &holder{k, r, keys},
		"value holder":  valueHolder{*k, *r},
		"hidden field":  hidden{*k},
		"info":          r.Info(),
		"usage":         r.Usage(),
		"nil key":       (*keyring.Key)(nil),
		"nil ring":      (*keyring.Ring)(nil),
		"key interface": any(k),
	}
	var out []string
	add := func(what, s string) {
		if s == "" && !strings.HasPrefix(what, "json") {
			t.Errorf("%s printed nothing", what)
		}
		out = append(out, what+": "+s)
		assertNoSecret(t, what, s, sec)
	}

	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
			add(name+" "+verb, fmt.Sprintf(verb, v))
		}
		add(name+" Sprint", fmt.Sprint(v))
		add(name+" Sprintln", fmt.Sprintln(v))
		if b, err := json.Marshal(v); err == nil {
			add("json "+name, string(b))
		}
		if b, err := json.MarshalIndent(v, "", " "); err == nil {
			add("json indent "+name, string(b))
		}

		var buf bytes.Buffer
		lg := log.New(&buf, "", 0)
		lg.Printf("%v %+v", v, v)
		add("log "+name, buf.String())
	}

	add("String", k.String())
	add("GoString", k.GoString())
	add("ring String", r.String())
	add("ring GoString", r.GoString())
	add("Fingerprint", k.Fingerprint())

	// The redacted form still says which key it is.
	if s := fmt.Sprint(k); !strings.Contains(s, fmt.Sprint(k.ID())) || !strings.Contains(s, "REDACTED") {
		t.Errorf("a key prints as %q", s)
	}
	if b, _ := json.Marshal(k); !bytes.Contains(b, []byte(`"fingerprint"`)) || bytes.Contains(b, []byte("secret")) {
		t.Errorf("a key marshals as %s", b)
	}

	for _, h := range []struct {
		name string
		new  func(*bytes.Buffer) slog.Handler
	}{
		{"slog text", func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) }},
		{"slog json", func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) }},
	} {
		var buf bytes.Buffer
		lg := slog.New(h.new(&buf))
		lg.Info("keys", "key", k, "ring", r, "keys", keys, "value", *k, "holder", holder{k, r, keys})
		lg.Info("group", slog.Group("g", slog.Any("key", k), slog.Any("ring", r)))
		lg.Error("error", "err", errorsFor(t, r))
		if !strings.Contains(buf.String(), fmt.Sprint(k.ID())) {
			t.Errorf("%s output lacks the key ID: %s", h.name, buf.String())
		}
		add(h.name, buf.String())
	}

	for _, err := range errorsFor(t, r) {
		add("error", err.Error())
		add("error %+v", fmt.Sprintf("%+v", err))
		add("error %#v", fmt.Sprintf("%#v", err))
	}
	if testing.Verbose() {
		t.Log(strings.Join(out, "\n"))
	}
}

// errorsFor provokes every error a ring operation or a keyring file can
// give, with the ring's secrets in play.
func errorsFor(t *testing.T, r *keyring.Ring) []error {
	t.Helper()
	p := r.Primary(time.Now())
	var errs []error
	add := func(err error) {
		if err == nil {
			t.Fatal("expected an error")
		}
		errs = append(errs, err)
	}
	_, err := r.Retire(p.ID())
	add(err)
	_, err = r.Remove(p.ID())
	add(err)
	_, err = r.Promote(424242)
	add(err)
	_, err = r.Import(p)
	add(err)

	data, _ := keyring.MarshalFile(r)
	var f map[string]any
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	mutate := func(change func(k map[string]any)) {
		var g map[string]any
		json.Unmarshal(data, &g)
		for _, k := range g["keys"].([]any) {
			change(k.(map[string]any))
		}
		b, _ := json.Marshal(g)
		_, err := keyring.Parse(b)
		add(err)
	}
	mutate(func(k map[string]any) { k["secret"] = k["secret"].(string)[:40] })
	mutate(func(k map[string]any) { k["secret"] = k["secret"].(string) + "AAAA" })
	mutate(func(k map[string]any) { k["secret"] = strings.ReplaceAll(k["secret"].(string), "=", "") })
	mutate(func(k map[string]any) { k["secret"] = "!" + k["secret"].(string)[1:] })
	mutate(func(k map[string]any) { k["secret"] = []any{k["secret"]} })
	mutate(func(k map[string]any) { k["created"] = k["secret"] })
	mutate(func(k map[string]any) { k["algorithm"] = "rot13" })
	mutate(func(k map[string]any) { k["state"] = "primary" })
	mutate(func(k map[string]any) { k["id"] = 1 })
	// Secrets pasted into the wrong place: names are quoted only when
	// they look like names.
	mutate(func(k map[string]any) { k[k["secret"].(string)] = 1 })
	mutate(func(k map[string]any) { k["algorithm"] = k["secret"] })
	mutate(func(k map[string]any) { k["state"] = k["secret"] })
	mutate(func(k map[string]any) { k["activate_at"] = k["secret"] })
	_, err = keyring.Parse(data[:len(data)-40])
	add(err)
	_, err = keyring.Parse(bytes.Replace(data, []byte(`"secret"`), []byte(`"secret": "x", "secret"`), 1))
	add(err)
	s := base64.StdEncoding.EncodeToString(secrets(t, r)[p.ID()])
	_, err = keyring.Parse(bytes.Replace(data, []byte(`"secret"`), []byte(`"`+s+`": 1, "`+s+`": 2, "secret"`), 1))
	add(err)
	_, err = keyring.Parse(bytes.Replace(data, []byte(`"version"`), []byte(`"`+s+`": 1, "version"`), 1))
	add(err)
	_, err = keyring.Parse([]byte(s))
	add(err)
	_, err = keyring.Parse([]byte(`{"version": 1, "keys": [{"id": 1, "secret": "` + s))
	add(err)
	_, err = keyring.Parse([]byte(`{"version": 1, "keys": [{"id": 1, "secret": "` + s + `\q"}]}`))
	add(err)
	return errs
}

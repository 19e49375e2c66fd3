package node_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/keyseal/keyseal"
	"github.com/keyseal/keyseal/jwe"
	"github.com/keyseal/keyseal/keyring"
)

var t0 = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

const (
	maxAge = time.Hour
	leeway = time.Minute
)

func codecAt(t *testing.T, ring *keyring.Ring, enc string, now *time.Time) *jwe.Codec {
	t.Helper()
	c, err := jwe.New(ring, jwe.Config{Encryption: enc, MaxAge: maxAge, Leeway: leeway, Clock: func() time.Time { return *now }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// mustJSON marshals claims for Seal.
func mustJSON(t *testing.T, claims any) []byte {
	t.Helper()
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decode unmarshals the claims Open returned into v, unless Open failed.
func decode(claims []byte, err error, v any) error {
	if err != nil {
		return err
	}
	return json.Unmarshal(claims, v)
}

func exportJWK(t *testing.T, k *keyring.Key, enc string) json.RawMessage {
	t.Helper()
	data, err := keyring.ExportJWK(k, enc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestJose checks both directions against the npm jose package, for both
// content encryptions, with keys exchanged as JWKs.
func TestJose(t *testing.T) {
	requireNode(t)
	ring, err := keyring.Generate(keyring.XChaCha20Poly1305)
	if err != nil {
		t.Fatal(err)
	}
	k := ring.Primary(t0)
	kid := fmt.Sprint(k.ID())
	u := t0.Unix()

	type check struct {
		name string
		enc  string
		task task
		// For jose → keyseal: the time keyseal opens at, and its verdict.
		at   time.Time
		want error
		// For keyseal → jose: jose's verdict ("" = opens).
		joseErr string
	}
	var checks []check
	for _, enc := range []string{jwe.A256GCM, jwe.A256CBCHS512} {
		jwk := exportJWK(t, k, enc)
		now := t0
		c := codecAt(t, ring, enc, &now)
		sealed, err := c.Seal(mustJSON(t, map[string]any{"sub": "from-go", "roles": []string{"a", "b"}}))
		if err != nil {
			t.Fatal(err)
		}
		nbf, err := c.Seal(mustJSON(t, map[string]any{"sub": "from-go", "nbf": u + 600}))
		if err != nil {
			t.Fatal(err)
		}
		enc := enc
		encrypt := func(claims map[string]any, iat, exp, nbf any) task {
			return task{"op": "encrypt", "enc": enc, "jwk": jwk, "kid": kid, "claims": claims, "iat": iat, "exp": exp, "nbf": nbf}
		}
		decrypt := func(token string, at int64) task {
			return task{"op": "decrypt", "enc": enc, "jwk": jwk, "token": token, "now": at}
		}
		claims := map[string]any{"sub": "from-jose"}
		checks = append(checks,
			check{name: "jose→keyseal", enc: enc, task: encrypt(claims, u, u+600, nil), at: t0},
			check{name: "jose→keyseal expired", enc: enc, task: encrypt(claims, u, u+600, nil), at: t0.Add(600*time.Second + leeway), want: keyseal.ErrExpired},
			check{name: "jose→keyseal within leeway", enc: enc, task: encrypt(claims, u, u+600, nil), at: t0.Add(600*time.Second + leeway - time.Second)},
			check{name: "jose→keyseal past MaxAge", enc: enc, task: encrypt(claims, u, u+7200, nil), at: t0.Add(maxAge + leeway), want: keyseal.ErrExpired},
			check{name: "jose→keyseal nbf", enc: enc, task: encrypt(claims, u, u+600, u+300), at: t0, want: keyseal.ErrNotYetValid},
			check{name: "jose→keyseal nbf reached", enc: enc, task: encrypt(claims, u, u+600, u+300), at: t0.Add(300 * time.Second)},
			check{name: "jose→keyseal no exp", enc: enc, task: encrypt(claims, u, nil, nil), at: t0, want: keyseal.ErrMalformed},
			check{name: "jose→keyseal no iat", enc: enc, task: encrypt(claims, nil, u+600, nil), at: t0, want: keyseal.ErrMalformed},
			check{name: "keyseal→jose", enc: enc, task: decrypt(sealed, u)},
			check{name: "keyseal→jose expired", enc: enc, task: decrypt(sealed, u+int64(maxAge/time.Second)), joseErr: "ERR_JWT_EXPIRED"},
			check{name: "keyseal→jose nbf", enc: enc, task: decrypt(nbf, u), joseErr: "ERR_JWT_CLAIM_VALIDATION_FAILED"},
			check{name: "keyseal→jose nbf reached", enc: enc, task: decrypt(nbf, u+600)},
		)
	}
	// A token for the other encryption is refused: the allow-list holds.
	checks = append(checks, check{name: "jose→keyseal other enc", enc: jwe.A256GCM,
		task: task{"op": "encrypt", "enc": jwe.A256CBCHS512, "jwk": exportJWK(t, k, jwe.A256CBCHS512), "kid": kid,
			"claims": map[string]any{}, "iat": u, "exp": u + 600}, at: t0, want: keyseal.ErrMalformed})

	tasks := make([]task, len(checks))
	for i, c := range checks {
		tasks[i] = c.task
	}
	res := runNode(t, tasks)
	for i, ch := range checks {
		r := res[i]
		t.Run(fmt.Sprintf("%s/%s", ch.enc, ch.name), func(t *testing.T) {
			if ch.task["op"] == "decrypt" {
				if r.Error != ch.joseErr {
					t.Fatalf("jose: got error %q, want %q", r.Error, ch.joseErr)
				}
				if r.Error == "" {
					if r.Claims["sub"] != "from-go" || r.Claims["iat"] != float64(u) || r.Claims["exp"] != float64(u+3600) {
						t.Fatalf("jose read claims %v", r.Claims)
					}
					if r.Header["kid"] != kid || r.Header["alg"] != "dir" || r.Header["enc"] != ch.enc {
						t.Fatalf("jose read header %v", r.Header)
					}
				}
				return
			}
			if r.Error != "" {
				t.Fatalf("jose encrypt: %s", r.Error)
			}
			at := ch.at
			var got struct {
				Sub string `json:"sub"`
			}
			raw, _, err := codecAt(t, ring, ch.enc, &at).Open(r.Token)
			err = decode(raw, err, &got)
			if !errors.Is(err, ch.want) {
				t.Fatalf("keyseal: got %v, want %v", err, ch.want)
			}
			if err == nil && got.Sub != "from-jose" {
				t.Fatalf("keyseal read %+v", got)
			}
		})
	}
}

// TestJoseKeyImport has jose generate a key; keyseal imports it as a JWK,
// opens jose's tokens with it and seals tokens jose opens.
func TestJoseKeyImport(t *testing.T) {
	requireNode(t)
	gen := runNode(t, []task{{"op": "generate", "enc": jwe.A256GCM, "kid": "4242"}})[0]
	if gen.Error != "" {
		t.Fatal(gen.Error)
	}
	k, err := keyring.ImportJWK(gen.JWK, t0)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := keyring.New(k)
	if err != nil {
		t.Fatal(err)
	}
	now := t0
	c := codecAt(t, ring, jwe.A256GCM, &now)
	sealed, err := c.Seal(mustJSON(t, map[string]any{"sub": "from-go"}))
	if err != nil {
		t.Fatal(err)
	}
	u := t0.Unix()
	res := runNode(t, []task{
		{"op": "encrypt", "enc": jwe.A256GCM, "jwk": gen.JWK, "kid": "4242", "claims": map[string]any{"sub": "from-jose"}, "iat": u, "exp": u + 60},
		{"op": "decrypt", "enc": jwe.A256GCM, "jwk": gen.JWK, "token": sealed, "now": u},
	})
	var got struct{ Sub string }
	raw, _, err := c.Open(res[0].Token)
	if err := decode(raw, err, &got); err != nil || got.Sub != "from-jose" {
		t.Fatalf("keyseal opening jose's token: %v %+v", err, got)
	}
	if res[1].Error != "" || res[1].Claims["sub"] != "from-go" {
		t.Fatalf("jose opening keyseal's token: %+v", res[1])
	}
	// The ring has no key for A256CBC-HS512 at all: refused up front.
	if _, err := jwe.New(ring, jwe.Config{Encryption: jwe.A256CBCHS512}); !errors.Is(err, keyseal.ErrNoUsableKey) {
		t.Fatalf("A256CBC-HS512 codec on a ring of one A256GCM key: %v, want ErrNoUsableKey", err)
	}
}

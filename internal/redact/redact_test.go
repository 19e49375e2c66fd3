package redact_test

import (
	"testing"

	"github.com/keyseal/keyseal/internal/redact"
	"github.com/keyseal/keyseal/internal/testkit"
)

type holder struct {
	name string
	keys *redact.Box[[]byte]
}

func TestBox(t *testing.T) {
	secret := []byte("0123456789abcdef secret material")
	h := &holder{"h", redact.New(secret)}
	if got := *h.keys.Get(); string(got) != string(secret) {
		t.Fatalf("Get = %q", got)
	}
	testkit.CheckRedacted(t, testkit.Holders(h), secret)
}

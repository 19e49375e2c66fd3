package loopback_test

import (
	"testing"

	"github.com/keyseal/keyseal/internal/loopback"
)

func TestHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST:8080": true, "localhost.": true, "localhost.:80": true,
		"app.localhost:1": true, "127.0.0.1": true, "127.0.0.2:8080": true,
		"[::1]": true, "[::1]:8080": true, "::1": true, "[::ffff:127.0.0.1]:80": true,
		"": false, "attacker.example": false, "attacker.example:8080": false,
		"localhost.attacker.example": false, "127.0.0.1.nip.io": false, "10.0.0.1:8080": false,
		"0.0.0.0": false, "[::]": false, "[2001:db8::1]:8080": false, "localhostx": false,
	} {
		if got := loopback.Host(host); got != want {
			t.Errorf("Host(%q) = %v, want %v", host, got, want)
		}
	}
}

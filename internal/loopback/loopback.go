// Package loopback tells whether a request's Host names this machine,
// for the session middleware's insecure development mode and the demo,
// which must serve nothing to a page that reaches them under another name
// (DNS rebinding).
package loopback

import (
	"net/netip"
	"strings"
)

// Host reports whether host, a request's Host (a name or an address, with
// or without a port), names this machine: localhost, a name under
// .localhost, or a loopback address.
func Host(host string) bool {
	if h, _, ok := strings.Cut(host, "]"); ok && strings.HasPrefix(h, "[") {
		host = h[1:]
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 && strings.Count(host, ":") == 1 {
		host = host[:i]
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

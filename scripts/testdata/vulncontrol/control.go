// Package vulncontrol is scripts/vulncheck.sh's positive control: it
// requires a version of golang.org/x/text with known vulnerabilities, so a
// vulnerability database that govulncheck reads must report them.
package vulncontrol

import _ "golang.org/x/text/language"

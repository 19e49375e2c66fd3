module github.com/keyseal/keyseal/conformance

go 1.26.0

toolchain go1.27.4

require (
	github.com/c2sp/wycheproof v0.0.0-20260105152342-fca0d3ba9f12
	github.com/keyseal/keyseal v0.0.0
)

require (
	golang.org/x/crypto v0.59.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/keyseal/keyseal => ../

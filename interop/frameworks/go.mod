module github.com/keyseal/keyseal/interop/frameworks

go 1.26.0

toolchain go1.27.4

require github.com/keyseal/keyseal v0.0.0

require (
	golang.org/x/crypto v0.59.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/keyseal/keyseal => ../..

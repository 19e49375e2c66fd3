module github.com/keyseal/keyseal/gorillastore

go 1.26.0

toolchain go1.27.4

require (
	github.com/gorilla/sessions v1.4.0
	github.com/keyseal/keyseal v0.0.0
)

require (
	github.com/gorilla/securecookie v1.1.2 // indirect
	golang.org/x/crypto v0.59.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/keyseal/keyseal => ../

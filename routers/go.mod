module github.com/keyseal/keyseal/routers

go 1.26.0

toolchain go1.27.4

replace github.com/keyseal/keyseal => ../

require (
	github.com/go-chi/chi/v5 v5.5.0
	github.com/keyseal/keyseal v0.0.0
	github.com/labstack/echo/v5 v5.4.6
)

require (
	golang.org/x/crypto v0.59.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

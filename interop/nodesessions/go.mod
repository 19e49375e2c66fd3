module github.com/keyseal/keyseal/interop/nodesessions

go 1.26.0

toolchain go1.27.4

require github.com/keyseal/keyseal v0.0.0

replace github.com/keyseal/keyseal => ../..

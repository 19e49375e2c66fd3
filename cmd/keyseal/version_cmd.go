package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

func runVersion(e *env, args []string) error {
	f := newFlags(e, "version", "version")
	if _, err := f.parse(args, 0, 0); err != nil {
		return err
	}
	bi, ok := debug.ReadBuildInfo()
	_, err := fmt.Fprintln(e.stdout, versionLine(bi, ok))
	return withCode(exitIO, err)
}

// versionLine is what "keyseal version" prints: "keyseal VERSION GOVERSION",
// the main module's version as the build recorded it ("(devel)" for a
// build from a checkout that the go command could not stamp) and the Go
// version that built the binary.
func versionLine(bi *debug.BuildInfo, ok bool) string {
	version, goVersion := "(unknown)", runtime.Version()
	if ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		if bi.GoVersion != "" {
			goVersion = bi.GoVersion
		}
	}
	return fmt.Sprintf("keyseal %s %s", version, goVersion)
}

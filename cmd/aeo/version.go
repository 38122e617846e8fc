package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version describes this build of the aeo command from the information
// the Go toolchain records in every binary: the module version (a tag
// such as v0.1.0 when installed from the module path, a pseudo-version or
// "(devel)" when built from a checkout), the commit and whether the work
// tree had changes.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "aeo (no build information)\n"
	}
	return versionText(info)
}

// versionText formats the build information of the aeo command.
func versionText(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	out := "aeo " + v
	var rev, at, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		out += "\ncommit " + rev
		if at != "" {
			out += " (" + at + ")"
		}
		if modified == "true" {
			out += ", with uncommitted changes"
		}
	}
	out += fmt.Sprintf("\nmodule %s\n%s %s/%s\n", info.Main.Path, info.GoVersion, runtime.GOOS, runtime.GOARCH)
	return out
}

func cmdVersion(args []string, w io.Writer) error {
	fs := newFlags("version", "",
		"The version comes from the build: a release tag when installed with",
		"'go install github.com/safe-aeo/engine/cmd/aeo@VERSION', the commit when built from a",
		"checkout with 'go install ./cmd/aeo'.")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("version takes no arguments")
	}
	_, err = io.WriteString(w, version())
	return err
}

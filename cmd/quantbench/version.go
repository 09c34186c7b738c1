package main

import "runtime/debug"

// version is set at build time with -ldflags "-X main.version=..."; otherwise
// the module version or "devel" is used.
var version = ""

// commit is set at build time with -ldflags "-X main.commit=..."; otherwise
// the VCS revision recorded by the Go toolchain is used, when there is one.
var commit = ""

// versionString returns the version and, when the binary was built from a
// git checkout, the commit.
func versionString() string {
	v, revision := buildVersion()
	if revision != "" {
		return v + " (" + revision + ")"
	}
	return v
}

// buildVersion returns the quantbench version and the VCS commit, when known.
func buildVersion() (string, string) {
	v := version
	revision := commit
	info, ok := debug.ReadBuildInfo()
	if ok {
		if v == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && revision == "" {
				revision = s.Value
			}
		}
	}
	if v == "" {
		v = "devel"
	}
	return v, revision
}

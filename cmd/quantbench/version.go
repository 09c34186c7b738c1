package main

import "runtime/debug"

// version is set at build time with -ldflags "-X main.version=..."; otherwise
// the module version or "devel" is used.
var version = ""

// versionString returns the version and, when the binary was built from a
// git checkout, the commit.
func versionString() string {
	v, commit := buildVersion()
	if commit != "" {
		return v + " (" + commit + ")"
	}
	return v
}

// buildVersion returns the quantbench version and the VCS commit, when known.
func buildVersion() (string, string) {
	v := version
	commit := ""
	info, ok := debug.ReadBuildInfo()
	if ok {
		if v == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				commit = s.Value
			}
		}
	}
	if v == "" {
		v = "devel"
	}
	return v, commit
}

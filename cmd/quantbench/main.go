// Command quantbench measures whether a 4-bit quantised model served by Ollama
// keeps the quality of its FP16 baseline, how fast it runs, and what it costs
// against an API.
//
// Usage:
//
//	quantbench COMMAND [options]
//
// Run "quantbench help" for the list of commands and "quantbench COMMAND --help"
// for each command's arguments, options and examples.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// command is one subcommand. Run receives the arguments after the command name
// and returns an exit status.
type command struct {
	Name    string
	Summary string
	Run     func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{}

// register adds a subcommand; each command's file calls it from init.
func register(c command) {
	commands[c.Name] = c
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printCommands(stderr)
		return exitUsage
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				return c.Run([]string{"--help"}, stdout, stderr)
			}
		}
		printCommands(stdout)
		return exitOK
	}
	if name == "version" || name == "--version" {
		if len(args) > 1 && (args[1] == "--help" || args[1] == "-h") {
			fmt.Fprint(stdout, "Usage: quantbench version\n\nPrints the quantbench version and, when known, the commit it was built from.\n")
			return exitOK
		}
		fmt.Fprintln(stdout, "quantbench", versionString())
		return exitOK
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "quantbench: unknown command %q\n\n", name)
		printCommands(stderr)
		return exitUsage
	}
	return c.Run(args[1:], stdout, stderr)
}

func printCommands(w io.Writer) {
	fmt.Fprintln(w, "Usage: quantbench COMMAND [options]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-12s %s\n", name, commands[name].Summary)
	}
	fmt.Fprintln(w, "  version      print the quantbench version")
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "quantbench COMMAND --help" for a command's options and examples.`)
}

// newFlagSet returns a flag set that prints usage (a constant with Arguments,
// Options and Examples sections) on --help and reports errors instead of exiting.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, strings.TrimLeft(usage, "\n"))
		fmt.Fprintln(stderr, "\nOptions:")
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and maps the outcome to an exit status: -1 means
// continue, exitOK means --help was shown, exitUsage a usage error.
func parseFlags(fs *flag.FlagSet, args []string) int {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitUsage
	}
	return -1
}

// setupLogging sends slog output to stderr at the level given by --log-level.
func setupLogging(stderr io.Writer, level string) error {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return fmt.Errorf("invalid --log-level %q: use debug, info, warn or error", level)
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lvl})))
	return nil
}

// Command aeo is the rule authors' command line: start a programme from
// the SAFE baseline, check it, run its fixtures with coverage, try an
// expression against a profile, explain an assessment, compare two
// programmes for mutual recognition, show what a new version changes, and
// print the JSON Schema of the files for editor completion.
//
//	aeo init DIR
//	aeo baseline [programme|profile|fixtures]
//	aeo validate [--format text|json] FILE...
//	aeo test [--run REGEX] [--explain] [--fail-on-empty] [--format text|json|junit] [--min-coverage PCT] PROGRAMME FIXTURES...
//	aeo eval [--profile FILE] [--as-of DATE] PROGRAMME [EXPRESSION|REQUIREMENT]
//	aeo assess [--as-of DATE] [--view operator|internal] [--format text|json|html] [--lang LANG] PROGRAMME PROFILE
//	aeo compare [--profiles DIR] [--as-of DATE] [--format text|json] A B
//	aeo impact [--profiles PATH]... [--declarations PATH]... [--shard i/n] [--format text|json|csv] OLD NEW
//	aeo impact merge [--format text|json|csv] REPORT.json...
//	aeo schema [--programme FILE] [programme|fixtures|profile]
//	aeo report dossier|letter|benefits|history|phases [flags] ARGUMENTS
//	aeo serve [--addr HOST:PORT] [--token-file FILE] [--decision-log FILE] DIR
//	aeo publish [--format markdown|html] [--lang LANG] PROGRAMME
//	aeo version
//
// Every command prints its flags with -h.
//
// Exit status: 0 when all is well; 1 when the command ran and found
// failures (a file with problems for validate, a failing case or a coverage
// shortfall for test); 2 for a usage error or an input that cannot be
// loaded (a programme, fixtures or profile with problems, for every command
// but validate). Problems go to standard error; results, in the format
// asked for, to standard output.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// A command is one subcommand of aeo. A new command is one line in
// commands: its name, its arguments as the usage shows them, a one-line
// summary and the function that runs it. The function parses its own
// flags with newFlags and parse, writes its results to stdout and returns
// an error for run to report: errFailed (exit 1), a usage error (exit 2)
// or the problems of an input that does not load (exit 2, see loadError).
type command struct {
	name    string
	args    string
	summary string
	run     func(args []string, stdout io.Writer) error
}

// commands lists the subcommands in the order the usage shows them. It is
// set in init because the commands' help reads it.
var commands []command

func init() {
	commands = []command{
		{"init", "DIR", "start a programme in DIR: extends the baseline, with fixtures that pass", cmdInit},
		{"baseline", "[programme|profile|fixtures]", "print the built-in SAFE baseline, its complete profile or its fixtures", cmdBaseline},
		{"validate", "FILE...", "check programme and fixtures files; print every problem as file:line:col", cmdValidate},
		{"test", "PROGRAMME FIXTURES...", "run fixture cases; report pass/fail and coverage", cmdTest},
		{"eval", "PROGRAMME [EXPRESSION|REQUIREMENT]", "evaluate an expression or a requirement against a profile", cmdEval},
		{"assess", "PROGRAMME PROFILE", "explain the assessment of one profile", cmdAssess},
		{"compare", "A B", "match each requirement of A to B's, for mutual recognition", cmdCompare},
		{"impact", "OLD NEW --profiles PATH", "replay the register (and, with --declarations PATH, a year of declarations) through both versions", cmdImpact},
		{"schema", "[programme|fixtures|profile]", "print the JSON Schema of a file kind", cmdSchema},
		{"report", "KIND ...", "write an HTML report: dossier, letter, benefits, history, phases", cmdReport},
		{"serve", "DIR", "run the HTTP/JSON decision service over the programme files in DIR", cmdServe},
		{"publish", "PROGRAMME", "write the public document of a programme, as Markdown or HTML", cmdPublish},
		{"version", "", "print the version of this aeo command", cmdVersion},
	}
}

func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// errFailed reports that the command ran and found failures (exit 1); the
// command has already said what they are.
var errFailed = errors.New("failed")

// usageError is a mistake in the command line (exit 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// helpRequest is -h or --help: the command's help goes to standard output
// and the exit status is 0.
type helpRequest struct{ text string }

func (h *helpRequest) Error() string { return h.text }

// loadError is an input that could not be loaded: a programme, fixtures or
// profile with problems, or a file that cannot be read. run prints every
// problem on standard error, one a line, and exits 2. A command whose
// output format must stay valid (json, junit) writes the problems into
// that output too before returning it.
type loadError struct{ err error }

func (e *loadError) Error() string { return e.err.Error() }
func (e *loadError) Unwrap() error { return e.err }

// loadFailed wraps the error of loading an input for run to report.
func loadFailed(err error) error { return &loadError{err} }

func usage() string {
	var b strings.Builder
	b.WriteString("usage: aeo <command> [flags] [arguments]\n\ncommands:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-44s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
	b.WriteString("\nRun 'aeo <command> -h' for the flags of a command.\n")
	b.WriteString("Exit status: 0 ok, 1 failures found, 2 usage or load errors.\n")
	return b.String()
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return 2
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 {
			if _, ok := lookup(args[1]); ok {
				return run([]string{args[1], "-h"}, stdout, stderr)
			}
		}
		fmt.Fprint(stdout, usage())
		return 0
	case "-version", "--version":
		name = "version"
	}
	cmd, ok := lookup(name)
	if !ok {
		fmt.Fprintf(stderr, "aeo: unknown command %q%s\n\n%s", name, suggestCommand(name), usage())
		return 2
	}
	return report(name, cmd.run(args[1:], stdout), stdout, stderr)
}

// report prints what err says and returns the exit status. Every message
// carries one prefix, the command's: a library error's own "aeo: " is not
// repeated.
func report(name string, err error, stdout, stderr io.Writer) int {
	var (
		ue *usageError
		hr *helpRequest
		le *loadError
		fw *failedWith
		wn *warning
	)
	prefix := "aeo " + name + ": "
	switch {
	case err == nil:
		return 0
	case errors.As(err, &hr):
		fmt.Fprint(stdout, hr.text)
		return 0
	case errors.As(err, &wn):
		fmt.Fprintf(stderr, "%swarning: %s\n", prefix, wn.msg)
		return 0
	case errors.As(err, &fw):
		for _, e := range fw.list {
			if e.File == "" {
				fmt.Fprint(stderr, prefix)
			}
			fmt.Fprintln(stderr, e.Error())
		}
		return 1
	case errors.Is(err, errFailed):
		return 1
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "%s%v\nRun 'aeo %s -h' for usage.\n", prefix, ue, name)
		return 2
	case errors.As(err, &le):
		for _, p := range problems(le.err) {
			if p.File == "" {
				fmt.Fprint(stderr, prefix)
			}
			fmt.Fprintln(stderr, p.Error())
		}
		return 2
	default:
		fmt.Fprintf(stderr, "%s%s\n", prefix, trimPrefix(err.Error()))
		return 1
	}
}

// trimPrefix removes the package prefixes a library error starts with
// ("aeo: ", "aeotest: "), so that the command's own prefix is the only one.
func trimPrefix(msg string) string {
	for {
		pkg, rest, ok := strings.Cut(msg, ": ")
		if !ok || !libraryPackages[pkg] {
			return msg
		}
		msg = rest
	}
}

var libraryPackages = map[string]bool{"aeo": true, "aeotest": true, "criteria": true, "risk": true, "benefits": true, "lifecycle": true, "phases": true, "rules": true, "decode": true, "replay": true}

func suggestCommand(name string) string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	if s := closest(name, names); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return ""
}

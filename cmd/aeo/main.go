// Command aeo is the rule authors' command line: check a programme file,
// run its fixtures with coverage, explain an assessment, compare two
// programmes for mutual recognition, show what a new version changes, and
// print the JSON Schema of the files for editor completion.
//
//	aeo validate FILE...
//	aeo test [--format text|json|junit] [--min-coverage PCT] PROGRAMME FIXTURES...
//	aeo assess [--as-of DATE] [--view operator|internal] [--format text|json] PROGRAMME PROFILE
//	aeo compare [--profiles DIR] [--as-of DATE] [--format text|json] A B
//	aeo impact [--profiles DIR] [--declarations FILE] [--as-of DATE] [--format text|json] OLD NEW
//	aeo schema [programme|fixtures|profile]
//
// Exit status: 0 when all is well, 1 when a programme is invalid, a fixture
// fails or coverage is short, 2 for a usage error.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// errFailed reports that the command ran and found problems (exit 1).
var errFailed = errors.New("failed")

// usageError is a mistake in the command line (exit 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

const usage = `usage: aeo <command> [flags] [arguments]

commands:
  validate FILE...                         check programme files; print every problem as file:line:col
  test PROGRAMME FIXTURES...               run fixture cases; report pass/fail and coverage
  assess PROGRAMME PROFILE                 explain the assessment of one profile
  compare A B                              match each requirement of A to B's, for mutual recognition
  impact OLD NEW --profiles DIR            list outcomes (and, with --declarations FILE, lanes) that change
  schema [programme|fixtures|profile]      print the JSON Schema of a file kind

Run 'aeo <command> -h' for the flags of a command.
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmds := map[string]func([]string, io.Writer) error{
		"validate": cmdValidate,
		"test":     cmdTest,
		"assess":   cmdAssess,
		"compare":  cmdCompare,
		"impact":   cmdImpact,
		"schema":   cmdSchema,
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	cmd, ok := cmds[name]
	if !ok {
		fmt.Fprintf(stderr, "aeo: unknown command %q\n%s", name, usage)
		return 2
	}
	err := cmd(args[1:], stdout)
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errFailed):
		return 1
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "aeo %s: %v\n", name, err)
		return 2
	default:
		fmt.Fprintf(stderr, "aeo %s: %v\n", name, err)
		return 1
	}
}

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/diag"
)

func cmdEval(args []string, w io.Writer) error {
	fs := newFlags("eval", "PROGRAMME [EXPRESSION|REQUIREMENT]",
		"Evaluates an expression, written as a requirement's rule, against a profile as of a",
		"date, and prints its value, its type and the facts it read; or, given a requirement's",
		"ID, the requirement's outcome with its rule and the values it read. Without an",
		"expression it reads them from standard input, one a line: on a terminal, with a",
		"prompt and the commands :profile FILE, :as-of DATE, :help and :quit.")
	profile := fs.String("profile", "", "the operator profile `FILE` to evaluate against (default: an empty profile, where every fact is missing)")
	asOf := asOfFlag(fs, "the expression is evaluated")
	format := formatFlag(fs, "text", "json")
	root := rootFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := oneOf("format", *format, "text", "json"); err != nil {
		return err
	}
	if len(pos) < 1 {
		return usagef("want PROGRAMME and an expression or a requirement ID")
	}
	date, err := dateOrToday(*asOf)
	if err != nil {
		return err
	}
	p, err := loadProgramme(pos[0], *root)
	if err != nil {
		return loadFailed(err)
	}
	s := &evalSession{p: p, date: date, json: *format == "json", w: w}
	if *profile != "" {
		if err := s.loadProfile(*profile); err != nil {
			return loadFailed(err)
		}
	}
	if len(pos) > 1 {
		return s.eval(strings.Join(pos[1:], " "))
	}
	return s.repl(os.Stdin, isTerminal(os.Stdin))
}

// evalSession is the state of aeo eval: the programme, the profile and
// the date, which the interactive commands change.
type evalSession struct {
	p           *aeo.Programme
	prof        *aeo.Profile
	profileName string
	date        time.Time
	json        bool
	w           io.Writer
}

func (s *evalSession) loadProfile(name string) error {
	prof, err := aeo.LoadProfile(name)
	if err != nil {
		return err
	}
	s.prof, s.profileName = prof, name
	return nil
}

// eval evaluates src, or explains the requirement it names. A problem in
// src is an error: a load error (exit 2) from the command line, a line
// of output in the console.
func (s *evalSession) eval(src string) error {
	src = strings.TrimSpace(src)
	if s.isRequirement(src) {
		return s.requirement(src)
	}
	ev, err := s.p.Eval(context.Background(), src, s.prof, s.date)
	if err != nil {
		var pe *aeo.ProfileError
		if errors.As(err, &pe) {
			return loadFailed(err)
		}
		return loadFailed(expressionProblems(err, src))
	}
	if s.json {
		return writeJSON(s.w, ev)
	}
	switch {
	case ev.Decided:
		fmt.Fprintf(s.w, "%s (%s)\n", fullValue(ev.Value), ev.Type)
	case ev.Error != "":
		fmt.Fprintf(s.w, "indeterminate: the rule failed: %s\n", ev.Error)
	default:
		fmt.Fprintf(s.w, "indeterminate: the profile lacks %s\n", strings.Join(ev.Missing, ", "))
	}
	for _, f := range ev.Read {
		fmt.Fprintf(s.w, "  read: %s = %s\n", f.Fact, fullValue(f.Value()))
	}
	return nil
}

// expressionProblems places the problems of an expression typed on the
// command line: the expression itself, with a caret under the column.
func expressionProblems(err error, src string) error {
	var list diag.List
	if !errors.As(err, &list) {
		return err
	}
	out := make(diag.List, 0, len(list))
	for _, e := range list {
		c := *e
		c.Path = ""
		if e.ExprColumn > 0 && !strings.Contains(src, "\n") {
			c.Message = fmt.Sprintf("%s\n  %s\n  %s^", e.Message, src, strings.Repeat(" ", e.ExprColumn-1))
		}
		out = append(out, &c)
	}
	return out
}

func (s *evalSession) isRequirement(src string) bool {
	for _, r := range s.p.File().Requirements {
		if r.ID == src {
			return true
		}
	}
	return false
}

// requirement prints the outcome of requirement id on the profile, with
// its rule and the values it read.
func (s *evalSession) requirement(id string) error {
	prof := s.prof
	if prof == nil {
		prof = &aeo.Profile{}
	}
	a, err := s.p.Assess(context.Background(), prof, s.date)
	if err != nil {
		return loadFailed(err)
	}
	f, _ := a.Finding(id)
	var when string
	for _, r := range s.p.File().Requirements {
		if r.ID == id {
			when = r.When
		}
	}
	e := explainFinding(f, when)
	if s.json {
		return writeJSON(s.w, e)
	}
	for _, l := range e.lines() {
		fmt.Fprintln(s.w, l)
	}
	fmt.Fprintf(s.w, "  source: %s\n", f.Source)
	return nil
}

const replHelp = `Type an expression, as a requirement's rule is written, or a requirement's ID.
  :profile FILE   evaluate against this profile
  :as-of DATE     evaluate as of this date (YYYY-MM-DD)
  :help           this text
  :quit           leave (or end of input)
`

// repl reads expressions from r, one a line, and evaluates each. On a
// terminal it prompts, and a problem is printed and the session goes on;
// otherwise the first problem ends it with its exit status.
func (s *evalSession) repl(r io.Reader, terminal bool) error {
	if terminal {
		who := "an empty profile"
		if s.profileName != "" {
			who = s.profileName
		}
		fmt.Fprintf(s.w, "%s %s, %s, as of %s. :help for help.\n", s.p.Name(), s.p.Version(), who, s.date.Format(time.DateOnly))
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for {
		if terminal {
			fmt.Fprint(s.w, "aeo> ")
		}
		if !sc.Scan() {
			break
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		err := s.command(line)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if !terminal {
				return err
			}
			var le *loadError
			if errors.As(err, &le) {
				err = le.err
			}
			for _, l := range problemLines(err) {
				fmt.Fprintln(s.w, l)
			}
		}
	}
	if terminal {
		fmt.Fprintln(s.w)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return nil
}

// command runs one line of the console: a command or an expression.
func (s *evalSession) command(line string) error {
	cmd, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch cmd {
	case ":quit", ":q", ":exit":
		return io.EOF
	case ":help", ":h":
		fmt.Fprint(s.w, replHelp)
		return nil
	case ":profile":
		if err := s.loadProfile(arg); err != nil {
			return loadFailed(err)
		}
		fmt.Fprintf(s.w, "profile %s\n", arg)
		return nil
	case ":as-of":
		d, err := parseDate("as-of", arg)
		if err != nil {
			return err
		}
		s.date = d
		fmt.Fprintf(s.w, "as of %s\n", d.Format(time.DateOnly))
		return nil
	}
	if strings.HasPrefix(cmd, ":") {
		return usagef("unknown command %s; :help lists them", cmd)
	}
	return s.eval(line)
}

// isTerminal reports whether f is a terminal rather than a pipe or a
// file.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

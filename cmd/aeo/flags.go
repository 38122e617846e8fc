package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/safe-aeo/engine/internal/suggest"
)

// flagSet is a command's flags with what its help shows: the arguments
// after the flags and a few lines on what the command does.
type flagSet struct {
	*flag.FlagSet
	args  string
	about string
}

// newFlags returns the flag set of a command. It reports its own errors
// through parse, never by exiting or printing. args are the arguments as
// the usage line shows them; about, when given, says more than the
// command's summary in its help.
func newFlags(name, args string, about ...string) *flagSet {
	fs := flag.NewFlagSet("aeo "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, args: args, about: strings.Join(about, "\n")}
}

// parse parses flags and positional arguments in any order, as rule
// authors type them: "aeo assess prog.yaml app.yaml --as-of 2025-01-01".
// "--" ends the flags: what follows is positional even if it starts with
// a dash. -h and --help return the command's help.
func parse(fs *flagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &helpRequest{help(fs)}
			}
			return nil, flagError(fs, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// help is the text -h prints: the usage line, what the command does, and
// every flag with its value, meaning and default.
func help(fs *flagSet) string {
	var b strings.Builder
	name := strings.TrimPrefix(fs.Name(), "aeo ")
	line := fs.Name()
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		line += " [flags]"
	}
	if fs.args != "" {
		line += " " + fs.args
	}
	fmt.Fprintf(&b, "usage: %s\n", line)
	if c, ok := lookup(name); ok {
		fmt.Fprintf(&b, "\n%s.\n", upperFirst(c.summary))
	}
	if fs.about != "" {
		fmt.Fprintf(&b, "\n%s\n", fs.about)
	}
	if !hasFlags {
		b.WriteString("\nThis command has no flags.\n")
		return b.String()
	}
	b.WriteString("\nflags:\n")
	type row struct{ left, right string }
	var rows []row
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		value, usage := flag.UnquoteUsage(f)
		// "`text|json`: the output format" names the value once.
		usage = strings.TrimPrefix(usage, value+": ")
		left := "--" + f.Name
		if value != "" {
			left += " " + value
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && !strings.Contains(usage, "(default") {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		rows = append(rows, row{left, usage})
		width = max(width, len(left))
	})
	for _, r := range rows {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, r.left, r.right)
	}
	return b.String()
}

// flagError restates an error of the flag package in the terms the help
// uses: flags written with two dashes, and the closest flag for a typo.
func flagError(fs *flagSet, err error) error {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		name := strings.TrimLeft(strings.TrimPrefix(msg, "flag provided but not defined: "), "-")
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		hint := ""
		if s := closest(name, names); s != "" {
			hint = fmt.Sprintf("; did you mean --%s?", s)
		}
		return usagef("unknown flag --%s%s", name, hint)
	case strings.HasPrefix(msg, "flag needs an argument: "):
		name := strings.TrimLeft(strings.TrimPrefix(msg, "flag needs an argument: "), "-")
		return usagef("--%s needs a value", name)
	case strings.HasPrefix(msg, "invalid value "), strings.HasPrefix(msg, "invalid boolean value "):
		// invalid value "x" for flag -min-coverage: parse error
		var value, name string
		if i := strings.Index(msg, " for flag -"); i >= 0 {
			rest := msg[i+len(" for flag -"):]
			name, _, _ = strings.Cut(rest, ":")
			value = strings.TrimPrefix(strings.TrimPrefix(msg[:i], "invalid value "), "invalid boolean value ")
		}
		if name != "" {
			what := "a valid value"
			if f := fs.Lookup(name); f != nil {
				if g, ok := f.Value.(flag.Getter); ok {
					switch g.Get().(type) {
					case bool:
						what = "true or false"
					case float64, int, int64, uint, uint64:
						what = "a number"
					}
				}
			}
			return usagef("--%s %s: want %s", name, value, what)
		}
	}
	return usagef("%s", strings.ReplaceAll(msg, " -", " --"))
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// closest returns the candidate nearest to s, or "" when none is near
// enough to be a typo of it.
func closest(s string, candidates []string) string {
	best, bestD := "", 3
	if len(s) <= 4 {
		bestD = 2
	}
	for _, c := range candidates {
		if d := suggest.Distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func parseDate(flagName, s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, usagef("--%s %q: want a date such as 2025-03-31", flagName, s)
	}
	return t, nil
}

func oneOf(flagName, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	hint := ""
	if s := closest(v, allowed); s != "" {
		hint = fmt.Sprintf("; did you mean %s?", s)
	}
	return usagef("--%s %q: want one of %s%s", flagName, v, strings.Join(allowed, ", "), hint)
}

// dateOrToday parses an --as-of date; empty means today. The command line
// is the host here: it reads the clock once and passes the date in, and
// every report states the date it was made as of.
func dateOrToday(s string) (time.Time, error) {
	if s == "" {
		y, m, d := time.Now().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	return parseDate("as-of", s)
}

// asOfFlag declares the --as-of flag the same way in every command.
func asOfFlag(fs *flagSet, what string) *string {
	return fs.String("as-of", "", "the `DATE` "+what+" as of, YYYY-MM-DD (default: today, which the output states)")
}

// formatFlag declares the --format flag the same way in every command.
func formatFlag(fs *flagSet, formats ...string) *string {
	return fs.String("format", formats[0], "`"+strings.Join(formats, "|")+"`: the output format")
}

package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// newFlags returns a flag set that reports its own errors through the
// returned error, never by exiting.
func newFlags(name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet("aeo "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	_ = args
	return fs
}

// parse parses flags and positional arguments in any order, as rule
// authors type them: "aeo assess prog.yaml app.yaml --as-of 2025-01-01".
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, usagef("%s", flagHelp(fs))
			}
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func flagHelp(fs *flag.FlagSet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "flags of %s:", fs.Name())
	fs.VisitAll(func(f *flag.Flag) {
		fmt.Fprintf(&b, "\n  --%s\t%s (default %q)", f.Name, f.Usage, f.DefValue)
	})
	return b.String()
}

func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, usagef("--as-of %q: want a date such as 2025-03-31", s)
	}
	return t, nil
}

func oneOf(flagName, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return usagef("--%s %q: want one of %s", flagName, v, strings.Join(allowed, ", "))
}

// dateOrToday parses an --as-of date; empty means today. The command line
// is the host here: it reads the clock once and passes the date in, and
// every report states the date it was made as of.
func dateOrToday(s string) (time.Time, error) {
	if s == "" {
		y, m, d := time.Now().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	return parseDate(s)
}

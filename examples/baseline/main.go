// Command baseline is the main job of the reference implementation: it
// loads the built-in SAFE Annex IV baseline programme and assesses a
// handful of contrasting applicants against it, printing each
// explanation as an officer would read it.
//
// It shows the guidance's point that "AEO status should never be given
// automatically": every assessment ends in a recommendation, the
// requirements still to be verified on site, and the reasons, for a
// customs officer to decide on.
//
//	go run ./examples/baseline
//	go run ./examples/baseline -as-of 2025-06-30 -view operator
//	go run ./examples/baseline -format json
package main

import (
	"context"
	"embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"time"

	"github.com/safe-aeo/engine/aeo"
)

//go:embed applicants/*.yaml
var applicants embed.FS

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, args []string) error {
	fl := flag.NewFlagSet("baseline", flag.ContinueOnError)
	asOf := fl.String("as-of", "2025-03-31", "assessment date (YYYY-MM-DD)")
	view := fl.String("view", "internal", "internal (officers) or operator (what the applicant may see)")
	format := fl.String("format", "text", "text or json")
	if err := fl.Parse(args); err != nil {
		return err
	}
	date, err := time.Parse(time.DateOnly, *asOf)
	if err != nil {
		return fmt.Errorf("-as-of: %w", err)
	}
	if *view != "internal" && *view != "operator" {
		return fmt.Errorf("-view must be internal or operator, not %q", *view)
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("-format must be text or json, not %q", *format)
	}
	p, err := aeo.Baseline()
	if err != nil {
		return err
	}
	names, err := fs.Glob(applicants, "applicants/*.yaml")
	if err != nil {
		return err
	}
	sort.Strings(names)
	fmt.Fprintf(w, "%s, version %s: %d requirements over %d criteria\n\n",
		p.Name(), p.Version(), len(p.File().Requirements), len(p.File().Criteria))
	var all []*aeo.Assessment
	for i, name := range names {
		data, err := applicants.ReadFile(name)
		if err != nil {
			return err
		}
		prof, err := aeo.ParseProfile(path.Base(name), data)
		if err != nil {
			return err
		}
		a, err := p.Assess(context.Background(), prof, date)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if *view == "operator" {
			a = a.OperatorView()
		}
		all = append(all, a)
		if *format == "json" {
			continue
		}
		if i > 0 {
			fmt.Fprintln(w, "\n--------------------------------------------------------------------------------")
		}
		if err := a.WriteText(w); err != nil {
			return err
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(all)
	}
	return nil
}

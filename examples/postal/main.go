// Command postal shows a designated postal operator applying for AEO
// status under the SAFE baseline: its UPU S58/S59 certifications satisfy
// the security requirements they cover (WCO note on AEO for e-commerce
// stakeholders, section V.ii: postal operators and the UPU security
// standards), and the report lists what it must still show.
//
//	go run ./examples/postal
package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/criteria"
)

//go:embed operator.yaml
var operator []byte

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "postal:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	p, err := aeo.Baseline()
	if err != nil {
		return err
	}
	prof, err := aeo.ParseProfile("operator.yaml", operator)
	if err != nil {
		return err
	}
	asOf := time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)
	a, err := p.Assess(context.Background(), prof, asOf)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s applying under %s %s, as of %s\n", prof.Name, p.Name(), p.Version(), asOf.Format(time.DateOnly))
	for _, c := range prof.Certifications {
		fmt.Fprintf(w, "  holds %s (%s), valid to %s, scope: %s\n", c.Kind, c.ID, c.ValidUntil.Format(time.DateOnly), strings.Join(c.Scope, ", "))
	}
	groups := []struct {
		title string
		keep  func(criteria.Finding) bool
	}{
		{"Satisfied by the UPU certifications", func(f criteria.Finding) bool { return f.Outcome == criteria.Equivalent }},
		{"Met on the operator's own evidence", func(f criteria.Finding) bool { return f.Outcome == criteria.Met }},
		{"Still to show: not met or partly met", func(f criteria.Finding) bool {
			return f.Outcome == criteria.NotMet || f.Outcome == criteria.Partly
		}},
		{"Still to show: evidence missing", func(f criteria.Finding) bool { return f.Outcome == criteria.Indeterminate }},
		{"Not applicable to a postal operator", func(f criteria.Finding) bool { return f.Outcome == criteria.NotApplicable }},
	}
	for _, g := range groups {
		var lines []string
		for _, f := range a.Findings {
			if !g.keep(f) {
				continue
			}
			line := fmt.Sprintf("    %-5s %s", f.Requirement, f.Title)
			switch {
			case f.Equivalence != "":
				line += " [" + f.Equivalence + "]"
			case len(f.Missing) > 0:
				line += " [missing " + strings.Join(f.Missing, ", ") + "]"
			}
			lines = append(lines, line)
		}
		fmt.Fprintf(w, "\n  %s (%d)\n", g.title, len(lines))
		for _, l := range lines {
			fmt.Fprintln(w, l)
		}
	}
	au, _ := a.Authorization("AEO")
	fmt.Fprintf(w, "\nRecommendation on AEO status: %s", au.Recommendation)
	if len(au.Failed) > 0 {
		fmt.Fprintf(w, " (criteria not met: %s)", strings.Join(au.Failed, ", "))
	}
	if len(au.Pending) > 0 {
		fmt.Fprintf(w, " (criteria pending: %s)", strings.Join(au.Pending, ", "))
	}
	fmt.Fprintln(w, "\nThe certifications spare the operator evidence, not verification: Customs decides.")
	return nil
}
